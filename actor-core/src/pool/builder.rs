//! Building a pool: size, factory, routing, mailbox and supervision settings,
//! checked once, then spawned as a supervisor with one child per worker.

use std::fmt;
use std::sync::Arc;

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::context::Context;
use crate::error::PoolError;
use crate::mailbox::MailboxKind;
use crate::pool::blocking::BlockingWorker;
use crate::pool::handle::PoolRef;
use crate::pool::routing::Routing;
use crate::spawn::SpawnOptions;
use crate::supervision::{Backoff, ChildSpec, Intensity, Shutdown, Supervisor};
use crate::system::System;

/// Where pools come from: [`Pool::builder`] for a pool of your actors,
/// [`Pool::blocking`] for a pool of OS threads running closures.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::pool::{Pool, Routing};
///
/// struct Resizer;
/// impl Actor for Resizer {
///     type Msg = (Vec<u8>, ReplyPort<usize>);
///     async fn handle(&mut self, (image, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
///         let _ = reply.send(image.len() / 2);
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let resizers = Pool::builder(4, |_| Resizer)
///     .name("resizers")
///     .routing(Routing::LeastLoaded)
///     .mailbox(MailboxKind::Bounded(16))
///     .spawn(&system)
///     .await?;
/// assert_eq!(resizers.ask(|reply| (vec![0; 64], reply)).await?, 32);
/// system.shutdown().await; // workers first, then their supervisor
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Pool;

impl Pool {
    /// A builder for a pool of `size` workers, each built by `factory(i)`
    /// (`i` in `0..size`) when it starts and again on each restart.
    ///
    /// Defaults: [`Routing::RoundRobin`], each worker with a default
    /// (bounded) mailbox, the name `"pool"`, OTP's restart intensity (1
    /// restart in 5 s, then the pool gives up), no backoff, a 5 s shutdown
    /// per worker.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// use actor_core::pool::Pool;
    /// struct Worker {
    ///     index: usize,
    /// }
    /// # impl Actor for Worker {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// let builder = Pool::builder(8, |index| Worker { index });
    /// # let _ = builder;
    /// ```
    pub fn builder<A: Actor>(
        size: usize,
        factory: impl Fn(usize) -> A + Send + Sync + 'static,
    ) -> PoolBuilder<A> {
        PoolBuilder {
            size,
            factory: Arc::new(factory),
            routing: Routing::default(),
            mailbox: MailboxKind::default(),
            name: Arc::from("pool"),
            intensity: Intensity::default(),
            backoff: None,
            shutdown: Shutdown::default(),
        }
    }

    /// A builder for a pool of `threads` blocking workers: each is a
    /// supervised actor that owns one dedicated OS thread and runs one job
    /// at a time on it, so jobs never block the tokio runtime. Send jobs
    /// with [`PoolRef::run`]. Named `"blocking"` by default; otherwise as
    /// [`Pool::builder`].
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::prelude::*;
    /// use actor_core::pool::Pool;
    ///
    /// fn fib(n: u64) -> u64 {
    ///     if n < 2 { n } else { fib(n - 1) + fib(n - 2) }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let cpu = Pool::blocking(2).name("cpu").spawn(&system).await?;
    /// assert_eq!(cpu.run(|| fib(20)).await?, 6765);
    /// # Ok(())
    /// # }
    /// ```
    pub fn blocking(threads: usize) -> PoolBuilder<BlockingWorker> {
        Pool::builder(threads, |_| BlockingWorker::new()).name("blocking")
    }
}

