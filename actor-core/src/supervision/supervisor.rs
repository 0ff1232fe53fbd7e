//! The supervisor actor: starts its children in order, decides on every
//! instance end, restarts by strategy within the intensity limit, and gives
//! up (escalates) when the limit is exceeded.
//!
//! While it waits for one child to end, reports of other children's ends are
//! set aside (the stash) and decided on afterwards, in arrival order. A
//! child whose report is set aside has already ended: when the supervisor
//! comes to stop it (for a group restart, or when giving up) it takes that
//! report as the child's ending, so the child is not killed, not reported
//! stuck, and a group restart restarts it with the others, counted in the
//! same round.

use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::actor::Actor;
use crate::context::Context;
use crate::error::{BoxError, SupervisorError};
use crate::exit::ExitReason;
use crate::id::ActorId;
use crate::mailbox::queue::STOP_SHUTDOWN;
use crate::runtime::tree::KILL_GRACE;
use crate::supervision::backoff_state::BackoffState;
use crate::supervision::builder::SupervisorBuilder;
use crate::supervision::child::{ChildEvent, ErasedSpec, SupervisedChild};
use crate::supervision::handle::{ChildInfo, ChildState, Handle, Request, SupervisorMsg};
use crate::supervision::intensity::RestartWindow;
use crate::supervision::spec::{Intensity, Restart, Shutdown, Strategy};

/// A supervisor: an actor that starts children and restarts them by OTP's
/// rules (see the [module docs](crate::supervision)).
///
/// Build one with [`Supervisor::builder`], spawn it like any actor (it can be
/// named, watched, stopped, and supervised itself, which makes trees), and
/// reach its children with the helpers on `ActorRef<Supervisor>`:
/// [`child`](crate::ActorRef::child), [`start_child`](crate::ActorRef::start_child),
/// [`remove_child`](crate::ActorRef::remove_child), [`children`](crate::ActorRef::children).
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::supervision::{ChildSpec, Strategy, Supervisor};
///
/// #[derive(Default)]
/// struct Worker;
/// impl Actor for Worker {
///     type Msg = ();
///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let sup = Supervisor::builder()
///     .strategy(Strategy::OneForAll)
///     .child(ChildSpec::new("a", Worker::default))
///     .child(ChildSpec::new("b", Worker::default))
///     .build()?;
/// let sup = system.spawn(sup).await?;
/// assert_eq!(sup.children().await?.len(), 2);
/// system.shutdown().await; // b, then a, then the supervisor
/// # Ok(())
/// # }
/// ```
pub struct Supervisor {
    strategy: Strategy,
    intensity: Intensity,
    window: RestartWindow,
    specs: Vec<Box<dyn ErasedSpec>>,
    children: Vec<Child>,
    events_tx: mpsc::UnboundedSender<ChildEvent>,
    events_rx: mpsc::UnboundedReceiver<ChildEvent>,
    stash: VecDeque<ChildEvent>,
    scheduled: Vec<Scheduled>,
}

struct Scheduled {
    at: Instant,
    keys: Vec<u64>,
}

struct Child {
    key: u64,
    id: ActorId,
    record: Box<dyn SupervisedChild>,
    state: State,
    restarts: u32,
    backoff: BackoffState,
}

enum State {
    Running,
    /// Its last instance ended; the supervisor holds its context until the
    /// restart (now or after a backoff).
    Dormant {
        ctx: Box<dyn Any + Send>,
        reason: ExitReason,
    },
    /// Ended for good (a transient child that exited cleanly); spec kept.
    Ended,
}

/// How a wait for a child's instance to end came out.
enum Ending {
    Event(ChildEvent),
    Exited,
    Stuck,
}

impl fmt::Debug for Supervisor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Supervisor")
            .field("strategy", &self.strategy)
            .field("intensity", &self.intensity)
            .field("children", &self.children.len())
            .finish_non_exhaustive()
    }
}

impl Supervisor {
    /// A builder with OTP's defaults: one-for-one, 1 restart in 5 s, no
    /// children.
    ///
    /// # Examples
    ///
    /// ```
    /// let sup = actor_core::supervision::Supervisor::builder().build();
    /// assert!(sup.is_ok());
    /// ```
    pub fn builder() -> SupervisorBuilder {
        SupervisorBuilder::default()
    }

    pub(crate) fn from_parts(
        strategy: Strategy,
        intensity: Intensity,
        specs: Vec<Box<dyn ErasedSpec>>,
    ) -> Supervisor {
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        Supervisor {
            strategy,
            intensity,
            window: RestartWindow::new(intensity),
            specs,
            children: Vec::new(),
            events_tx,
            events_rx,
            stash: VecDeque::new(),
            scheduled: Vec::new(),
        }
    }

