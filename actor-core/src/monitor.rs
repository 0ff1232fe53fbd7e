//! Monitors and links: learning that another actor ended.
//!
//! - **Monitor** (one-way, Erlang's `monitor`, Akka's `watch`):
//!   [`Context::monitor`] asks for a [`Down`] notice, delivered as a message
//!   (your message type implements `From<Down>`), when the target ends.
//!   Monitoring an actor that already ended notifies at once; N monitors give
//!   N notices; [`Context::demonitor`] also drops a notice still queued.
//! - **Link** (two-way, Erlang's `link`): when one side ends, the other
//!   receives an exit signal. Without trapping, any reason but `Normal` ends
//!   the receiver too, with the same reason (as in OTP, `Shutdown`
//!   propagates); a `Normal` exit does not. With [`Context::trap_exits`], the
//!   signal arrives as an [`ExitSignal`] message instead, whatever the
//!   reason. [`ActorRef::kill`](crate::ActorRef::kill) itself cannot be
//!   trapped: it is not a signal.
//!
//! Notices and trapped signals travel on the mailbox's control lane: they
//! are delivered before queued user messages and never count against the
//! mailbox's capacity. An actor under a supervisor keeps its handle across
//! restarts, so monitors and links see only its final exit, not each restart.
//!
//! # Example
//!
//! ```
//! use actor_core::prelude::*;
//!
//! struct Worker;
//! impl Actor for Worker {
//!     type Msg = ();
//!     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> {
//!         Err("worker failed".into())
//!     }
//! }
//!
//! enum WatcherMsg {
//!     Watch(ActorRef<Worker>),
//!     Down(Down),
//!     Last(ReplyPort<Option<String>>),
//! }
//! impl From<Down> for WatcherMsg {
//!     fn from(down: Down) -> Self {
//!         WatcherMsg::Down(down)
//!     }
//! }
//!
//! #[derive(Default)]
//! struct Watcher {
//!     last: Option<String>,
//! }
//! impl Actor for Watcher {
//!     type Msg = WatcherMsg;
//!     async fn handle(&mut self, msg: WatcherMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
//!         match msg {
//!             WatcherMsg::Watch(worker) => {
//!                 ctx.monitor(&worker);
//!             }
//!             WatcherMsg::Down(down) => self.last = Some(down.reason.to_string()),
//!             WatcherMsg::Last(reply) => {
//!                 let _ = reply.send(self.last.clone());
//!             }
//!         }
//!         Ok(())
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let system = System::new();
//! let worker = system.spawn(Worker).await?;
//! let watcher = system.spawn(Watcher::default()).await?;
//! watcher.tell(WatcherMsg::Watch(worker.clone())).await?;
//! worker.tell(()).await?;
//! worker.wait_for_stop().await;
//! # for _ in 0..10 { tokio::task::yield_now().await; }
//! assert_eq!(watcher.ask(WatcherMsg::Last).await?.as_deref(), Some("failed: worker failed"));
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::context::Context;
use crate::exit::ExitReason;
use crate::id::ActorId;
use crate::runtime::cell::Control;

/// A monitored actor ended.
///
/// # Examples
///
/// ```
/// use actor_core::Down;
///
/// fn describe(down: &Down) -> String {
///     format!("{} ended: {}", down.id, down.reason)
/// }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Down {
    /// The monitor that fired (as returned by [`Context::monitor`]).
    pub monitor: MonitorRef,
    /// The actor that ended.
    pub id: ActorId,
    /// Why it ended.
    pub reason: ExitReason,
}

/// A linked actor ended, delivered as a message to an actor that traps
/// exits.
///
/// # Examples
///
/// ```
/// use actor_core::ExitSignal;
///
/// fn is_crash(signal: &ExitSignal) -> bool {
///     !signal.reason.is_clean()
/// }
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ExitSignal {
    /// The linked actor that ended.
    pub from: ActorId,
    /// Why it ended.
    pub reason: ExitReason,
}

