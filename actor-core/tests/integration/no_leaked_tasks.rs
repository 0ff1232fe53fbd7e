//! Promise: actors leave nothing running behind them. After traffic and a
//! `System::shutdown` — of a 200-actor tree with asks still in flight — the
//! runtime's alive-task count returns to where it started; and a top-level
//! actor whose last `ActorRef` is dropped stops by itself (children first),
//! leaving `top_level_count` at 0 and again no task behind.
//!
//! Each test builds its own multi-thread runtime to read its task metrics.
//! Task teardown finishes just after an actor publishes its exit, so the
//! counts are polled with `yield_now` a bounded number of times, never slept on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actor_core::prelude::*;
use tokio::runtime::{Builder, Runtime, RuntimeMetrics};
use tokio::sync::mpsc;

const PARENTS: usize = 20;
const WORKERS: usize = 9; // per parent: 20 + 20 * 9 = 200 actors
const ROUNDS: u64 = 10;

enum WorkerMsg {
    Work(u64),
    Get(ReplyPort<u64>),
    /// Keeps the reply port unanswered until the worker stops.
    Hold(ReplyPort<u64>),
}

struct Worker {
    total: u64,
    held: Vec<ReplyPort<u64>>,
    events: mpsc::UnboundedSender<String>,
}

impl Actor for Worker {
    type Msg = WorkerMsg;

    async fn handle(&mut self, msg: WorkerMsg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            WorkerMsg::Work(n) => self.total += n,
            WorkerMsg::Get(reply) => {
                let _ = reply.send(self.total);
            }
            WorkerMsg::Hold(reply) => {
                self.held.push(reply);
                self.events.send("holding".to_string())?;
            }
        }
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        let _ = self.events.send(format!("worker:{reason}"));
    }
}

enum ParentMsg {
    Fanout(u64),
    Total(ReplyPort<u64>),
    Worker(usize, ReplyPort<ActorRef<Worker>>),
    /// Asks `target` to hold: the parent stays mid-ask until `target` stops.
    AskHold(ActorRef<Worker>),
}

struct Parent {
    workers: Vec<ActorRef<Worker>>,
    events: mpsc::UnboundedSender<String>,
}

impl Actor for Parent {
    type Msg = ParentMsg;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        for _ in 0..WORKERS {
            let worker = Worker {
                total: 0,
                held: Vec::new(),
                events: self.events.clone(),
            };
            self.workers.push(ctx.spawn(worker).await?);
        }
        Ok(())
    }

    async fn handle(&mut self, msg: ParentMsg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            ParentMsg::Fanout(n) => {
                for worker in &self.workers {
                    worker.tell(WorkerMsg::Work(n)).await?;
                }
            }
            ParentMsg::Total(reply) => {
                let mut total = 0;
                for worker in &self.workers {
                    total += worker.ask(WorkerMsg::Get).await?;
                }
                let _ = reply.send(total);
            }
            ParentMsg::Worker(index, reply) => {
                let _ = reply.send(self.workers[index].clone());
            }
            ParentMsg::AskHold(target) => {
                let answer = target.ask(WorkerMsg::Hold).await;
                assert!(matches!(answer, Err(AskError::NoReply)), "held until stopped");
            }
        }
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        let _ = self.events.send(format!("parent:{reason}"));
    }
}

fn runtime() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Yields until `done()` holds, a bounded number of times; returns whether it did.
async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..1_000_000 {
        if done() {
            return true;
        }
        tokio::task::yield_now().await;
    }
    done()
}

/// Spawns the parents (each spawning its workers) and runs tell/ask traffic.
async fn tree_with_traffic(system: &System, events: &mpsc::UnboundedSender<String>) -> Vec<ActorRef<Parent>> {
    let mut parents = Vec::new();
    for _ in 0..PARENTS {
        let parent = Parent {
            workers: Vec::new(),
            events: events.clone(),
        };
        parents.push(system.spawn(parent).await.unwrap());
    }
    for round in 1..=ROUNDS {
        for parent in &parents {
            parent.tell(ParentMsg::Fanout(round)).await.unwrap();
        }
    }
    let per_worker = ROUNDS * (ROUNDS + 1) / 2;
    for parent in &parents {
        let total = parent.ask(ParentMsg::Total).await.unwrap();
        assert_eq!(total, WORKERS as u64 * per_worker);
    }
    parents
}

