//! Promise: a handler that runs longer than the system's stuck threshold on
//! one message is reported once, at WARN on `actor_core::stuck`, with the
//! actor's id, name, type, the message kind and how long it has run; it shows
//! in `System::snapshot` while it runs; a fast actor never is reported; the
//! next message that gets stuck is reported again; a handler that blocks its
//! thread is found on a multi-thread runtime; and the watchdog task ends with
//! the system (or with its last top-level actor) and comes back with the next;
//! on a runtime without timers there is no watchdog, and actors run as ever.
//!
//! One capture layer is the global subscriber (the watchdog runs on worker
//! threads in the multi-thread test); each test reads only the events of its
//! own actors, told apart by name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use actor_core::prelude::*;
use tokio::sync::{Notify, oneshot};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context as LayerContext, SubscriberExt};

type Record = HashMap<String, String>;

/// Every event on the `actor_core::stuck` target, with its level.
#[derive(Default)]
struct Capture {
    events: Mutex<Vec<Record>>,
    changed: Notify,
}

struct Fields<'a>(&'a mut Record);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

struct CaptureLayer(&'static Capture);

impl<S: Subscriber> Layer<S> for CaptureLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: LayerContext<'_, S>) {
        if event.metadata().target() != "actor_core::stuck" {
            return;
        }
        let mut record = Record::new();
        record.insert("level".into(), event.metadata().level().to_string());
        event.record(&mut Fields(&mut record));
        self.0.events.lock().unwrap().push(record);
        self.0.changed.notify_waiters();
    }
}

fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<&'static Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture: &'static Capture = Box::leak(Box::default());
        let subscriber = tracing_subscriber::registry().with(CaptureLayer(capture));
        tracing::subscriber::set_global_default(subscriber).unwrap();
        capture
    })
}

impl Capture {
    /// The events about the actor named `name`.
    fn about(&self, name: &str) -> Vec<Record> {
        let events = self.events.lock().unwrap();
        events
            .iter()
            .filter(|e| e.get("actor.name").is_some_and(|n| n == name))
            .cloned()
            .collect()
    }

    /// The stuck reports (WARN) about `name`.
    fn reports(&self, name: &str) -> Vec<Record> {
        let mut reports = self.about(name);
        reports.retain(|e| e["level"] == "WARN");
        reports
    }

    /// Waits (real time, bounded) until `name` has been reported.
    async fn wait_reported(&self, name: &str) {
        let wait = async {
            loop {
                let changed = self.changed.notified();
                if !self.reports(name).is_empty() {
                    return;
                }
                changed.await;
            }
        };
        tokio::time::timeout(Duration::from_secs(60), wait)
            .await
            .expect("the blocked handler was never reported");
    }
}

enum GatedMsg {
    /// Handled once the gate opens (or its sender is dropped).
    Wait(oneshot::Receiver<()>),
    Ping(ReplyPort<()>),
}

struct Gated;

impl Actor for Gated {
    type Msg = GatedMsg;

    fn message_kind(msg: &GatedMsg) -> &'static str {
        match msg {
            GatedMsg::Wait(_) => "wait",
            GatedMsg::Ping(_) => "ping",
        }
    }

    async fn handle(&mut self, msg: GatedMsg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            GatedMsg::Wait(gate) => {
                let _ = gate.await;
            }
            GatedMsg::Ping(reply) => {
                let _ = reply.send(());
            }
        }
        Ok(())
    }
}

/// Each message takes 600 ms: busy all the time, never stuck on one.
struct Steady;

impl Actor for Steady {
    type Msg = ();

    async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> {
        tokio::time::sleep(Duration::from_millis(600)).await;
        Ok(())
    }
}

/// A loop actor: the handler of a message lasts until it asks for the next.
struct Looper;

impl Actor for Looper {
    type Msg = oneshot::Receiver<()>;

    fn message_kind(_: &Self::Msg) -> &'static str {
        "looped"
    }

    async fn handle(&mut self, gate: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = gate.await;
        Ok(())
    }

    async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            tokio::select! {
                msg = ctx.recv() => match msg {
                    Some(gate) => self.handle(gate, ctx).await?,
                    None => return Ok(()),
                },
                _ = tick.tick() => {}
            }
        }
    }
}

fn alive_tasks() -> usize {
    tokio::runtime::Handle::current().metrics().num_alive_tasks()
}

