//! Promise: supervisors nest, and a failure escalates exactly one level per
//! give-up. In a root → mid → workers tree: a worker crash within mid's
//! intensity is handled by mid alone (root sees nothing); when mid exceeds
//! its intensity it stops its workers (reverse start order) and exits
//! `Shutdown`, and root restarts mid, which starts fresh workers from its
//! specs (children added at run time are not recreated), while
//! root's other child runs on untouched and root survives; only when mid's
//! give-ups exceed root's own intensity does root give up too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use crate::common::Log;
use crate::common::worker::{Msg, Worker, worker};
use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, ChildState, Intensity, Supervisor};

/// root (1 restart in 60 s) → [mid (1 restart in 5 s) → [w1, w2], other].
async fn tree(log: &Log) -> (System, ActorRef<Supervisor>) {
    let mid_log = log.clone();
    let mid = ChildSpec::new("mid", move || {
        Supervisor::builder()
            .intensity(Intensity::new(1, Duration::from_secs(5)))
            .child(worker("w1", &mid_log))
            .child(worker("w2", &mid_log))
            .build()
            .unwrap()
    });
    let root = Supervisor::builder()
        .intensity(Intensity::new(1, Duration::from_secs(60)))
        .child(mid)
        .child(worker("other", log))
        .build()
        .unwrap();
    let system = System::new();
    let root = system.spawn(root).await.unwrap();
    assert_eq!(log.take(), ["start w1", "start w2", "start other"]);
    (system, root)
}

async fn restarts(sup: &ActorRef<Supervisor>) -> Vec<(String, ChildState, u32)> {
    let children = sup.children().await.unwrap();
    children
        .into_iter()
        .map(|c| (c.name, c.state, c.restarts))
        .collect()
}

fn running(name: &str, restarts: u32) -> (String, ChildState, u32) {
    (name.to_string(), ChildState::Running, restarts)
}

/// Crashes mid's `w1` twice: mid gives up.
async fn make_mid_give_up(mid: &ActorRef<Supervisor>, log: &Log) -> ActorRef<Worker> {
    let w1: ActorRef<Worker> = mid.child("w1").await.unwrap();
    w1.tell(Msg::Crash).await.unwrap();
    log.wait_len(2).await;
    assert_eq!(log.take(), ["stop w1 (failed: boom)", "start w1"]);
    w1.tell(Msg::Crash).await.unwrap();
    w1
}

#[tokio::test(start_paused = true)]
async fn a_worker_crash_within_mids_limit_stays_inside_mid() {
    let log = Log::default();
    let (_system, root) = tree(&log).await;
    let mid: ActorRef<Supervisor> = root.child("mid").await.unwrap();
    let w1: ActorRef<Worker> = mid.child("w1").await.unwrap();

    w1.tell(Msg::Crash).await.unwrap();
    log.wait_len(2).await;
    assert_eq!(log.take(), ["stop w1 (failed: boom)", "start w1"]);
    assert_eq!(restarts(&mid).await, [running("w1", 1), running("w2", 0)]);
    assert_eq!(restarts(&root).await, [running("mid", 0), running("other", 0)]);
}

#[tokio::test(start_paused = true)]
async fn mid_giving_up_is_restarted_by_root_which_survives() {
    let log = Log::default();
    let (_system, root) = tree(&log).await;
    let mid: ActorRef<Supervisor> = root.child("mid").await.unwrap();
    // Added at run time: as in OTP, not recreated when mid restarts.
    let extra = mid.start_child(worker("extra", &log)).await.unwrap();
    log.take();
    let old_w1 = make_mid_give_up(&mid, &log).await;

    // Mid stops the others and gives up; root restarts mid, which starts new
    // workers from its specs.
    log.wait_len(5).await;
    assert_eq!(
        log.take(),
        [
            "stop w1 (failed: boom)",
            "stop extra (shutdown)",
            "stop w2 (shutdown)",
            "start w1",
            "start w2"
        ]
    );
    assert!(matches!(extra.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(old_w1.wait_for_stop().await.to_string(), "failed: boom");
    assert!(root.is_alive());
    assert_eq!(restarts(&root).await, [running("mid", 1), running("other", 0)]);
    // Same handle for mid; its new instance has fresh workers.
    assert_eq!(root.child::<Supervisor>("mid").await.unwrap(), mid);
    assert_eq!(restarts(&mid).await, [running("w1", 0), running("w2", 0)]);
    let new_w1: ActorRef<Worker> = mid.child("w1").await.unwrap();
    assert_ne!(new_w1.id(), old_w1.id());
}

#[tokio::test(start_paused = true)]
async fn root_gives_up_only_when_mids_give_ups_exceed_its_own_limit() {
    let log = Log::default();
    let (system, root) = tree(&log).await;
    let mid: ActorRef<Supervisor> = root.child("mid").await.unwrap();
    let other: ActorRef<Worker> = root.child("other").await.unwrap();

    make_mid_give_up(&mid, &log).await;
    log.wait_len(4).await; // mid restarted once by root: within root's 1 in 60 s
    log.take();
    tokio::time::sleep(Duration::from_secs(10)).await;
    make_mid_give_up(&mid, &log).await;

    assert!(matches!(root.wait_for_stop().await, ExitReason::Shutdown));
    assert!(matches!(mid.wait_for_stop().await, ExitReason::Shutdown));
    assert!(matches!(other.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(
        log.take(),
        [
            "stop w1 (failed: boom)",
            "stop w2 (shutdown)",
            "stop other (shutdown)"
        ]
    );
    assert_eq!(system.top_level_count(), 0);
}
