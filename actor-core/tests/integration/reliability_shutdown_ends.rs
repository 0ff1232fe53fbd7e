//! Promise: `System::shutdown` ends within the sum of its actors' stop
//! timeouts whatever the actors do, and leaves no task alive.
//!
//! One system holds every way of ignoring a stop at once: a handler that
//! awaits forever, a `stopped` hook that never returns, a loop actor that
//! never calls `recv`, a supervisor whose children use each `Shutdown`
//! policy (one of them the parent of nested children that hang), a
//! supervisor under which an `Infinity` chain hangs forever, and a
//! supervisor stuck in a restart whose `started` never returns. Each
//! top-level actor is bounded by its own stop timeout (its children by
//! theirs inside it), so on tokio's paused clock the shutdown takes exactly
//! the time the rules give, at most the sum of the top-level timeouts; the
//! report names the actors it had to kill, in order, and none stuck (brutal
//! kills are a policy and not reported, nor is the child dropped mid-start
//! with its killed supervisor); and the runtime's alive-task count is back
//! to where it started. Actors on dedicated threads get the same (the test
//! holds the clock and moves it itself).
//!
//! Not repeated here: top-level handler and loop actors alone, a parent's
//! timeout bounding its child, and bad options (`shutdown_timeout.rs`); a
//! spinning thread actor reported stuck (`shutdown_stuck_actor.rs`); stop
//! order and repeated shutdowns (`shutdown_order.rs`); a busy tree on a
//! multi-thread runtime (`no_leaked_tasks.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::common::alive::{alive_tasks, settle_alive_tasks};
use crate::common::stubborn::{Msg, StopLog as Log, Stopping, Stubborn, child_of, hang, stubborn};
use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, Shutdown, Supervisor};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn stop_timeout(time: Duration) -> SpawnOptions {
    SpawnOptions::new().stop_timeout(time)
}

/// A supervised actor whose every `started` after the first awaits forever.
struct Reborn {
    instance: u32,
    starts: mpsc::UnboundedSender<u32>,
}

impl Actor for Reborn {
    /// Every message is a crash.
    type Msg = ();

    async fn started(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.starts.send(self.instance)?;
        if self.instance > 1 {
            std::future::pending::<()>().await;
        }
        Ok(())
    }

    async fn handle(&mut self, (): (), _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        Err("crash".into())
    }
}

// Stop timeouts, and what each actor does with them.
/// Top level: a handler awaiting forever.
const HANG: Duration = secs(1);
/// Top level: a loop actor that never calls `recv`.
const DEAF: Duration = secs(2);
/// Top level: a `stopped` hook that never returns.
const NEVER: Duration = secs(3);
/// Top level: a supervisor with one child per policy, which it outlasts.
const POLICIES: Duration = secs(60);
/// Its child under `Timeout`, awaiting forever in a handler.
const CHILD_TIMEOUT: Duration = secs(4);
/// Its child under `Infinity`, whose `stopped` takes this long.
const CHILD_STOPPING: Duration = secs(5);
/// Its child under `Timeout`, parent of a hanging child with a longer one.
const NEST: Duration = secs(1);
const NESTED: Duration = secs(10);
/// Top level: a supervisor over an `Infinity` supervisor over an
/// `Infinity` child that awaits forever.
const CHAIN: Duration = secs(2);
/// Top level: a supervisor stuck restarting a child.
const REBORN: Duration = secs(1);

/// A supervisor whose children use each shutdown policy, started in this
/// order: `brutal` (hangs), `timeout` (hangs), `infinity` (slow `stopped`),
/// `nest` (its child `nested` hangs; that one's child is idle).
fn policies(log: &Log) -> Supervisor {
    let spec = |name: &'static str, make: fn(&'static str, &Log) -> Stubborn| {
        let log = Arc::clone(log);
        ChildSpec::new(name, move || make(name, &log))
    };
    let slow_stop = |name, log: &Log| Stubborn {
        stopping: Stopping::Takes(CHILD_STOPPING),
        ..stubborn(name, log)
    };
    let nest = |name, log: &Log| {
        let grandchild = (stubborn("deepest", log), SpawnOptions::new());
        let nested = Stubborn {
            child: Some(Box::new(grandchild)),
            ..stubborn("nested", log)
        };
        Stubborn {
            child: Some(Box::new((nested, stop_timeout(NESTED)))),
            ..stubborn(name, log)
        }
    };
    Supervisor::builder()
        .child(spec("brutal", stubborn).shutdown(Shutdown::BrutalKill))
        .child(spec("timeout", stubborn).shutdown(Shutdown::Timeout(CHILD_TIMEOUT)))
        .child(spec("infinity", slow_stop).shutdown(Shutdown::Infinity))
        .child(spec("nest", nest).shutdown(Shutdown::Timeout(NEST)))
        .build()
        .unwrap()
}

