//! Promise: restart intensity is counted as OTP's `add_restart/1` counts it.
//! With 3 restarts in 5 s, three crashes are restarted and the fourth inside
//! the window makes the supervisor give up: its other children are stopped,
//! the crashed one is not restarted again, and it exits `Shutdown`. Crashes
//! spaced so that no window holds more than three never end it; the window
//! is inclusive at exactly the period; intensity 0 gives up at the first
//! crash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use crate::common::Log;
use crate::common::worker::{Msg, Worker, worker};
use actor_core::prelude::*;
use actor_core::supervision::{Intensity, Supervisor};

async fn supervisor(intensity: Intensity, names: &[&'static str], log: &Log) -> ActorRef<Supervisor> {
    let mut builder = Supervisor::builder().intensity(intensity);
    for name in names {
        builder = builder.child(worker(name, log));
    }
    System::new().spawn(builder.build().unwrap()).await.unwrap()
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Crashes the child and waits for its `n`-th start (1 is the first).
async fn crash_and_await_start(sup: &ActorRef<Supervisor>, log: &Log, name: &'static str, n: usize) {
    let child: ActorRef<Worker> = sup.child(name).await.unwrap();
    child.tell(Msg::Crash).await.unwrap();
    log.wait_count(&format!("start {name}"), n).await;
}

#[tokio::test(start_paused = true)]
async fn three_in_five_seconds_restarts_three_crashes_and_gives_up_on_the_fourth() {
    let log = Log::default();
    let sup = supervisor(Intensity::new(3, secs(5)), &["crashy", "bystander"], &log).await;
    let crashy: ActorRef<Worker> = sup.child("crashy").await.unwrap();
    let bystander: ActorRef<Worker> = sup.child("bystander").await.unwrap();

    for restarts in 1..=3 {
        crash_and_await_start(&sup, &log, "crashy", restarts + 1).await;
        assert_eq!(sup.children().await.unwrap()[0].restarts, restarts as u32);
        tokio::time::sleep(secs(1)).await; // crashes at 0, 1, 2 and 3 s
    }
    crashy.tell(Msg::Crash).await.unwrap();

    assert!(matches!(sup.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(crashy.wait_for_stop().await.to_string(), "failed: boom");
    assert!(matches!(bystander.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(log.count("start crashy"), 4, "the fourth crash is not restarted");
    assert_eq!(
        log.count("start bystander"),
        1,
        "one-for-one: the bystander ran throughout"
    );
    let entries = log.snapshot();
    assert_eq!(
        entries[entries.len() - 2..],
        ["stop crashy (failed: boom)", "stop bystander (shutdown)"]
    );
}

#[tokio::test(start_paused = true)]
async fn crashes_that_never_crowd_the_window_never_end_the_supervisor() {
    let log = Log::default();
    let sup = supervisor(Intensity::new(3, secs(5)), &["crashy"], &log).await;

    // Every 2 s: each window of 5 s holds at most three restarts.
    for restarts in 1..=20 {
        crash_and_await_start(&sup, &log, "crashy", restarts + 1).await;
        tokio::time::sleep(secs(2)).await;
    }
    assert!(sup.is_alive());
    assert_eq!(sup.children().await.unwrap()[0].restarts, 20);
}

#[tokio::test(start_paused = true)]
async fn old_restarts_fall_out_of_the_window_once_older_than_the_period() {
    let log = Log::default();
    let sup = supervisor(Intensity::new(1, secs(5)), &["crashy"], &log).await;

    crash_and_await_start(&sup, &log, "crashy", 2).await; // t = 0
    tokio::time::sleep(secs(5) + Duration::from_millis(1)).await;
    crash_and_await_start(&sup, &log, "crashy", 3).await; // t = 5.001 s: the first fell out
    assert!(sup.is_alive());
    assert_eq!(sup.children().await.unwrap()[0].restarts, 2);

    // Exactly one period later the previous restart is still inside.
    tokio::time::sleep(secs(5)).await;
    let crashy: ActorRef<Worker> = sup.child("crashy").await.unwrap();
    crashy.tell(Msg::Crash).await.unwrap();
    assert!(matches!(sup.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(log.count("start crashy"), 3);
}

#[tokio::test(start_paused = true)]
async fn intensity_zero_gives_up_at_the_first_crash() {
    let log = Log::default();
    let sup = supervisor(Intensity::new(0, secs(5)), &["a", "b", "c"], &log).await;
    let b: ActorRef<Worker> = sup.child("b").await.unwrap();

    b.tell(Msg::Crash).await.unwrap();
    assert!(matches!(sup.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(
        log.snapshot(),
        [
            "start a",
            "start b",
            "start c",
            "stop b (failed: boom)",
            "stop c (shutdown)",
            "stop a (shutdown)",
        ]
    );
}
