//! [`ActorRef`]: the typed handle to an actor, and its weak form.
//!
//! A handle is one `Arc`: cloning it is a reference-count increment, and it is
//! `Send + Sync` whatever the actor. Strong handles keep the mailbox open:
//! when the last [`ActorRef`] (or [`Recipient`]) is dropped, the actor handles
//! what is queued and stops normally, since nobody can talk to it any more.
//! [`WeakActorRef`] does not keep it open.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Weak};
use std::time::Duration;

use crate::actor::Actor;
use crate::deliver::{AskFuture, Deliver, SendFuture};
use crate::error::TrySendError;
use crate::exit::ExitReason;
use crate::id::ActorId;
use crate::mailbox::queue::STOP_NORMAL;
use crate::recipient::Recipient;
use crate::reply::ReplyPort;
use crate::runtime::cell::Cell;

/// How long an ask waits for its reply by default (OTP's `call` default).
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::DEFAULT_ASK_TIMEOUT.as_secs(), 5);
/// ```
pub const DEFAULT_ASK_TIMEOUT: Duration = Duration::from_secs(5);

/// A handle to a running (or stopped) actor of type `A`.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
///
/// struct Adder;
/// impl Actor for Adder {
///     type Msg = (u32, u32, ReplyPort<u32>);
///     async fn handle(&mut self, (a, b, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
///         let _ = reply.send(a + b);
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let adder: ActorRef<Adder> = system.spawn(Adder).await?;
/// let also = adder.clone(); // same actor
/// assert_eq!(also.ask(|reply| (2, 3, reply)).await?, 5);
/// # Ok(())
/// # }
/// ```
pub struct ActorRef<A: Actor> {
    pub(crate) cell: Arc<Cell<A::Msg>>,
}

impl<A: Actor> ActorRef<A> {
    /// Wraps `cell`, counting one more sender.
    pub(crate) fn from_cell(cell: Arc<Cell<A::Msg>>) -> Self {
        cell.mailbox.add_sender();
        ActorRef { cell }
    }

    /// The actor's id.
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
    /// # let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// println!("spawned {}", idle.id());
    /// # Ok(())
    /// # }
    /// ```
    pub fn id(&self) -> ActorId {
        self.cell.core.id
    }

