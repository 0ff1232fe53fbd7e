//! Every error this crate returns, in one place.
//!
//! Errors are small, one per operation, and give your message back whenever a
//! message could not be delivered: [`SendError`] and [`TrySendError`] carry it
//! and [`AskError::Closed`] does too, so nothing you send is silently lost.
//! Display texts are lowercase without a trailing period, like std's and
//! tokio's.

use std::fmt;
use std::time::Duration;

use crate::id::ActorId;

/// A boxed error, the error type of hooks and handlers.
///
/// Any `std::error::Error + Send + Sync`, and any `&str` or `String`, converts
/// into it with `?` or `.into()`.
///
/// # Examples
///
/// ```
/// use actor_core::BoxError;
///
/// fn parse(s: &str) -> Result<u32, BoxError> {
///     if s.is_empty() {
///         return Err("empty input".into());
///     }
///     Ok(s.parse::<u32>()?)
/// }
/// assert!(parse("").is_err());
/// assert_eq!(parse("7").unwrap(), 7);
/// ```
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The longest ask timeout accepted: one day. Longer ones are almost surely a
/// unit mistake, and an ask must never wait (nearly) forever.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// Checks that `timeout` is greater than zero and at most [`MAX_TIMEOUT`].
pub(crate) fn valid_timeout(timeout: Duration) -> bool {
    !timeout.is_zero() && timeout <= MAX_TIMEOUT
}

/// Error returned by [`ActorRef::tell`](crate::ActorRef::tell): the message was
/// not delivered and is given back.
///
/// # Examples
///
/// ```
/// # use actor_core::prelude::*;
/// # struct Echo;
/// # impl Actor for Echo {
/// #     type Msg = u32;
/// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let echo = system.spawn(Echo).await?;
/// echo.stop();
/// echo.wait_for_stop().await;
/// match echo.tell(7).await {
///     Err(SendError::Closed(msg)) => assert_eq!(msg, 7),
///     other => panic!("unexpected {other:?}"),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(thiserror::Error, PartialEq, Eq)]
pub enum SendError<M> {
    /// The actor has stopped or is stopping and accepts no more messages.
    #[error("actor is not accepting messages")]
    Closed(M),
    /// The actor told itself a message while its own bounded mailbox was full:
    /// waiting for room would deadlock, since only the actor itself makes room.
    #[error("actor would wait on its own full mailbox")]
    WouldDeadlock(M),
}

impl<M> SendError<M> {
    /// Gives the undelivered message back.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = actor_core::SendError::Closed("hello");
    /// assert_eq!(err.into_inner(), "hello");
    /// ```
    pub fn into_inner(self) -> M {
        match self {
            SendError::Closed(msg) | SendError::WouldDeadlock(msg) => msg,
        }
    }
}

impl<M> fmt::Debug for SendError<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Closed(_) => f.write_str("Closed(..)"),
            SendError::WouldDeadlock(_) => f.write_str("WouldDeadlock(..)"),
        }
    }
}

/// Error returned by [`ActorRef::try_tell`](crate::ActorRef::try_tell), which
/// never waits: the message is given back.
///
/// # Examples
///
/// ```
/// use actor_core::TrySendError;
///
/// let err = TrySendError::Full(5);
/// assert!(err.is_full());
/// assert_eq!(err.to_string(), "mailbox is full");
/// assert_eq!(err.into_inner(), 5);
/// ```
#[derive(thiserror::Error, PartialEq, Eq)]
pub enum TrySendError<M> {
    /// The bounded mailbox is full right now.
    #[error("mailbox is full")]
    Full(M),
    /// The actor has stopped or is stopping and accepts no more messages.
    #[error("actor is not accepting messages")]
    Closed(M),
}

impl<M> TrySendError<M> {
    /// Gives the undelivered message back.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(actor_core::TrySendError::Closed(1).into_inner(), 1);
    /// ```
    pub fn into_inner(self) -> M {
        match self {
            TrySendError::Full(msg) | TrySendError::Closed(msg) => msg,
        }
    }

