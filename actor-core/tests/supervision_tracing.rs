//! Promise: supervision is observable through tracing, on the
//! `actor_core::supervision` target: every abnormal exit (WARN) and
//! restart (INFO) of a child names it and its actor id; a give-up (ERROR)
//! names the supervisor's id; and the escalation shows one level up as the
//! child supervisor's clean `shutdown` exit and its restart.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, Intensity, Supervisor};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

const TARGET: &str = "actor_core::supervision";

/// One captured event: its level and fields (`message` included).
#[derive(Clone, Debug)]
struct Captured {
    level: Level,
    fields: BTreeMap<String, String>,
}

impl Captured {
    fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// A minimal subscriber keeping the events of [`TARGET`].
#[derive(Clone, Default)]
struct Capture {
    events: Arc<Mutex<Vec<Captured>>>,
    next_span: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.insert(field.name().to_string(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _metadata: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        if event.metadata().target() != TARGET {
            return;
        }
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let level = *event.metadata().level();
        self.events.lock().unwrap().push(Captured { level, fields });
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}

struct Worker;

impl Actor for Worker {
    type Msg = ();

    /// Every message is a crash.
    async fn handle(&mut self, (): (), _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        Err("boom".into())
    }
}

/// root → mid (1 restart in 5 s) → w.
async fn tree() -> ActorRef<Supervisor> {
    let mid = ChildSpec::new("mid", || {
        Supervisor::builder()
            .intensity(Intensity::new(1, Duration::from_secs(5)))
            .child(ChildSpec::new("w", || Worker))
            .build()
            .unwrap()
    });
    let root = Supervisor::builder().child(mid).build().unwrap();
    System::new().spawn(root).await.unwrap()
}

// Current-thread runtime: every actor runs on this thread, under the
// thread-local subscriber.
#[tokio::test(start_paused = true)]
async fn restarts_give_ups_and_escalations_are_traced_with_ids_and_reasons() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let root = tree().await;
    let mid: ActorRef<Supervisor> = root.child("mid").await.unwrap();
    let w: ActorRef<Worker> = mid.child("w").await.unwrap();
    let (w_id, mid_id, root_id) = (w.id().to_string(), mid.id().to_string(), root.id().to_string());
    capture.events.lock().unwrap().clear();

    w.tell(()).await.unwrap(); // restarted by mid
    w.tell(()).await.unwrap(); // mid gives up; root restarts mid
    tokio::time::sleep(Duration::from_millis(1)).await; // let everything settle
    assert_eq!(root.children().await.unwrap()[0].restarts, 1);

    let events = capture.events.lock().unwrap().clone();
    let notable: Vec<&Captured> = events.iter().filter(|e| e.level <= Level::INFO).collect();
    let summary: Vec<(Level, &str, &str)> = notable
        .iter()
        .map(|e| (e.level, e.field("child"), e.field("actor.id")))
        .collect();
    assert_eq!(
        summary,
        [
            (Level::WARN, "w", w_id.as_str()),     // w exited abnormally
            (Level::INFO, "w", w_id.as_str()),     // w restarted
            (Level::WARN, "w", w_id.as_str()),     // w exited abnormally again
            (Level::ERROR, "w", mid_id.as_str()),  // mid gave up
            (Level::INFO, "mid", mid_id.as_str()), // mid exited (shutdown)
            (Level::INFO, "mid", mid_id.as_str()), // mid restarted
        ],
        "{notable:#?}"
    );
    assert_eq!(notable[0].field("reason"), "failed: boom");
    assert_eq!(notable[0].field("supervisor"), mid_id);
    assert!(notable[1].field("message").contains("restarted"));
    assert!(notable[3].field("message").contains("gave up"));
    assert_eq!(notable[4].field("reason"), "shutdown");
    assert_eq!(notable[4].field("supervisor"), root_id);
    assert!(notable[5].field("message").contains("restarted"));
    assert_eq!(notable[5].field("restarts"), "1");
}
