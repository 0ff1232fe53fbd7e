//! Promise: the restart type decides, with the exit reason, what a
//! supervisor does when a child ends (OTP's table):
//!
//! | exit | permanent | transient | temporary |
//! |---|---|---|---|
//! | normal | restarted | ended, spec kept | removed |
//! | error, panic, kill | restarted | restarted | removed |
//!
//! and a temporary child is also removed, never restarted, when it was only
//! stopped as a sibling's casualty, while a transient casualty is restarted
//! with the rest. A child exits with `shutdown` by itself when it is a
//! supervisor that gives up: that is a clean exit too (permanent: restarted,
//! transient: ended, temporary: removed).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use crate::common::{Log, PATIENCE};
use actor_core::SupervisorError;
use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, ChildState, Intensity, Restart, Strategy, Supervisor};

enum Msg {
    /// `ctx.stop()`: ends with `Normal`.
    Stop,
    Fail,
    Panic,
}

struct Worker {
    name: &'static str,
    log: Log,
}

impl Actor for Worker {
    type Msg = Msg;

    async fn started(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.log.push(format!("start {}", self.name));
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Stop => ctx.stop(),
            Msg::Fail => return Err("boom".into()),
            Msg::Panic => panic!("boom"),
        }
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        self.log.push(format!("stop {} ({reason})", self.name));
    }
}

fn spec(name: &'static str, restart: Restart, log: &Log) -> ChildSpec<Worker> {
    let log = log.clone();
    ChildSpec::new(name, move || Worker {
        name,
        log: log.clone(),
    })
    .restart(restart)
}

#[derive(Clone, Copy, Debug)]
enum Ending {
    Normal,
    Error,
    Panic,
    Kill,
}

/// What the supervisor did with the child, as seen from outside.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// Running again under the same handle, restarted once.
    Restarted,
    /// Ended with this reason; still listed as `Ended`.
    Kept(String),
    /// Ended with this reason; no longer listed.
    Removed(String),
}

fn expected(restart: Restart, ending: Ending) -> Outcome {
    let reason = match ending {
        Ending::Normal => "normal",
        Ending::Error => "failed: boom",
        Ending::Panic => "panicked: boom",
        Ending::Kill => "killed",
    };
    match (restart, ending) {
        (Restart::Temporary, _) => Outcome::Removed(reason.to_string()),
        (Restart::Transient, Ending::Normal) => Outcome::Kept(reason.to_string()),
        _ => Outcome::Restarted,
    }
}

/// One cell of the table, on a fresh system and supervisor.
async fn observe(restart: Restart, ending: Ending) -> Outcome {
    let log = Log::default();
    let sup = Supervisor::builder()
        .intensity(Intensity::new(10, Duration::from_secs(5)))
        .child(spec("x", restart, &log))
        .build()
        .unwrap();
    let system = System::new();
    let sup = system.spawn(sup).await.unwrap();
    let x: ActorRef<Worker> = sup.child("x").await.unwrap();
    match ending {
        Ending::Normal => x.tell(Msg::Stop).await.unwrap(),
        Ending::Error => x.tell(Msg::Fail).await.unwrap(),
        Ending::Panic => x.tell(Msg::Panic).await.unwrap(),
        Ending::Kill => x.kill(),
    }
    let ended = tokio::time::timeout(PATIENCE, async {
        tokio::select! {
            () = log.wait_count_forever("start x", 2) => None,
            reason = x.wait_for_stop() => Some(reason.to_string()),
        }
    })
    .await
    .expect("the child neither restarted nor ended");
    let listed = sup.children().await.unwrap();
    let outcome = match (ended, listed.as_slice()) {
        (None, [info]) if info.state == ChildState::Running && info.restarts == 1 => {
            assert!(x.is_alive());
            assert_eq!(sup.child::<Worker>("x").await.unwrap(), x, "same handle");
            Outcome::Restarted
        }
        (Some(reason), [info]) if info.state == ChildState::Ended && info.restarts == 0 => {
            Outcome::Kept(reason)
        }
        (Some(reason), []) => {
            let lookup = sup.child::<Worker>("x").await;
            assert!(matches!(lookup, Err(SupervisorError::NoSuchChild(name)) if name == "x"));
            Outcome::Removed(reason)
        }
        (ended, listed) => panic!("unexpected: ended {ended:?}, listed {listed:?}"),
    };
    assert!(sup.is_alive(), "one exit is within the intensity");
    assert!(system.shutdown().await.is_clean());
    outcome
}

