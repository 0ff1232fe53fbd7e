//! Promise: an actor spawned with `Executor::DedicatedThread` runs its whole
//! life on its own OS thread (named `actor-<name>`), and otherwise behaves
//! like a task actor: tell/ask, a stop that drains, a kill that fails queued
//! asks, contained panics, `started` errors returned from spawn. While it
//! blocks or burns CPU, the caller's tokio runtime stays responsive — shown on
//! current-thread runtimes, which a blocked actor would otherwise freeze.
//! No paused clock here: a thread actor runs on its own runtime's real clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::ThreadId;

use actor_core::prelude::*;
use tokio::sync::oneshot;

enum Msg {
    Where(ReplyPort<Place>),
    Add(u64),
    Total(ReplyPort<u64>),
    /// Blocks the actor's thread on a std channel until the test sends.
    Block {
        entered: oneshot::Sender<()>,
        gate: std::sync::mpsc::Receiver<()>,
    },
    /// Burns CPU (no sleep, no await) until `done` is set.
    Spin {
        entered: oneshot::Sender<()>,
        done: Arc<AtomicBool>,
    },
    /// Awaits forever.
    Hang(oneshot::Sender<()>),
    Panic,
}

/// Where the actor runs: its thread, the thread's name, where `started` ran.
#[derive(Debug)]
struct Place {
    thread: ThreadId,
    name: Option<String>,
    started_on: Option<ThreadId>,
}

struct Worker {
    total: u64,
    started_on: Option<ThreadId>,
    stopped: Option<oneshot::Sender<(u64, String)>>,
}

fn worker() -> Worker {
    Worker {
        total: 0,
        started_on: None,
        stopped: None,
    }
}

impl Actor for Worker {
    type Msg = Msg;

    async fn started(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.started_on = Some(std::thread::current().id());
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Where(reply) => {
                let here = std::thread::current();
                let _ = reply.send(Place {
                    thread: here.id(),
                    name: here.name().map(str::to_owned),
                    started_on: self.started_on,
                });
            }
            Msg::Add(n) => self.total += n,
            Msg::Total(reply) => {
                let _ = reply.send(self.total);
            }
            Msg::Block { entered, gate } => {
                entered.send(()).unwrap();
                gate.recv()?;
            }
            Msg::Spin { entered, done } => {
                entered.send(()).unwrap();
                let mut x = 0_u64;
                while !done.load(Ordering::Acquire) {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                }
                self.total += x % 2;
            }
            Msg::Hang(entered) => {
                entered.send(()).unwrap();
                std::future::pending::<()>().await;
            }
            Msg::Panic => panic!("thread boom"),
        }
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        if let Some(tx) = self.stopped.take() {
            let _ = tx.send((self.total, reason.to_string()));
        }
    }
}

fn on_thread() -> SpawnOptions {
    SpawnOptions::new().executor(Executor::DedicatedThread)
}

/// Holds the actor's thread in a blocking `recv`; returns the gate's sender.
async fn block(actor: &ActorRef<Worker>) -> std::sync::mpsc::Sender<()> {
    let (entered_tx, entered) = oneshot::channel();
    let (open, gate) = std::sync::mpsc::channel();
    let msg = Msg::Block {
        entered: entered_tx,
        gate,
    };
    actor.tell(msg).await.unwrap();
    entered.await.unwrap();
    open
}

/// The test's own runtime still runs tasks and task actors.
async fn assert_runtime_responsive(system: &System) {
    assert_eq!(tokio::spawn(async { 42 }).await.unwrap(), 42);
    let task_actor = system.spawn(worker()).await.unwrap();
    task_actor.tell(Msg::Add(5)).await.unwrap();
    assert_eq!(task_actor.ask(Msg::Total).await.unwrap(), 5);
}

