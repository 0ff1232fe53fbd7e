//! Promise: `System::shutdown` always completes. An actor that ignores its
//! stop (a handler awaiting forever, a loop actor that never calls `recv`) is
//! killed once its `stop_timeout` has passed — exactly then, on a paused
//! clock — reported in `ShutdownReport::killed`, and ends `Killed`; actors that
//! stop in time are not reported. Bad spawn options (a zero or absurd stop
//! timeout, a zero capacity) are typed errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actor_core::MAX_TIMEOUT;
use actor_core::prelude::*;
use tokio::sync::oneshot;
use tokio::time::Instant;

type Log = Arc<Mutex<Vec<String>>>;

type Spawning<'a> = Pin<Box<dyn Future<Output = Result<ActorRef<Handler>, SpawnError>> + Send + 'a>>;

/// A `Handler` spawning a `Handler` from `started` is a recursive future type
/// (task actors run `started` inside the spawner's future): box it.
fn spawn_child(ctx: &mut Context<Handler>, child: Handler, options: SpawnOptions) -> Spawning<'_> {
    Box::pin(ctx.spawn_with(child, options))
}

enum Msg {
    /// Awaits forever: the actor never gets back to its mailbox.
    Hang(oneshot::Sender<()>),
    /// Hands out the child spawned in `started`.
    Child(ReplyPort<Option<ActorRef<Handler>>>),
}

/// A handler actor; `Hang` makes it ignore a stop.
struct Handler {
    name: &'static str,
    log: Log,
    /// A child spawned in `started`, with its own options.
    child: Option<Box<(Handler, SpawnOptions)>>,
    child_ref: Option<ActorRef<Handler>>,
}

fn handler(name: &'static str, log: &Log) -> Handler {
    Handler {
        name,
        log: Arc::clone(log),
        child: None,
        child_ref: None,
    }
}

impl Actor for Handler {
    type Msg = Msg;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        if let Some((child, options)) = self.child.take().map(|boxed| *boxed) {
            self.child_ref = Some(spawn_child(ctx, child, options).await?);
        }
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Hang(entered) => {
                let _ = entered.send(());
                std::future::pending::<()>().await;
            }
            Msg::Child(reply) => {
                let _ = reply.send(self.child_ref.clone());
            }
        }
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        self.log.lock().unwrap().push(format!("{}:{reason}", self.name));
    }
}

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

async fn hang(actor: &ActorRef<Handler>) {
    let (entered_tx, entered) = oneshot::channel();
    actor.tell(Msg::Hang(entered_tx)).await.unwrap();
    entered.await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_handler_that_ignores_stop_is_killed_after_its_stop_timeout() {
    let log = Log::default();
    let system = System::new();
    let early = system.spawn(handler("early", &log)).await.unwrap();
    let stubborn = system
        .spawn_with(handler("stubborn", &log), timeout(2))
        .await
        .unwrap();
    let late = system.spawn(handler("late", &log)).await.unwrap();
    hang(&stubborn).await;

    let start = Instant::now();
    let report = system.shutdown().await;
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    assert_eq!(report.killed, [stubborn.id()]);
    assert!(report.stuck.is_empty());
    assert!(!report.is_clean());
    assert!(matches!(stubborn.wait_for_stop().await, ExitReason::Killed));
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
    let parent = Handler {
        child: Some(Box::new((handler("child", &log), timeout(10)))),
        ..handler("parent", &log)
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
        system.spawn_with(handler("x", &log), zero).await,
        Err(SpawnError::InvalidStopTimeout(d)) if d.is_zero()
    ));
    let absurd = MAX_TIMEOUT + Duration::from_nanos(1);
    let too_long = SpawnOptions::new().stop_timeout(absurd);
    assert!(matches!(
        system.spawn_with(handler("x", &log), too_long).await,
        Err(SpawnError::InvalidStopTimeout(d)) if d == absurd
    ));
    let no_room = SpawnOptions::new().mailbox(MailboxKind::Bounded(0));
    assert!(matches!(
        system.spawn_with(handler("x", &log), no_room.clone()).await,
        Err(SpawnError::ZeroCapacity)
    ));
    let on_thread = no_room.executor(Executor::DedicatedThread);
    assert!(matches!(
        system.spawn_with(handler("x", &log), on_thread).await,
        Err(SpawnError::ZeroCapacity)
    ));
    assert_eq!(system.top_level_count(), 0, "nothing was registered");

    // The limits themselves are accepted.
    let edge = SpawnOptions::new()
        .stop_timeout(MAX_TIMEOUT)
        .mailbox(MailboxKind::Bounded(1));
    let ok = system.spawn_with(handler("edge", &log), edge).await.unwrap();
    assert_eq!(ok.capacity(), Some(1));
    let tiny = SpawnOptions::new().stop_timeout(Duration::from_nanos(1));
    let _tiny = system.spawn_with(handler("tiny", &log), tiny).await.unwrap();
    assert!(system.shutdown().await.is_clean());
}