    /// Whether the mailbox was full (as opposed to closed).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!actor_core::TrySendError::Closed(1).is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        matches!(self, TrySendError::Full(_))
    }
}

impl<M> fmt::Debug for TrySendError<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySendError::Full(_) => f.write_str("Full(..)"),
            TrySendError::Closed(_) => f.write_str("Closed(..)"),
        }
    }
}

/// Error returned by [`ActorRef::ask`](crate::ActorRef::ask): no reply came.
///
/// An ask always ends, with a reply or one of these, by its deadline at the
/// latest; an actor that stops, panics or drops the request ends it at once.
///
/// # Examples
///
/// ```
/// # use actor_core::prelude::*;
/// # struct Silent;
/// # impl Actor for Silent {
/// #     type Msg = ReplyPort<u32>;
/// #     // Drops every request without answering.
/// #     async fn handle(&mut self, _: ReplyPort<u32>, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let silent = system.spawn(Silent).await?;
/// let err = silent.ask(|reply| reply).await.unwrap_err();
/// assert!(matches!(err, AskError::NoReply));
/// assert_eq!(err.to_string(), "actor dropped the request without replying");
/// # Ok(())
/// # }
/// ```
#[derive(thiserror::Error, PartialEq, Eq)]
pub enum AskError<M> {
    /// The actor has stopped or is stopping; the request is given back.
    #[error("actor is not accepting messages")]
    Closed(M),
    /// No reply arrived within the ask's timeout.
    #[error("no reply within {0:?}")]
    Timeout(Duration),
    /// The actor dropped the request without replying: it stopped, was
    /// killed, panicked, or discarded the reply port.
    #[error("actor dropped the request without replying")]
    NoReply,
    /// An actor asked itself, which can never be answered.
    #[error("actor asked itself, which would deadlock")]
    SelfAsk,
    /// The asked actor is itself waiting, directly or through other actors'
    /// asks, for a reply from the asker: the ask would close a cycle in which
    /// every actor waits for the next one. Nothing was sent. See
    /// [`WaitCycle`] for which asks count.
    #[error("ask would deadlock: {0}")]
    Deadlock(WaitCycle),
    /// The timeout was zero or longer than [`MAX_TIMEOUT`]; nothing was sent.
    #[error("invalid ask timeout {0:?}: must be greater than zero and at most one day")]
    InvalidTimeout(Duration),
    /// The ask was made outside a tokio runtime, which its timer needs;
    /// nothing was sent.
    #[error("ask needs a tokio runtime with its time driver enabled")]
    NoRuntime,
}

impl<M> AskError<M> {
    /// The undelivered request, if the error carries it.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::AskError;
    ///
    /// assert_eq!(AskError::Closed("req").into_message(), Some("req"));
    /// assert_eq!(AskError::<&str>::NoReply.into_message(), None);
    /// ```
    pub fn into_message(self) -> Option<M> {
        match self {
            AskError::Closed(msg) => Some(msg),
            _ => None,
        }
    }

    /// The same error without the request, for code that does not care about
    /// the message type (handy with `?` into `Box<dyn Error>`).
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::AskError;
    ///
    /// let err: AskError<()> = AskError::Closed(vec![1, 2]).discard_message();
    /// assert!(matches!(err, AskError::Closed(())));
    /// ```
    pub fn discard_message(self) -> AskError<()> {
        match self {
            AskError::Closed(_) => AskError::Closed(()),
            AskError::Timeout(d) => AskError::Timeout(d),
            AskError::NoReply => AskError::NoReply,
            AskError::SelfAsk => AskError::SelfAsk,
            AskError::Deadlock(cycle) => AskError::Deadlock(cycle),
            AskError::InvalidTimeout(d) => AskError::InvalidTimeout(d),
            AskError::NoRuntime => AskError::NoRuntime,
        }
    }
}