    /// The actor's name, if it was given one.
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
    /// # let system = System::new();
    /// let idle = system.spawn_with(Idle, SpawnOptions::new().name("idle")).await?;
    /// assert_eq!(idle.name(), Some("idle"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.cell.core.name.as_deref()
    }

    /// Sends a message without waiting for it to be handled. On a bounded
    /// mailbox that is full, waits for room (backpressure).
    ///
    /// # Errors
    ///
    /// Awaiting the returned future gives:
    ///
    /// [`SendError::Closed`](crate::SendError::Closed) if the actor stopped or is stopping;
    /// [`SendError::WouldDeadlock`](crate::SendError::WouldDeadlock) if an actor tells itself while its own
    /// bounded mailbox is full. Both give the message back.
    ///
    /// # Cancel safety
    ///
    /// If the returned future is dropped while waiting for room, the message
    /// is dropped with it and was not delivered; use
    /// [`try_tell`](ActorRef::try_tell) to keep it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = String;
    /// #     async fn handle(&mut self, _: String, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sink = system.spawn(Sink).await?;
    /// sink.tell("hello".to_string()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn tell(&self, msg: A::Msg) -> SendFuture<'_, A::Msg> {
        SendFuture::new(&*self.cell, msg)
    }

    /// Sends a message if there is room right now; never waits.
    ///
    /// # Errors
    ///
    /// [`TrySendError::Full`](crate::TrySendError::Full) or [`TrySendError::Closed`](crate::TrySendError::Closed), each with the
    /// message.
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
    /// let sink = system.spawn_with(Sink, SpawnOptions::new().mailbox(MailboxKind::Bounded(1))).await?;
    /// sink.try_tell(1)?; // fills the mailbox (the actor has not run yet)
    /// let err = sink.try_tell(2).unwrap_err();
    /// assert!(err.is_full());
    /// assert_eq!(err.into_inner(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_tell(&self, msg: A::Msg) -> Result<(), TrySendError<A::Msg>> {
        self.cell.mailbox.try_send(msg)
    }

    /// Sends a request built by `make` around a [`ReplyPort`] and waits for
    /// the reply, for at most [`DEFAULT_ASK_TIMEOUT`].
    ///
    /// A tuple variant taking the port is such a builder: `actor.ask(Msg::Get)`.
    ///
    /// # Errors
    ///
    /// Awaiting the returned future gives [`AskError`](crate::AskError): the actor is gone ([`Closed`](crate::AskError::Closed), with the
    /// request), dropped the request ([`NoReply`](crate::AskError::NoReply), at once
    /// when it stops, panics or is killed), did not answer in time
    /// ([`Timeout`](crate::AskError::Timeout)), is the asker itself
    /// ([`SelfAsk`](crate::AskError::SelfAsk)), or is waiting, directly or
    /// through others, for the asking actor
    /// ([`Deadlock`](crate::AskError::Deadlock), at once, nothing sent).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// enum Msg {
    ///     Ping(ReplyPort<&'static str>),
    /// }
    /// # struct Ponger;
    /// # impl Actor for Ponger {
    /// #     type Msg = Msg;
    /// #     async fn handle(&mut self, Msg::Ping(reply): Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
    /// #         let _ = reply.send("pong");
    /// #         Ok(())
    /// #     }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let ponger = system.spawn(Ponger).await?;
    /// assert_eq!(ponger.ask(Msg::Ping).await?, "pong");
    /// # Ok(())
    /// # }
    /// ```
    pub fn ask<R>(&self, make: impl FnOnce(ReplyPort<R>) -> A::Msg) -> AskFuture<'_, A::Msg, R> {
        AskFuture::new(&*self.cell, make, DEFAULT_ASK_TIMEOUT)
    }

    /// [`ask`](ActorRef::ask) with its own timeout, which covers waiting for
    /// mailbox room and for the reply.
    ///
    /// # Errors
    ///
    /// As [`ask`](ActorRef::ask), and [`AskError::InvalidTimeout`](crate::AskError::InvalidTimeout) for a zero
    /// timeout or one over [`MAX_TIMEOUT`](crate::MAX_TIMEOUT).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use actor_core::prelude::*;
    /// # struct Sleepy;
    /// # impl Actor for Sleepy {
    /// #     type Msg = ReplyPort<()>;
    /// #     async fn handle(&mut self, reply: ReplyPort<()>, _: &mut Context<Self>) -> Result<(), BoxError> {
    /// #         tokio::time::sleep(Duration::from_secs(60)).await;
    /// #         let _ = reply.send(());
    /// #         Ok(())
    /// #     }
    /// # }
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sleepy = system.spawn(Sleepy).await?;
    /// let err = sleepy.ask_timeout(|reply| reply, Duration::from_millis(100)).await.unwrap_err();
    /// assert!(matches!(err, AskError::Timeout(_)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn ask_timeout<R>(
        &self,
        make: impl FnOnce(ReplyPort<R>) -> A::Msg,
        timeout: Duration,
    ) -> AskFuture<'_, A::Msg, R> {
        AskFuture::new(&*self.cell, make, timeout)
    }

    /// Asks the actor to stop gracefully: it accepts no new messages, handles
    /// those queued, runs `stopped` and exits with [`ExitReason::Normal`].
    /// Returns at once; see [`wait_for_stop`](ActorRef::wait_for_stop).
    /// Harmless on a stopped actor.
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
    /// # let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// idle.stop();
    /// assert!(matches!(idle.wait_for_stop().await, ExitReason::Normal));
    /// # Ok(())
    /// # }
    /// ```
    pub fn stop(&self) {
        self.cell.mailbox.request_stop(STOP_NORMAL);
    }

    /// Kills the actor: its running handler is aborted at its next `.await`,
    /// its queue is skipped (queued asks fail at once, queued tells become
    /// dead letters), `stopped` is not called, and it exits with
    /// [`ExitReason::Killed`]. Harmless on a stopped actor. A supervised
    /// actor that its supervisor restarts after the kill keeps its queue for
    /// the new instance (see [`supervision`](crate::supervision)).
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
    /// # let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// idle.kill();
    /// assert!(matches!(idle.wait_for_stop().await, ExitReason::Killed));
    /// # Ok(())
    /// # }
    /// ```
    pub fn kill(&self) {
        self.cell.mailbox.kill();
    }

    /// Waits until the actor has stopped and returns why. Returns at once if
    /// it already has.
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
    /// # let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// idle.stop();
    /// let reason = idle.wait_for_stop().await;
    /// assert!(reason.is_clean());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn wait_for_stop(&self) -> ExitReason {
        self.cell.core.wait_exit().await
    }

    /// The exit reason if the actor has stopped, `None` while it runs.
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
    /// # let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// assert!(idle.exit_reason().is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub fn exit_reason(&self) -> Option<ExitReason> {
        self.cell.core.exit_reason()
    }

    /// Whether the actor still accepts messages (it is running and not
    /// stopping).
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
    /// # let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// assert!(idle.is_alive());
    /// idle.stop();
    /// assert!(!idle.is_alive());
    /// # Ok(())
    /// # }
    /// ```
    pub fn is_alive(&self) -> bool {
        !self.cell.mailbox.is_closed()
    }

    /// Messages accepted and not yet handed to the actor.
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
    /// sink.try_tell(1)?;
    /// assert_eq!(sink.mailbox_len(), 1); // the actor has not run yet
    /// # Ok(())
    /// # }
    /// ```
    pub fn mailbox_len(&self) -> usize {
        self.cell.mailbox.len()
    }

    /// The mailbox capacity, or `None` for an unbounded mailbox.
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
    /// # let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// assert_eq!(idle.capacity(), Some(DEFAULT_CAPACITY));
    /// # Ok(())
    /// # }
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        self.cell.mailbox.capacity()
    }

    /// A type-erased handle accepting any `T` that converts into this actor's
    /// message, for wiring a pipeline stage to whichever actor comes next.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// struct Line(String);
    /// enum LoggerMsg {
    ///     Line(String),
    /// }
    /// impl From<Line> for LoggerMsg {
    ///     fn from(line: Line) -> Self {
    ///         LoggerMsg::Line(line.0)
    ///     }
    /// }
    /// # struct Logger;
    /// # impl Actor for Logger {
    /// #     type Msg = LoggerMsg;
    /// #     async fn handle(&mut self, _: LoggerMsg, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let logger = system.spawn(Logger).await?;
    /// let lines: Recipient<Line> = logger.recipient();
    /// lines.tell(Line("started".into())).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn recipient<T>(&self) -> Recipient<T>
    where
        T: Into<A::Msg> + Send + 'static,
    {
        let target: Arc<dyn Deliver<T>> = Arc::clone(&self.cell) as Arc<dyn Deliver<T>>;
        Recipient::new(target)
    }

    /// A handle that does not keep the actor's mailbox open.
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
    /// # let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// let weak = idle.downgrade();
    /// assert!(weak.upgrade().is_some());
    /// drop(idle); // the last strong handle: the actor stops
    /// assert!(weak.upgrade().is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub fn downgrade(&self) -> WeakActorRef<A> {
        WeakActorRef {
            cell: Arc::downgrade(&self.cell),
        }
    }
}