    fn index(&self, key: u64) -> Option<usize> {
        self.children.iter().position(|c| c.key == key)
    }

    fn by_name(&self, name: &str) -> Option<usize> {
        self.children.iter().position(|c| c.record.name() == name)
    }

    fn info(child: &Child) -> ChildInfo {
        ChildInfo {
            name: child.record.name().to_string(),
            id: child.id,
            actor_type: child.record.type_name(),
            restart: child.record.restart_type(),
            state: match child.state {
                State::Running => ChildState::Running,
                State::Dormant { .. } => ChildState::Restarting,
                State::Ended => ChildState::Ended,
            },
            restarts: child.restarts,
        }
    }

    fn adopt(&mut self, record: Box<dyn SupervisedChild>) -> Handle {
        let id = record.control().core().id;
        let handle = (record.handle(), record.type_name());
        self.children.push(Child {
            key: id.seq(),
            id,
            record,
            state: State::Running,
            restarts: 0,
            backoff: BackoffState::new(id.seq()),
        });
        handle
    }

    /// Waits for child `key`'s instance to end: its event (stashing other
    /// children's), or its final exit, or `timeout`.
    async fn wait_ending(&mut self, key: u64, timeout: Option<Duration>) -> Option<Ending> {
        let Some(i) = self.index(key) else {
            return Some(Ending::Exited);
        };
        let control = std::sync::Arc::clone(self.children[i].record.control());
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            tokio::select! {
                biased;
                event = self.events_rx.recv() => match event {
                    Some(event) if event.key == key => return Some(Ending::Event(event)),
                    Some(other) => self.stash.push_back(other),
                    None => return None,
                },
                _ = control.core().wait_exit() => return Some(Ending::Exited),
                _ = tokio::time::sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => {
                    return None;
                }
            }
        }
    }

    /// Takes the report of child `key`'s instance end if it was set aside
    /// (stashed) while the supervisor waited for another child.
    fn take_stashed(&mut self, key: u64) -> Option<ChildEvent> {
        let at = self.stash.iter().position(|event| event.key == key)?;
        self.stash.remove(at)
    }

    /// Ends child `key`'s running instance by its shutdown policy: for a
    /// restart (mailbox kept) or for good.
    ///
    /// An instance that already ended by itself, its report set aside while
    /// the supervisor waited for a sibling, is not asked, waited for or
    /// killed: its report is its ending (OTP's `shutdown/1` likewise takes
    /// the child's pending `'EXIT'` with `unlink_flush/2`).
    async fn end_instance(&mut self, key: u64, for_restart: bool) -> Ending {
        let Some(i) = self.index(key) else {
            return Ending::Exited;
        };
        if let Some(event) = self.take_stashed(key) {
            return Ending::Event(event);
        }
        let control = std::sync::Arc::clone(self.children[i].record.control());
        let system = std::sync::Arc::clone(&control.core().system);
        if for_restart {
            control.request_restart();
        } else {
            control.request_stop(STOP_SHUTDOWN);
        }
        let graceful = match self.children[i].record.shutdown() {
            Shutdown::BrutalKill => None,
            Shutdown::Timeout(timeout) => self.wait_ending(key, Some(timeout)).await,
            Shutdown::Infinity => self.wait_ending(key, None).await,
        };
        if let Some(ending) = graceful {
            return ending;
        }
        control.kill();
        if let Some(ending) = self.wait_ending(key, Some(KILL_GRACE)).await {
            return ending;
        }
        system.record_stuck(control.core().id);
        tracing::error!(
            target: "actor_core::supervision",
            { actor.id = %control.core().id, child = self.children[i].record.name() },
            "child is stuck: it did not end after a kill (it never yields); abandoned"
        );
        Ending::Stuck
    }

    /// Stops every child for good, last-started first.
    async fn stop_all(&mut self) {
        while let Some(child) = self.children.last() {
            let key = child.key;
            let running = matches!(child.state, State::Running);
            let ending = if running {
                Some(self.end_instance(key, false).await)
            } else {
                None
            };
            let Some(child) = self.children.pop() else {
                break;
            };
            retire(child, ending);
        }
        self.scheduled.clear();
    }

    /// Retires what is left when the supervisor itself stops: dormant
    /// children and unread events. Running children are stopped by the
    /// generic exit, children before parents.
    fn retire_all(&mut self) {
        self.events_rx.close();
        self.scheduled.clear();
        let mut events: Vec<ChildEvent> = self.stash.drain(..).collect();
        while let Ok(event) = self.events_rx.try_recv() {
            events.push(event);
        }
        for event in events {
            if let Some(i) = self.index(event.key) {
                self.children[i].record.retire(event.ctx, event.reason);
            }
        }
        for child in &mut self.children {
            if let State::Dormant { ctx, reason } = std::mem::replace(&mut child.state, State::Running) {
                child.record.retire(ctx, reason);
            }
        }
    }

    /// Decides on one ended instance. `false` means the supervisor gave up.
    async fn on_event(&mut self, event: ChildEvent, ctx: &mut Context<Self>) -> bool {
        let Some(i) = self.index(event.key) else {
            return true; // removed meanwhile: dropping the context ends it
        };
        let ChildEvent {
            key,
            reason,
            ctx: child_ctx,
        } = event;
        let child = &mut self.children[i];
        let name = child.record.name().to_string();
        if reason.is_clean() {
            tracing::info!(
                target: "actor_core::supervision",
                { actor.id = %child.id, child = %name, supervisor = %ctx.id(), reason = %reason },
                "child exited"
            );
        } else {
            tracing::warn!(
                target: "actor_core::supervision",
                { actor.id = %child.id, child = %name, supervisor = %ctx.id(), reason = %reason },
                "child exited abnormally"
            );
        }
        match child.record.restart_type() {
            Restart::Temporary => {
                child.record.retire(child_ctx, reason);
                self.children.remove(i);
                return true;
            }
            Restart::Transient if reason.is_clean() => {
                child.record.retire(child_ctx, reason);
                child.state = State::Ended;
                return true;
            }
            Restart::Permanent | Restart::Transient => {}
        }
        let child_id = child.id;
        let last_reason = reason.to_string();
        child.state = State::Dormant {
            ctx: child_ctx,
            reason,
        };
        let now = Instant::now();
        if !self.window.add(now) {
            tracing::error!(
                target: "actor_core::supervision",
                {
                    actor.id = %ctx.id(),
                    child = %name,
                    child.id = %child_id,
                    reason = %last_reason,
                    max_restarts = self.intensity.max_restarts,
                    period = ?self.intensity.period,
                },
                "supervisor gave up: restart intensity exceeded; stopping its children and escalating"
            );
            self.stop_all().await;
            // Exit with `Shutdown` without the parent's stop bit, so a
            // supervisor above still sees this end and decides (escalation).
            ctx.cell.core.set_exit_cause(ExitReason::Shutdown);
            return false;
        }
        let group: Vec<u64> = match self.strategy {
            Strategy::OneForOne => vec![key],
            Strategy::OneForAll => self.restartable_keys(0),
            Strategy::RestForOne => self.restartable_keys(i),
        };
        for &other in group.iter().rev().filter(|&&k| k != key) {
            let running = self
                .index(other)
                .is_some_and(|j| matches!(self.children[j].state, State::Running));
            if !running {
                continue;
            }
            let ending = self.end_instance(other, true).await;
            let Some(j) = self.index(other) else { continue };
            match ending {
                Ending::Event(event) => {
                    // A sibling that crashed before it could be stopped has
                    // ended all the same: it restarts with the group, and its
                    // crash is part of this restart (as OTP reports a
                    // `shutdown_error` and counts nothing more).
                    if !event.reason.is_clean() {
                        tracing::warn!(
                            target: "actor_core::supervision",
                            {
                                actor.id = %self.children[j].id,
                                child = self.children[j].record.name(),
                                supervisor = %ctx.id(),
                                reason = %event.reason,
                            },
                            "child exited abnormally while being stopped for a group restart"
                        );
                    }
                    self.children[j].state = State::Dormant {
                        ctx: event.ctx,
                        reason: event.reason,
                    };
                }
                Ending::Exited | Ending::Stuck => {
                    self.children.remove(j);
                }
            }
        }
        // Temporary casualties are never restarted: their specs go.
        for &other in &group {
            let Some(j) = self.index(other) else { continue };
            if other != key && self.children[j].record.restart_type() == Restart::Temporary {
                let child = self.children.remove(j);
                if let State::Dormant { ctx, reason } = child.state {
                    child.record.retire(ctx, reason);
                }
            }
        }
        let keys: Vec<u64> = group.into_iter().filter(|k| self.index(*k).is_some()).collect();
        // Look the child up again: siblings may have been removed above.
        let delay = match self.index(key) {
            Some(j) => match self.children[j].record.backoff() {
                Some(backoff) => self.children[j].backoff.next_delay(&backoff, now),
                None => Duration::ZERO,
            },
            None => Duration::ZERO,
        };
        if delay.is_zero() {
            self.restart(keys).await;
        } else {
            tracing::info!(
                target: "actor_core::supervision",
                { actor.id = %child_id, child = %name, supervisor = %ctx.id(), delay = ?delay },
                "child restart scheduled after backoff"
            );
            self.scheduled.push(Scheduled {
                at: now + delay,
                keys,
            });
        }
        true
    }

    /// Keys of the children from index `from` on that may be restarted.
    fn restartable_keys(&self, from: usize) -> Vec<u64> {
        self.children[from..]
            .iter()
            .filter(|c| !matches!(c.state, State::Ended))
            .map(|c| c.key)
            .collect()
    }

    /// Restarts the dormant children among `keys`, in order. A child that
    /// fails to start counts as a new crash (OTP counts every retry).
    async fn restart(&mut self, keys: Vec<u64>) {
        for key in keys {
            let Some(i) = self.index(key) else { continue };
            let State::Dormant { ctx, reason } =
                std::mem::replace(&mut self.children[i].state, State::Running)
            else {
                continue;
            };
            match self.children[i].record.restart(ctx).await {
                Ok(true) => {
                    let child = &mut self.children[i];
                    child.restarts += 1;
                    child.backoff.started(Instant::now());
                    tracing::info!(
                        target: "actor_core::supervision",
                        { actor.id = %child.id, child = child.record.name(), after = %reason, restarts = child.restarts },
                        "child restarted"
                    );
                }
                Ok(false) => {
                    self.children.remove(i);
                }
                Err(failure) => {
                    self.stash.push_front(failure);
                    return;
                }
            }
        }
    }

    async fn run_due(&mut self) {
        let now = Instant::now();
        let (due, later): (Vec<Scheduled>, Vec<Scheduled>) = std::mem::take(&mut self.scheduled)
            .into_iter()
            .partition(|s| s.at <= now);
        self.scheduled = later;
        for scheduled in due {
            self.restart(scheduled.keys).await;
        }
    }
}

