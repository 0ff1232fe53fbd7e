//! The guard around every piece of actor code: kill check, panic containment
//! and the current-actor marker, in one poll wrapper.

use std::any::Any;
use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;

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
pub(crate) async fn guarded<M, F: Future>(cell: &Cell<M>, fut: F) -> Outcome<F::Output> {
    let mut fut = pin!(fut);
    let mut registered = false;
    poll_fn(|cx| {
        if !registered {
            cell.mailbox.set_task_waker(cx.waker());
            registered = true;
        }
        if cell.mailbox.is_killed() {
            return Poll::Ready(Outcome::Killed);
        }
        let _running = Enter::new(cell.core.id, !cell.core.is_loop_actor());
        match catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Outcome::Done(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Outcome::Panicked(panic_message(payload.as_ref()))),
        }
    })
    .await
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