/// Identifies one monitor, to tell its [`Down`] apart and to remove it.
///
/// # Examples
///
/// ```
/// # use actor_core::prelude::*;
/// # struct Target;
/// # impl Actor for Target { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
/// enum Msg { Watch(ActorRef<Target>), Down(Down) }
/// impl From<Down> for Msg { fn from(d: Down) -> Self { Msg::Down(d) } }
/// struct Watcher;
/// impl Actor for Watcher {
///     type Msg = Msg;
///     async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
///         if let Msg::Watch(target) = msg {
///             let monitor: MonitorRef = ctx.monitor(&target);
///             assert_eq!(monitor.target(), target.id());
///             ctx.demonitor(&monitor); // changed our mind
///         }
///         Ok(())
///     }
/// }
/// ```
#[derive(Clone)]
pub struct MonitorRef {
    pub(crate) seq: u64,
    target: ActorId,
    cell: Weak<dyn Control>,
}

impl MonitorRef {
    /// The monitored actor.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::prelude::*;
    ///
    /// # struct Target;
    /// # impl Actor for Target { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// enum Msg {
    ///     Watch(ActorRef<Target>),
    ///     Down(Down),
    /// }
    /// impl From<Down> for Msg {
    ///     fn from(down: Down) -> Self {
    ///         Msg::Down(down)
    ///     }
    /// }
    /// struct Watcher;
    /// impl Actor for Watcher {
    ///     type Msg = Msg;
    ///     async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         match msg {
    ///             Msg::Watch(target) => {
    ///                 let monitor = ctx.monitor(&target);
    ///                 assert_eq!(monitor.target(), target.id());
    ///             }
    ///             Msg::Down(down) => tracing::info!(id = %down.id, reason = %down.reason, "down"),
    ///         }
    ///         Ok(())
    ///     }
    /// }
    /// ```
    pub fn target(&self) -> ActorId {
        self.target
    }
}

impl PartialEq for MonitorRef {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}

impl Eq for MonitorRef {}

impl fmt::Debug for MonitorRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MonitorRef")
            .field("seq", &self.seq)
            .field("target", &self.target)
            .finish()
    }
}

/// What travels on the signal lane.
pub(crate) enum Signal {
    Down(Down),
    Exit(ExitSignal),
}

static NEXT_MONITOR: AtomicU64 = AtomicU64::new(1);

/// Who to tell when an actor ends: its monitors and its links.
#[derive(Default)]
pub(crate) struct Relations {
    /// Set once the actor has ended: new monitors and links fire at once.
    ended: Option<ExitReason>,
    watchers: Vec<(MonitorRef, Weak<dyn Control>)>,
    links: Vec<(ActorId, Weak<dyn Control>)>,
    /// Run once at the exit (registry and group clean-up).
    hooks: Vec<ExitHook>,
}

/// Crate-internal code to run when an actor ends.
pub(crate) type ExitHook = Box<dyn FnOnce(ActorId, &ExitReason) + Send>;

pub(crate) type Watchers = Vec<(MonitorRef, Weak<dyn Control>)>;
pub(crate) type Links = Vec<(ActorId, Weak<dyn Control>)>;

impl Relations {
    /// Marks the actor ended and takes everyone to notify; `None` if it had
    /// already ended.
    pub(crate) fn end(&mut self, reason: &ExitReason) -> Option<(Watchers, Links, Vec<ExitHook>)> {
        if self.ended.is_some() {
            return None;
        }
        self.ended = Some(reason.clone());
        Some((
            std::mem::take(&mut self.watchers),
            std::mem::take(&mut self.links),
            std::mem::take(&mut self.hooks),
        ))
    }

    /// Adds an exit hook; gives it back if the actor already ended.
    pub(crate) fn add_hook(&mut self, hook: ExitHook) -> Result<(), (ExitHook, ExitReason)> {
        match &self.ended {
            Some(reason) => Err((hook, reason.clone())),
            None => {
                self.hooks.push(hook);
                Ok(())
            }
        }
    }
}

