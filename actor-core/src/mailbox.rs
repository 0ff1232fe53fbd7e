//! Mailboxes: where messages wait for their actor.
//!
//! Every actor has one mailbox with two lanes:
//!
//! - the **user lane**, a FIFO queue of the actor's messages, either
//!   [bounded](MailboxKind::Bounded) (the default, [`DEFAULT_CAPACITY`]
//!   messages: memory is finite, and a full mailbox makes
//!   [`tell`](crate::ActorRef::tell) wait, which is backpressure) or
//!   [unbounded](MailboxKind::Unbounded) (an explicit choice: senders never
//!   wait, memory grows with the backlog);
//! - the **control lane**: stop and kill requests (and, later, supervision
//!   signals), kept apart from user messages and seen first, even when the
//!   user lane is full.
//!
//! Order is FIFO per sender: two messages from one sender arrive in the order
//! they were sent. Messages from different senders interleave.
//!
//! A bounded mailbox's capacity is a limit, not a reservation: an idle actor's
//! mailbox allocates nothing, and its buffer grows only as messages queue up.
//!
//! # Choosing a kind
//!
//! ```
//! use actor_core::prelude::*;
//!
//! // The default: bounded, 1024 messages.
//! let default = SpawnOptions::new();
//! // A small buffer for a stage that should push back quickly.
//! let tight = SpawnOptions::new().mailbox(MailboxKind::Bounded(16));
//! // An actor that must never slow its senders down.
//! let unbounded = SpawnOptions::new().mailbox(MailboxKind::Unbounded);
//! # let _ = (default, tight, unbounded);
//! ```

pub(crate) mod envelope;
pub(crate) mod interest;
pub(crate) mod queue;
mod sync;

/// The capacity of a default (bounded) mailbox.
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::DEFAULT_CAPACITY, 1024);
/// ```
pub const DEFAULT_CAPACITY: usize = 1024;

/// How an actor's mailbox holds messages that wait for it.
///
/// # Examples
///
/// ```
/// use actor_core::MailboxKind;
///
/// assert_eq!(MailboxKind::default(), MailboxKind::Bounded(1024));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MailboxKind {
    /// At most this many messages wait; `tell` waits for room and `try_tell`
    /// fails with [`TrySendError::Full`](crate::TrySendError::Full). Zero is
    /// rejected at spawn with [`SpawnError::ZeroCapacity`](crate::SpawnError::ZeroCapacity).
    Bounded(usize),
    /// Any number of messages wait; senders never wait.
    Unbounded,
}

impl Default for MailboxKind {
    fn default() -> Self {
        MailboxKind::Bounded(DEFAULT_CAPACITY)
    }
}
