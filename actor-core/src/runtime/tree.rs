//! Stopping a subtree: children before parents, later-started first, each
//! within its stop timeout, then killed.
//!
//! Stopping one child, by its [`Shutdown`] policy (OTP's `shutdown`):
//! 1. request a graceful stop (reason `Shutdown`);
//! 2. wait up to the child's stop timeout for it to exit (`Infinity`: as
//!    long as it takes; `BrutalKill`: not at all);
//! 3. kill it, and wait up to [`KILL_GRACE`] more;
//! 4. a child still running then (it spins without ever reaching an
//!    `.await`, which no Rust runtime can interrupt) is reported as stuck and
//!    left behind, so the stop itself always ends.
//!
//! If the stopping parent is itself killed meanwhile, the wait in step 2 is
//! cut short: every remaining child is killed at once.

use std::future::poll_fn;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use crate::mailbox::queue::STOP_SHUTDOWN;
use crate::runtime::cell::{Children, Control};
use crate::supervision::Shutdown;
use crate::system::SystemInner;

/// How long a killed actor may take to unwind before it is reported stuck.
pub(crate) const KILL_GRACE: Duration = Duration::from_secs(1);

/// Stops `child` as described in the module docs. `aborted` says whether the
/// caller itself was killed (then the child is killed without waiting).
pub(crate) async fn stop_child(
    child: &Arc<dyn Control>,
    system: &SystemInner,
    aborted: &(dyn Fn() -> bool + Sync),
) {
    let core = child.core();
    // Always set the stop bit first: a supervised child seeing it ends for
    // good instead of reporting to its supervisor for a restart.
    child.request_stop(STOP_SHUTDOWN);
    if core.is_dormant() {
        // A supervised child between instances: its supervisor (or the drop
        // of its context) ends it; there is no instance to wait for.
        return;
    }
    let abort = poll_fn(|_| if aborted() { Poll::Ready(()) } else { Poll::Pending });
    let in_time = match core.shutdown {
        Shutdown::BrutalKill => false,
        Shutdown::Timeout(timeout) => tokio::select! {
            biased;
            _ = core.wait_exit() => true,
            _ = abort => false,
            _ = tokio::time::sleep(timeout) => false,
        },
        Shutdown::Infinity => tokio::select! {
            biased;
            _ = core.wait_exit() => true,
            _ = abort => false,
        },
    };
    if in_time {
        return;
    }
    kill_and_wait(child, system).await;
}

/// Kills `child` and waits [`KILL_GRACE`] for it to end; reports it stuck if
/// it does not. Returns whether it ended.
pub(crate) async fn kill_and_wait(child: &Arc<dyn Control>, system: &SystemInner) -> bool {
    let core = child.core();
    child.kill();
    if !matches!(core.shutdown, Shutdown::BrutalKill) {
        // The shutdown report lists the kills of the shutdown only, not those
        // of an earlier supervisor stop or removal.
        if system.is_shut_down() {
            system.record_killed(core.id);
        }
        tracing::warn!(
            target: "actor_core::lifecycle",
            {
                actor.id = %core.id,
                actor.name = core.display_name(),
                actor.r#type = core.type_name,
                shutdown = ?core.shutdown,
            },
            "actor did not stop in time and was killed"
        );
    }
    if tokio::time::timeout(KILL_GRACE, core.wait_exit()).await.is_ok() {
        return true;
    }
    system.record_stuck(core.id);
    tracing::error!(
        target: "actor_core::lifecycle",
        {
            actor.id = %core.id,
            actor.name = core.display_name(),
            actor.r#type = core.type_name,
        },
        "actor is stuck: it did not end after a kill (it never yields); left running"
    );
    false
}

/// Stops every child in `children`, last-started first, and closes the set to
/// new children.
///
/// An actor with no children (the usual case) returns at once. Otherwise the
/// stopping runs in a boxed future: stopping a child holds timers and waits
/// (about 400 bytes), and every actor's task would carry that space for its
/// whole life if it were inline, for one use at its end.
pub(crate) async fn stop_children(
    children: &Children,
    system: &SystemInner,
    aborted: &(dyn Fn() -> bool + Sync),
) {
    if let Some(last) = children.close_and_pop_last() {
        Box::pin(stop_each(last, children, system, aborted)).await;
    }
}

/// [`stop_children`]'s loop, from its first child on.
async fn stop_each(
    first: Arc<dyn Control>,
    children: &Children,
    system: &SystemInner,
    aborted: &(dyn Fn() -> bool + Sync),
) {
    let mut next = Some(first);
    while let Some(child) = next {
        stop_child(&child, system, aborted).await;
        next = children.close_and_pop_last();
    }
}
