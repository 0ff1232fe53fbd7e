//! Per-message spans: each handled message gets a root `actor.handle` span
//! with the actor's fields, the message kind and its queue wait, which
//! *follows from* the sender's span (a link, not a parent, so traces stay
//! bounded).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actor_core::prelude::*;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Instrument, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context as LayerContext, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

#[derive(Clone, Debug, Default)]
struct SpanRecord {
    name: String,
    is_root: bool,
    fields: HashMap<String, String>,
    follows_from: Vec<String>,
}

#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<HashMap<u64, SpanRecord>>>,
}

struct Fields<'a>(&'a mut HashMap<String, String>);

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

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _ctx: LayerContext<'_, S>) {
        let mut record = SpanRecord {
            name: attrs.metadata().name().to_string(),
            is_root: attrs.is_root(),
            ..SpanRecord::default()
        };
        attrs.record(&mut Fields(&mut record.fields));
        self.spans.lock().unwrap().insert(id.into_u64(), record);
    }

    fn on_record(&self, id: &Id, values: &tracing::span::Record<'_>, _ctx: LayerContext<'_, S>) {
        if let Some(record) = self.spans.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Fields(&mut record.fields));
        }
    }

    fn on_follows_from(&self, span: &Id, follows: &Id, _ctx: LayerContext<'_, S>) {
        let mut spans = self.spans.lock().unwrap();
        let cause = spans
            .get(&follows.into_u64())
            .map(|s| s.name.clone())
            .unwrap_or_default();
        if let Some(record) = spans.get_mut(&span.into_u64()) {
            record.follows_from.push(cause);
        }
    }
}

enum Msg {
    Work(u32, ReplyPort<u32>),
}

struct Worker;

impl Actor for Worker {
    type Msg = Msg;

    fn message_kind(msg: &Msg) -> &'static str {
        match msg {
            Msg::Work(..) => "work",
        }
    }

    async fn handle(&mut self, Msg::Work(n, reply): Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = reply.send(n * 2);
        Ok(())
    }
}

#[test]
fn a_handled_message_gets_a_root_span_that_follows_from_the_sender() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let system = System::new();
        let worker = system
            .spawn_with(Worker, SpawnOptions::new().name("doubler"))
            .await
            .unwrap();
        let request = tracing::info_span!("request");
        let doubled = worker
            .ask(|r| Msg::Work(21, r))
            .instrument(request)
            .await
            .unwrap();
        assert_eq!(doubled, 42);
        system.shutdown().await;
        worker.id()
    });
    let spans = capture.spans.lock().unwrap();
    let handles: Vec<&SpanRecord> = spans.values().filter(|s| s.name == "actor.handle").collect();
    assert_eq!(handles.len(), 1, "{spans:#?}");
    let handle = handles[0];
    assert!(
        handle.is_root,
        "the handler span is a root, not the sender's child"
    );
    assert_eq!(handle.follows_from, ["request"]);
    assert_eq!(handle.fields["actor.name"], "doubler");
    assert_eq!(handle.fields["msg.kind"], "work");
    assert!(handle.fields["actor.id"].starts_with("<0."));
    assert!(handle.fields["actor.type"].ends_with("Worker"));
    assert!(handle.fields.contains_key("queue_wait_us"), "{:?}", handle.fields);
}

#[test]
fn without_the_target_enabled_no_span_is_made() {
    let capture = Capture::default();
    let filter = tracing_subscriber::filter::Targets::new()
        .with_default(tracing::Level::TRACE)
        .with_target("actor_core::handle", tracing::level_filters::LevelFilter::OFF);
    let subscriber = tracing_subscriber::registry().with(capture.clone().with_filter(filter));
    let _guard = tracing::subscriber::set_default(subscriber);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let system = System::new();
        let worker = system.spawn(Worker).await.unwrap();
        assert_eq!(worker.ask(|r| Msg::Work(1, r)).await.unwrap(), 2);
        system.shutdown().await;
    });
    let spans = capture.spans.lock().unwrap();
    assert!(spans.values().all(|s| s.name != "actor.handle"), "{spans:#?}");
}
