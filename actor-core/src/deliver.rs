//! The one implementation of tell and ask, shared by
//! [`ActorRef`](crate::ActorRef) and [`Recipient`](crate::Recipient) (one
//! virtual call per poll into the mailbox), as two named futures so that
//! wrappers (the `#[actor]` handles) can hold them without boxing.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::time::{Instant, Sleep};

use crate::error::WaitCycle;
use crate::error::{AskError, SendError, TrySendError, valid_timeout};
use crate::reply::ReplyPort;
use crate::runtime::cell::{Cell, Core};
use crate::runtime::current::{current_actor, current_blocking_actor};
use crate::runtime::waits::{self, WaitEdge};

/// Something that accepts messages of type `T` into an actor's mailbox.
pub(crate) trait Deliver<T>: Send + Sync + 'static {
    fn core(&self) -> &Core;
    fn poll_deliver(
        &self,
        cx: &mut Context<'_>,
        slot: &mut Option<T>,
        ticket: &mut Option<u64>,
    ) -> Poll<Result<(), SendError<T>>>;
    fn cancel_wait(&self, ticket: u64);
    fn try_deliver(&self, msg: T) -> Result<(), TrySendError<T>>;
    fn add_sender(&self);
    fn remove_sender(&self);
    fn mailbox_len(&self) -> usize;
}

impl<M: Send + 'static, T: Into<M> + 'static> Deliver<T> for Cell<M> {
    fn core(&self) -> &Core {
        &self.core
    }

    #[inline]
    fn poll_deliver(
        &self,
        cx: &mut Context<'_>,
        slot: &mut Option<T>,
        ticket: &mut Option<u64>,
    ) -> Poll<Result<(), SendError<T>>> {
        let id = self.core.id;
        self.mailbox
            .poll_send(cx, slot, ticket, || current_actor() == Some(id))
    }

    fn cancel_wait(&self, ticket: u64) {
        self.mailbox.cancel_wait(ticket);
    }

    #[inline]
    fn try_deliver(&self, msg: T) -> Result<(), TrySendError<T>> {
        self.mailbox.try_send(msg)
    }

    fn add_sender(&self) {
        self.mailbox.add_sender();
    }

    fn remove_sender(&self) {
        self.mailbox.remove_sender();
    }

    fn mailbox_len(&self) -> usize {
        self.mailbox.len()
    }
}

/// A blocked sender's place in line, given up if the send is cancelled.
struct Ticket<'a, T: 'static> {
    target: &'a dyn Deliver<T>,
    ticket: Option<u64>,
}

impl<T: 'static> Drop for Ticket<'_, T> {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            self.target.cancel_wait(ticket);
        }
    }
}

/// The future of a [`tell`](crate::ActorRef::tell): resolves once the message
/// is in the mailbox (after waiting for room in a full bounded one).
///
/// # Cancel safety
///
/// Dropping it while it waits for room drops the message, undelivered, and
/// gives up its place in line.
///
/// # Examples
///
/// ```
/// # use actor_core::prelude::*;
/// # struct Sink;
/// # impl Actor for Sink {
/// #     type Msg = u32;
/// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let system = System::new();
/// let sink = system.spawn(Sink).await?;
/// let sending: actor_core::SendFuture<'_, u32> = sink.tell(1);
/// sending.await?;
/// # Ok(())
/// # }
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct SendFuture<'a, T: 'static> {
    slot: Option<T>,
    ticket: Ticket<'a, T>,
}

impl<'a, T: 'static> SendFuture<'a, T> {
    pub(crate) fn new(target: &'a dyn Deliver<T>, msg: T) -> Self {
        SendFuture {
            slot: Some(msg),
            ticket: Ticket { target, ticket: None },
        }
    }
}

// The message is only ever moved, never pinned in place.
impl<T: 'static> Unpin for SendFuture<'_, T> {}

impl<T: 'static> Future for SendFuture<'_, T> {
    type Output = Result<(), SendError<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let target = this.ticket.target;
        target.poll_deliver(cx, &mut this.slot, &mut this.ticket.ticket)
    }
}

impl<T: 'static> fmt::Debug for SendFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendFuture")
            .field("to", &self.ticket.target.core().id)
            .field("sent", &self.slot.is_none())
            .field("waiting_for_room", &self.ticket.ticket.is_some())
            .finish()
    }
}

pin_project_lite::pin_project! {
    /// The future of an [`ask`](crate::ActorRef::ask): the request is sent
    /// (waiting for room if need be), then the reply awaited, both within the
    /// timeout. The timeout runs from the first time the ask has to wait,
    /// like the lazy future it is, not from the call that made it: from its
    /// first poll when the send must wait for room; otherwise from the
    /// second look for the reply, which tokio gives the asker once its
    /// worker has run what was ready (the same scheduling round; on a
    /// saturated worker, at its next maintenance: tokio's event interval,
    /// 61 scheduler ticks).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Echo;
    /// # impl Actor for Echo {
    /// #     type Msg = (u8, ReplyPort<u8>);
    /// #     async fn handle(&mut self, (n, r): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
    /// #         let _ = r.send(n);
    /// #         Ok(())
    /// #     }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let echo = system.spawn(Echo).await?;
    /// let asking: actor_core::AskFuture<'_, (u8, ReplyPort<u8>), u8> = echo.ask(|r| (7, r));
    /// assert_eq!(asking.await?, 7);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use = "futures do nothing unless polled"]
    #[project = AskFutureProj]
    pub struct AskFuture<'a, T: 'static, R> {
        slot: Option<T>,
        ticket: Ticket<'a, T>,
        reply: Option<oneshot::Receiver<R>>,
        early: Option<AskError<T>>,
        timeout: Duration,
        // While a blocked actor waits: its edge in the waits-for graph.
        waiting: Option<WaitEdge>,
        // The reply phase gave the answer one yield before arming the timer.
        yielded: bool,
        #[pin]
        deadline: Option<Sleep>,
    }
}

