//! Promise: under one-for-all, a crash stops every other child in reverse
//! start order, then restarts all of them in start order, each from a fresh
//! instance; and the whole round counts as ONE restart against the
//! intensity (1 in 5 s here: one crash is absorbed, a second within 5 s
//! ends the supervisor).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use crate::common::Log;
use crate::common::worker::{Msg, Worker, worker};
use actor_core::prelude::*;
use actor_core::supervision::{ChildState, Intensity, Strategy, Supervisor};

const NAMES: [&str; 4] = ["a", "b", "c", "d"];

async fn one_for_all(log: &Log) -> ActorRef<Supervisor> {
    let mut builder = Supervisor::builder()
        .strategy(Strategy::OneForAll)
        .intensity(Intensity::new(1, Duration::from_secs(5)));
    for name in NAMES {
        builder = builder.child(worker(name, log));
    }
    System::new().spawn(builder.build().unwrap()).await.unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_crash_stops_the_others_in_reverse_and_restarts_all_in_start_order() {
    let log = Log::default();
    let sup = one_for_all(&log).await;
    assert_eq!(log.take(), ["start a", "start b", "start c", "start d"]);
    let a: ActorRef<Worker> = sup.child("a").await.unwrap();
    let b: ActorRef<Worker> = sup.child("b").await.unwrap();
    assert_eq!(a.ask(Msg::Handled).await.unwrap(), 1);

    b.tell(Msg::Crash).await.unwrap();
    log.wait_len(8).await;
    assert_eq!(
        log.take(),
        [
            "stop b (failed: boom)",
            "stop d (shutdown)",
            "stop c (shutdown)",
            "stop a (shutdown)",
            "start a",
            "start b",
            "start c",
            "start d",
        ]
    );

    let children = sup.children().await.unwrap();
    let names: Vec<&str> = children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, NAMES, "start order kept");
    assert!(
        children
            .iter()
            .all(|c| c.state == ChildState::Running && c.restarts == 1)
    );
    // Same handle, fresh instance.
    assert_eq!(sup.child::<Worker>("a").await.unwrap(), a);
    assert_eq!(a.ask(Msg::Handled).await.unwrap(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_restart_of_all_counts_as_one_restart() {
    let log = Log::default();
    let sup = one_for_all(&log).await;
    let c: ActorRef<Worker> = sup.child("c").await.unwrap();

    // Four children restarted, within intensity 1: one restart, not four.
    c.tell(Msg::Crash).await.unwrap();
    log.wait_len(4 + 8).await;
    assert!(sup.is_alive());

    // A second round inside the same 5 s exceeds it.
    tokio::time::sleep(Duration::from_secs(4)).await;
    log.take();
    c.tell(Msg::Crash).await.unwrap();
    assert!(matches!(sup.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(
        log.take(),
        [
            "stop c (failed: boom)",
            "stop d (shutdown)",
            "stop b (shutdown)",
            "stop a (shutdown)",
        ]
    );
}
