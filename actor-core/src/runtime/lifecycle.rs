//! An actor's life: start, run, exit. See the [runtime guide](crate::runtime)
//! for the order of things.

use std::sync::Arc;

use crate::actor::Actor;
use crate::context::Context;
use crate::error::SpawnError;
use crate::exit::ExitReason;
use crate::mailbox::queue::{RESTART, Receiver, STOP_SHUTDOWN};
use crate::runtime::cell::{Cell, Core, Parent};
use crate::runtime::guard::{Outcome, guarded};
use crate::runtime::tree::stop_children;

/// Runs `started` under the guard. On failure, returns the spawn error and
/// the exit reason the actor ends with.
pub(crate) async fn start<A: Actor>(
    actor: &mut A,
    ctx: &mut Context<A>,
) -> Result<(), (SpawnError, ExitReason)> {
    let cell = Arc::clone(&ctx.cell);
    let id = cell.core.id;
    match guarded(&cell, actor.started(ctx)).await {
        Outcome::Done(Ok(())) => {
            #[cfg(feature = "metrics")]
            crate::introspect::metrics::count_started(&cell.core);
            tracing::debug!(
                target: "actor_core::lifecycle",
                {
                    actor.id = %id,
                    actor.name = cell.core.display_name(),
                    actor.r#type = cell.core.type_name,
                },
                "actor started"
            );
            Ok(())
        }
        Outcome::Done(Err(error)) => {
            let source: Arc<dyn std::error::Error + Send + Sync> = Arc::from(error);
            let reason = ExitReason::Failed(Arc::clone(&source));
            Err((SpawnError::StartFailed { id, source }, reason))
        }
        Outcome::Panicked(message) => {
            let error = SpawnError::StartPanicked {
                id,
                message: message.to_string(),
            };
            Err((error, ExitReason::Panicked(message)))
        }
        Outcome::Killed => Err((SpawnError::KilledWhileStarting(id), ExitReason::Killed)),
    }
}

/// Runs an unsupervised actor's receive loop, then its exit.
///
/// An `async` block rather than an `async fn`: the block keeps `actor` and
/// `ctx` in one slot each, where an `async fn` stored its parameters twice
/// (as arguments, then as locals), 120 bytes more in every actor's task.
#[expect(
    clippy::manual_async_fn,
    reason = "an async fn stores its parameters twice; see above"
)]
pub(crate) fn run<A: Actor>(mut actor: A, mut ctx: Context<A>) -> impl Future<Output = ()> + Send {
    async move {
        let reason = run_instance(&mut actor, &mut ctx, false).await;
        drop(actor);
        finish(&mut ctx, reason);
    }
}

/// Runs one instance of an actor to its end: `run` under the guard, then its
/// children are stopped and `stopped` is called (unless it was killed).
/// Returns the instance's exit reason.
///
/// With `keep_mailbox` (a supervised actor that may be restarted) the queue
/// is left for the next instance; otherwise the mailbox is closed and drained
/// first, so senders learn at once and queued asks fail at once.
pub(crate) async fn run_instance<A: Actor>(
    actor: &mut A,
    ctx: &mut Context<A>,
    keep_mailbox: bool,
) -> ExitReason {
    let cell = Arc::clone(&ctx.cell);
    let core = &cell.core;
    let outcome = guarded(&cell, actor.run(ctx)).await;
    // A handler that failed, panicked or was killed has ended too.
    ctx.end_handling();
    let cause = core.take_exit_cause();
    let decided = cause.is_some();
    let mut reason = match outcome {
        Outcome::Done(Ok(())) => cause.unwrap_or_else(|| {
            if cell.mailbox.control() & (STOP_SHUTDOWN | RESTART) != 0 {
                ExitReason::Shutdown
            } else {
                ExitReason::Normal
            }
        }),
        Outcome::Done(Err(error)) => ExitReason::Failed(Arc::from(error)),
        Outcome::Panicked(message) => ExitReason::Panicked(message),
        Outcome::Killed => cause.unwrap_or(ExitReason::Killed),
    };
    if let ExitReason::Panicked(message) = &reason {
        tracing::error!(
            target: "actor_core::lifecycle",
            {
                actor.id = %core.id,
                actor.name = core.display_name(),
                actor.r#type = core.type_name,
                panic = %message,
            },
            "actor panicked"
        );
    }
    if !keep_mailbox {
        drain(&cell, &mut ctx.rx);
    }
    let killed = || cell.mailbox.is_killed();
    stop_children(&core.children, &core.system, &killed).await;
    if !killed() {
        match guarded(&cell, actor.stopped(ctx, &reason)).await {
            Outcome::Done(()) | Outcome::Killed => {}
            Outcome::Panicked(message) => tracing::error!(
                target: "actor_core::lifecycle",
                {
                    actor.id = %core.id,
                    actor.name = core.display_name(),
                    actor.r#type = core.type_name,
                    panic = %message,
                },
                "actor panicked in `stopped`"
            ),
        }
    }
    // A kill during the exit makes a clean exit a kill, unless the runtime
    // decided the reason itself (a linked exit arrives as a kill with its own).
    if killed() && reason.is_clean() && !decided {
        reason = ExitReason::Killed;
    }
    reason
}