/// Configures a pool; [`spawn`](PoolBuilder::spawn) checks the settings and
/// starts it. Made by [`Pool::builder`] or [`Pool::blocking`].
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use actor_core::prelude::*;
/// use actor_core::pool::{Pool, Routing};
/// use actor_core::supervision::{Backoff, Intensity, Shutdown};
/// # struct W;
/// # impl Actor for W {
/// #     type Msg = ();
/// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// # }
///
/// let builder = Pool::builder(4, |_| W)
///     .name("workers")
///     .routing(Routing::RoundRobin)
///     .mailbox(MailboxKind::Bounded(32))
///     .intensity(Intensity::new(10, Duration::from_secs(60)))
///     .backoff(Backoff::new(Duration::from_millis(10), Duration::from_secs(1)))
///     .shutdown(Shutdown::Timeout(Duration::from_secs(1)));
/// # let _ = builder;
/// ```
pub struct PoolBuilder<A: Actor> {
    size: usize,
    factory: Arc<dyn Fn(usize) -> A + Send + Sync>,
    routing: Routing,
    mailbox: MailboxKind,
    name: Arc<str>,
    intensity: Intensity,
    backoff: Option<Backoff>,
    shutdown: Shutdown,
}

impl<A: Actor> PoolBuilder<A> {
    /// How [`tell`](PoolRef::tell) and [`ask`](PoolRef::ask) pick a worker.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// use actor_core::pool::{Pool, Routing};
    /// let builder = Pool::builder(4, |_| W).routing(Routing::LeastLoaded);
    /// # let _ = builder;
    /// ```
    #[must_use]
    pub fn routing(mut self, routing: Routing) -> Self {
        self.routing = routing;
        self
    }

    /// Each worker's mailbox (it survives the worker's restarts). Bounded
    /// mailboxes make senders wait when the chosen worker is full: that is
    /// the pool's backpressure.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// let builder = actor_core::pool::Pool::builder(4, |_| W).mailbox(MailboxKind::Bounded(8));
    /// # let _ = builder;
    /// ```
    #[must_use]
    pub fn mailbox(mut self, mailbox: MailboxKind) -> Self {
        self.mailbox = mailbox;
        self
    }

    /// Names the pool's supervisor; workers are named `{name}-0`,
    /// `{name}-1`, ….
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// let builder = actor_core::pool::Pool::builder(4, |_| W).name("parsers");
    /// # let _ = builder;
    /// ```
    #[must_use]
    pub fn name(mut self, name: impl Into<Arc<str>>) -> Self {
        self.name = name.into();
        self
    }

    /// How many worker restarts the pool allows within a period before it
    /// gives up: it then stops every worker and exits with
    /// [`ExitReason::Shutdown`](crate::ExitReason::Shutdown) (see
    /// [`Intensity`]). Default: OTP's 1 in 5 s.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// use std::time::Duration;
    /// use actor_core::supervision::Intensity;
    /// let builder = actor_core::pool::Pool::builder(4, |_| W)
    ///     .intensity(Intensity::new(20, Duration::from_secs(10)));
    /// # let _ = builder;
    /// ```
    #[must_use]
    pub fn intensity(mut self, intensity: Intensity) -> Self {
        self.intensity = intensity;
        self
    }