/// `chain` → `middle` (`Infinity`) → `endless` (`Infinity`).
fn chain(log: &Log) -> Supervisor {
    let log = Arc::clone(log);
    let middle = move || {
        let log = Arc::clone(&log);
        let endless = ChildSpec::new("endless", move || stubborn("endless", &log));
        Supervisor::builder()
            .child(endless.shutdown(Shutdown::Infinity))
            .build()
            .unwrap()
    };
    Supervisor::builder()
        .child(ChildSpec::new("middle", middle).shutdown(Shutdown::Infinity))
        .build()
        .unwrap()
}

fn reborn(starts: &mpsc::UnboundedSender<u32>) -> Supervisor {
    let starts = starts.clone();
    let instances = Arc::new(AtomicU32::new(0));
    let child = ChildSpec::new("reborn", move || Reborn {
        instance: instances.fetch_add(1, Ordering::Relaxed) + 1,
        starts: starts.clone(),
    });
    Supervisor::builder().child(child).build().unwrap()
}

fn killed(reason: Option<ExitReason>) -> bool {
    matches!(reason, Some(ExitReason::Killed))
}

#[tokio::test(start_paused = true)]
async fn a_shutdown_ends_within_its_timeouts_whatever_the_actors_do() {
    let tasks_before = alive_tasks();
    let log = Log::default();
    let system = System::new();

    let hanging = system
        .spawn_with(stubborn("hanging", &log), stop_timeout(HANG))
        .await
        .unwrap();
    hang(&hanging).await;
    let deaf = Stubborn {
        deaf: true,
        ..stubborn("deaf", &log)
    };
    let deaf = system.spawn_with(deaf, stop_timeout(DEAF)).await.unwrap();
    let never = Stubborn {
        stopping: Stopping::Never,
        ..stubborn("never", &log)
    };
    let never = system.spawn_with(never, stop_timeout(NEVER)).await.unwrap();

    let sup = system
        .spawn_with(policies(&log), stop_timeout(POLICIES))
        .await
        .unwrap();
    let brutal: ActorRef<Stubborn> = sup.child("brutal").await.unwrap();
    let timeout: ActorRef<Stubborn> = sup.child("timeout").await.unwrap();
    let infinity: ActorRef<Stubborn> = sup.child("infinity").await.unwrap();
    let nest: ActorRef<Stubborn> = sup.child("nest").await.unwrap();
    let nested = child_of(&nest).await;
    let deepest = child_of(&nested).await;
    hang(&brutal).await;
    hang(&timeout).await;
    hang(&nested).await;

    let chain = system.spawn_with(chain(&log), stop_timeout(CHAIN)).await.unwrap();
    let middle: ActorRef<Supervisor> = chain.child("middle").await.unwrap();
    let endless: ActorRef<Stubborn> = middle.child("endless").await.unwrap();
    hang(&endless).await;

    let (starts_tx, mut starts) = mpsc::unbounded_channel();
    let restarting = system
        .spawn_with(reborn(&starts_tx), stop_timeout(REBORN))
        .await
        .unwrap();
    let reborn: ActorRef<Reborn> = restarting.child("reborn").await.unwrap();
    assert_eq!(starts.recv().await, Some(1));
    reborn.tell(()).await.unwrap();
    assert_eq!(
        starts.recv().await,
        Some(2),
        "the supervisor is inside the restart"
    );

    let start = Instant::now();
    let report = system.shutdown().await;
    let elapsed = start.elapsed();

    // Later-started first; each top-level actor within its own timeout, a
    // parent's children within the parent's.
    let policies_took = NEST + CHILD_STOPPING + CHILD_TIMEOUT; // `brutal`: no time
    assert_eq!(elapsed, REBORN + CHAIN + policies_took + NEVER + DEAF + HANG);
    assert!(elapsed <= REBORN + CHAIN + POLICIES + NEVER + DEAF + HANG);
    let expected = [
        restarting.id(),
        chain.id(),
        middle.id(),
        endless.id(),
        nest.id(),
        nested.id(),
        deepest.id(),
        timeout.id(),
        never.id(),
        deaf.id(),
        hanging.id(),
    ];
    assert_eq!(
        report.killed, expected,
        "killed, in order (brutal kills are not reported)"
    );
    assert!(report.stuck.is_empty());
    assert_eq!(
        *log.lock().unwrap(),
        ["infinity:shutdown"],
        "the one `stopped` that ran"
    );

    assert!(killed(restarting.exit_reason()));
    assert!(
        killed(reborn.exit_reason()),
        "dropped with its supervisor mid-start"
    );
    for actor in [&chain, &middle] {
        assert!(killed(actor.exit_reason()));
    }
    for actor in [
        &endless, &nest, &nested, &deepest, &timeout, &brutal, &never, &deaf, &hanging,
    ] {
        assert!(killed(actor.exit_reason()), "{:?}", actor.name());
    }
    assert!(matches!(infinity.exit_reason(), Some(ExitReason::Shutdown)));
    assert!(matches!(sup.exit_reason(), Some(ExitReason::Shutdown)));
    assert_eq!(system.top_level_count(), 0);

    drop((
        hanging, deaf, never, sup, brutal, timeout, infinity, nest, nested, deepest,
    ));
    drop((chain, middle, endless, restarting, reborn));
    assert_eq!(
        settle_alive_tasks(tasks_before).await,
        tasks_before,
        "no task left"
    );
}

