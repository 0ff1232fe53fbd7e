//! The one implementation of tell, try_tell and ask, shared by
//! [`ActorRef`](crate::ActorRef) (static dispatch) and
//! [`Recipient`](crate::Recipient) (one virtual call per poll).

use std::future::{Future, poll_fn};
use std::marker::PhantomData;
use std::pin::{Pin, pin};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::oneshot;

use crate::error::{AskError, SendError, TrySendError, valid_timeout};
use crate::reply::ReplyPort;
use crate::runtime::cell::{Cell, Core};
use crate::runtime::current::current_actor;

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
struct Ticket<'a, T, D: Deliver<T> + ?Sized> {
    target: &'a D,
    ticket: Option<u64>,
    _message: PhantomData<fn(T)>,
}

impl<T, D: Deliver<T> + ?Sized> Drop for Ticket<'_, T, D> {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            self.target.cancel_wait(ticket);
        }
    }
}

pub(crate) async fn tell<T, D: Deliver<T> + ?Sized>(target: &D, msg: T) -> Result<(), SendError<T>> {
    let mut slot = Some(msg);
    let mut ticket = Ticket {
        target,
        ticket: None,
        _message: PhantomData,
    };
    poll_fn(|cx| target.poll_deliver(cx, &mut slot, &mut ticket.ticket)).await
}

pub(crate) async fn ask<T, R, D, F>(target: &D, make: F, timeout: Duration) -> Result<R, AskError<T>>
where
    D: Deliver<T> + ?Sized,
    F: FnOnce(ReplyPort<R>) -> T,
{
    if !valid_timeout(timeout) {
        return Err(AskError::InvalidTimeout(timeout));
    }
    if current_actor() == Some(target.core().id) {
        return Err(AskError::SelfAsk);
    }
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(AskError::NoRuntime);
    }
    let (tx, mut rx) = oneshot::channel();
    let mut slot = Some(make(ReplyPort::new(tx)));
    let mut ticket = Ticket {
        target,
        ticket: None,
        _message: PhantomData,
    };
    // One timer for both phases (enqueue, then reply); it is only registered
    // with the runtime if a phase has to wait.
    let mut deadline = pin!(tokio::time::sleep(timeout));
    let sent = poll_fn(|cx| {
        if let Poll::Ready(result) = target.poll_deliver(cx, &mut slot, &mut ticket.ticket) {
            return Poll::Ready(Some(result));
        }
        deadline.as_mut().poll(cx).map(|()| None)
    })
    .await;
    match sent {
        Some(Ok(())) => {}
        Some(Err(SendError::Closed(msg))) => return Err(AskError::Closed(msg)),
        Some(Err(SendError::WouldDeadlock(_))) => return Err(AskError::SelfAsk),
        None => return Err(AskError::Timeout(timeout)),
    }
    poll_fn(|cx| {
        if let Poll::Ready(reply) = Pin::new(&mut rx).poll(cx) {
            return Poll::Ready(reply.map_err(|_| AskError::NoReply));
        }
        deadline
            .as_mut()
            .poll(cx)
            .map(|()| Err(AskError::Timeout(timeout)))
    })
    .await
}
