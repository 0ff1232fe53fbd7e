//! The guard around every piece of actor code: kill check, panic containment
//! and the current-actor marker, in one poll wrapper.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::runtime::cell::Cell;
use crate::runtime::current::Enter;

/// How a guarded piece of actor code ended.
pub(crate) enum Outcome<T> {
    /// It finished with this output.
    Done(T),
    /// It panicked with this message.
    Panicked(Arc<str>),
    /// The actor was killed; the code was dropped where it stood.
    Killed,
}

/// Runs `fut` as code of the actor in `cell`.
///
/// Before each poll the kill bit is checked (control first); the actor task's
/// waker is registered once, so a kill wakes the task whatever `fut` awaits.
///
/// A named future rather than an `async fn`: an `async fn` keeps its
/// argument and the pinned local it is moved into as two slots, which
/// doubled the space `run` takes in every actor's task.
pub(crate) fn guarded<M, F: Future>(cell: &Cell<M>, fut: F) -> Guarded<'_, M, F> {
    Guarded {
        cell,
        fut,
        registered: false,
    }
}

pin_project_lite::pin_project! {
    /// The future [`guarded`] returns.
    pub(crate) struct Guarded<'a, M, F> {
        cell: &'a Cell<M>,
        #[pin]
        fut: F,
        registered: bool,
    }
}

impl<M, F: Future> Future for Guarded<'_, M, F> {
    type Output = Outcome<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let cell = *this.cell;
        if !*this.registered {
            cell.mailbox.set_task_waker(cx.waker());
            *this.registered = true;
        }
        if cell.mailbox.is_killed() {
            return Poll::Ready(Outcome::Killed);
        }
        let _running = Enter::new(cell.core.id, !cell.core.is_loop_actor());
        let mut fut = this.fut;
        match catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Outcome::Done(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Outcome::Panicked(panic_message(payload.as_ref()))),
        }
    }
}

/// The text of a panic payload (`panic!("...")` gives a `&str` or a `String`).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> Arc<str> {
    if let Some(text) = payload.downcast_ref::<&str>() {
        Arc::from(*text)
    } else if let Some(text) = payload.downcast_ref::<String>() {
        Arc::from(text.as_str())
    } else {
        Arc::from("non-string panic payload")
    }
}