/// Ends an actor whose `started` failed: children it spawned are stopped,
/// then the exit is published (no `stopped` call).
pub(crate) async fn abort_start<A: Actor>(ctx: &mut Context<A>, reason: ExitReason) {
    let cell = Arc::clone(&ctx.cell);
    drain(&cell, &mut ctx.rx);
    let killed = || cell.mailbox.is_killed();
    stop_children(&cell.core.children, &cell.core.system, &killed).await;
    drain(&cell, &mut ctx.rx);
    publish_exit(&cell.core, reason);
    cell.mailbox.clear_wakers();
}

/// The last step of every actor: drops what is left in the mailbox (dead
/// letters), publishes the exit reason and leaves the parent.
pub(crate) fn finish<A: Actor>(ctx: &mut Context<A>, reason: ExitReason) {
    let cell = Arc::clone(&ctx.cell);
    drain(&cell, &mut ctx.rx);
    #[cfg(feature = "metrics")]
    crate::introspect::metrics::count_stopped(&cell.core, &reason);
    publish_exit(&cell.core, reason);
    cell.mailbox.clear_wakers();
}

/// Closes the mailbox and drops what is left in it: each dropped message is
/// a dead letter, and an ask among them fails at once (its reply port drops).
pub(crate) fn drain<M>(cell: &Cell<M>, rx: &mut Receiver<M>) {
    let dropped = cell.mailbox.close_and_drain(rx);
    let count = dropped.len();
    drop(dropped);
    if count > 0 {
        cell.core.system.add_dead_letters(count as u64);
        #[cfg(feature = "metrics")]
        crate::introspect::metrics::count_dead_letters(&cell.core, count as u64);
        tracing::warn!(
            target: "actor_core::lifecycle",
            {
                actor.id = %cell.core.id,
                actor.name = cell.core.display_name(),
                actor.r#type = cell.core.type_name,
                count,
            },
            "dead letters: messages dropped unhandled"
        );
    }
}

/// Publishes the exit reason, wakes the waiters and leaves the parent.
pub(crate) fn publish_exit(core: &Core, reason: ExitReason) {
    tracing::debug!(
        target: "actor_core::lifecycle",
        {
            actor.id = %core.id,
            actor.name = core.display_name(),
            actor.r#type = core.type_name,
            reason = %reason,
        },
        "actor stopped"
    );
    // Leave the tree first, so whoever wakes on the exit sees it gone.
    match &core.parent {
        Parent::Root => {
            core.system.root.remove(core.id);
            if core.system.root.len() == 0 {
                // The watchdog ends with the last top-level actor.
                core.system.watchdog.wake();
            }
        }
        Parent::Actor(parent) => {
            if let Some(parent) = parent.upgrade() {
                parent.core().children.remove(core.id);
            }
        }
    }
    core.set_exit(reason);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::DEFAULT_STOP_TIMEOUT;
    use crate::error::BoxError;
    use crate::spawn::create;
    use crate::supervision::Shutdown;
    use crate::system::System;

    struct Idle;

    impl Actor for Idle {
        type Msg = u64;

        async fn handle(&mut self, _: u64, _: &mut Context<Self>) -> Result<(), BoxError> {
            Ok(())
        }
    }

    /// Every actor's task holds this future for its whole life, so its size
    /// is per-actor memory. It was 800 bytes for this actor while `guarded`
    /// and `run` were `async fn`s (their parameters stored twice) and the
    /// children's stop was inline; 392 since.
    #[tokio::test]
    async fn an_idle_actors_task_future_stays_small() {
        let system = System::new();
        let inner = system.inner();
        let (_handle, ctx) = create::<Idle>(
            inner,
            Parent::Root,
            &inner.root,
            None,
            Some(1024),
            Shutdown::Timeout(DEFAULT_STOP_TIMEOUT),
        )
        .unwrap();
        let future = run(Idle, ctx);
        let size = size_of_val(&future);
        assert!(size <= 448, "the actor task's future is {size} bytes");
    }
}