/// Ends a removed child for good with whatever context the supervisor holds
/// for it: from the event of its last instance, or from its dormant state.
fn retire(child: Child, ending: Option<Ending>) {
    match (ending, child.state) {
        (Some(Ending::Event(event)), _) => child.record.retire(event.ctx, event.reason),
        (_, State::Dormant { ctx, reason }) => child.record.retire(ctx, reason),
        _ => {}
    }
}

impl Actor for Supervisor {
    type Msg = SupervisorMsg;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        for spec in std::mem::take(&mut self.specs) {
            let name = spec.name().to_string();
            match spec.start(ctx, self.events_tx.clone()).await {
                Ok(record) => {
                    self.adopt(record);
                }
                Err(source) => {
                    self.stop_all().await;
                    return Err(Box::new(SupervisorError::ChildStartFailed {
                        child: name,
                        source,
                    }));
                }
            }
        }
        Ok(())
    }

    async fn handle(&mut self, msg: SupervisorMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg.0 {
            Request::Child { name, reply } => {
                let handle = self.by_name(&name).map(|i| {
                    (
                        self.children[i].record.handle(),
                        self.children[i].record.type_name(),
                    )
                });
                let _ = reply.send(handle);
            }
            Request::StartChild { spec, reply } => {
                let name = spec.name().to_string();
                let result = if self.by_name(&name).is_some() {
                    Err(SupervisorError::DuplicateChild(name))
                } else if let Err(error) = spec.validate() {
                    Err(error)
                } else {
                    match spec.start(ctx, self.events_tx.clone()).await {
                        Ok(record) => Ok(self.adopt(record)),
                        Err(source) => Err(SupervisorError::ChildStartFailed { child: name, source }),
                    }
                };
                let _ = reply.send(result);
            }
            Request::RemoveChild { name, reply } => {
                let result = match self.by_name(&name) {
                    None => Err(SupervisorError::NoSuchChild(name)),
                    Some(i) => {
                        let key = self.children[i].key;
                        let ending = if matches!(self.children[i].state, State::Running) {
                            Some(self.end_instance(key, false).await)
                        } else {
                            None
                        };
                        if let Some(i) = self.index(key) {
                            retire(self.children.remove(i), ending);
                        }
                        for scheduled in &mut self.scheduled {
                            scheduled.keys.retain(|k| *k != key);
                        }
                        Ok(())
                    }
                };
                let _ = reply.send(result);
            }
            Request::Children { reply } => {
                let _ = reply.send(self.children.iter().map(Supervisor::info).collect());
            }
        }
        Ok(())
    }

    async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        loop {
            if let Some(event) = self.stash.pop_front() {
                if !self.on_event(event, ctx).await {
                    break;
                }
                continue;
            }
            let next_due = self.scheduled.iter().map(|s| s.at).min();
            tokio::select! {
                biased;
                Some(event) = self.events_rx.recv() => {
                    if !self.on_event(event, ctx).await {
                        break;
                    }
                }
                _ = tokio::time::sleep_until(next_due.unwrap_or_else(Instant::now)), if next_due.is_some() => {
                    self.run_due().await;
                }
                msg = ctx.recv() => match msg {
                    Some(msg) => self.handle(msg, ctx).await?,
                    None => break,
                },
            }
        }
        self.retire_all();
        Ok(())
    }
}