#[tokio::test(start_paused = true)]
async fn restart_type_and_exit_reason_decide_the_outcome() {
    let mut mismatches = Vec::new();
    for restart in [Restart::Permanent, Restart::Transient, Restart::Temporary] {
        for ending in [Ending::Normal, Ending::Error, Ending::Panic, Ending::Kill] {
            let seen = observe(restart, ending).await;
            let want = expected(restart, ending);
            if seen != want {
                mismatches.push(format!("{restart:?} x {ending:?}: got {seen:?}, want {want:?}"));
            }
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[tokio::test(start_paused = true)]
async fn a_temporary_casualty_is_removed_and_a_transient_one_restarted() {
    let log = Log::default();
    let sup = Supervisor::builder()
        .strategy(Strategy::OneForAll)
        .child(spec("a", Restart::Permanent, &log))
        .child(spec("t", Restart::Temporary, &log))
        .child(spec("u", Restart::Transient, &log))
        .child(spec("b", Restart::Permanent, &log))
        .build()
        .unwrap();
    let sup = System::new().spawn(sup).await.unwrap();
    let a: ActorRef<Worker> = sup.child("a").await.unwrap();
    let t: ActorRef<Worker> = sup.child("t").await.unwrap();
    log.take();

    a.tell(Msg::Fail).await.unwrap();
    log.wait_len(7).await;
    assert_eq!(
        log.take(),
        [
            "stop a (failed: boom)",
            "stop b (shutdown)",
            "stop u (shutdown)",
            "stop t (shutdown)",
            "start a",
            "start u",
            "start b",
        ]
    );
    assert!(matches!(t.wait_for_stop().await, ExitReason::Shutdown));
    let children = sup.children().await.unwrap();
    let listed: Vec<(&str, u32)> = children.iter().map(|c| (c.name.as_str(), c.restarts)).collect();
    assert_eq!(listed, [("a", 1), ("u", 1), ("b", 1)]);
    assert!(matches!(
        sup.child::<Worker>("t").await,
        Err(SupervisorError::NoSuchChild(_))
    ));
}

#[tokio::test(start_paused = true)]
async fn a_temporary_casualty_of_rest_for_one_is_removed() {
    let log = Log::default();
    let sup = Supervisor::builder()
        .strategy(Strategy::RestForOne)
        .child(spec("a", Restart::Permanent, &log))
        .child(spec("b", Restart::Permanent, &log))
        .child(spec("t", Restart::Temporary, &log))
        .build()
        .unwrap();
    let sup = System::new().spawn(sup).await.unwrap();
    let b: ActorRef<Worker> = sup.child("b").await.unwrap();
    log.take();

    b.tell(Msg::Panic).await.unwrap();
    log.wait_len(3).await;
    assert_eq!(
        log.take(),
        ["stop b (panicked: boom)", "stop t (shutdown)", "start b"]
    );
    let names: Vec<String> = sup
        .children()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["a", "b"]);
}

/// A child supervisor that gives up at its worker's first crash.
fn giving_up(restart: Restart, log: &Log) -> ChildSpec<Supervisor> {
    let log = log.clone();
    ChildSpec::new("x", move || {
        Supervisor::builder()
            .intensity(Intensity::new(0, Duration::from_secs(5)))
            .child(spec("w", Restart::Permanent, &log))
            .build()
            .unwrap()
    })
    .restart(restart)
}

#[tokio::test(start_paused = true)]
async fn a_child_supervisor_giving_up_ends_with_shutdown_a_clean_exit() {
    let mut seen = Vec::new();
    for restart in [Restart::Permanent, Restart::Transient, Restart::Temporary] {
        let log = Log::default();
        let sup = Supervisor::builder()
            .child(giving_up(restart, &log))
            .build()
            .unwrap();
        let sup = System::new().spawn(sup).await.unwrap();
        let x: ActorRef<Supervisor> = sup.child("x").await.unwrap();
        let w: ActorRef<Worker> = x.child("w").await.unwrap();

        w.tell(Msg::Fail).await.unwrap();
        let ended = tokio::time::timeout(PATIENCE, async {
            tokio::select! {
                () = log.wait_count_forever("start w", 2) => None,
                reason = x.wait_for_stop() => Some(reason.to_string()),
            }
        })
        .await
        .expect("the child supervisor neither restarted nor ended");
        let listed: Vec<(String, ChildState, u32)> = sup
            .children()
            .await
            .unwrap()
            .into_iter()
            .map(|c| (c.name, c.state, c.restarts))
            .collect();
        seen.push((restart, ended, listed));
        assert!(sup.is_alive());
    }
    let x = |state, restarts| vec![("x".to_string(), state, restarts)];
    assert_eq!(
        seen,
        [
            (Restart::Permanent, None, x(ChildState::Running, 1)),
            (
                Restart::Transient,
                Some("shutdown".to_string()),
                x(ChildState::Ended, 0)
            ),
            (Restart::Temporary, Some("shutdown".to_string()), vec![]),
        ]
    );
}
