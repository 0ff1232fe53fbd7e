//! Spawning: options, executors, and the one function that starts an actor
//! under a parent.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::context::Context;
use crate::error::{SpawnError, valid_timeout};
use crate::id::ActorId;
use crate::mailbox::MailboxKind;
use crate::mailbox::queue::Mailbox;
use crate::runtime::cell::{Cell, Children, Control, Core, Parent};
use crate::runtime::lifecycle;
use crate::supervision::Shutdown;
use crate::system::SystemInner;

/// How long a graceful stop may take by default before the actor is killed
/// (OTP's default shutdown for workers).
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::DEFAULT_STOP_TIMEOUT.as_secs(), 5);
/// ```
pub const DEFAULT_STOP_TIMEOUT: Duration = Duration::from_secs(5);

/// Where an actor's code runs.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
///
/// let cpu_bound = SpawnOptions::new().executor(Executor::DedicatedThread);
/// # let _ = cpu_bound;
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Executor {
    /// A task on the current tokio runtime (the default): cheap, for actors
    /// that await rather than block.
    #[default]
    Task,
    /// Its own OS thread, running a single-threaded tokio runtime: for actors
    /// that block or burn CPU, so they never stall the shared runtime. The
    /// rest of the API is the same; a kill takes effect at the handler's next
    /// `.await`.
    DedicatedThread,
}

/// Options for spawning an actor: name, mailbox, executor, stop timeout.
///
/// Checked at spawn; a bad value is a [`SpawnError`], never a panic.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use actor_core::prelude::*;
///
/// let options = SpawnOptions::new()
///     .name("billing")
///     .mailbox(MailboxKind::Bounded(64))
///     .stop_timeout(Duration::from_secs(2));
/// assert_eq!(options.get_name(), Some("billing"));
/// ```
#[derive(Clone, Debug)]
pub struct SpawnOptions {
    name: Option<Arc<str>>,
    mailbox: MailboxKind,
    executor: Executor,
    stop_timeout: Duration,
}

impl Default for SpawnOptions {
    fn default() -> Self {
        SpawnOptions::new()
    }
}

impl SpawnOptions {
    /// Defaults: no name, a bounded mailbox of
    /// [`DEFAULT_CAPACITY`](crate::DEFAULT_CAPACITY), a tokio task,
    /// [`DEFAULT_STOP_TIMEOUT`].
    ///
    /// # Examples
    ///
    /// ```
    /// let options = actor_core::SpawnOptions::new();
    /// assert_eq!(options.get_name(), None);
    /// ```
    pub fn new() -> SpawnOptions {
        SpawnOptions {
            name: None,
            mailbox: MailboxKind::default(),
            executor: Executor::Task,
            stop_timeout: DEFAULT_STOP_TIMEOUT,
        }
    }

    /// Names the actor (shown in logs and traces; names need not be unique).
    ///
    /// # Examples
    ///
    /// ```
    /// let options = actor_core::SpawnOptions::new().name("cache");
    /// assert_eq!(options.get_name(), Some("cache"));
    /// ```
    #[must_use]
    pub fn name(mut self, name: impl Into<Arc<str>>) -> SpawnOptions {
        self.name = Some(name.into());
        self
    }

    /// Chooses the mailbox kind and capacity.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::{MailboxKind, SpawnOptions};
    /// let options = SpawnOptions::new().mailbox(MailboxKind::Unbounded);
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn mailbox(mut self, kind: MailboxKind) -> SpawnOptions {
        self.mailbox = kind;
        self
    }

    /// Chooses where the actor runs.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::{Executor, SpawnOptions};
    /// let options = SpawnOptions::new().executor(Executor::DedicatedThread);
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn executor(mut self, executor: Executor) -> SpawnOptions {
        self.executor = executor;
        self
    }

    /// How long a graceful stop by the parent or the system may take before
    /// the actor is killed. Must be greater than zero and at most
    /// [`MAX_TIMEOUT`](crate::MAX_TIMEOUT).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let options = actor_core::SpawnOptions::new().stop_timeout(Duration::from_millis(500));
    /// # let _ = options;
    /// ```
    #[must_use]
    pub fn stop_timeout(mut self, timeout: Duration) -> SpawnOptions {
        self.stop_timeout = timeout;
        self
    }

    /// The name set with [`name`](SpawnOptions::name), if any.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(actor_core::SpawnOptions::new().name("x").get_name(), Some("x"));
    /// ```
    pub fn get_name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    fn validate(&self) -> Result<Option<usize>, SpawnError> {
        if !valid_timeout(self.stop_timeout) {
            return Err(SpawnError::InvalidStopTimeout(self.stop_timeout));
        }
        match self.mailbox {
            MailboxKind::Bounded(0) => Err(SpawnError::ZeroCapacity),
            MailboxKind::Bounded(capacity) => Ok(Some(capacity)),
            MailboxKind::Unbounded => Ok(None),
        }
    }
}

