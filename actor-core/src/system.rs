//! The actor system: the top of the actor tree and its shutdown.
//!
//! A [`System`] owns the actors spawned on it directly (top-level actors); each
//! actor owns the children it spawns through its
//! [`Context`](crate::Context). [`System::shutdown`] stops the whole tree:
//!
//! - top-level actors in reverse start order, one at a time (OTP's order);
//! - each actor stops its own children, last-started first, before its
//!   `stopped` hook runs, so children always end before their parents;
//! - every actor gets its stop timeout (default
//!   [`DEFAULT_STOP_TIMEOUT`](crate::DEFAULT_STOP_TIMEOUT)) to finish its queue,
//!   then is killed; one that still does not end within a further second (it
//!   spins without yielding) is reported as stuck, so shutdown always returns.
//!
//! A system also watches its actors for [stuck
//! handlers](crate::introspect#stuck-handlers): one message handled for longer
//! than [`DEFAULT_STUCK_AFTER`](crate::introspect::DEFAULT_STUCK_AFTER) (or
//! the threshold set with [`System::stuck_after`]) is reported once.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::OnceCell;

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::error::SpawnError;
use crate::group::Groups;
use crate::id::ActorId;
use crate::introspect::stuck::{Watchdog, ensure_running};
use crate::introspect::{DEFAULT_STUCK_AFTER, Snapshot};
use crate::registry::Registry;
use crate::runtime::cell::{Children, Parent};
use crate::runtime::tree::stop_children;
use crate::spawn::{SpawnOptions, spawn_actor};

/// What a [`System::shutdown`] did.
///
/// # Examples
///
/// ```
/// # use actor_core::prelude::*;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let system = System::new();
/// let report = system.shutdown().await;
/// assert!(report.is_clean());
/// assert!(report.killed.is_empty() && report.stuck.is_empty());
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShutdownReport {
    /// Actors that did not stop within their stop timeout and were killed.
    pub killed: Vec<ActorId>,
    /// Actors that did not end even after a kill (they never yield); they were
    /// left running.
    pub stuck: Vec<ActorId>,
}

impl ShutdownReport {
    /// Whether every actor stopped gracefully in time.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(actor_core::ShutdownReport::default().is_clean());
    /// ```
    pub fn is_clean(&self) -> bool {
        self.killed.is_empty() && self.stuck.is_empty()
    }
}

pub(crate) struct SystemInner {
    pub(crate) root: Children,
    shut_down: AtomicBool,
    dead_letters: AtomicU64,
    log: Mutex<ShutdownReport>,
    shutdown: OnceCell<ShutdownReport>,
    registry: Registry,
    groups: Groups,
    /// Stuck-handler detection (and, with the `metrics` feature, sampling).
    pub(crate) watchdog: Watchdog,
}

impl SystemInner {
    pub(crate) fn is_shut_down(&self) -> bool {
        self.shut_down.load(Ordering::Acquire)
    }

    pub(crate) fn add_dead_letters(&self, count: u64) {
        self.dead_letters.fetch_add(count, Ordering::Relaxed);
    }

    pub(crate) fn record_killed(&self, id: ActorId) {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .killed
            .push(id);
    }

    pub(crate) fn record_stuck(&self, id: ActorId) {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .stuck
            .push(id);
    }
}

/// Runs a shutdown's `work` on a one-thread runtime with timers, on a new
/// OS thread, and waits for its report from any executor. `None` if the
/// thread or its runtime could not be started.
async fn shutdown_off_runtime(
    work: impl Future<Output = ShutdownReport> + Send + 'static,
) -> Option<ShutdownReport> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let thread = std::thread::Builder::new()
        .name("actor-core-shutdown".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build();
            if let Ok(runtime) = runtime {
                let _ = tx.send(runtime.block_on(work));
            }
        });
    match thread {
        Ok(_) => rx.await.ok(),
        Err(_) => None,
    }
}

/// Stops the whole tree (see the module docs) and returns what it had to do.
async fn run_shutdown(inner: Arc<SystemInner>) -> ShutdownReport {
    tracing::info!(target: "actor_core::lifecycle", "system shutting down");
    stop_children(&inner.root, &inner, &|| false).await;
    let report = inner.log.lock().unwrap_or_else(PoisonError::into_inner).clone();
    tracing::info!(
        target: "actor_core::lifecycle",
        killed = report.killed.len(),
        stuck = report.stuck.len(),
        "system shut down"
    );
    report
}

