//! # actor-core
//!
//! A tokio actor framework: typed actors that talk only through their
//! mailboxes, with Erlang/OTP's lifecycle rules and a per-message path as
//! lean as a hand-written channel loop.
//!
//! ## The pieces
//!
//! - [`Actor`]: your state in a struct, one message type, lifecycle hooks.
//!   Write a **handler actor** (implement [`Actor::handle`]; the framework
//!   runs the loop) or a **loop actor** (also override [`Actor::run`] and call
//!   [`Context::recv`] inside your own `tokio::select!`).
//! - [`System`]: spawns top-level actors and [shuts the tree down](System::shutdown).
//! - [`ActorRef`]: the typed handle: [`tell`](ActorRef::tell),
//!   [`try_tell`](ActorRef::try_tell), [`ask`](ActorRef::ask),
//!   [`stop`](ActorRef::stop), [`kill`](ActorRef::kill),
//!   [`wait_for_stop`](ActorRef::wait_for_stop). [`Recipient`] is the same for
//!   one message type, whatever the actor.
//! - [`ReplyPort`]: put one in a message to make it a request.
//! - [`mailbox`]: bounded by default, FIFO per sender, with a control lane
//!   that stop and kill take to overtake queued messages.
//! - [`pool`]: N supervised workers behind one handle (round-robin,
//!   least-loaded or keyed routing), and a pool of blocking threads.
//! - [`runtime`]: how an actor runs, the receive loop's priorities, and how
//!   panics are contained.
//! - [`error`]: every error, each giving an undelivered message back.
//! - [`guarantees`]: what the framework promises (delivery, asks ending,
//!   deadlock detection, supervision, shutdown), each with the tests that
//!   hold it.
//!
//! ## Example
//!
//! ```
//! use actor_core::prelude::*;
//!
//! enum Msg {
//!     Deposit(u64),
//!     Balance(ReplyPort<u64>),
//! }
//!
//! struct Account {
//!     balance: u64,
//! }
//!
//! impl Actor for Account {
//!     type Msg = Msg;
//!
//!     async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
//!         match msg {
//!             Msg::Deposit(amount) => self.balance += amount,
//!             Msg::Balance(reply) => {
//!                 let _ = reply.send(self.balance);
//!             }
//!         }
//!         Ok(())
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let system = System::new();
//!     let account = system.spawn(Account { balance: 0 }).await?;
//!     account.tell(Msg::Deposit(40)).await?;
//!     account.tell(Msg::Deposit(2)).await?;
//!     assert_eq!(account.ask(Msg::Balance).await?, 42);
//!     system.shutdown().await;
//!     Ok(())
//! }
//! ```

mod actor;
mod actor_ref;
mod call;
mod context;
mod deliver;
pub mod error;
mod exit;
pub mod group;
pub mod guarantees;
mod id;
pub mod introspect;
pub mod mailbox;
pub mod monitor;
pub mod pool;
pub mod pubsub;
mod recipient;
#[cfg(feature = "recorder")]
pub mod recorder;
pub mod registry;
mod reply;
pub mod runtime;
pub mod sources;
mod spawn;
pub mod supervision;
mod system;

pub use crate::actor::Actor;
pub use crate::actor_ref::{ActorRef, DEFAULT_ASK_TIMEOUT, WeakActorRef};
#[doc(hidden)]
pub use crate::call::__private;
pub use crate::call::{Ask, Call, CallError, CallFuture, Tell};
pub use crate::context::Context;
pub use crate::deliver::{AskFuture, SendFuture};
pub use crate::error::{
    AskError, BoxError, MAX_TIMEOUT, SendError, SpawnError, SupervisorError, TrySendError, WaitCycle,
};
pub use crate::error::{GroupError, RegistryError, SourceError};
pub use crate::exit::ExitReason;
pub use crate::group::{BroadcastReport, Group, Groups};
pub use crate::id::{ActorId, NodeId};
pub use crate::introspect::{ActorInfo, ActorState, Snapshot};
pub use crate::mailbox::{DEFAULT_CAPACITY, MailboxKind};
pub use crate::monitor::{Down, ExitSignal, MonitorRef};
pub use crate::pubsub::Topic;
pub use crate::recipient::Recipient;
pub use crate::registry::Registry;
pub use crate::reply::ReplyPort;
pub use crate::sources::{Source, SourceId};
pub use crate::spawn::{DEFAULT_STOP_TIMEOUT, Executor, SpawnOptions};
pub use crate::system::{ShutdownReport, System};
pub use actor_macros::{actor, handler};

/// Everything an actor module usually needs, in one import.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
///
/// struct Noop;
/// impl Actor for Noop {
///     type Msg = ();
///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> {
///         Ok(())
///     }
/// }
/// ```
pub mod prelude {
    pub use crate::{
        Actor, ActorId, ActorRef, AskError, BoxError, Context, DEFAULT_CAPACITY, Down, Executor, ExitReason,
        ExitSignal, MailboxKind, MonitorRef, NodeId, Recipient, ReplyPort, SendError, Source, SourceId,
        SpawnError, SpawnOptions, System, TrySendError, WeakActorRef,
    };
    pub use crate::{CallError, actor, handler};
}

/// The README's code, compiled and run as doctests so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
