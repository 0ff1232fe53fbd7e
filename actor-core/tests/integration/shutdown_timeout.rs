//! Promise: `System::shutdown` always completes. An actor that ignores its
//! stop (a handler awaiting forever, a loop actor that never calls `recv`) is
//! killed once its `stop_timeout` has passed — exactly then, on a paused
//! clock — reported in `ShutdownReport::killed`, and ends `Killed`; actors that
//! stop in time are not reported. Bad spawn options (a zero or absurd stop
//! timeout, a zero capacity) are typed errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::stubborn::{Msg, StopLog as Log, Stubborn, hang, stubborn};
use actor_core::MAX_TIMEOUT;
use actor_core::prelude::*;
use tokio::time::Instant;

/// A loop actor that only ever ticks its timer and never calls `recv`.
struct Deaf {
    ticks: Arc<Mutex<u32>>,
}

impl Actor for Deaf {
    type Msg = ();

    async fn handle(&mut self, _: (), _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        Ok(())
    }

    async fn run(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            tick.tick().await;
            *self.ticks.lock().unwrap() += 1;
        }
    }
}

fn timeout(secs: u64) -> SpawnOptions {
    SpawnOptions::new().stop_timeout(Duration::from_secs(secs))
}

#[tokio::test(start_paused = true)]
async fn a_handler_that_ignores_stop_is_killed_after_its_stop_timeout() {
    let log = Log::default();
    let system = System::new();
    let early = system.spawn(stubborn("early", &log)).await.unwrap();
    let hanging = system
        .spawn_with(stubborn("stubborn", &log), timeout(2))
        .await
        .unwrap();
    let late = system.spawn(stubborn("late", &log)).await.unwrap();
    hang(&hanging).await;

    let start = Instant::now();
    let report = system.shutdown().await;
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    assert_eq!(report.killed, [hanging.id()]);
    assert!(report.stuck.is_empty());
    assert!(!report.is_clean());
    assert!(matches!(hanging.wait_for_stop().await, ExitReason::Killed));
    assert!(matches!(early.wait_for_stop().await, ExitReason::Shutdown));
    assert!(matches!(late.wait_for_stop().await, ExitReason::Shutdown));
    // Reverse start order; the killed actor's `stopped` never ran.
    assert_eq!(*log.lock().unwrap(), ["late:shutdown", "early:shutdown"]);

    // Asking again costs no time and gives the same report.
    assert_eq!(system.shutdown().await, report);
    assert_eq!(start.elapsed(), Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn a_loop_actor_that_never_calls_recv_is_killed_after_its_stop_timeout() {
    let system = System::new();
    let ticks = Arc::new(Mutex::new(0));
    let deaf = Deaf {
        ticks: Arc::clone(&ticks),
    };
    let deaf = system.spawn_with(deaf, timeout(3)).await.unwrap();

    let start = Instant::now();
    let report = system.shutdown().await;
    assert_eq!(start.elapsed(), Duration::from_secs(3));
    assert_eq!(report.killed, [deaf.id()]);
    assert!(matches!(deaf.wait_for_stop().await, ExitReason::Killed));
    // It kept ticking through the whole grace period (ticks at 0, 0.1 .. 3.0 s
    // at most), and not after its kill.
    let seen = *ticks.lock().unwrap();
    assert!((30..=31).contains(&seen), "{seen} ticks");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(*ticks.lock().unwrap(), seen);
}

#[tokio::test(start_paused = true)]
async fn a_parents_stop_timeout_bounds_its_stubborn_child() {
    let log = Log::default();
    let system = System::new();
    // The child would get 10 s, but its parent only has 1.5 s in all.
    let parent = Stubborn {
        child: Some(Box::new((stubborn("child", &log), timeout(10)))),
        ..stubborn("parent", &log)
    };
    let options = SpawnOptions::new().stop_timeout(Duration::from_millis(1500));
    let parent = system.spawn_with(parent, options).await.unwrap();
    let child = parent.ask(Msg::Child).await.unwrap().expect("a child");
    hang(&child).await;

    let start = Instant::now();
    let report = system.shutdown().await;
    assert_eq!(start.elapsed(), Duration::from_millis(1500));
    assert_eq!(report.killed, [parent.id(), child.id()]);
    assert!(matches!(parent.wait_for_stop().await, ExitReason::Killed));
    assert!(matches!(child.wait_for_stop().await, ExitReason::Killed));
    assert!(log.lock().unwrap().is_empty(), "no `stopped` after a kill");
}

#[tokio::test(start_paused = true)]
async fn bad_spawn_options_are_typed_errors() {
    let log = Log::default();
    let system = System::new();
    let zero = SpawnOptions::new().stop_timeout(Duration::ZERO);
    assert!(matches!(
        system.spawn_with(stubborn("x", &log), zero).await,
        Err(SpawnError::InvalidStopTimeout(d)) if d.is_zero()
    ));
    let absurd = MAX_TIMEOUT + Duration::from_nanos(1);
    let too_long = SpawnOptions::new().stop_timeout(absurd);
    assert!(matches!(
        system.spawn_with(stubborn("x", &log), too_long).await,
        Err(SpawnError::InvalidStopTimeout(d)) if d == absurd
    ));
    let no_room = SpawnOptions::new().mailbox(MailboxKind::Bounded(0));
    assert!(matches!(
        system.spawn_with(stubborn("x", &log), no_room.clone()).await,
        Err(SpawnError::ZeroCapacity)
    ));
    let on_thread = no_room.executor(Executor::DedicatedThread);
    assert!(matches!(
        system.spawn_with(stubborn("x", &log), on_thread).await,
        Err(SpawnError::ZeroCapacity)
    ));
    assert_eq!(system.top_level_count(), 0, "nothing was registered");

    // The limits themselves are accepted.
    let edge = SpawnOptions::new()
        .stop_timeout(MAX_TIMEOUT)
        .mailbox(MailboxKind::Bounded(1));
    let ok = system.spawn_with(stubborn("edge", &log), edge).await.unwrap();
    assert_eq!(ok.capacity(), Some(1));
    let tiny = SpawnOptions::new().stop_timeout(Duration::from_nanos(1));
    let _tiny = system.spawn_with(stubborn("tiny", &log), tiny).await.unwrap();
    assert!(system.shutdown().await.is_clean());
}
