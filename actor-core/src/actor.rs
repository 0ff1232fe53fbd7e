//! The [`Actor`] trait: state in a struct, a message type, lifecycle hooks.
//!
//! There are two ways to write an actor, with one runtime underneath:
//!
//! - **Handler actors** implement [`Actor::handle`]; the framework owns the
//!   receive loop and calls `handle` once per message, in order. The
//!   `#[actor]` macro generates `Msg` and `handle` from plain methods.
//! - **Loop actors** also override [`Actor::run`] and own their receive loop:
//!   `ctx.recv().await` inside their own `tokio::select!` with timers, sockets
//!   or any other future, like Erlang's `receive` or elfo's `ctx.recv()`.
//!
//! Both get the same [`ActorRef`](crate::ActorRef), tell/ask, stop/kill,
//! supervision and tracing.
//!
//! # No boxing per message
//!
//! The hooks are plain `async fn`s in the trait (their futures are named by
//! the compiler, `Send` is required), not `#[async_trait]` methods: a message
//! costs no allocation for its handler's future. Implement them with
//! `async fn` as usual.

use std::future::Future;

use tracing::Instrument;

use crate::context::Context;
use crate::error::BoxError;
use crate::exit::ExitReason;
use crate::mailbox::interest::handle_spans_possible;