impl<M> fmt::Debug for AskError<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AskError::Closed(_) => f.write_str("Closed(..)"),
            AskError::Timeout(d) => f.debug_tuple("Timeout").field(d).finish(),
            AskError::NoReply => f.write_str("NoReply"),
            AskError::SelfAsk => f.write_str("SelfAsk"),
            AskError::Deadlock(cycle) => f.debug_tuple("Deadlock").field(cycle).finish(),
            AskError::InvalidTimeout(d) => f.debug_tuple("InvalidTimeout").field(d).finish(),
            AskError::NoRuntime => f.write_str("NoRuntime"),
        }
    }
}

/// The ask cycle an [`AskError::Deadlock`] reports: the asker, the actor it
/// asked, the actors each of those was waiting for, and the asker again.
///
/// An actor waits for another while it asks it from inside a handler (or
/// from `started` or `stopped`): until the reply comes it takes no message.
/// Asks from outside actors, and asks made by loop actors that call
/// [`Context::recv`](crate::Context::recv) themselves (they may take
/// messages while an ask is pending), never form part of a cycle.
///
/// # Examples
///
/// Two handler actors that ask each other: the second ask fails at once
/// instead of both waiting five seconds.
///
/// ```
/// use actor_core::prelude::*;
///
/// struct Ping;
/// impl Actor for Ping {
///     type Msg = (ActorRef<Pong>, ReplyPort<String>);
///     async fn handle(&mut self, (pong, reply): Self::Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
///         let me = ctx.myself();
///         // Pong asks us back while we wait for it.
///         let answer = pong.ask(|r| (me, r)).await?;
///         let _ = reply.send(answer);
///         Ok(())
///     }
/// }
///
/// struct Pong;
/// impl Actor for Pong {
///     type Msg = (ActorRef<Ping>, ReplyPort<String>);
///     async fn handle(&mut self, (ping, reply): Self::Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
///         let me = ctx.myself();
///         let err = ping.ask(|r| (me, r)).await.unwrap_err();
///         assert!(matches!(err, AskError::Deadlock(_)));
///         let _ = reply.send(err.to_string());
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let ping = system.spawn(Ping).await?;
/// let pong = system.spawn(Pong).await?;
/// let answer = ping.ask(|r| (pong.clone(), r)).await?;
/// let cycle = format!("{} -> {} -> {}", pong.id(), ping.id(), pong.id());
/// assert_eq!(answer, format!("ask would deadlock: {cycle}"));
/// # system.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitCycle(pub(crate) Vec<ActorId>);

impl WaitCycle {
    /// The actors of the cycle in waiting order, the asker first and last.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::WaitCycle;
    /// fn length(cycle: &WaitCycle) -> usize {
    ///     cycle.actors().len() - 1 // the asker is listed twice
    /// }
    /// ```
    pub fn actors(&self) -> &[ActorId] {
        &self.0
    }
}

impl fmt::Display for WaitCycle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, id) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" -> ")?;
            }
            write!(f, "{id}")?;
        }
        Ok(())
    }
}