/// A handle to an actor system: spawns top-level actors and shuts the tree
/// down. Cheap to clone; all clones are the same system.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
///
/// struct Greeter;
/// impl Actor for Greeter {
///     type Msg = (String, ReplyPort<String>);
///     async fn handle(&mut self, (name, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
///         let _ = reply.send(format!("hello, {name}"));
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let greeter = system.spawn(Greeter).await?;
/// let text = greeter.ask(|reply| ("Ada".to_string(), reply)).await?;
/// assert_eq!(text, "hello, Ada");
/// let report = system.shutdown().await;
/// assert!(report.is_clean());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct System {
    inner: Arc<SystemInner>,
}

#[cfg(test)]
impl System {
    /// The shared state, for the crate's unit tests.
    pub(crate) fn inner(&self) -> &Arc<SystemInner> {
        &self.inner
    }
}

impl std::fmt::Debug for System {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("System")
            .field("top_level_actors", &self.inner.root.len())
            .field("shut_down", &self.inner.is_shut_down())
            .finish()
    }
}

impl Default for System {
    fn default() -> Self {
        System::new()
    }
}

impl System {
    /// A new, empty system. Needs no runtime until something is spawned.
    ///
    /// # Examples
    ///
    /// ```
    /// let system = actor_core::System::new();
    /// assert!(!system.is_shut_down());
    /// ```
    pub fn new() -> System {
        System {
            inner: Arc::new(SystemInner {
                root: Children::new(),
                shut_down: AtomicBool::new(false),
                dead_letters: AtomicU64::new(0),
                log: Mutex::new(ShutdownReport::default()),
                shutdown: OnceCell::new(),
                registry: Registry::new(),
                groups: Groups::new(),
                watchdog: Watchdog::new(Some(DEFAULT_STUCK_AFTER)),
            }),
        }
    }

    pub(crate) fn from_inner(inner: Arc<SystemInner>) -> System {
        System { inner }
    }