/// Stops tokio's paused clock from moving on its own until released:
/// tokio does not auto-advance while a blocking task runs. An actor on a
/// dedicated thread acts on a kill in real time, which a paused clock does
/// not wait for (it would jump over the kill grace at once); the test moves
/// the clock itself, with `tokio::time::advance`.
fn hold_clock() -> (oneshot::Sender<()>, JoinHandle<()>) {
    let (release, released) = oneshot::channel::<()>();
    let hold = tokio::task::spawn_blocking(move || {
        let _ = released.blocking_recv();
    });
    (release, hold)
}

/// Waits until `actor` refuses messages: the shutdown has requested its
/// stop, and started its stop timeout in the same step. Probes with
/// `Msg::Nothing`, which a running actor just handles.
async fn until_stop_requested(actor: &ActorRef<Stubborn>) {
    for _ in 0..10_000_000 {
        match actor.try_tell(Msg::Nothing) {
            Err(TrySendError::Closed(_)) => return,
            Ok(()) | Err(TrySendError::Full(_)) => tokio::task::yield_now().await,
        }
    }
    unreachable!("the shutdown never reached {:?}", actor.name());
}

#[tokio::test(start_paused = true)]
async fn thread_actors_that_ignore_their_stop_are_killed_at_their_timeouts() {
    let tasks_before = alive_tasks();
    let log = Log::default();
    let system = System::new();
    let on_thread = |time| stop_timeout(time).executor(Executor::DedicatedThread);
    let hanging = system
        .spawn_with(stubborn("thread-hanging", &log), on_thread(secs(2)))
        .await
        .unwrap();
    hang(&hanging).await;
    let never = Stubborn {
        stopping: Stopping::Never,
        ..stubborn("thread-never", &log)
    };
    let never = system.spawn_with(never, on_thread(secs(3))).await.unwrap();
    let (release, hold) = hold_clock();

    let start = Instant::now();
    let shutdown = tokio::spawn({
        let system = system.clone();
        async move { system.shutdown().await }
    });
    // `never` (started last) first: 3 s, then the kill ends it on its thread.
    until_stop_requested(&never).await;
    tokio::time::advance(secs(3)).await;
    // The shutdown moves on to `hanging` once `never` has ended: 2 s more.
    until_stop_requested(&hanging).await;
    assert!(killed(never.exit_reason()));
    tokio::time::advance(secs(2)).await;
    let report = shutdown.await.unwrap();
    assert_eq!(start.elapsed(), secs(3) + secs(2));
    release.send(()).unwrap();
    hold.await.unwrap();
    assert_eq!(report.killed, [never.id(), hanging.id()]);
    assert!(report.stuck.is_empty(), "{report:?}");
    assert!(killed(hanging.exit_reason()));
    assert!(log.lock().unwrap().is_empty(), "no `stopped` completed");
    drop((hanging, never));
    assert_eq!(
        settle_alive_tasks(tasks_before).await,
        tasks_before,
        "no task left"
    );
}