/// Sends `id`'s exit to its monitors and links.
pub(crate) fn notify_relations(id: ActorId, reason: &ExitReason, watchers: Watchers, links: Links) {
    for (monitor, watcher) in watchers {
        if let Some(watcher) = watcher.upgrade() {
            watcher.signal(Signal::Down(Down {
                monitor,
                id,
                reason: reason.clone(),
            }));
        }
    }
    for (_, linked) in links {
        if let Some(linked) = linked.upgrade() {
            // Deliver only if the other side has not unlinked meanwhile, and
            // under its lock, so an `unlink` that returned is never followed
            // by this signal.
            let mut theirs = linked.core().relations();
            let before = theirs.links.len();
            theirs.links.retain(|(other, _)| *other != id);
            if theirs.links.len() != before {
                deliver_exit(&*linked, id, reason);
            }
        }
    }
}

/// An exit signal from `from` reaches `to`: a message if `to` traps exits,
/// otherwise the end of `to` unless the reason is `Normal`.
fn deliver_exit(to: &dyn Control, from: ActorId, reason: &ExitReason) {
    if to.traps_exits() {
        to.signal(Signal::Exit(ExitSignal {
            from,
            reason: reason.clone(),
        }));
    } else if !matches!(reason, ExitReason::Normal) {
        tracing::debug!(
            target: "actor_core::lifecycle",
            { actor.id = %to.core().id, linked = %from, reason = %reason },
            "linked actor ended: exit signal propagates"
        );
        to.kill_with(reason.clone());
    }
}

impl<A: Actor> Context<A> {
    /// Monitors `target`: when it ends (or at once if it already has), this
    /// actor receives a [`Down`] as a message. Each call is one more monitor.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::prelude::*;
    ///
    /// # struct Target;
    /// # impl Actor for Target { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// enum Msg {
    ///     Watch(ActorRef<Target>),
    ///     Down(Down),
    /// }
    /// impl From<Down> for Msg {
    ///     fn from(down: Down) -> Self {
    ///         Msg::Down(down)
    ///     }
    /// }
    /// struct Watcher;
    /// impl Actor for Watcher {
    ///     type Msg = Msg;
    ///     async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         match msg {
    ///             Msg::Watch(target) => {
    ///                 let monitor = ctx.monitor(&target);
    ///                 assert_eq!(monitor.target(), target.id());
    ///             }
    ///             Msg::Down(down) => tracing::info!(id = %down.id, reason = %down.reason, "down"),
    ///         }
    ///         Ok(())
    ///     }
    /// }
    /// ```
    pub fn monitor<B: Actor>(&mut self, target: &ActorRef<B>) -> MonitorRef
    where
        A::Msg: From<Down>,
    {
        let seq = NEXT_MONITOR.fetch_add(1, Ordering::Relaxed);
        self.cell.mailbox.add_monitor(<A::Msg as From<Down>>::from, seq);
        let target_cell: Arc<dyn Control> = Arc::clone(&target.cell) as Arc<dyn Control>;
        let me: Weak<dyn Control> = Arc::downgrade(&self.cell) as Weak<dyn Control>;
        let monitor = MonitorRef {
            seq,
            target: target.id(),
            cell: Arc::downgrade(&target_cell),
        };
        let mut relations = target_cell.core().relations();
        match &relations.ended {
            Some(reason) => {
                let reason = reason.clone();
                drop(relations);
                self.cell.mailbox.push_signal(Signal::Down(Down {
                    monitor: monitor.clone(),
                    id: target.id(),
                    reason,
                }));
            }
            None => relations.watchers.push((monitor.clone(), me)),
        }
        monitor
    }