    /// Spawns a top-level actor with default [`SpawnOptions`] and returns its
    /// handle once its `started` hook has succeeded.
    ///
    /// # Errors
    ///
    /// See [`SpawnError`]: a failing `started`, no runtime, a shut-down system.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Idle;
    /// # impl Actor for Idle {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// assert!(idle.is_alive());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn spawn<A: Actor>(&self, actor: A) -> Result<ActorRef<A>, SpawnError> {
        self.spawn_with(actor, SpawnOptions::new()).await
    }

    /// Spawns a top-level actor with the given options.
    ///
    /// # Errors
    ///
    /// See [`SpawnError`]: bad options, a failing `started`, no runtime, a
    /// shut-down system, a thread the OS refused.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Idle;
    /// # impl Actor for Idle {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let idle = system
    ///     .spawn_with(Idle, SpawnOptions::new().name("idle").mailbox(MailboxKind::Unbounded))
    ///     .await?;
    /// assert_eq!(idle.name(), Some("idle"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn spawn_with<A: Actor>(
        &self,
        actor: A,
        options: SpawnOptions,
    ) -> Result<ActorRef<A>, SpawnError> {
        let spawned = spawn_actor(&self.inner, Parent::Root, &self.inner.root, actor, options).await;
        if spawned.is_ok() {
            ensure_running(&self.inner);
        }
        spawned
    }

    /// Stops every actor, children before parents and later-started before
    /// earlier-started, each within its stop timeout, after which it is
    /// killed. Always returns; calling it again (or concurrently) waits for
    /// the first call and returns the same report. Spawning on a shut-down
    /// system fails with [`SpawnError::SystemShutDown`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Idle;
    /// # impl Actor for Idle {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// system.shutdown().await;
    /// assert!(matches!(idle.wait_for_stop().await, ExitReason::Shutdown));
    /// assert!(system.shutdown().await.is_clean()); // harmless twice
    /// # Ok(())
    /// # }
    /// ```
    pub async fn shutdown(&self) -> ShutdownReport {
        let inner = &self.inner;
        inner
            .shutdown
            .get_or_init(|| async {
                inner.shut_down.store(true, Ordering::Release);
                inner.watchdog.wake();
                // The work runs in its own task, so it finishes even if the
                // caller is an actor of this system, killed along the way.
                let work = run_shutdown(Arc::clone(inner));
                let ran = match tokio::runtime::Handle::try_current() {
                    Ok(runtime) => runtime.spawn(work).await.ok(),
                    // Outside any runtime (a plain thread, another executor):
                    // the stop timeouts need tokio's timer, so the work runs
                    // on a runtime of its own, on a thread of its own.
                    Err(_) => shutdown_off_runtime(work).await,
                };
                ran.unwrap_or_else(|| inner.log.lock().unwrap_or_else(PoisonError::into_inner).clone())
            })
            .await
            .clone()
    }

    /// Reports handlers that run longer than `threshold` on one message
    /// (default [`DEFAULT_STUCK_AFTER`], 10 s): each such message once, at
    /// WARN on the `actor_core::stuck` target, and in
    /// [`snapshot`](System::snapshot)s while it runs (see
    /// [stuck handlers](crate::introspect#stuck-handlers)). A threshold under
    /// a millisecond counts as one millisecond. Set it before spawning; a
    /// change later applies from the watchdog's next check.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use actor_core::System;
    ///
    /// let system = System::new().stuck_after(Duration::from_secs(2));
    /// assert_eq!(system.stuck_threshold(), Some(Duration::from_secs(2)));
    /// ```
    #[must_use]
    pub fn stuck_after(self, threshold: Duration) -> System {
        self.inner
            .watchdog
            .set_threshold(Some(threshold.max(Duration::from_millis(1))));
        self.restart_watchdog();
        self
    }

    /// Turns stuck-handler detection off: no watchdog task runs for it, and
    /// snapshots show no stuck handlers.
    ///
    /// # Examples
    ///
    /// ```
    /// let system = actor_core::System::new().without_stuck_detection();
    /// assert_eq!(system.stuck_threshold(), None);
    /// ```
    #[must_use]
    pub fn without_stuck_detection(self) -> System {
        self.inner.watchdog.set_threshold(None);
        self
    }

    /// The stuck-handler threshold, or `None` when detection is off.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::introspect::DEFAULT_STUCK_AFTER;
    ///
    /// assert_eq!(actor_core::System::new().stuck_threshold(), Some(DEFAULT_STUCK_AFTER));
    /// ```
    pub fn stuck_threshold(&self) -> Option<Duration> {
        self.inner.watchdog.threshold()
    }

    /// Starts the watchdog if actors already run (detection turned on late).
    fn restart_watchdog(&self) {
        if self.inner.root.len() > 0 {
            ensure_running(&self.inner);
        }
    }

    /// Whether [`shutdown`](System::shutdown) has begun.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!actor_core::System::new().is_shut_down());
    /// ```
    pub fn is_shut_down(&self) -> bool {
        self.inner.is_shut_down()
    }

    /// How many messages were dropped unhandled so far (dead letters): queued
    /// when their actor was killed, failed, or returned from `run` early.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(actor_core::System::new().dead_letters(), 0);
    /// ```
    pub fn dead_letters(&self) -> u64 {
        self.inner.dead_letters.load(Ordering::Relaxed)
    }

    /// A snapshot of the live actor tree: ids, names, types, states,
    /// mailbox lengths, message counts, restarts, uptimes (see
    /// [`introspect`](crate::introspect)).
    ///
    /// # Examples
    ///
    /// ```
    /// let system = actor_core::System::new();
    /// assert_eq!(system.snapshot().to_string(), "(no actors)\n");
    /// ```
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(&self.inner)
    }

    /// How many top-level actors are alive.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(actor_core::System::new().top_level_count(), 0);
    /// ```
    pub fn top_level_count(&self) -> usize {
        self.inner.root.len()
    }

    /// This system's name registry (see [`registry`](crate::registry)).
    ///
    /// # Examples
    ///
    /// ```
    /// let system = actor_core::System::new();
    /// assert!(system.registry().is_empty());
    /// ```
    pub fn registry(&self) -> Registry {
        self.inner.registry.clone()
    }

    /// This system's named groups and topics (see [`group`](crate::group)
    /// and [`pubsub`](crate::pubsub)).
    ///
    /// # Examples
    ///
    /// ```
    /// let system = actor_core::System::new();
    /// assert!(system.groups().names().is_empty());
    /// ```
    pub fn groups(&self) -> Groups {
        self.inner.groups.clone()
    }
}