impl<A: Actor> Clone for ActorRef<A> {
    fn clone(&self) -> Self {
        ActorRef::from_cell(Arc::clone(&self.cell))
    }
}

impl<A: Actor> Drop for ActorRef<A> {
    fn drop(&mut self) {
        self.cell.mailbox.remove_sender();
    }
}

impl<A: Actor> PartialEq for ActorRef<A> {
    fn eq(&self, other: &Self) -> bool {
        self.id() == other.id()
    }
}

impl<A: Actor> Eq for ActorRef<A> {}

impl<A: Actor> Hash for ActorRef<A> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id().hash(state);
    }
}

impl<A: Actor> fmt::Debug for ActorRef<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActorRef")
            .field("id", &self.id())
            .field("name", &self.name())
            .field("type", &self.cell.core.type_name)
            .finish()
    }
}

/// A handle that does not keep its actor's mailbox open; upgrade it to talk.
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
/// # let system = System::new();
/// let idle = system.spawn(Idle).await?;
/// let weak: WeakActorRef<Idle> = idle.downgrade();
/// if let Some(strong) = weak.upgrade() {
///     strong.tell(()).await?;
/// }
/// # Ok(())
/// # }
/// ```
pub struct WeakActorRef<A: Actor> {
    cell: Weak<Cell<A::Msg>>,
}

impl<A: Actor> WeakActorRef<A> {
    /// A strong handle, if the actor's mailbox is still open to handles (some
    /// strong handle still exists).
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
    /// # let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// let weak = idle.downgrade();
    /// assert_eq!(weak.upgrade().map(|r| r.id()), Some(idle.id()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn upgrade(&self) -> Option<ActorRef<A>> {
        let cell = self.cell.upgrade()?;
        cell.mailbox.try_add_sender().then(|| ActorRef { cell })
    }
}

impl<A: Actor> Clone for WeakActorRef<A> {
    fn clone(&self) -> Self {
        WeakActorRef {
            cell: Weak::clone(&self.cell),
        }
    }
}

impl<A: Actor> fmt::Debug for WeakActorRef<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakActorRef").finish_non_exhaustive()
    }
}