#[tokio::test]
async fn it_runs_on_its_own_named_os_thread() {
    let system = System::new();
    let named = system
        .spawn_with(worker(), on_thread().name("worker"))
        .await
        .unwrap();
    let place = named.ask(Msg::Where).await.unwrap();
    assert_ne!(place.thread, std::thread::current().id());
    assert_eq!(place.name.as_deref(), Some("actor-worker"));
    assert_eq!(
        place.started_on,
        Some(place.thread),
        "`started` runs on the thread too"
    );
    // Every message runs on that same thread.
    assert_eq!(named.ask(Msg::Where).await.unwrap().thread, place.thread);

    let anonymous = system.spawn_with(worker(), on_thread()).await.unwrap();
    let other = anonymous.ask(Msg::Where).await.unwrap();
    assert_ne!(other.thread, place.thread);
    assert_eq!(other.name, Some(format!("actor-{}", anonymous.id())));

    // A task actor, for contrast, runs on the test's (current-thread) runtime.
    let task_actor = system.spawn(worker()).await.unwrap();
    assert_eq!(
        task_actor.ask(Msg::Where).await.unwrap().thread,
        std::thread::current().id()
    );

    assert!(system.shutdown().await.is_clean());
    assert!(matches!(named.wait_for_stop().await, ExitReason::Shutdown));
    assert!(matches!(anonymous.wait_for_stop().await, ExitReason::Shutdown));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tell_and_ask_work_as_for_a_task_actor() {
    let system = System::new();
    let actor = system.spawn_with(worker(), on_thread()).await.unwrap();
    for n in 1..=100 {
        actor.tell(Msg::Add(n)).await.unwrap();
    }
    assert_eq!(actor.ask(Msg::Total).await.unwrap(), 5050);
    let recipient: Recipient<Msg> = actor.recipient();
    recipient.tell(Msg::Add(1)).await.unwrap();
    assert_eq!(actor.ask(Msg::Total).await.unwrap(), 5051);
}

#[tokio::test]
async fn blocking_on_a_std_channel_does_not_stall_the_runtime() {
    let system = System::new();
    let actor = system.spawn_with(worker(), on_thread()).await.unwrap();
    let open = block(&actor).await;
    assert_runtime_responsive(&system).await;
    open.send(()).unwrap();
    actor.tell(Msg::Add(3)).await.unwrap();
    assert_eq!(actor.ask(Msg::Total).await.unwrap(), 3);
}

#[tokio::test]
async fn cpu_bound_work_does_not_stall_the_runtime() {
    let system = System::new();
    let actor = system.spawn_with(worker(), on_thread()).await.unwrap();
    let (entered_tx, entered) = oneshot::channel();
    let done = Arc::new(AtomicBool::new(false));
    let spin = Msg::Spin {
        entered: entered_tx,
        done: Arc::clone(&done),
    };
    actor.tell(spin).await.unwrap();
    entered.await.unwrap();
    assert_runtime_responsive(&system).await;
    done.store(true, Ordering::Release);
    assert!(actor.ask(Msg::Total).await.unwrap() <= 1);
}

#[tokio::test]
async fn stop_drains_the_queue() {
    let system = System::new();
    let (stopped_tx, stopped) = oneshot::channel();
    let actor = Worker {
        stopped: Some(stopped_tx),
        ..worker()
    };
    let actor = system.spawn_with(actor, on_thread()).await.unwrap();
    let open = block(&actor).await;
    for n in 1..=10 {
        actor.tell(Msg::Add(n)).await.unwrap();
    }
    actor.stop();
    assert!(matches!(
        actor.tell(Msg::Add(1000)).await,
        Err(SendError::Closed(Msg::Add(1000)))
    ));
    open.send(()).unwrap();
    assert!(matches!(actor.wait_for_stop().await, ExitReason::Normal));
    assert_eq!(stopped.await.unwrap(), (55, "normal".to_string()));
    assert_eq!(system.dead_letters(), 0);
}

#[tokio::test]
async fn kill_aborts_the_handler_and_fails_queued_asks() {
    let system = System::new();
    let (stopped_tx, stopped) = oneshot::channel();
    let actor = Worker {
        stopped: Some(stopped_tx),
        ..worker()
    };
    let actor = system.spawn_with(actor, on_thread()).await.unwrap();
    let (entered_tx, entered) = oneshot::channel();
    actor.tell(Msg::Hang(entered_tx)).await.unwrap();
    entered.await.unwrap();
    let asks: Vec<_> = (0..3)
        .map(|_| {
            let actor = actor.clone();
            tokio::spawn(async move { actor.ask(Msg::Total).await })
        })
        .collect();
    actor.tell(Msg::Add(1)).await.unwrap();
    // Current-thread runtime: each yield lets every asking task run once.
    for _ in 0..10 {
        if actor.mailbox_len() == 4 {
            break;
        }
        tokio::task::yield_now().await;
    }
    assert_eq!(actor.mailbox_len(), 4);

    actor.kill();
    for ask in asks {
        assert!(matches!(ask.await.unwrap(), Err(AskError::NoReply)));
    }
    assert!(matches!(actor.wait_for_stop().await, ExitReason::Killed));
    assert!(stopped.await.is_err(), "`stopped` must not run after a kill");
    assert_eq!(system.dead_letters(), 4);
}

#[tokio::test]
async fn a_kill_lands_at_the_next_await_after_a_blocking_call() {
    let system = System::new();
    let (stopped_tx, stopped) = oneshot::channel();
    let actor = Worker {
        stopped: Some(stopped_tx),
        ..worker()
    };
    let actor = system.spawn_with(actor, on_thread()).await.unwrap();
    let open = block(&actor).await;
    actor.kill();
    // Blocked in a std call, the thread cannot be interrupted: it runs on.
    assert!(actor.exit_reason().is_none());
    open.send(()).unwrap();
    assert!(matches!(actor.wait_for_stop().await, ExitReason::Killed));
    assert!(stopped.await.is_err(), "`stopped` must not run after a kill");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_ends_only_the_thread_actor() {
    let system = System::new();
    let actor = system.spawn_with(worker(), on_thread()).await.unwrap();
    let sibling = system.spawn_with(worker(), on_thread()).await.unwrap();
    actor.tell(Msg::Panic).await.unwrap();
    match actor.wait_for_stop().await {
        ExitReason::Panicked(text) => assert_eq!(&*text, "thread boom"),
        other => panic!("expected Panicked, got {other}"),
    }
    assert!(matches!(actor.ask(Msg::Total).await, Err(AskError::Closed(_))));
    sibling.tell(Msg::Add(2)).await.unwrap();
    assert_eq!(sibling.ask(Msg::Total).await.unwrap(), 2);
    assert_runtime_responsive(&system).await;
}

/// Fails (or panics) in `started`, on its thread.
struct BadStart {
    panic: bool,
}

impl Actor for BadStart {
    type Msg = ();

    async fn started(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        if self.panic {
            panic!("cannot start on thread");
        }
        Err("no config".into())
    }

    async fn handle(&mut self, _: (), _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        Ok(())
    }
}

#[tokio::test]
async fn a_failing_started_returns_the_error_from_spawn() {
    let system = System::new();
    match system.spawn_with(BadStart { panic: false }, on_thread()).await {
        Err(SpawnError::StartFailed { source, .. }) => assert_eq!(source.to_string(), "no config"),
        other => panic!("expected StartFailed, got {other:?}"),
    }
    match system.spawn_with(BadStart { panic: true }, on_thread()).await {
        Err(SpawnError::StartPanicked { message, .. }) => assert_eq!(message, "cannot start on thread"),
        other => panic!("expected StartPanicked, got {other:?}"),
    }
    assert_eq!(system.top_level_count(), 0);
    assert_runtime_responsive(&system).await;
}
