//! Promise: under rest-for-one, when the middle of five children crashes,
//! only the children started after it are stopped (last-started first),
//! then it and they are restarted in start order; the ones started before
//! it are never touched. The round counts as one restart; a crash of the
//! last child restarts only that child.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use crate::common::Log;
use crate::common::worker::{Msg, Worker, worker};
use actor_core::prelude::*;
use actor_core::supervision::{Intensity, Strategy, Supervisor};

const NAMES: [&str; 5] = ["c1", "c2", "c3", "c4", "c5"];

async fn rest_for_one(log: &Log) -> ActorRef<Supervisor> {
    let mut builder = Supervisor::builder()
        .strategy(Strategy::RestForOne)
        .intensity(Intensity::new(1, Duration::from_secs(5)));
    for name in NAMES {
        builder = builder.child(worker(name, log));
    }
    let sup = System::new().spawn(builder.build().unwrap()).await.unwrap();
    assert_eq!(
        log.take(),
        ["start c1", "start c2", "start c3", "start c4", "start c5"]
    );
    sup
}

async fn restarts(sup: &ActorRef<Supervisor>) -> Vec<u32> {
    sup.children().await.unwrap().iter().map(|c| c.restarts).collect()
}

#[tokio::test(start_paused = true)]
async fn the_middle_child_crashing_restarts_it_and_those_started_after_it() {
    let log = Log::default();
    let sup = rest_for_one(&log).await;
    let c3: ActorRef<Worker> = sup.child("c3").await.unwrap();

    c3.tell(Msg::Crash).await.unwrap();
    log.wait_len(6).await;
    assert_eq!(
        log.take(),
        [
            "stop c3 (failed: boom)",
            "stop c5 (shutdown)",
            "stop c4 (shutdown)",
            "start c3",
            "start c4",
            "start c5",
        ]
    );
    assert_eq!(restarts(&sup).await, [0, 0, 1, 1, 1]);
    assert!(sup.is_alive(), "three children restarted, one restart counted");
}

#[tokio::test(start_paused = true)]
async fn the_last_child_crashing_restarts_only_itself() {
    let log = Log::default();
    let sup = rest_for_one(&log).await;
    let c5: ActorRef<Worker> = sup.child("c5").await.unwrap();

    c5.tell(Msg::Crash).await.unwrap();
    log.wait_len(2).await;
    assert_eq!(log.take(), ["stop c5 (failed: boom)", "start c5"]);
    assert_eq!(restarts(&sup).await, [0, 0, 0, 0, 1]);
}