/// Error returned when an actor cannot be spawned.
///
/// Option mistakes are caught before anything runs; a failing or panicking
/// [`Actor::started`](crate::Actor::started) is reported here too, and the
/// actor then never runs.
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
/// # async fn main() {
/// let system = System::new();
/// let err = system
///     .spawn_with(Idle, SpawnOptions::new().mailbox(MailboxKind::Bounded(0)))
///     .await
///     .unwrap_err();
/// assert!(matches!(err, SpawnError::ZeroCapacity));
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpawnError {
    /// A bounded mailbox needs room for at least one message.
    #[error("mailbox capacity must be at least 1")]
    ZeroCapacity,
    /// The stop timeout was zero or longer than [`MAX_TIMEOUT`].
    #[error("invalid stop timeout {0:?}: must be greater than zero and at most one day")]
    InvalidStopTimeout(Duration),
    /// A task actor was spawned outside a tokio runtime.
    #[error("no tokio runtime is running: spawn task actors from inside one")]
    NoRuntime,
    /// The system was shut down.
    #[error("the actor system is shut down")]
    SystemShutDown,
    /// The parent actor has begun its exit (its queue is handled and its
    /// children are being stopped) and takes no new children.
    #[error("parent actor {0} is stopping and takes no new children")]
    ParentStopped(ActorId),
    /// [`Actor::started`](crate::Actor::started) returned an error.
    #[error("actor {id} failed to start: {source}")]
    StartFailed {
        /// The actor that failed.
        id: ActorId,
        /// What `started` returned (shared with the actor's exit reason).
        #[source]
        source: std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// [`Actor::started`](crate::Actor::started) panicked.
    #[error("actor {id} panicked while starting: {message}")]
    StartPanicked {
        /// The actor that panicked.
        id: ActorId,
        /// The panic message.
        message: String,
    },
    /// The actor was killed before `started` finished.
    #[error("actor {0} was killed while starting")]
    KilledWhileStarting(ActorId),
    /// The operating system refused to start a dedicated thread.
    #[error("failed to start a dedicated thread")]
    Thread(#[source] std::io::Error),
}

/// Error returned by a [`Supervisor`](crate::supervision::Supervisor) or by
/// the supervision helpers on its [`ActorRef`](crate::ActorRef).
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::supervision::{ChildSpec, Supervisor};
/// # #[derive(Default)] struct W;
/// # impl Actor for W { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
///
/// let err = Supervisor::builder()
///     .child(ChildSpec::new("w", W::default))
///     .child(ChildSpec::new("w", W::default))
///     .build()
///     .unwrap_err();
/// assert_eq!(err.to_string(), "a child named \"w\" already exists");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SupervisorError {
    /// No child has this name.
    #[error("no child named {0:?}")]
    NoSuchChild(String),
    /// The child exists but runs another actor type.
    #[error("child {name:?} is a {actual}, not a {expected}")]
    WrongType {
        /// The child's name.
        name: String,
        /// The type asked for.
        expected: &'static str,
        /// The child's actual type.
        actual: &'static str,
    },
    /// Two children would share a name.
    #[error("a child named {0:?} already exists")]
    DuplicateChild(String),
    /// A child spec holds a value that cannot work.
    #[error("invalid spec for child {child:?}: {problem}")]
    InvalidSpec {
        /// The child's name.
        child: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// The restart intensity's period is zero or longer than a day.
    #[error("invalid restart intensity: the period must be greater than zero and at most one day")]
    InvalidIntensity,
    /// A child failed to start; the children started before it were
    /// stopped again, in reverse order.
    #[error("child {child:?} failed to start: {source}")]
    ChildStartFailed {
        /// The child that failed.
        child: String,
        /// Why.
        #[source]
        source: SpawnError,
    },
    /// The supervisor did not answer (it stopped, or the ask timed out).
    #[error("supervisor is not reachable: {0}")]
    Unreachable(#[source] AskError<()>),
}

/// Error returned by the [`Registry`](crate::registry::Registry).
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::error::RegistryError;
/// # struct Idle;
/// # impl Actor for Idle {
/// #     type Msg = ();
/// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// # }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let idle = system.spawn(Idle).await?;
/// let err = system.registry().register("", &idle).unwrap_err();
/// assert!(matches!(err, RegistryError::InvalidName { .. }));
/// assert_eq!(err.to_string(), "invalid name \"\": a name must not be empty");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The name is not valid (see
    /// [`registry`](crate::registry)); nothing was registered.
    #[error("invalid name {name:?}: {problem}")]
    InvalidName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// Another actor holds the name.
    #[error("the name {name:?} is already registered to actor {holder}")]
    NameTaken {
        /// The name.
        name: String,
        /// The actor that holds it.
        holder: ActorId,
    },
    /// The actor registered under the name is not of the type asked for.
    #[error("{name:?} is registered to a {actual}, not a {expected}")]
    WrongType {
        /// The name.
        name: String,
        /// The actor type asked for.
        expected: &'static str,
        /// The registered actor's type.
        actual: &'static str,
    },
    /// No actor holds the name.
    #[error("no actor is registered as {0:?}")]
    NotRegistered(String),
    /// The actor has stopped or is stopping; nothing was registered.
    #[error("actor {0} is not accepting messages and cannot be registered")]
    Stopped(ActorId),
}

/// Error returned when a [worker pool](crate::pool) cannot be built or
/// started.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::error::PoolError;
/// use actor_core::pool::Pool;
/// # struct Worker;
/// # impl Actor for Worker {
/// #     type Msg = ();
/// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// # }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let system = System::new();
/// let err = Pool::builder(0, |_| Worker).spawn(&system).await.unwrap_err();
/// assert!(matches!(err, PoolError::ZeroSize));
/// assert_eq!(err.to_string(), "a pool needs at least one worker");
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PoolError {
    /// The pool was asked for zero workers.
    #[error("a pool needs at least one worker")]
    ZeroSize,
    /// A setting cannot work (a zero mailbox capacity, a zero timeout, an
    /// invalid backoff or intensity); nothing was started.
    #[error("invalid pool configuration: {0}")]
    Invalid(#[source] SupervisorError),
    /// The pool's supervisor could not be spawned, or one of its workers
    /// failed to start (the workers started before it were stopped again).
    #[error("pool failed to start: {0}")]
    Spawn(#[source] SpawnError),
    /// The pool's supervisor stopped before it handed out its workers.
    #[error("pool stopped while starting: {0}")]
    Unreachable(#[source] SupervisorError),
}

/// Error returned by [`PoolRef::run`](crate::pool::PoolRef::run) on a
/// [blocking pool](crate::pool::Pool::blocking): the job gave no result.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::error::JobError;
/// use actor_core::pool::Pool;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let pool = Pool::blocking(1).spawn(&system).await?;
/// let err = pool.run(|| -> u32 { panic!("bad input") }).await.unwrap_err();
/// assert_eq!(err, JobError::Panicked("bad input".to_string()));
/// assert_eq!(pool.run(|| 2 + 2).await?, 4); // the thread survives a panicking job
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JobError {
    /// The pool has stopped or is stopping and takes no more jobs.
    #[error("blocking pool is not accepting jobs")]
    Closed,
    /// The job panicked; the panic was contained to the job, and its thread
    /// lives on.
    #[error("job panicked: {0}")]
    Panicked(String),
    /// The job was dropped before it ran: its worker was killed with the job
    /// still queued.
    #[error("job was dropped before it ran")]
    Dropped,
}

/// Error returned when a named [group](crate::group) or
/// [topic](crate::pubsub) is looked up through
/// [`Groups`](crate::group::Groups).
///
/// # Examples
///
/// ```
/// use actor_core::System;
/// use actor_core::error::GroupError;
///
/// let system = System::new();
/// let _prices = system.groups().group::<u64>("prices")?;
/// let err = system.groups().group::<String>("prices").unwrap_err();
/// assert!(matches!(err, GroupError::WrongType { .. }));
/// assert_eq!(err.to_string(), "group \"prices\" carries u64 messages, not alloc::string::String");
/// # Ok::<(), GroupError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GroupError {
    /// The name is not valid (the [registry's rules](crate::registry)
    /// apply); no group was made.
    #[error("invalid name {name:?}: {problem}")]
    InvalidName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// A group of this name exists for another message type.
    #[error("group {name:?} carries {actual} messages, not {expected}")]
    WrongType {
        /// The group's name.
        name: String,
        /// The message type asked for.
        expected: &'static str,
        /// The group's message type.
        actual: &'static str,
    },
}

/// Error building a [`Source`](crate::Source).
///
/// # Examples
///
/// ```
/// use actor_core::SourceError;
/// assert_eq!(SourceError::ZeroPeriod.to_string(), "an interval needs a period greater than zero");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// [`Source::interval`](crate::Source::interval) was given a zero period.
    #[error("an interval needs a period greater than zero")]
    ZeroPeriod,
}