/// An actor: its state is the struct, its input is [`Actor::Msg`].
///
/// Only [`handle`](Actor::handle) is required. Hook order for one actor:
/// `started` → `run` (which calls `handle` per message unless overridden) →
/// `stopped`.
///
/// # Examples
///
/// A handler actor (what the `#[actor]` macro writes for you), asked for its
/// total:
///
/// ```
/// use actor_core::prelude::*;
///
/// enum CounterMsg {
///     Add(u64),
///     Total(ReplyPort<u64>),
/// }
///
/// #[derive(Default)]
/// struct Counter {
///     total: u64,
/// }
///
/// impl Actor for Counter {
///     type Msg = CounterMsg;
///
///     async fn handle(&mut self, msg: CounterMsg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
///         match msg {
///             CounterMsg::Add(n) => self.total += n,
///             CounterMsg::Total(reply) => {
///                 let _ = reply.send(self.total);
///             }
///         }
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let counter = system.spawn(Counter::default()).await?;
/// counter.tell(CounterMsg::Add(5)).await?;
/// counter.tell(CounterMsg::Add(2)).await?;
/// assert_eq!(counter.ask(CounterMsg::Total).await?, 7);
/// system.shutdown().await;
/// # Ok(())
/// # }
/// ```
///
/// A loop actor that selects over its mailbox and a timer:
///
/// ```
/// use std::time::Duration;
/// use actor_core::prelude::*;
///
/// struct Heartbeat {
///     beats: u32,
/// }
///
/// impl Actor for Heartbeat {
///     type Msg = ReplyPort<u32>;
///
///     async fn handle(&mut self, reply: ReplyPort<u32>, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
///         let _ = reply.send(self.beats);
///         Ok(())
///     }
///
///     async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
///         let mut tick = tokio::time::interval(Duration::from_millis(10));
///         loop {
///             tokio::select! {
///                 msg = ctx.recv() => match msg {
///                     Some(msg) => self.handle(msg, ctx).await?,
///                     None => return Ok(()), // stopped: mailbox closed and drained
///                 },
///                 _ = tick.tick() => self.beats += 1,
///             }
///         }
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let heart = system.spawn(Heartbeat { beats: 0 }).await?;
/// tokio::time::sleep(Duration::from_millis(35)).await;
/// assert!(heart.ask(|reply| reply).await? >= 3);
/// system.shutdown().await;
/// # Ok(())
/// # }
/// ```
pub trait Actor: Sized + Send + 'static {
    /// The one message type this actor receives (usually an enum; the
    /// `#[actor]` macro generates it).
    type Msg: Send + 'static;

    /// Called once, before any message is handled. An error or a panic here
    /// fails the spawn with [`SpawnError::StartFailed`](crate::SpawnError::StartFailed)
    /// or [`SpawnError::StartPanicked`](crate::SpawnError::StartPanicked); the
    /// actor then never runs and `stopped` is not called.
    ///
    /// # Errors
    ///
    /// Return an error to refuse to start.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::prelude::*;
    ///
    /// struct NeedsConfig(Option<String>);
    /// impl Actor for NeedsConfig {
    ///     type Msg = ();
    ///     async fn started(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         self.0.as_ref().ok_or("no config")?;
    ///         Ok(())
    ///     }
    ///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let system = System::new();
    /// let err = system.spawn(NeedsConfig(None)).await.unwrap_err();
    /// assert!(matches!(err, SpawnError::StartFailed { .. }));
    /// # }
    /// ```
    fn started(&mut self, ctx: &mut Context<Self>) -> impl Future<Output = Result<(), BoxError>> + Send {
        let _ = ctx;
        async { Ok(()) }
    }

    /// Handles one message. The default [`run`](Actor::run) calls it for each
    /// message in mailbox order, one at a time.
    ///
    /// # Errors
    ///
    /// An error stops the actor with [`ExitReason::Failed`]; the messages
    /// still queued become dead letters (askers get an error at once).
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::prelude::*;
    ///
    /// struct Strict;
    /// impl Actor for Strict {
    ///     type Msg = i32;
    ///     async fn handle(&mut self, n: i32, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         if n < 0 {
    ///             return Err(format!("negative input {n}").into());
    ///         }
    ///         Ok(())
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let strict = system.spawn(Strict).await?;
    /// strict.tell(-1).await?;
    /// let reason = strict.wait_for_stop().await;
    /// assert_eq!(reason.to_string(), "failed: negative input -1");
    /// # Ok(())
    /// # }
    /// ```
    fn handle(
        &mut self,
        msg: Self::Msg,
        ctx: &mut Context<Self>,
    ) -> impl Future<Output = Result<(), BoxError>> + Send;

    /// The receive loop. The default handles each message with
    /// [`handle`](Actor::handle) until the mailbox is closed (a stop request,
    /// or every handle dropped) and drained.
    ///
    /// Override it to write a loop actor: select on
    /// [`Context::recv`](crate::Context::recv) beside your own futures. When
    /// `run` returns `Ok`, the actor stops normally (queued messages it left
    /// become dead letters).
    ///
    /// # Errors
    ///
    /// An error stops the actor with [`ExitReason::Failed`].
    ///
    /// # Examples
    ///
    /// A loop actor that answers the first message and quits:
    ///
    /// ```
    /// use actor_core::prelude::*;
    ///
    /// struct OneShot;
    /// impl Actor for OneShot {
    ///     type Msg = ReplyPort<&'static str>;
    ///     async fn handle(&mut self, reply: Self::Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         let _ = reply.send("done");
    ///         Ok(())
    ///     }
    ///     async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         if let Some(msg) = ctx.recv().await {
    ///             self.handle(msg, ctx).await?;
    ///         }
    ///         Ok(())
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let once = system.spawn(OneShot).await?;
    /// assert_eq!(once.ask(|reply| reply).await?, "done");
    /// assert!(once.wait_for_stop().await.is_clean());
    /// # Ok(())
    /// # }
    /// ```
    fn run(&mut self, ctx: &mut Context<Self>) -> impl Future<Output = Result<(), BoxError>> + Send {
        async move {
            while let Some(msg) = ctx.next_message().await {
                if handle_spans_possible() {
                    // The kind `recv` computed for this message.
                    let span = ctx.handle_span(ctx.last_kind());
                    self.handle(msg, ctx).instrument(span).await?;
                } else {
                    // Nobody listens: no span to make, enter or drop.
                    self.handle(msg, ctx).await?;
                }
            }
            Ok(())
        }
    }

    /// A short, static name for a message's kind, recorded as `msg.kind` on
    /// its handling span (see [`Context::handle_span`]). The `#[actor]`
    /// macro returns the handler's name; the default is the message type's
    /// name.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::prelude::*;
    ///
    /// enum Msg { Get, Put(u32) }
    /// struct Store;
    /// impl Actor for Store {
    ///     type Msg = Msg;
    ///     fn message_kind(msg: &Msg) -> &'static str {
    ///         match msg {
    ///             Msg::Get => "get",
    ///             Msg::Put(_) => "put",
    ///         }
    ///     }
    ///     async fn handle(&mut self, _: Msg, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// }
    /// assert_eq!(Store::message_kind(&Msg::Put(1)), "put");
    /// ```
    fn message_kind(msg: &Self::Msg) -> &'static str {
        let _ = msg;
        std::any::type_name::<Self::Msg>()
    }

    /// Called once when the actor stops, after its queue was handled (or
    /// dropped) and its children stopped, with the reason. Not called after a
    /// kill (like OTP, where `kill` runs no callback) or a failed `started`.
    /// A panic here is contained and logged.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::prelude::*;
    /// use tokio::sync::oneshot;
    ///
    /// struct Reporter(Option<oneshot::Sender<String>>);
    /// impl Actor for Reporter {
    ///     type Msg = ();
    ///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    ///     async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
    ///         if let Some(tx) = self.0.take() {
    ///             let _ = tx.send(reason.to_string());
    ///         }
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let (tx, rx) = oneshot::channel();
    /// let system = System::new();
    /// let reporter = system.spawn(Reporter(Some(tx))).await?;
    /// reporter.stop();
    /// assert_eq!(rx.await?, "normal");
    /// # Ok(())
    /// # }
    /// ```
    fn stopped(&mut self, ctx: &mut Context<Self>, reason: &ExitReason) -> impl Future<Output = ()> + Send {
        let _ = (ctx, reason);
        async {}
    }
}