/// Creates an actor's cell under `parent` (whose children set is
/// `siblings`): its handle and its context, nothing running yet.
pub(crate) fn create<A: Actor>(
    system: &Arc<SystemInner>,
    parent: Parent,
    siblings: &Children,
    name: Option<Arc<str>>,
    capacity: Option<usize>,
    shutdown: Shutdown,
) -> Result<(ActorRef<A>, Context<A>), SpawnError> {
    if system.is_shut_down() {
        return Err(SpawnError::SystemShutDown);
    }
    let parent_id = match &parent {
        Parent::Root => None,
        Parent::Actor(weak) => weak.upgrade().map(|p| p.core().id),
    };
    let cell = Arc::new(Cell {
        core: Core::new(
            ActorId::next_local(),
            name,
            std::any::type_name::<A>(),
            shutdown,
            parent,
            Arc::clone(system),
        ),
        mailbox: Mailbox::new(capacity),
    });
    let control: Arc<dyn Control> = Arc::clone(&cell) as Arc<dyn Control>;
    if !siblings.insert(control) {
        return Err(match parent_id {
            Some(parent) => SpawnError::ParentStopped(parent),
            None => SpawnError::SystemShutDown,
        });
    }
    tracing::debug!(
        target: "actor_core::lifecycle",
        {
            actor.id = %cell.core.id,
            actor.name = cell.core.display_name(),
            actor.r#type = cell.core.type_name,
            actor.parent = parent_id.map(tracing::field::display),
        },
        "actor spawned"
    );
    Ok((ActorRef::from_cell(Arc::clone(&cell)), Context::new(cell)))
}

/// Spawns `actor` as a child of `parent` (whose children set is `siblings`).
pub(crate) async fn spawn_actor<A: Actor>(
    system: &Arc<SystemInner>,
    parent: Parent,
    siblings: &Children,
    mut actor: A,
    options: SpawnOptions,
) -> Result<ActorRef<A>, SpawnError> {
    let capacity = options.validate()?;
    let runtime = match options.executor {
        Executor::Task => Some(tokio::runtime::Handle::try_current().map_err(|_| SpawnError::NoRuntime)?),
        Executor::DedicatedThread => None,
    };
    let (actor_ref, mut ctx) = create::<A>(
        system,
        parent,
        siblings,
        options.name.clone(),
        capacity,
        Shutdown::Timeout(options.stop_timeout),
    )?;
    let id = actor_ref.id();
    // If this future, the thread or the task is dropped before the actor's
    // exit is published, dropping `ctx` publishes `Killed` (see `Context`).
    match runtime {
        Some(runtime) => {
            if let Err((error, reason)) = lifecycle::start(&mut actor, &mut ctx).await {
                lifecycle::abort_start(&mut ctx, reason).await;
                return Err(error);
            }
            drop(runtime.spawn(lifecycle::run(actor, ctx)));
            Ok(actor_ref)
        }
        None => {
            let (started_tx, started_rx) = oneshot::channel();
            let thread_name = match &options.name {
                Some(name) => thread_name(&format!("actor-{name}")),
                None => format!("actor-{id}"),
            };
            let body = move || run_on_thread(actor, ctx, started_tx);
            std::thread::Builder::new()
                .name(thread_name)
                .spawn(body)
                .map_err(SpawnError::Thread)?;
            match started_rx.await {
                Ok(Ok(())) => Ok(actor_ref),
                Ok(Err(error)) => Err(error),
                Err(_) => Err(SpawnError::KilledWhileStarting(id)),
            }
        }
    }
}

/// `name` as an OS thread name: std refuses (panics on) a NUL byte, so
/// each becomes U+FFFD; an actor's name itself may hold anything.
pub(crate) fn thread_name(name: &str) -> String {
    name.replace('\0', "\u{FFFD}")
}

/// The body of a dedicated thread: a single-threaded runtime running the
/// actor's whole life.
fn run_on_thread<A: Actor>(
    mut actor: A,
    mut ctx: Context<A>,
    started: oneshot::Sender<Result<(), SpawnError>>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            drop(ctx);
            let _ = started.send(Err(SpawnError::Thread(error)));
            return;
        }
    };
    runtime.block_on(async move {
        match lifecycle::start(&mut actor, &mut ctx).await {
            Ok(()) => {
                let _ = started.send(Ok(()));
                lifecycle::run(actor, ctx).await;
            }
            Err((error, reason)) => {
                lifecycle::abort_start(&mut ctx, reason).await;
                let _ = started.send(Err(error));
            }
        }
    });
}
