//! [`PoolRef`]: the one handle in front of a pool's workers.

use std::fmt;
use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::deliver::{AskFuture, SendFuture};
use crate::error::{SendError, TrySendError};
use crate::exit::ExitReason;
use crate::pool::routing::{self, Routing};
use crate::reply::ReplyPort;
use crate::supervision::Supervisor;

/// A handle to a pool of `A` workers: send to it like to one actor, and the
/// pool's [`Routing`] picks the worker.
///
/// Cheap to clone (one `Arc`); clones share the round-robin turn. Like an
/// [`ActorRef`], it keeps the pool alive: when the last `PoolRef` is dropped,
/// the pool's supervisor stops, and with it the workers, after they handle
/// what is queued. Made by [`PoolBuilder::spawn`](crate::pool::PoolBuilder::spawn).
///
/// Routing costs no allocation: `tell` is the chosen worker's
/// [`ActorRef::tell`], returning the same [`SendFuture`].
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::pool::{Pool, PoolRef, Routing};
///
/// struct Squarer;
/// impl Actor for Squarer {
///     type Msg = (u64, ReplyPort<u64>);
///     async fn handle(&mut self, (n, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
///         let _ = reply.send(n * n);
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let pool: PoolRef<Squarer> = Pool::builder(4, |_| Squarer)
///     .routing(Routing::LeastLoaded)
///     .spawn(&system)
///     .await?;
/// assert_eq!(pool.ask(|reply| (7, reply)).await?, 49);
/// system.shutdown().await;
/// # Ok(())
/// # }
/// ```
pub struct PoolRef<A: Actor> {
    inner: Arc<Inner<A>>,
}

struct Inner<A: Actor> {
    supervisor: ActorRef<Supervisor>,
    workers: Box<[ActorRef<A>]>,
    routing: Routing,
    next: AtomicUsize,
}

impl<A: Actor> PoolRef<A> {
    pub(super) fn new(supervisor: ActorRef<Supervisor>, workers: Vec<ActorRef<A>>, routing: Routing) -> Self {
        PoolRef {
            inner: Arc::new(Inner {
                supervisor,
                workers: workers.into_boxed_slice(),
                routing,
                next: AtomicUsize::new(0),
            }),
        }
    }

    /// The worker the pool's routing picks next (and counts as picked: the
    /// round-robin turn moves on). For what the shortcuts below do not cover,
    /// e.g. `pool.route().ask_timeout(..)`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(2, |_| W).spawn(&system).await?;
    /// assert_eq!(pool.route(), &pool.workers()[0]);
    /// assert_eq!(pool.route(), &pool.workers()[1]); // round-robin
    /// # Ok(())
    /// # }
    /// ```
    pub fn route(&self) -> &ActorRef<A> {
        let inner = &*self.inner;
        &inner.workers[routing::pick(inner.routing, &inner.workers, &inner.next)]
    }

