//! Promise: children start in order, and when child k fails to start
//! (error or panic in `started`), children 1..k-1 are stopped in reverse
//! order, the later ones are never built, and spawning the supervisor fails
//! with `SpawnError::StartFailed` whose source is
//! `SupervisorError::ChildStartFailed` naming child k and its reason. A
//! child failing to start at run time (`start_child`) is a typed error that
//! leaves the supervisor as it was; a failing restart counts as a restart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actor_core::SupervisorError;
use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, Intensity, Supervisor};

type Log = Arc<Mutex<Vec<String>>>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Start {
    Ok,
    Fail,
    Panic,
}

struct Worker {
    name: &'static str,
    start: Start,
    log: Log,
}

impl Actor for Worker {
    type Msg = ();

    async fn started(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match self.start {
            Start::Ok => {
                self.log.lock().unwrap().push(format!("start {}", self.name));
                Ok(())
            }
            Start::Fail => Err(format!("{} has no config", self.name).into()),
            Start::Panic => panic!("{} exploded", self.name),
        }
    }

    /// Every message is a crash.
    async fn handle(&mut self, (): (), _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        Err("boom".into())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        self.log
            .lock()
            .unwrap()
            .push(format!("stop {} ({reason})", self.name));
    }
}

fn spec(name: &'static str, start: Start, log: &Log) -> ChildSpec<Worker> {
    let log = Arc::clone(log);
    ChildSpec::new(name, move || Worker {
        name,
        start,
        log: Arc::clone(&log),
    })
}

/// Five children, the `k`-th (from 1) starting with `failure`.
async fn spawn_with_failing(k: usize, failure: Start, log: &Log) -> (System, SpawnError) {
    let mut builder = Supervisor::builder();
    for (i, name) in ["c1", "c2", "c3", "c4", "c5"].into_iter().enumerate() {
        let start = if i + 1 == k { failure } else { Start::Ok };
        builder = builder.child(spec(name, start, log));
    }
    let system = System::new();
    let error = system.spawn(builder.build().unwrap()).await.unwrap_err();
    (system, error)
}

/// The supervisor error behind a failed supervisor spawn.
fn child_start_failure(error: &SpawnError) -> (&str, &SpawnError) {
    let SpawnError::StartFailed { source, .. } = error else {
        panic!("expected StartFailed, got {error:?}");
    };
    match source.downcast_ref::<SupervisorError>() {
        Some(SupervisorError::ChildStartFailed { child, source }) => (child, source),
        other => panic!("expected ChildStartFailed, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn child_k_failing_stops_the_earlier_ones_in_reverse_and_fails_the_spawn() {
    let log = Log::default();
    let (system, error) = spawn_with_failing(3, Start::Fail, &log).await;

    let (child, cause) = child_start_failure(&error);
    assert_eq!(child, "c3");
    assert!(
        matches!(cause, SpawnError::StartFailed { source, .. } if source.to_string() == "c3 has no config"),
        "{cause:?}"
    );
    assert!(error.to_string().contains("c3 has no config"), "{error}");
    assert_eq!(
        *log.lock().unwrap(),
        ["start c1", "start c2", "stop c2 (shutdown)", "stop c1 (shutdown)"],
        "c4 and c5 are never started"
    );
    assert_eq!(system.top_level_count(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_panic_in_the_first_childs_start_is_reported_as_such() {
    let log = Log::default();
    let (system, error) = spawn_with_failing(1, Start::Panic, &log).await;

    let (child, cause) = child_start_failure(&error);
    assert_eq!(child, "c1");
    assert!(
        matches!(cause, SpawnError::StartPanicked { message, .. } if message == "c1 exploded"),
        "{cause:?}"
    );
    assert!(log.lock().unwrap().is_empty(), "nothing started, nothing stopped");
    assert_eq!(system.top_level_count(), 0);
}

#[tokio::test(start_paused = true)]
async fn the_last_child_failing_stops_all_the_others() {
    let log = Log::default();
    let (_system, error) = spawn_with_failing(5, Start::Fail, &log).await;

    assert_eq!(child_start_failure(&error).0, "c5");
    let stops: Vec<String> = log
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.starts_with("stop"))
        .cloned()
        .collect();
    assert_eq!(
        stops,
        [
            "stop c4 (shutdown)",
            "stop c3 (shutdown)",
            "stop c2 (shutdown)",
            "stop c1 (shutdown)"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn start_child_failing_is_a_typed_error_and_changes_nothing() {
    let log = Log::default();
    let sup = Supervisor::builder()
        .child(spec("c1", Start::Ok, &log))
        .build()
        .unwrap();
    let sup = System::new().spawn(sup).await.unwrap();

    let result = sup.start_child(spec("late", Start::Fail, &log)).await;
    assert!(
        matches!(&result, Err(SupervisorError::ChildStartFailed { child, .. }) if child == "late"),
        "{result:?}"
    );
    let names: Vec<String> = sup
        .children()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["c1"]);
    // The name is free again.
    sup.start_child(spec("late", Start::Ok, &log)).await.unwrap();
    assert_eq!(*log.lock().unwrap(), ["start c1", "start late"]);
}

#[tokio::test(start_paused = true)]
async fn each_failed_restart_counts_against_the_intensity() {
    let log = Log::default();
    let builds = Arc::new(AtomicU32::new(0));
    let spec = {
        let (log, builds) = (Arc::clone(&log), Arc::clone(&builds));
        // The first instance starts; every restart fails to.
        ChildSpec::new("flaky", move || Worker {
            name: "flaky",
            start: match builds.fetch_add(1, Ordering::SeqCst) {
                0 => Start::Ok,
                _ => Start::Fail,
            },
            log: Arc::clone(&log),
        })
    };
    let sup = Supervisor::builder()
        .intensity(Intensity::new(3, Duration::from_secs(5)))
        .child(spec)
        .build()
        .unwrap();
    let sup = System::new().spawn(sup).await.unwrap();
    let flaky: ActorRef<Worker> = sup.child("flaky").await.unwrap();

    flaky.tell(()).await.unwrap();
    // The crash and two failed restarts are within 3; the third failure is not.
    assert!(matches!(sup.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(builds.load(Ordering::SeqCst), 4);
    assert_eq!(
        flaky.wait_for_stop().await.to_string(),
        "failed: flaky has no config"
    );
    assert_eq!(*log.lock().unwrap(), ["start flaky", "stop flaky (failed: boom)"]);
}