    /// Waits between a worker's restarts, growing exponentially (see
    /// [`Backoff`]); its messages keep queueing meanwhile.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// use std::time::Duration;
    /// use actor_core::supervision::Backoff;
    /// let builder = actor_core::pool::Pool::builder(4, |_| W)
    ///     .backoff(Backoff::new(Duration::from_millis(50), Duration::from_secs(5)));
    /// # let _ = builder;
    /// ```
    #[must_use]
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = Some(backoff);
        self
    }

    /// How each worker is stopped when the pool stops (see [`Shutdown`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct W;
    /// # impl Actor for W {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// use actor_core::supervision::Shutdown;
    /// let builder = actor_core::pool::Pool::builder(4, |_| W).shutdown(Shutdown::BrutalKill);
    /// # let _ = builder;
    /// ```
    #[must_use]
    pub fn shutdown(mut self, shutdown: Shutdown) -> Self {
        self.shutdown = shutdown;
        self
    }

    /// Spawns the pool as a top-level actor of `system`: a supervisor with
    /// one permanent child per worker, started in order. Returns once every
    /// worker has started.
    ///
    /// # Errors
    ///
    /// [`PoolError::ZeroSize`], [`PoolError::Invalid`] for a setting that
    /// cannot work, [`PoolError::Spawn`] if the supervisor cannot be spawned
    /// or a worker's `started` fails (the workers before it are stopped
    /// again), [`PoolError::Unreachable`] if the pool stopped meanwhile.
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
    /// let system = System::new();
    /// let pool = Pool::builder(2, |_| W).spawn(&system).await?;
    /// assert_eq!(system.top_level_count(), 1); // the pool's supervisor
    /// # let _ = pool;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn spawn(self, system: &System) -> Result<PoolRef<A>, PoolError> {
        let (supervisor, options) = self.supervisor()?;
        let supervisor = system
            .spawn_with(supervisor, options)
            .await
            .map_err(PoolError::Spawn)?;
        self.finish(supervisor).await
    }

    /// Spawns the pool as a child of the actor owning `ctx`: it stops when
    /// that actor stops. Otherwise as [`spawn`](PoolBuilder::spawn).
    ///
    /// # Errors
    ///
    /// As [`spawn`](PoolBuilder::spawn).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// use actor_core::pool::{Pool, PoolRef};
    /// # struct Parser;
    /// # impl Actor for Parser {
    /// #     type Msg = String;
    /// #     async fn handle(&mut self, _: String, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// struct Stage {
    ///     parsers: Option<PoolRef<Parser>>,
    /// }
    /// impl Actor for Stage {
    ///     type Msg = String;
    ///     async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         self.parsers = Some(Pool::builder(4, |_| Parser).spawn_child(ctx).await?);
    ///         Ok(())
    ///     }
    ///     async fn handle(&mut self, line: String, _: &mut Context<Self>) -> Result<(), BoxError> {
    ///         if let Some(parsers) = &self.parsers {
    ///             parsers.tell(line).await?;
    ///         }
    ///         Ok(())
    ///     }
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let stage = system.spawn(Stage { parsers: None }).await?;
    /// stage.tell("a line".to_string()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn spawn_child<P: Actor>(self, ctx: &mut Context<P>) -> Result<PoolRef<A>, PoolError> {
        let (supervisor, options) = self.supervisor()?;
        let supervisor = ctx
            .spawn_with(supervisor, options)
            .await
            .map_err(PoolError::Spawn)?;
        self.finish(supervisor).await
    }

    fn worker_name(&self, index: usize) -> String {
        format!("{}-{index}", self.name)
    }

    /// Checks the settings and builds the supervisor with its children.
    fn supervisor(&self) -> Result<(Supervisor, SpawnOptions), PoolError> {
        if self.size == 0 {
            return Err(PoolError::ZeroSize);
        }
        let mut builder = Supervisor::builder().intensity(self.intensity);
        for index in 0..self.size {
            let factory = Arc::clone(&self.factory);
            let mut spec = ChildSpec::new(self.worker_name(index), move || factory(index))
                .mailbox(self.mailbox)
                .shutdown(self.shutdown);
            if let Some(backoff) = self.backoff {
                spec = spec.backoff(backoff);
            }
            builder = builder.child(spec);
        }
        let supervisor = builder.build().map_err(PoolError::Invalid)?;
        Ok((supervisor, SpawnOptions::new().name(Arc::clone(&self.name))))
    }

    /// Collects the workers' handles from the running supervisor.
    async fn finish(self, supervisor: ActorRef<Supervisor>) -> Result<PoolRef<A>, PoolError> {
        let mut workers = Vec::with_capacity(self.size);
        for index in 0..self.size {
            match supervisor.child::<A>(&self.worker_name(index)).await {
                Ok(worker) => workers.push(worker),
                Err(error) => {
                    supervisor.stop();
                    return Err(PoolError::Unreachable(error));
                }
            }
        }
        Ok(PoolRef::new(supervisor, workers, self.routing))
    }
}

impl<A: Actor> fmt::Debug for PoolBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PoolBuilder")
            .field("size", &self.size)
            .field("type", &std::any::type_name::<A>())
            .field("routing", &self.routing)
            .field("mailbox", &self.mailbox)
            .field("name", &self.name)
            .field("intensity", &self.intensity)
            .field("backoff", &self.backoff)
            .field("shutdown", &self.shutdown)
            .finish_non_exhaustive()
    }
}