impl<'a, T: 'static, R> AskFuture<'a, T, R> {
    pub(crate) fn new(
        target: &'a dyn Deliver<T>,
        make: impl FnOnce(ReplyPort<R>) -> T,
        timeout: Duration,
    ) -> Self {
        let target_id = target.core().id;
        let mut waiting = None;
        let early = if !valid_timeout(timeout) {
            Some(AskError::InvalidTimeout(timeout))
        } else if current_actor() == Some(target_id) {
            Some(AskError::SelfAsk)
        } else if tokio::runtime::Handle::try_current().is_err() {
            Some(AskError::NoRuntime)
        } else if let Some(asker) = current_blocking_actor() {
            match waits::block_on(asker, target_id) {
                Ok(edge) => {
                    waiting = Some(edge);
                    None
                }
                Err(cycle) => Some(AskError::Deadlock(WaitCycle(cycle))),
            }
        } else {
            None
        };
        let ticket = Ticket { target, ticket: None };
        if early.is_some() {
            return AskFuture {
                slot: None,
                ticket,
                reply: None,
                early,
                timeout,
                waiting: None,
                yielded: false,
                deadline: None,
            };
        }
        let (tx, rx) = oneshot::channel();
        AskFuture {
            slot: Some(make(ReplyPort::new(tx))),
            ticket,
            reply: Some(rx),
            early: None,
            timeout,
            waiting,
            yielded: false,
            // Made when a phase first has to wait: most asks are answered
            // without a timer or even a clock read.
            deadline: None,
        }
    }
}

impl<T: 'static, R> Future for AskFuture<'_, T, R> {
    type Output = Result<R, AskError<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let outcome = this.poll_outcome(cx);
        if outcome.is_ready() {
            // The asker no longer waits.
            *this.waiting = None;
        }
        outcome
    }
}

impl<T: 'static, R> AskFutureProj<'_, '_, T, R> {
    /// The ask's next step: the early error, the send, then the reply.
    fn poll_outcome(&mut self, cx: &mut Context<'_>) -> Poll<Result<R, AskError<T>>> {
        if let Some(error) = self.early.take() {
            return Poll::Ready(Err(error));
        }
        if self.slot.is_some() {
            let target = self.ticket.target;
            match target.poll_deliver(cx, self.slot, &mut self.ticket.ticket) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(SendError::Closed(msg))) => return Poll::Ready(Err(AskError::Closed(msg))),
                Poll::Ready(Err(SendError::WouldDeadlock(_))) => return Poll::Ready(Err(AskError::SelfAsk)),
                Poll::Pending => return self.deadline_passed(cx),
            }
        }
        let Some(reply) = self.reply.as_mut() else {
            // Polled after completion.
            return Poll::Ready(Err(AskError::NoReply));
        };
        match Pin::new(reply).poll(cx) {
            Poll::Ready(Ok(value)) => {
                *self.reply = None;
                Poll::Ready(Ok(value))
            }
            Poll::Ready(Err(_)) => {
                *self.reply = None;
                Poll::Ready(Err(AskError::NoReply))
            }
            Poll::Pending if !*self.yielded => {
                // Most replies come within one scheduling round: yield once
                // and look again before reading the clock and arming the
                // timer, which costs a timer-wheel insert and removal (and,
                // on an idle wheel, a wake-up of the time driver). A yield
                // takes no time on tokio's paused clock: paused-clock
                // timeouts stay exact.
                *self.yielded = true;
                // tokio's `yield_now` defers the wake-up until the worker has
                // run what is ready (the actor, often on this very worker). A
                // plain self-wake would queue this task behind the actor and,
                // with two tasks queued, make tokio wake an idle worker that
                // then steals one of them: the ask would cross threads.
                let mut yield_now = std::pin::pin!(tokio::task::yield_now());
                if yield_now.as_mut().poll(cx).is_ready() {
                    cx.waker().wake_by_ref();
                }
                Poll::Pending
            }
            Poll::Pending => self.deadline_passed(cx),
        }
    }

    /// `Pending` until the deadline, then the timeout error. The deadline
    /// is set the first time a phase waits: the timeout runs from then.
    fn deadline_passed(&mut self, cx: &mut Context<'_>) -> Poll<Result<R, AskError<T>>> {
        if self.deadline.is_none() {
            let deadline_at = Instant::now() + *self.timeout;
            // tokio panics when the runtime was built without its time
            // driver; that misconfiguration becomes a typed error here (the
            // runtime's panic hook still prints tokio's message once).
            match std::panic::catch_unwind(|| tokio::time::sleep_until(deadline_at)) {
                Ok(sleep) => self.deadline.set(Some(sleep)),
                Err(_) => return Poll::Ready(Err(AskError::NoRuntime)),
            }
        }
        match self.deadline.as_mut().as_pin_mut() {
            Some(deadline) => deadline.poll(cx).map(|()| Err(AskError::Timeout(*self.timeout))),
            None => Poll::Pending,
        }
    }
}

impl<T: 'static, R> fmt::Debug for AskFuture<'_, T, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AskFuture")
            .field("to", &self.ticket.target.core().id)
            .field("sent", &self.slot.is_none())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}
