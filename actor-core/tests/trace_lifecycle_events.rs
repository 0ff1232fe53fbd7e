//! Lifecycle events on the `actor_core::lifecycle` target: spawned (with
//! the parent's id), stopped (with the reason) and dead letters (with their
//! count), each carrying the actor's id, name and type.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actor_core::prelude::*;
use tokio::sync::oneshot;
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context as LayerContext, SubscriberExt};

type Record = HashMap<String, String>;

#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<Record>>>);

struct Fields<'a>(&'a mut Record);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl<S: Subscriber> Layer<S> for Events {
    fn on_event(&self, event: &Event<'_>, _ctx: LayerContext<'_, S>) {
        if event.metadata().target() != "actor_core::lifecycle" {
            return;
        }
        let mut record = Record::new();
        event.record(&mut Fields(&mut record));
        self.0.lock().unwrap().push(record);
    }
}

struct Child;

impl Actor for Child {
    type Msg = ();
    async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> {
        Ok(())
    }
}

enum Msg {
    Hold(oneshot::Receiver<()>),
    Note,
}

struct Parent;

impl Actor for Parent {
    type Msg = Msg;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        // Only its spawned event matters here; dropping the handle stops it.
        let child = ctx.spawn_with(Child, SpawnOptions::new().name("kid")).await?;
        drop(child);
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        if let Msg::Hold(gate) = msg {
            let _ = gate.await;
        }
        Ok(())
    }
}

#[test]
fn spawned_stopped_and_dead_letter_events_carry_the_actor_fields() {
    let events = Events::default();
    let subscriber = tracing_subscriber::registry().with(events.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let parent_id = runtime.block_on(async {
        let system = System::new();
        let parent = system
            .spawn_with(Parent, SpawnOptions::new().name("mom"))
            .await
            .unwrap();
        let (_keep, gate) = oneshot::channel();
        parent.tell(Msg::Hold(gate)).await.unwrap();
        for _ in 0..3 {
            parent.tell(Msg::Note).await.unwrap();
        }
        tokio::task::yield_now().await;
        parent.kill();
        assert!(matches!(parent.wait_for_stop().await, ExitReason::Killed));
        system.shutdown().await;
        parent.id().to_string()
    });
    let events = events.0.lock().unwrap();
    let find = |message: &str, name: &str| {
        events
            .iter()
            .find(|e| e.get("message").is_some_and(|m| m == message) && e["actor.name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {message:?} event for {name}: {events:#?}"))
    };
    let kid = find("actor spawned", "kid");
    assert_eq!(kid["actor.parent"], parent_id);
    assert!(kid["actor.type"].ends_with("Child"));
    let mom = find("actor spawned", "mom");
    assert!(!mom.contains_key("actor.parent") || mom["actor.parent"] == "None");
    let dead = find("dead letters: messages dropped unhandled", "mom");
    assert_eq!(dead["count"], "3");
    assert_eq!(dead["actor.id"], parent_id);
    let stopped = find("actor stopped", "mom");
    assert_eq!(stopped["reason"], "killed");
}
