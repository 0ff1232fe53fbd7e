//! Worker pools: N workers behind one handle.
//!
//! A pool is an ordinary [`Supervisor`](crate::supervision::Supervisor) with
//! one permanent child per worker, plus a [`PoolRef`] that routes each
//! message to one of them. Nothing new runs beside the actors: routing
//! happens in the sender's task, on the workers' own handles.
//!
//! ```text
//!             PoolRef::tell ──route──▶ worker-0 [mailbox]
//! sender ──────────────────────────▶  worker-1 [mailbox]   (children of the
//!                                      worker-2 [mailbox]    pool's supervisor)
//! ```
//!
//! # Which routing
//!
//! - [`Routing::RoundRobin`] (default): workers in turn. Even spread when
//!   messages cost about the same; one atomic increment per message.
//! - [`Routing::LeastLoaded`]: the worker with the shortest queue, for
//!   uneven work. Reads every worker's queue length per message.
//! - By key, on any pool: [`PoolRef::tell_keyed`] and [`PoolRef::ask_keyed`]
//!   send every message with the same key to the same worker, so messages
//!   about one thing (a user, an account, a file) are handled one at a time
//!   and, from one sender, in the order sent. The key is hashed with std's
//!   `DefaultHasher::new()` (SipHash with fixed keys: the same result in
//!   every run of one build, but not promised across Rust versions, so do
//!   not store the mapping) and mapped to a worker with jump consistent
//!   hashing, which would move only 1/(n+1) of the keys if a pool of n were
//!   rebuilt with n+1 workers. A pool's size is fixed, and a restarted worker
//!   keeps its slot and its mailbox, so a key's worker never changes while
//!   the pool lives.
//!
//! None of them allocates per message: `tell` is the chosen worker's
//! [`ActorRef::tell`](crate::ActorRef::tell) and returns its future.
//!
//! # Backpressure
//!
//! Each worker has its own mailbox ([`PoolBuilder::mailbox`], bounded by
//! default). A `tell` waits for room in the chosen worker's mailbox;
//! [`PoolRef::try_tell`] gives the message back instead. With round-robin
//! or keyed routing the sender waits for *that* worker even if another has
//! room (the order promise needs it); with least-loaded routing it waits only
//! when every worker is full.
//!
//! # Supervision
//!
//! Workers are permanent children of the pool's supervisor: a worker that
//! fails, panics or is killed is restarted with fresh state from the
//! factory, under the same handle and with its mailbox intact, so only the
//! message it was handling is lost (an asker of that message gets
//! [`AskError::NoReply`](crate::AskError::NoReply) at once). Too many
//! restarts ([`PoolBuilder::intensity`], OTP's 1 in 5 s by default) and the
//! pool gives up: it stops its workers and exits with
//! [`ExitReason::Shutdown`](crate::ExitReason::Shutdown), which its own
//! parent sees. [`PoolRef::stop`], dropping the last `PoolRef`, or stopping
//! whatever the pool was spawned under stops every worker, each after its
//! queue.
//!
//! # Blocking work
//!
//! [`Pool::blocking`] builds a pool whose workers each own one dedicated OS
//! thread; [`PoolRef::run`] sends a closure and returns its result. Each
//! worker is a supervised task that awaits its thread, so CPU-bound or
//! blocking jobs never stall the tokio runtime, and at most N run at once.
//! (Supervised children cannot themselves run on
//! [`Executor::DedicatedThread`](crate::Executor::DedicatedThread); a worker
//! owning a thread gives the same isolation and keeps supervision.)
//!
//! # Example
//!
//! ```
//! use actor_core::prelude::*;
//! use actor_core::pool::{Pool, Routing};
//!
//! enum Msg {
//!     Count { user: u32 },
//!     Total { user: u32, reply: ReplyPort<u64> },
//! }
//!
//! #[derive(Default)]
//! struct Counter {
//!     by_user: std::collections::HashMap<u32, u64>,
//! }
//!
//! impl Actor for Counter {
//!     type Msg = Msg;
//!     async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
//!         match msg {
//!             Msg::Count { user } => *self.by_user.entry(user).or_default() += 1,
//!             Msg::Total { user, reply } => {
//!                 let _ = reply.send(self.by_user.get(&user).copied().unwrap_or(0));
//!             }
//!         }
//!         Ok(())
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let system = System::new();
//! let counters = Pool::builder(4, |_| Counter::default())
//!     .name("counters")
//!     .routing(Routing::RoundRobin)
//!     .mailbox(MailboxKind::Bounded(64))
//!     .spawn(&system)
//!     .await?;
//! for _ in 0..3 {
//!     // Keyed: user 7's counts all land on one worker.
//!     counters.tell_keyed(&7, Msg::Count { user: 7 }).await?;
//! }
//! let total = counters.ask_keyed(&7, |reply| Msg::Total { user: 7, reply }).await?;
//! assert_eq!(total, 3);
//! system.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod blocking;
mod builder;
mod handle;
mod routing;

pub use self::blocking::{BlockingWorker, Job};
pub use self::builder::{Pool, PoolBuilder};
pub use self::handle::PoolRef;
pub use self::routing::Routing;
pub use crate::error::{JobError, PoolError};