    /// Removes a monitor; a [`Down`] for it that is still queued is dropped
    /// too. Harmless if it already fired.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::prelude::*;
    ///
    /// # struct Target;
    /// # impl Actor for Target { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// enum Msg {
    ///     Forget(ActorRef<Target>),
    ///     Down(Down),
    /// }
    /// impl From<Down> for Msg {
    ///     fn from(down: Down) -> Self {
    ///         Msg::Down(down)
    ///     }
    /// }
    /// struct Watcher;
    /// impl Actor for Watcher {
    ///     type Msg = Msg;
    ///     async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         if let Msg::Forget(target) = msg {
    ///             let monitor = ctx.monitor(&target);
    ///             ctx.demonitor(&monitor); // no Down will come for it
    ///         }
    ///         Ok(())
    ///     }
    /// }
    /// ```
    pub fn demonitor(&mut self, monitor: &MonitorRef) {
        if let Some(target) = monitor.cell.upgrade() {
            target
                .core()
                .relations()
                .watchers
                .retain(|(m, _)| m.seq != monitor.seq);
        }
        self.cell.mailbox.remove_monitor(monitor.seq);
    }

    /// Links this actor with `other`, both ways (see the
    /// [module docs](crate::monitor)). Linking to an actor that already
    /// ended delivers its exit signal at once.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Partner;
    /// # impl Actor for Partner { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// struct Buddy(ActorRef<Partner>);
    /// impl Actor for Buddy {
    ///     type Msg = ();
    ///     async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         ctx.link(&self.0); // if the partner crashes, so do we
    ///         Ok(())
    ///     }
    ///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// }
    /// ```
    pub fn link<B: Actor>(&mut self, other: &ActorRef<B>) {
        let me: Arc<dyn Control> = Arc::clone(&self.cell) as Arc<dyn Control>;
        let them: Arc<dyn Control> = Arc::clone(&other.cell) as Arc<dyn Control>;
        if me.core().id == them.core().id {
            return;
        }
        let ended = {
            let mut theirs = them.core().relations();
            match &theirs.ended {
                Some(reason) => Some(reason.clone()),
                None => {
                    if !theirs.links.iter().any(|(id, _)| *id == me.core().id) {
                        theirs.links.push((me.core().id, Arc::downgrade(&me)));
                    }
                    None
                }
            }
        };
        match ended {
            Some(reason) => deliver_exit(&*me, them.core().id, &reason),
            None => {
                let mut mine = me.core().relations();
                if !mine.links.iter().any(|(id, _)| *id == them.core().id) {
                    mine.links.push((them.core().id, Arc::downgrade(&them)));
                }
            }
        }
    }

    /// Removes the link with `other`, both ways.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Partner;
    /// # impl Actor for Partner { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// struct Buddy(ActorRef<Partner>);
    /// impl Actor for Buddy {
    ///     type Msg = ();
    ///     async fn handle(&mut self, _: (), ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         ctx.unlink(&self.0);
    ///         Ok(())
    ///     }
    /// }
    /// ```
    pub fn unlink<B: Actor>(&mut self, other: &ActorRef<B>) {
        let my_id = self.cell.core.id;
        let their_id = other.id();
        self.cell.core.relations().links.retain(|(id, _)| *id != their_id);
        other.cell.core.relations().links.retain(|(id, _)| *id != my_id);
    }

    /// Turns exit trapping on or off: while on, linked exits arrive as
    /// [`ExitSignal`] messages instead of ending this actor.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// enum Msg { Exit(ExitSignal) }
    /// impl From<ExitSignal> for Msg { fn from(s: ExitSignal) -> Self { Msg::Exit(s) } }
    /// struct Trapper;
    /// impl Actor for Trapper {
    ///     type Msg = Msg;
    ///     async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         ctx.trap_exits(true);
    ///         Ok(())
    ///     }
    ///     async fn handle(&mut self, Msg::Exit(signal): Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
    ///         tracing::info!(from = %signal.from, reason = %signal.reason, "linked actor ended");
    ///         Ok(())
    ///     }
    /// }
    /// ```
    pub fn trap_exits(&mut self, on: bool)
    where
        A::Msg: From<ExitSignal>,
    {
        self.cell
            .mailbox
            .set_trap_exits(<A::Msg as From<ExitSignal>>::from, on);
    }
}
