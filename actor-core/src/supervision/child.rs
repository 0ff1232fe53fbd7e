//! A supervised child: its typed record inside the supervisor, the task that
//! runs each of its instances, and the event that reports an instance's end.
//!
//! An instance's end travels to the supervisor with the child's
//! [`Context`] (its mailbox receiver and batch), so nothing queued is lost:
//! a restart hands the same context to a fresh instance on a new task. The
//! supervisor is the only one deciding; a child whose supervisor is gone, or
//! that was stopped by its parent (`STOP_SHUTDOWN`), ends for good by itself.

use std::any::Any;
use std::sync::{Arc, Weak};

use async_trait::async_trait;
use tokio::sync::mpsc;

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::context::Context;
use crate::error::{SpawnError, SupervisorError, valid_timeout};
use crate::exit::ExitReason;
use crate::mailbox::MailboxKind;
use crate::mailbox::queue::STOP_SHUTDOWN;
use crate::runtime::cell::{Control, Parent};
use crate::runtime::lifecycle;
use crate::runtime::tree::stop_children;
use crate::spawn::create;
use crate::supervision::spec::{Backoff, ChildSpec, Restart, Shutdown};
use crate::supervision::supervisor::Supervisor;

/// An instance of a supervised child ended; the supervisor now owns its
/// context until it restarts or retires it.
pub(crate) struct ChildEvent {
    pub(crate) key: u64,
    pub(crate) reason: ExitReason,
    pub(crate) ctx: Box<dyn Any + Send>,
}

/// Where a child's instances report their end.
#[derive(Clone)]
pub(crate) struct ChildLink {
    key: u64,
    events: mpsc::UnboundedSender<ChildEvent>,
}

/// The task body of one instance of a supervised child.
async fn run_supervised<A: Actor>(mut actor: A, mut ctx: Context<A>, link: ChildLink) {
    let reason = lifecycle::run_instance(&mut actor, &mut ctx, true).await;
    drop(actor);
    if ctx.cell.mailbox.control() & STOP_SHUTDOWN != 0 {
        // Stopped for good by the supervisor (or above it).
        lifecycle::finish(&mut ctx, reason);
        return;
    }
    // While no instance runs the child is dormant: whoever stops it for good
    // does not wait for an instance (the supervisor retires it, or the
    // context, dropped with a killed supervisor, publishes the exit). The
    // stopper sets its stop bit then reads `dormant`; we set `dormant` then
    // read the stop bit: with the fences, one of us sees the other.
    ctx.cell.core.set_dormant(true);
    if ctx.cell.mailbox.control() & STOP_SHUTDOWN != 0 {
        lifecycle::finish(&mut ctx, reason);
        return;
    }
    let event = ChildEvent {
        key: link.key,
        reason,
        ctx: Box::new(ctx),
    };
    if let Err(mpsc::error::SendError(event)) = link.events.send(event) {
        // The supervisor is gone: nobody will restart us.
        if let Ok(mut ctx) = event.ctx.downcast::<Context<A>>() {
            lifecycle::finish(&mut ctx, event.reason);
        }
    }
}

/// A child as the supervisor sees it, whatever its actor type.
#[async_trait]
pub(crate) trait SupervisedChild: Send + Sync {
    fn name(&self) -> &str;
    fn type_name(&self) -> &'static str;
    fn restart_type(&self) -> Restart;
    fn shutdown(&self) -> Shutdown;
    fn backoff(&self) -> Option<Backoff>;
    fn control(&self) -> &Arc<dyn Control>;
    /// The typed `ActorRef<A>`, for typed lookups.
    fn handle(&self) -> Arc<dyn Any + Send + Sync>;
    /// Starts a fresh instance on `ctx`. A failed `started` gives the event
    /// back (it counts as a crash); `Ok(false)` means the child was stopped
    /// for good meanwhile and was retired instead.
    async fn restart(&self, ctx: Box<dyn Any + Send>) -> Result<bool, ChildEvent>;
    /// Ends the child for good with `reason`.
    fn retire(&self, ctx: Box<dyn Any + Send>, reason: ExitReason);
}

struct Typed<A: Actor> {
    spec: ChildSpec<A>,
    actor_ref: ActorRef<A>,
    control: Arc<dyn Control>,
    link: ChildLink,
}

#[async_trait]
impl<A: Actor> SupervisedChild for Typed<A> {
    fn name(&self) -> &str {
        &self.spec.name
    }