    /// The worker that `key` always goes to: the same key, the same worker,
    /// for the life of the pool (see [the module docs](crate::pool)).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(4, |_| W).spawn(&system).await?;
    /// assert_eq!(pool.worker_for("user-7"), pool.worker_for("user-7"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn worker_for<K: Hash + ?Sized>(&self, key: &K) -> &ActorRef<A> {
        &self.inner.workers[routing::worker_for_key(key, self.inner.workers.len())]
    }

    /// Sends `msg` to the worker the routing picks; on a full bounded
    /// mailbox, waits for room in that worker's mailbox (backpressure).
    ///
    /// # Errors
    ///
    /// As [`ActorRef::tell`]: [`SendError::Closed`] once the pool is
    /// stopping, with the message.
    ///
    /// # Cancel safety
    ///
    /// As [`ActorRef::tell`]: dropped while waiting for room, the message is
    /// dropped too; use [`try_tell`](PoolRef::try_tell) to keep it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// # struct Logger;
    /// # impl Actor for Logger {
    /// #     type Msg = String;
    /// #     async fn handle(&mut self, _: String, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let loggers = Pool::builder(3, |_| Logger).spawn(&system).await?;
    /// for line in ["a", "b", "c"] {
    ///     loggers.tell(line.to_string()).await?; // one line to each worker
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn tell(&self, msg: A::Msg) -> SendFuture<'_, A::Msg> {
        self.route().tell(msg)
    }

    /// Sends `msg` to the worker the routing picks if it has room now; never
    /// waits. With [`Routing::LeastLoaded`], `Full` means every worker is
    /// full.
    ///
    /// # Errors
    ///
    /// [`TrySendError::Full`] or [`TrySendError::Closed`], with the message.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(2, |_| W).spawn(&system).await?;
    /// if let Err(full) = pool.try_tell(1) {
    ///     pool.tell(full.into_inner()).await?; // wait for room after all
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_tell(&self, msg: A::Msg) -> Result<(), TrySendError<A::Msg>> {
        self.route().try_tell(msg)
    }

    /// Asks the worker the routing picks, waiting at most
    /// [`DEFAULT_ASK_TIMEOUT`](crate::DEFAULT_ASK_TIMEOUT).
    ///
    /// # Errors
    ///
    /// As [`ActorRef::ask`]: [`AskError`](crate::AskError).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// # struct Upper;
    /// # impl Actor for Upper {
    /// #     type Msg = (String, ReplyPort<String>);
    /// #     async fn handle(&mut self, (s, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
    /// #         let _ = reply.send(s.to_uppercase());
    /// #         Ok(())
    /// #     }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(2, |_| Upper).spawn(&system).await?;
    /// assert_eq!(pool.ask(|reply| ("hi".to_string(), reply)).await?, "HI");
    /// # Ok(())
    /// # }
    /// ```
    pub fn ask<R>(&self, make: impl FnOnce(ReplyPort<R>) -> A::Msg) -> AskFuture<'_, A::Msg, R> {
        self.route().ask(make)
    }

    /// Sends `msg` to the worker for `key` (see
    /// [`worker_for`](PoolRef::worker_for)), waiting for room: messages with
    /// the same key from one sender are handled in the order sent, one at a
    /// time, by one worker.
    ///
    /// # Errors
    ///
    /// As [`tell`](PoolRef::tell).
    ///
    /// # Cancel safety
    ///
    /// As [`tell`](PoolRef::tell).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// enum Account {
    ///     Deposit { user: u64, amount: u64 },
    /// }
    /// # struct Ledger;
    /// # impl Actor for Ledger {
    /// #     type Msg = Account;
    /// #     async fn handle(&mut self, _: Account, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let ledgers = Pool::builder(4, |_| Ledger).spawn(&system).await?;
    /// // Every deposit of user 7 goes to the same ledger, in order.
    /// ledgers.tell_keyed(&7u64, Account::Deposit { user: 7, amount: 10 }).await?;
    /// ledgers.tell_keyed(&7u64, Account::Deposit { user: 7, amount: 5 }).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn tell_keyed<K: Hash + ?Sized>(&self, key: &K, msg: A::Msg) -> SendFuture<'_, A::Msg> {
        self.worker_for(key).tell(msg)
    }

    /// Asks the worker for `key` (see [`worker_for`](PoolRef::worker_for)),
    /// waiting at most [`DEFAULT_ASK_TIMEOUT`](crate::DEFAULT_ASK_TIMEOUT).
    ///
    /// # Errors
    ///
    /// As [`ActorRef::ask`]: [`AskError`](crate::AskError).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::collections::HashMap;
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// enum Cache {
    ///     Put(String, u32),
    ///     Get(String, ReplyPort<Option<u32>>),
    /// }
    /// # #[derive(Default)]
    /// # struct Shard(HashMap<String, u32>);
    /// # impl Actor for Shard {
    /// #     type Msg = Cache;
    /// #     async fn handle(&mut self, msg: Cache, _: &mut Context<Self>) -> Result<(), BoxError> {
    /// #         match msg {
    /// #             Cache::Put(k, v) => { self.0.insert(k, v); }
    /// #             Cache::Get(k, reply) => { let _ = reply.send(self.0.get(&k).copied()); }
    /// #         }
    /// #         Ok(())
    /// #     }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// // A sharded cache: each key lives in exactly one shard.
    /// let shards = Pool::builder(8, |_| Shard::default()).spawn(&system).await?;
    /// shards.tell_keyed("answer", Cache::Put("answer".into(), 42)).await?;
    /// let value = shards.ask_keyed("answer", |reply| Cache::Get("answer".into(), reply)).await?;
    /// assert_eq!(value, Some(42));
    /// # Ok(())
    /// # }
    /// ```
    pub fn ask_keyed<K: Hash + ?Sized, R>(
        &self,
        key: &K,
        make: impl FnOnce(ReplyPort<R>) -> A::Msg,
    ) -> AskFuture<'_, A::Msg, R> {
        self.worker_for(key).ask(make)
    }

    /// Sends a copy of `msg` to every worker, in order, each waiting for room.
    ///
    /// # Errors
    ///
    /// [`SendError`] from the first worker that refuses it (the pool is
    /// stopping), with that copy; the workers before it got theirs.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// #[derive(Clone)]
    /// enum Msg {
    ///     Reload,
    /// }
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = Msg;
    /// #     async fn handle(&mut self, _: Msg, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(3, |_| W).spawn(&system).await?;
    /// pool.broadcast(Msg::Reload).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn broadcast(&self, msg: A::Msg) -> Result<(), SendError<A::Msg>>
    where
        A::Msg: Clone,
    {
        let (last, rest) = self
            .inner
            .workers
            .split_last()
            .ok_or_else(|| SendError::Closed(msg.clone()))?;
        for worker in rest {
            worker.tell(msg.clone()).await?;
        }
        last.tell(msg).await
    }

    /// How many workers the pool has (fixed for its life).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(3, |_| W).spawn(&system).await?;
    /// assert_eq!(pool.size(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn size(&self) -> usize {
        self.inner.workers.len()
    }

    /// The workers' handles, in start order. Each stays valid across its
    /// worker's restarts (same id, same mailbox).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(2, |_| W).name("db").spawn(&system).await?;
    /// let names: Vec<_> = pool.workers().iter().map(|w| w.name()).collect();
    /// assert_eq!(names, [Some("db-0"), Some("db-1")]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn workers(&self) -> &[ActorRef<A>] {
        &self.inner.workers
    }

    /// The routing chosen at build time.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::{Pool, Routing};
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(2, |_| W).spawn(&system).await?;
    /// assert_eq!(pool.routing(), Routing::RoundRobin);
    /// # Ok(())
    /// # }
    /// ```
    pub fn routing(&self) -> Routing {
        self.inner.routing
    }

    /// Messages queued across all workers (not counting those being handled).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(2, |_| W).spawn(&system).await?;
    /// pool.try_tell(())?;
    /// assert_eq!(pool.queued(), 1); // not yet taken
    /// # Ok(())
    /// # }
    /// ```
    pub fn queued(&self) -> usize {
        self.inner.workers.iter().map(ActorRef::mailbox_len).sum()
    }

    /// The supervisor that owns the workers: spawned on the system (or under
    /// the actor) the pool was spawned on, and the pool's place in the tree.
    /// Ask it for the workers' restart counts with
    /// [`children`](ActorRef::children).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(2, |_| W).spawn(&system).await?;
    /// let restarts: u32 = pool.supervisor().children().await?.iter().map(|c| c.restarts).sum();
    /// assert_eq!(restarts, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn supervisor(&self) -> &ActorRef<Supervisor> {
        &self.inner.supervisor
    }

    /// Stops the pool gracefully: its supervisor stops, which stops every
    /// worker for good by its shutdown policy (each handles its queue
    /// first). Returns at once; see [`wait_for_stop`](PoolRef::wait_for_stop).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(2, |_| W).spawn(&system).await?;
    /// pool.stop();
    /// pool.wait_for_stop().await;
    /// assert!(pool.workers().iter().all(|w| !w.is_alive()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn stop(&self) {
        self.inner.supervisor.stop();
    }

    /// Waits until the pool has stopped (its workers first, then its
    /// supervisor) and returns the supervisor's exit reason:
    /// [`ExitReason::Shutdown`] if it gave up after too many worker crashes.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(2, |_| W).spawn(&system).await?;
    /// pool.stop();
    /// assert!(matches!(pool.wait_for_stop().await, ExitReason::Normal));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn wait_for_stop(&self) -> ExitReason {
        let reason = self.inner.supervisor.wait_for_stop().await;
        for worker in self.inner.workers.iter() {
            worker.wait_for_stop().await;
        }
        reason
    }

    /// Whether the pool still accepts messages (its supervisor runs and is
    /// not stopping).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pool::Pool;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let pool = Pool::builder(2, |_| W).spawn(&system).await?;
    /// assert!(pool.is_alive());
    /// pool.stop();
    /// assert!(!pool.is_alive());
    /// # Ok(())
    /// # }
    /// ```
    pub fn is_alive(&self) -> bool {
        self.inner.supervisor.is_alive()
    }
}

impl<A: Actor> Clone for PoolRef<A> {
    fn clone(&self) -> Self {
        PoolRef {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<A: Actor> fmt::Debug for PoolRef<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolRef")
            .field("supervisor", &self.inner.supervisor.id())
            .field("name", &self.inner.supervisor.name())
            .field("size", &self.inner.workers.len())
            .field("routing", &self.inner.routing)
            .finish()
    }
}