fn count(events: &[String], what: &str) -> usize {
    events.iter().filter(|e| *e == what).count()
}

fn drain(events: &mut mpsc::UnboundedReceiver<String>) -> Vec<String> {
    let mut all = Vec::new();
    while let Ok(event) = events.try_recv() {
        all.push(event);
    }
    all
}

fn alive(metrics: &RuntimeMetrics) -> usize {
    metrics.num_alive_tasks()
}

#[test]
fn shutdown_of_a_busy_tree_leaves_no_task_behind() {
    let runtime = runtime();
    let metrics = runtime.handle().metrics();
    let baseline = alive(&metrics);
    runtime.block_on(async {
        let system = System::new();
        let (events_tx, mut events) = mpsc::unbounded_channel();
        let parents = tree_with_traffic(&system, &events_tx).await;
        assert!(
            alive(&metrics) >= baseline + PARENTS * (WORKERS + 1),
            "one task per actor"
        );

        // Asks in flight at shutdown: each parent but the last asks a worker
        // of the next (later-started) parent, and plain tasks ask the last
        // parent's workers. None of them will ever be answered.
        for (asker, owner) in parents.iter().zip(&parents[1..]) {
            let target = owner.ask(|reply| ParentMsg::Worker(0, reply)).await.unwrap();
            asker.tell(ParentMsg::AskHold(target)).await.unwrap();
        }
        let mut askers = Vec::new();
        for index in 0..WORKERS {
            let last = &parents[PARENTS - 1];
            let target = last.ask(|reply| ParentMsg::Worker(index, reply)).await.unwrap();
            askers.push(tokio::spawn(async move { target.ask(WorkerMsg::Hold).await }));
        }
        for _ in 0..(PARENTS - 1 + WORKERS) {
            assert_eq!(events.recv().await.unwrap(), "holding");
        }

        let report = system.shutdown().await;
        assert!(report.is_clean(), "nothing needed a kill: {report:?}");
        for asker in askers {
            assert!(matches!(asker.await.unwrap(), Err(AskError::NoReply)));
        }
        for parent in &parents {
            assert!(matches!(parent.exit_reason(), Some(ExitReason::Shutdown)));
        }
        let events = drain(&mut events);
        assert_eq!(count(&events, "parent:shutdown"), PARENTS);
        assert_eq!(count(&events, "worker:shutdown"), PARENTS * WORKERS);
        assert_eq!(system.top_level_count(), 0);
        drop(parents);

        assert!(
            eventually(|| alive(&metrics) == baseline).await,
            "{} tasks alive",
            alive(&metrics)
        );
    });
}

#[test]
fn dropping_every_handle_of_top_level_actors_stops_them_and_their_tasks() {
    let runtime = runtime();
    let metrics = runtime.handle().metrics();
    let baseline = alive(&metrics);
    runtime.block_on(async {
        let system = System::new();
        let (events_tx, mut events) = mpsc::unbounded_channel();
        let parents = tree_with_traffic(&system, &events_tx).await;
        drop(events_tx);
        assert_eq!(system.top_level_count(), PARENTS);

        drop(parents);
        // Every actor reports its stop, then drops its end of the channel.
        let mut stops = Vec::new();
        while let Some(event) = events.recv().await {
            stops.push(event);
        }
        assert_eq!(
            count(&stops, "parent:normal"),
            PARENTS,
            "nobody can talk to it: normal"
        );
        assert_eq!(
            count(&stops, "worker:shutdown"),
            PARENTS * WORKERS,
            "stopped by its parent"
        );
        assert_eq!(stops.len(), PARENTS * (WORKERS + 1));

        assert!(eventually(|| system.top_level_count() == 0).await);
        assert!(
            eventually(|| alive(&metrics) == baseline).await,
            "{} tasks alive",
            alive(&metrics)
        );
        assert!(system.shutdown().await.is_clean(), "nothing left to stop");
    });
}