    fn type_name(&self) -> &'static str {
        std::any::type_name::<A>()
    }

    fn restart_type(&self) -> Restart {
        self.spec.restart
    }

    fn shutdown(&self) -> Shutdown {
        self.spec.shutdown
    }

    fn backoff(&self) -> Option<Backoff> {
        self.spec.backoff
    }

    fn control(&self) -> &Arc<dyn Control> {
        &self.control
    }

    fn handle(&self) -> Arc<dyn Any + Send + Sync> {
        Arc::new(self.actor_ref.clone())
    }

    async fn restart(&self, ctx: Box<dyn Any + Send>) -> Result<bool, ChildEvent> {
        let Ok(mut ctx) = ctx.downcast::<Context<A>>() else {
            return Ok(false);
        };
        if !ctx.cell.mailbox.reset_for_restart() {
            lifecycle::finish(&mut ctx, ExitReason::Shutdown);
            return Ok(false);
        }
        ctx.cell.core.children.reopen();
        ctx.cell.core.set_dormant(false);
        ctx.cell.core.count_restart();
        // Sources belong to the instance that attached them.
        ctx.sources.clear();
        let mut actor = (self.spec.factory)();
        match lifecycle::start(&mut actor, &mut ctx).await {
            Ok(()) => {
                drop(tokio::spawn(run_supervised(actor, *ctx, self.link.clone())));
                Ok(true)
            }
            Err((error, reason)) => {
                // Whatever the failed `started` spawned goes; the next
                // attempt starts from nothing.
                let core = &ctx.cell.core;
                stop_children(&core.children, &core.system, &|| false).await;
                ctx.cell.core.set_dormant(true);
                tracing::warn!(
                    target: "actor_core::supervision",
                    { actor.id = %ctx.id(), child = %self.spec.name, error = %error },
                    "child failed to restart"
                );
                Err(ChildEvent {
                    key: self.link.key,
                    reason,
                    ctx,
                })
            }
        }
    }

    fn retire(&self, ctx: Box<dyn Any + Send>, reason: ExitReason) {
        if let Ok(mut ctx) = ctx.downcast::<Context<A>>() {
            lifecycle::finish(&mut ctx, reason);
        }
    }
}

/// A spec whose actor type is erased, ready to be started under a supervisor.
#[async_trait]
pub(crate) trait ErasedSpec: Send + Sync {
    fn name(&self) -> &str;
    fn validate(&self) -> Result<(), SupervisorError>;
    async fn start(
        self: Box<Self>,
        supervisor: &mut Context<Supervisor>,
        events: mpsc::UnboundedSender<ChildEvent>,
    ) -> Result<Box<dyn SupervisedChild>, SpawnError>;
}

#[async_trait]
impl<A: Actor> ErasedSpec for ChildSpec<A> {
    fn name(&self) -> &str {
        &self.name
    }

    fn validate(&self) -> Result<(), SupervisorError> {
        let problem = match (self.mailbox, self.shutdown, self.backoff) {
            (MailboxKind::Bounded(0), _, _) => Some("mailbox capacity must be at least 1"),
            (_, Shutdown::Timeout(t), _) if !valid_timeout(t) => {
                Some("shutdown timeout must be greater than zero and at most one day")
            }
            (_, _, Some(b)) if !b.is_valid() => {
                Some("backoff needs 0 < min <= max <= one day and a finite random factor between 0 and 10")
            }
            _ => None,
        };
        match problem {
            Some(problem) => Err(SupervisorError::InvalidSpec {
                child: self.name.to_string(),
                problem,
            }),
            None => Ok(()),
        }
    }

    async fn start(
        self: Box<Self>,
        supervisor: &mut Context<Supervisor>,
        events: mpsc::UnboundedSender<ChildEvent>,
    ) -> Result<Box<dyn SupervisedChild>, SpawnError> {
        let capacity = match self.mailbox {
            MailboxKind::Bounded(0) => return Err(SpawnError::ZeroCapacity),
            MailboxKind::Bounded(n) => Some(n),
            MailboxKind::Unbounded => None,
        };
        let parent: Weak<dyn Control> = Arc::downgrade(&supervisor.cell) as Weak<dyn Control>;
        let core = &supervisor.cell.core;
        let (actor_ref, mut ctx) = create::<A>(
            &core.system,
            Parent::Actor(parent),
            &core.children,
            Some(Arc::clone(&self.name)),
            capacity,
            self.shutdown,
        )?;
        let link = ChildLink {
            key: actor_ref.id().seq(),
            events,
        };
        let mut actor = (self.factory)();
        if let Err((error, reason)) = lifecycle::start(&mut actor, &mut ctx).await {
            lifecycle::abort_start(&mut ctx, reason).await;
            return Err(error);
        }
        tracing::debug!(
            target: "actor_core::supervision",
            { actor.id = %actor_ref.id(), child = %self.name, supervisor = %supervisor.id() },
            "child started"
        );
        drop(tokio::spawn(run_supervised(actor, ctx, link.clone())));
        let control: Arc<dyn Control> = Arc::clone(&actor_ref.cell) as Arc<dyn Control>;
        Ok(Box::new(Typed {
            spec: *self,
            actor_ref,
            control,
            link,
        }))
    }
}