/// Lets finished tasks be torn down (no time passes).
async fn settle() {
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test(start_paused = true)]
async fn a_gated_handler_is_reported_once_per_stuck_message() {
    let capture = capture();
    let system = System::new().stuck_after(Duration::from_secs(1));
    let gated = system
        .spawn_with(Gated, SpawnOptions::new().name("gated"))
        .await
        .unwrap();
    let steady = system
        .spawn_with(Steady, SpawnOptions::new().name("steady"))
        .await
        .unwrap();
    for _ in 0..15 {
        steady.tell(()).await.unwrap();
    }
    let (open, gate) = oneshot::channel();
    gated.tell(GatedMsg::Wait(gate)).await.unwrap();

    // Checks every 250 ms: first seen busy at 0.25 s, reported at 1.25 s.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let reports = capture.reports("gated");
    assert_eq!(reports.len(), 1, "once, however long it runs: {reports:#?}");
    let report = &reports[0];
    assert_eq!(report["actor.id"], gated.id().to_string());
    assert!(report["actor.type"].ends_with("::Gated"), "{report:?}");
    assert_eq!(report["msg.kind"], "wait");
    assert_eq!(report["elapsed"], "1s");
    assert_eq!(
        report["message"],
        "handler stuck: running for 1s without finishing"
    );

    let snapshot = system.snapshot();
    let stuck = snapshot
        .find(gated.id())
        .unwrap()
        .stuck
        .expect("shown while it runs");
    assert_eq!(stuck.kind, "wait");
    assert_eq!(stuck.running_for, Duration::from_millis(4_750));
    assert_eq!(snapshot.find(steady.id()).unwrap().stuck, None);
    let tree = snapshot.to_string();
    assert!(
        tree.contains("gated (Gated) running, 0 queued, 1 msgs, 0 restarts, up 5.0s, STUCK in wait for 4.8s"),
        "{tree}"
    );
    let json = snapshot.to_json();
    assert!(
        json.contains(r#""stuck":{"kind":"wait","running_for_ms":4750}"#),
        "{json}"
    );
    assert!(json.contains(r#""stuck":null"#), "{json}");

    // It finishes: an INFO says so, the snapshot no longer shows it.
    open.send(()).unwrap();
    gated.ask(GatedMsg::Ping).await.unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let about = capture.about("gated");
    assert_eq!(about.len(), 2, "{about:#?}");
    assert_eq!(
        (about[1]["level"].as_str(), about[1]["msg.kind"].as_str()),
        ("INFO", "wait")
    );
    assert!(
        about[1]["message"].starts_with("handler unstuck after "),
        "{about:?}"
    );
    assert_eq!(system.snapshot().find(gated.id()).unwrap().stuck, None);

    // The next message that gets stuck is a new one: reported again.
    let (open, gate) = oneshot::channel();
    gated.tell(GatedMsg::Wait(gate)).await.unwrap();
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(capture.reports("gated").len(), 2);
    drop(open);

    // Fifteen 600 ms messages back to back: busy at every check, never
    // stuck on one.
    assert!(
        capture.about("steady").is_empty(),
        "{:#?}",
        capture.about("steady")
    );
    assert!(system.shutdown().await.is_clean());
}

#[tokio::test(start_paused = true)]
async fn a_loop_actor_is_busy_from_recv_until_it_asks_again() {
    let capture = capture();
    let system = System::new().stuck_after(Duration::from_secs(2));
    let looper = system
        .spawn_with(Looper, SpawnOptions::new().name("looper"))
        .await
        .unwrap();
    // Idle in its select for a long time (its timer ticking): not stuck.
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert!(capture.about("looper").is_empty());

    let (open, gate) = oneshot::channel();
    looper.tell(gate).await.unwrap();
    tokio::time::sleep(Duration::from_secs(10)).await;
    let reports = capture.reports("looper");
    assert_eq!(reports.len(), 1, "{reports:#?}");
    assert_eq!(reports[0]["msg.kind"], "looped");
    assert_eq!(
        system.snapshot().find(looper.id()).unwrap().stuck.unwrap().kind,
        "looped"
    );
    open.send(()).unwrap();
    assert!(system.shutdown().await.is_clean());
}

#[tokio::test(start_paused = true)]
async fn detection_can_be_turned_off() {
    let capture = capture();
    let baseline = alive_tasks();
    let system = System::new().without_stuck_detection();
    let gated = system
        .spawn_with(Gated, SpawnOptions::new().name("unwatched"))
        .await
        .unwrap();
    let (_open, gate) = oneshot::channel();
    gated.tell(GatedMsg::Wait(gate)).await.unwrap();
    // The actor, and a watchdog only to sample the metrics' mailbox gauges.
    let watchdog = usize::from(cfg!(feature = "metrics"));
    assert_eq!(alive_tasks(), baseline + 1 + watchdog);
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert!(capture.about("unwatched").is_empty());
    assert_eq!(system.snapshot().find(gated.id()).unwrap().stuck, None);
    gated.kill();
    gated.wait_for_stop().await;
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn the_watchdog_ends_with_the_system_and_with_its_last_actor() {
    let capture = capture();
    let baseline = alive_tasks();
    let system = System::new().stuck_after(Duration::from_secs(1));

    // One top-level actor: its task and the watchdog's.
    let first = system
        .spawn_with(Gated, SpawnOptions::new().name("first"))
        .await
        .unwrap();
    assert_eq!(alive_tasks(), baseline + 2);
    // The last top-level actor leaves: so does the watchdog.
    first.stop();
    first.wait_for_stop().await;
    drop(first);
    settle().await;
    assert_eq!(alive_tasks(), baseline);

    // The next top-level actor brings it back: detection works again.
    let second = system
        .spawn_with(Gated, SpawnOptions::new().name("second"))
        .await
        .unwrap();
    assert_eq!(alive_tasks(), baseline + 2);
    let (_open, gate) = oneshot::channel();
    second.tell(GatedMsg::Wait(gate)).await.unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(capture.reports("second").len(), 1);

    // Shutdown ends it at once (the stuck actor is killed after its stop
    // timeout; no tick is needed for the watchdog to leave).
    let report = system.shutdown().await;
    assert_eq!(report.killed, vec![second.id()]);
    drop(second);
    settle().await;
    assert_eq!(alive_tasks(), baseline);
}

/// Blocks its worker thread (never yields) until released.
struct Blocker {
    release: Arc<AtomicBool>,
}

impl Actor for Blocker {
    type Msg = ();

    fn message_kind(_: &()) -> &'static str {
        "block"
    }

    async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> {
        while !self.release.load(Ordering::Acquire) {
            std::thread::sleep(Duration::from_millis(1));
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_blocking_its_thread_is_found_on_a_multi_thread_runtime() {
    let capture = capture();
    let system = System::new().stuck_after(Duration::from_millis(40));
    let release = Arc::new(AtomicBool::new(false));
    let blocker = Blocker {
        release: Arc::clone(&release),
    };
    let blocker = system
        .spawn_with(blocker, SpawnOptions::new().name("blocker"))
        .await
        .unwrap();
    blocker.tell(()).await.unwrap();
    // The handler only ends once the report is out.
    capture.wait_reported("blocker").await;
    release.store(true, Ordering::Release);
    let reports = capture.reports("blocker");
    assert_eq!(reports.len(), 1, "{reports:#?}");
    assert_eq!(reports[0]["msg.kind"], "block");
    assert!(system.shutdown().await.is_clean());
}

#[test]
fn a_runtime_without_timers_runs_actors_without_a_watchdog() {
    let capture = capture();
    // No time driver: the watchdog cannot tick (tokio prints its panic
    // message once; the panic is caught).
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async {
        let system = System::new();
        let gated = system
            .spawn_with(Gated, SpawnOptions::new().name("timerless"))
            .await
            .unwrap();
        assert_eq!(alive_tasks(), 1, "the actor, and no watchdog");
        gated.ask(GatedMsg::Ping).await.unwrap();
        let again = system.spawn(Gated).await.unwrap();
        assert_eq!(alive_tasks(), 2, "no second try either");
        assert_eq!(system.snapshot().find(gated.id()).unwrap().stuck, None);
        drop((gated, again));
        settle().await;
        assert_eq!(alive_tasks(), 0);
    });
    let events = capture.events.lock().unwrap();
    let off = "stuck-handler detection is off: the tokio runtime has no time driver (enable_time)";
    assert!(events.iter().any(|e| e["message"] == off), "{events:#?}");
}
