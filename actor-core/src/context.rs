//! [`Context`]: what an actor's code can do besides touching its own state.

use std::fmt;
use std::future::poll_fn;
use std::sync::{Arc, Weak};
use std::task::{Poll, ready};

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::error::SpawnError;
use crate::exit::ExitReason;
use crate::id::ActorId;
use crate::introspect::stuck::Handling;
use crate::mailbox::envelope::{SentAt, Trace};
use crate::mailbox::interest::handle_spans_possible;
use crate::mailbox::queue::{Receiver, STOP_NORMAL, STOP_SHUTDOWN};
use crate::runtime::cell::{Cell, Control, Parent};
use crate::runtime::lifecycle::{drain, publish_exit};
use crate::sources::Sources;
use crate::spawn::{SpawnOptions, spawn_actor};
use crate::system::System;

/// The actor's side of its mailbox and its place in the tree, handed to every
/// hook and handler.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
///
/// struct Parent;
/// impl Actor for Parent {
///     type Msg = ReplyPort<ActorId>;
///     async fn handle(&mut self, reply: Self::Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
///         let _ = reply.send(ctx.id());
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let parent = system.spawn(Parent).await?;
/// assert_eq!(parent.ask(|reply| reply).await?, parent.id());
/// # Ok(())
/// # }
/// ```
pub struct Context<A: Actor> {
    pub(crate) cell: Arc<Cell<A::Msg>>,
    pub(crate) rx: Receiver<A::Msg>,
    pub(crate) sources: Sources<A::Msg>,
    /// Where and when the message `recv` returned last was sent, when
    /// per-message tracing is on.
    trace: Option<Box<Trace>>,
    /// When that message was sent (kept only with the `metrics` feature).
    sent_at: SentAt,
    /// [`recv`](Context::recv) was called (not the default loop's own).
    loop_actor: bool,
    /// The handler running, as published for stuck detection.
    handling: Handling,
    /// The kind of the message `recv` returned last (computed once, for
    /// stuck detection and the default loop's span).
    kind: &'static str,
}

impl<A: Actor> Context<A> {
    pub(crate) fn new(cell: Arc<Cell<A::Msg>>) -> Self {
        Context {
            cell,
            rx: Receiver::new(),
            sources: Sources::new(),
            trace: None,
            sent_at: SentAt::default(),
            loop_actor: false,
            handling: Handling::new(),
            kind: "",
        }
    }

    /// The next message from the mailbox, or `None` once the mailbox is
    /// closed (a stop was requested, or every handle dropped) and everything
    /// queued has been received.
    ///
    /// This is the receive loop's building block: loop actors call it inside
    /// their own `tokio::select!`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: if another `select!` branch wins, no message is lost; it
    /// stays first in line for the next call.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::prelude::*;
    ///
    /// struct Collector(Vec<u32>);
    /// impl Actor for Collector {
    ///     type Msg = u32;
    ///     async fn handle(&mut self, n: u32, _: &mut Context<Self>) -> Result<(), BoxError> {
    ///         self.0.push(n);
    ///         Ok(())
    ///     }
    ///     async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         while let Some(n) = ctx.recv().await {
    ///             self.handle(n, ctx).await?;
    ///         }
    ///         assert_eq!(self.0, [1, 2, 3]);
    ///         Ok(())
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let collector = system.spawn(Collector(Vec::new())).await?;
    /// for n in 1..=3 {
    ///     collector.tell(n).await?;
    /// }
    /// collector.stop();
    /// assert!(collector.wait_for_stop().await.is_clean());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn recv(&mut self) -> Option<A::Msg> {
        if !self.loop_actor {
            // This actor may take messages while one of its asks is pending
            // (in a `select!`), so its asks never count as blocking it.
            self.loop_actor = true;
            self.cell.core.mark_loop_actor();
            crate::runtime::current::running_is_loop_actor();
        }
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// [`recv`](Context::recv) for the default receive loop, which handles one
    /// message at a time: the actor stays one whose asks block it.
    pub(crate) async fn next_message(&mut self) -> Option<A::Msg> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// One step of the receive loop: the handler of the message returned
    /// before has finished (the actor asks for the next one), and a message
    /// returned now starts the next (see [`stuck`](crate::introspect::stuck)).
    #[inline]
    fn poll_recv(&mut self, cx: &mut std::task::Context<'_>) -> Poll<Option<A::Msg>> {
        self.handling.end(&self.cell.core);
        let next = self.poll_next(cx);
        if let Poll::Ready(Some(msg)) = &next {
            let kind = A::message_kind(msg);
            self.kind = kind;
            self.handling.begin(&self.cell.core, kind, self.sent_at);
        } else {
            self.handling.no_message();
        }
        next
    }

