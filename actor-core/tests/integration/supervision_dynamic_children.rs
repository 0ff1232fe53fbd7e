//! Promise: children can be added and removed at run time (OTP's
//! `start_child`/`terminate_child`+`delete_child`, our `start_child` and
//! `remove_child`), with typed errors for duplicate, unknown and mistyped
//! names; dynamic children are supervised like static ones. 1,000
//! short-lived temporary children — ending normally or crashing — leave
//! nothing behind: no listed child, no extra top-level actor, no live task,
//! no restart counted against the intensity.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use actor_core::SupervisorError;
use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, ChildState, Restart, Supervisor};

type Log = Arc<Mutex<Vec<String>>>;

enum Msg {
    /// Replies, then stops (`Normal`).
    Job(u32, ReplyPort<u32>),
    /// Replies with how many messages this instance handled, this one included.
    Count(ReplyPort<u32>),
    Crash,
}

struct Worker {
    name: String,
    log: Log,
    handled: u32,
}

impl Actor for Worker {
    type Msg = Msg;

    async fn started(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.log.lock().unwrap().push(format!("start {}", self.name));
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.handled += 1;
        match msg {
            Msg::Job(n, reply) => {
                let _ = reply.send(n * 2);
                ctx.stop();
                Ok(())
            }
            Msg::Count(reply) => {
                let _ = reply.send(self.handled);
                Ok(())
            }
            Msg::Crash => Err("boom".into()),
        }
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        self.log
            .lock()
            .unwrap()
            .push(format!("stop {} ({reason})", self.name));
    }
}

/// Another actor type, for type mismatches.
struct Other;

impl Actor for Other {
    type Msg = ();

    async fn handle(&mut self, (): (), _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        Ok(())
    }
}

fn spec(name: impl Into<String>, log: &Log) -> ChildSpec<Worker> {
    let name = name.into();
    let log = Arc::clone(log);
    ChildSpec::new(name.clone(), move || Worker {
        name: name.clone(),
        log: Arc::clone(&log),
        handled: 0,
    })
}

async fn empty_supervisor(system: &System) -> ActorRef<Supervisor> {
    system
        .spawn(Supervisor::builder().build().unwrap())
        .await
        .unwrap()
}

fn names(children: &[actor_core::supervision::ChildInfo]) -> Vec<&str> {
    children.iter().map(|c| c.name.as_str()).collect()
}

#[tokio::test(start_paused = true)]
async fn children_are_added_looked_up_supervised_and_removed_at_run_time() {
    let log = Log::default();
    let system = System::new();
    let sup = empty_supervisor(&system).await;

    let a = sup.start_child(spec("a", &log)).await.unwrap();
    let b = sup.start_child(spec("b", &log)).await.unwrap();
    assert_eq!(sup.child::<Worker>("a").await.unwrap(), a);
    assert_eq!(names(&sup.children().await.unwrap()), ["a", "b"]);

    let duplicate = sup.start_child(spec("a", &log)).await;
    assert!(matches!(duplicate, Err(SupervisorError::DuplicateChild(name)) if name == "a"));
    let mistyped = sup.child::<Other>("a").await;
    assert!(matches!(mistyped, Err(SupervisorError::WrongType { name, .. }) if name == "a"));

    // Supervised like a static child: restarted under the same handle.
    a.tell(Msg::Crash).await.unwrap();
    assert_eq!(a.ask(Msg::Count).await.unwrap(), 1, "a fresh instance");
    let info = &sup.children().await.unwrap()[0];
    assert_eq!((info.state, info.restarts), (ChildState::Running, 1));

    sup.remove_child("b").await.unwrap();
    assert!(matches!(b.wait_for_stop().await, ExitReason::Shutdown));
    assert!(matches!(
        sup.remove_child("b").await,
        Err(SupervisorError::NoSuchChild(name)) if name == "b"
    ));
    assert!(matches!(
        sup.child::<Worker>("b").await,
        Err(SupervisorError::NoSuchChild(_))
    ));
    // The name is free again, for a new actor.
    let b2 = sup.start_child(spec("b", &log)).await.unwrap();
    assert_ne!(b2.id(), b.id());
    assert_eq!(
        *log.lock().unwrap(),
        [
            "start a",
            "start b",
            "stop a (failed: boom)",
            "start a",
            "stop b (shutdown)",
            "start b"
        ]
    );
    assert!(system.shutdown().await.is_clean());
}

const JOBS: u32 = 1_000;

/// Yields until `done()` holds, a bounded number of times.
async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..100_000 {
        if done() {
            return true;
        }
        tokio::task::yield_now().await;
    }
    done()
}

#[tokio::test]
async fn a_thousand_short_lived_temporary_children_leave_nothing_behind() {
    let log = Log::default();
    let system = System::new();
    let sup = empty_supervisor(&system).await;
    let metrics = tokio::runtime::Handle::current().metrics();
    let baseline = metrics.num_alive_tasks();

    let mut jobs = Vec::new();
    for i in 0..JOBS {
        let job = spec(format!("job-{i}"), &log).restart(Restart::Temporary);
        jobs.push(sup.start_child(job).await.unwrap());
    }
    assert_eq!(sup.children().await.unwrap().len(), JOBS as usize);
    assert!(metrics.num_alive_tasks() >= baseline + JOBS as usize);
    // Half finish their job and stop; half crash.
    for (i, job) in (0..).zip(&jobs) {
        if i % 2 == 0 {
            assert_eq!(job.ask(|r| Msg::Job(i, r)).await.unwrap(), i * 2);
        } else {
            job.tell(Msg::Crash).await.unwrap();
        }
    }
    for (i, job) in jobs.iter().enumerate() {
        let reason = job.wait_for_stop().await;
        let want = if i % 2 == 0 { "normal" } else { "failed: boom" };
        assert_eq!(reason.to_string(), want);
    }

    assert!(sup.children().await.unwrap().is_empty());
    assert!(sup.is_alive(), "temporary exits are never restarts");
    assert_eq!(system.top_level_count(), 1);
    assert_eq!(system.dead_letters(), 0);
    drop(jobs);
    assert!(
        eventually(|| metrics.num_alive_tasks() == baseline).await,
        "{} tasks alive, {baseline} before",
        metrics.num_alive_tasks()
    );
    let starts = log
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.starts_with("start"))
        .count();
    assert_eq!(starts, JOBS as usize, "none restarted");
    assert!(system.shutdown().await.is_clean());
    assert_eq!(system.top_level_count(), 0);
}