    /// The kind of the message `recv` returned last.
    pub(crate) fn last_kind(&self) -> &'static str {
        self.kind
    }

    /// The handler of the last message returned has ended (the instance
    /// ended without asking for another).
    pub(crate) fn end_handling(&mut self) {
        self.handling.end(&self.cell.core);
    }

    /// The next message, in the order the [runtime
    /// guide](crate::runtime) gives: control lane, then mailbox and sources
    /// alternately (see [`sources`](crate::sources)). Takes part in tokio's
    /// cooperative budget like tokio's own channels, so a flooded actor still
    /// yields to its neighbours.
    fn poll_next(&mut self, cx: &mut std::task::Context<'_>) -> Poll<Option<A::Msg>> {
        let coop = ready!(tokio::task::coop::poll_proceed(cx));
        let Context {
            cell,
            rx,
            sources,
            trace,
            sent_at,
            ..
        } = self;
        *trace = None;
        *sent_at = SentAt::default();
        let mailbox = &cell.mailbox;
        if let Some(decided) = rx.poll_control(mailbox) {
            if matches!(decided, Poll::Ready(Some(_))) {
                coop.made_progress();
            }
            return decided;
        }
        let sources_first = sources.sources_first();
        if sources_first && let Poll::Ready(msg) = sources.poll_next(cx) {
            sources.served(true);
            coop.made_progress();
            return Poll::Ready(Some(msg));
        }
        match rx.poll_mailbox(mailbox, cx) {
            Poll::Ready(Some(envelope)) => {
                sources.served(false);
                coop.made_progress();
                *trace = envelope.trace;
                *sent_at = envelope.sent_at;
                return Poll::Ready(Some(envelope.msg));
            }
            Poll::Ready(None) => {
                coop.made_progress();
                return Poll::Ready(None);
            }
            Poll::Pending => {}
        }
        if !sources_first && let Poll::Ready(msg) = sources.poll_next(cx) {
            sources.served(true);
            coop.made_progress();
            return Poll::Ready(Some(msg));
        }
        Poll::Pending
    }

    /// A span for handling the message [`recv`](Context::recv) returned last:
    /// `actor.handle` at DEBUG on the `actor_core::handle` target, a root
    /// span that *follows from* the sender's span (not a child of it, so
    /// traces stay bounded), with `actor.id`, `actor.name`, `actor.type`,
    /// `msg.kind` and `queue_wait_us` (time from send to now). The default
    /// receive loop wraps every `handle` in one; a loop actor can do the
    /// same with `.instrument(ctx.handle_span("kind"))`. Disabled (and free)
    /// unless a subscriber enables that target at DEBUG.
    ///
    /// # Examples
    ///
    /// ```
    /// use tracing::Instrument;
    /// use actor_core::prelude::*;
    ///
    /// struct Looper;
    /// impl Actor for Looper {
    ///     type Msg = u32;
    ///     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    ///     async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         while let Some(n) = ctx.recv().await {
    ///             let span = ctx.handle_span("number");
    ///             self.handle(n, ctx).instrument(span).await?;
    ///         }
    ///         Ok(())
    ///     }
    /// }
    /// ```
    pub fn handle_span(&mut self, kind: &'static str) -> tracing::Span {
        if !handle_spans_possible() {
            // A trace taken while a subscriber listened is dropped with the
            // next message (`poll_next` clears it), off this path.
            return tracing::Span::none();
        }
        let trace = self.trace.take();
        let core = &self.cell.core;
        let span = tracing::debug_span!(
            target: "actor_core::handle",
            parent: None,
            "actor.handle",
            actor.id = %core.id,
            actor.name = core.display_name(),
            actor.r#type = core.type_name,
            msg.kind = kind,
            queue_wait_us = tracing::field::Empty,
        );
        if let Some(trace) = trace
            && !span.is_disabled()
        {
            let waited = u64::try_from(trace.sent_at.elapsed().as_micros()).unwrap_or(u64::MAX);
            span.record("queue_wait_us", waited);
            span.follows_from(&trace.cause);
        }
        span
    }

    /// This actor's id.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Me;
    /// # impl Actor for Me {
    /// #     type Msg = ();
    /// async fn handle(&mut self, _: (), ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///     tracing::info!(id = %ctx.id(), "handling");
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn id(&self) -> ActorId {
        self.cell.core.id
    }

    /// This actor's name, if it has one.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Me;
    /// # impl Actor for Me {
    /// #     type Msg = ();
    /// async fn handle(&mut self, _: (), ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///     tracing::info!(name = ctx.name().unwrap_or("anonymous"), "handling");
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.cell.core.name.as_deref()
    }

    /// A handle to this actor, to give to others (it keeps the mailbox open
    /// while it lives).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// struct Me;
    /// impl Actor for Me {
    ///     type Msg = ReplyPort<ActorRef<Me>>;
    ///     async fn handle(&mut self, reply: Self::Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         let _ = reply.send(ctx.myself());
    ///         Ok(())
    ///     }
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let me = system.spawn(Me).await?;
    /// assert_eq!(me.ask(|reply| reply).await?, me);
    /// # Ok(())
    /// # }
    /// ```
    pub fn myself(&self) -> ActorRef<A> {
        ActorRef::from_cell(Arc::clone(&self.cell))
    }

    /// Stops this actor gracefully once it has handled what is already queued:
    /// new messages are refused from now on, then `recv` returns `None` and
    /// the actor exits with [`ExitReason::Normal`](crate::ExitReason::Normal).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// struct Once;
    /// impl Actor for Once {
    ///     type Msg = ();
    ///     async fn handle(&mut self, _: (), ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         ctx.stop(); // one message is enough
    ///         Ok(())
    ///     }
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let once = system.spawn(Once).await?;
    /// once.tell(()).await?;
    /// assert!(matches!(once.wait_for_stop().await, ExitReason::Normal));
    /// # Ok(())
    /// # }
    /// ```
    pub fn stop(&self) {
        self.cell.mailbox.request_stop(STOP_NORMAL);
    }

    /// Spawns a child of this actor with default options. Children stop
    /// before their parent: when this actor stops, its children are stopped
    /// (last-started first) before its `stopped` hook runs.
    ///
    /// Like every actor, the child stops by itself once all its handles are
    /// dropped: keep the returned `ActorRef` (or use a
    /// [`Supervisor`](crate::supervision::Supervisor), which keeps its
    /// children's handles).
    ///
    /// An actor type cannot spawn a child of its own type from inside its
    /// hooks without boxing (the spawn future would contain itself): wrap
    /// that call in `Box::pin`.
    ///
    /// # Errors
    ///
    /// As [`System::spawn`](crate::System::spawn), and
    /// [`SpawnError::ParentStopped`] once this actor is stopping.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// struct Worker;
    /// impl Actor for Worker {
    ///     type Msg = ();
    ///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// }
    ///
    /// struct Boss {
    ///     worker: Option<ActorRef<Worker>>,
    /// }
    /// impl Actor for Boss {
    ///     type Msg = ();
    ///     async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         self.worker = Some(ctx.spawn(Worker).await?);
    ///         Ok(())
    ///     }
    ///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let boss = system.spawn(Boss { worker: None }).await?;
    /// system.shutdown().await; // stops the worker first, then the boss
    /// # Ok(())
    /// # }
    /// ```
    pub async fn spawn<B: Actor>(&mut self, actor: B) -> Result<ActorRef<B>, SpawnError> {
        self.spawn_with(actor, SpawnOptions::new()).await
    }

    /// Spawns a child of this actor with the given options.
    ///
    /// # Errors
    ///
    /// As [`Context::spawn`], and bad options.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Worker;
    /// # impl Actor for Worker {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// struct Boss;
    /// impl Actor for Boss {
    ///     type Msg = ();
    ///     async fn handle(&mut self, _: (), ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         let worker = ctx.spawn_with(Worker, SpawnOptions::new().name("worker")).await?;
    ///         worker.tell(()).await?;
    ///         Ok(())
    ///     }
    /// }
    /// ```
    pub async fn spawn_with<B: Actor>(
        &mut self,
        actor: B,
        options: SpawnOptions,
    ) -> Result<ActorRef<B>, SpawnError> {
        let parent: Weak<dyn Control> = Arc::downgrade(&self.cell) as Weak<dyn Control>;
        let core = &self.cell.core;
        spawn_actor(
            &core.system,
            Parent::Actor(parent),
            &core.children,
            actor,
            options,
        )
        .await
    }

    /// The system this actor belongs to.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Me;
    /// # impl Actor for Me {
    /// #     type Msg = ();
    /// async fn handle(&mut self, _: (), ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///     tracing::info!(dead_letters = ctx.system().dead_letters(), "status");
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn system(&self) -> System {
        System::from_inner(Arc::clone(&self.cell.core.system))
    }

    /// How many children of this actor are alive.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Me;
    /// # impl Actor for Me {
    /// #     type Msg = ();
    /// async fn handle(&mut self, _: (), ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///     assert_eq!(ctx.children_count(), 0);
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn children_count(&self) -> usize {
        self.cell.core.children.len()
    }

    /// Messages waiting in this actor's mailbox.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Me;
    /// # impl Actor for Me {
    /// #     type Msg = ();
    /// async fn handle(&mut self, _: (), ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///     if ctx.mailbox_len() > 100 {
    ///         tracing::warn!("falling behind");
    ///     }
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn mailbox_len(&self) -> usize {
        self.cell.mailbox.len()
    }
}

/// A context dropped before its actor's exit was published (the spawning
/// future was cancelled during `started`, the runtime shut down under the
/// task, the thread could not start) still ends the actor properly: the
/// mailbox is closed and emptied, children are asked to stop, and `Killed` is
/// published so nobody waits forever.
impl<A: Actor> Drop for Context<A> {
    fn drop(&mut self) {
        let core = &self.cell.core;
        if core.exit_reason().is_some() {
            return;
        }
        // What is still queued becomes dead letters, counted and reported
        // like those of any other exit.
        drain(&self.cell, &mut self.rx);
        while let Some(child) = core.children.close_and_pop_last() {
            child.request_stop(STOP_SHUTDOWN);
        }
        publish_exit(core, ExitReason::Killed);
        self.cell.mailbox.clear_wakers();
    }
}

impl<A: Actor> fmt::Debug for Context<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("id", &self.cell.core.id)
            .field("name", &self.cell.core.name)
            .finish_non_exhaustive()
    }
}
