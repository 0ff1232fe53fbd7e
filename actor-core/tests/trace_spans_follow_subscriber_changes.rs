//! Per-message spans follow the subscribers installed *after* messages
//! have flowed: the message path caches "nobody wants `actor.handle` spans"
//! in one byte, and that cache must be rebuilt whenever `tracing` rebuilds
//! its own (a subscriber installed, a filter reloaded). One test, in its own
//! process, because the cache is process-wide.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use actor_core::prelude::*;
use tracing::span::{Attributes, Id};
use tracing::{Instrument, Subscriber};
use tracing_subscriber::layer::{Context as LayerContext, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::{EnvFilter, Layer, reload};

/// Records, for each `actor.handle` span, the names of the spans it
/// follows from.
#[derive(Clone, Default)]
struct HandleSpans {
    names: Arc<Mutex<Vec<(u64, String)>>>,
    handled: Arc<Mutex<Vec<Vec<String>>>>,
}

impl HandleSpans {
    /// The `actor.handle` spans seen so far, each as the list of its causes.
    fn seen(&self) -> Vec<Vec<String>> {
        self.handled.lock().unwrap().clone()
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for HandleSpans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _ctx: LayerContext<'_, S>) {
        let name = attrs.metadata().name().to_string();
        if name == "actor.handle" {
            self.handled.lock().unwrap().push(Vec::new());
        }
        self.names.lock().unwrap().push((id.into_u64(), name));
    }

    fn on_follows_from(&self, span: &Id, follows: &Id, _ctx: LayerContext<'_, S>) {
        let names = self.names.lock().unwrap();
        let name_of = |id: &Id| {
            names
                .iter()
                .rev()
                .find(|(n, _)| *n == id.into_u64())
                .map(|(_, name)| name.clone())
                .unwrap_or_default()
        };
        if name_of(span) == "actor.handle" {
            let cause = name_of(follows);
            if let Some(last) = self.handled.lock().unwrap().last_mut() {
                last.push(cause);
            }
        }
    }
}

struct Echo;

impl Actor for Echo {
    type Msg = ReplyPort<u32>;

    async fn handle(&mut self, reply: ReplyPort<u32>, _: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = reply.send(7);
        Ok(())
    }
}

/// One ask from inside a `request` span.
async fn ask_once(echo: &ActorRef<Echo>) {
    let answer = echo
        .ask(|reply| reply)
        .instrument(tracing::info_span!("request"))
        .await
        .unwrap();
    assert_eq!(answer, 7);
}

#[tokio::test]
async fn handle_spans_appear_once_a_subscriber_wants_them_and_stop_when_filtered() {
    let system = System::new();
    let echo = system.spawn(Echo).await.unwrap();

    // No subscriber yet: messages flow, and the process learns that nobody
    // wants the spans.
    ask_once(&echo).await;

    // A subscriber that filters the actor targets off: still no span.
    let capture = HandleSpans::default();
    let (filter, reload) = reload::Layer::new(EnvFilter::new("trace,actor_core=off"));
    let subscriber = tracing_subscriber::registry().with(filter).with(capture.clone());
    let guard = tracing::subscriber::set_default(subscriber);
    ask_once(&echo).await;
    assert!(capture.seen().is_empty(), "filtered off: {:?}", capture.seen());

    // The filter is reloaded to let the spans through: the next message has
    // its span, following from the asker's.
    reload.reload(EnvFilter::new("trace")).unwrap();
    ask_once(&echo).await;
    assert_eq!(capture.seen(), vec![vec!["request".to_string()]]);

    // Filtered off again: no new span.
    reload.reload(EnvFilter::new("trace,actor_core=off")).unwrap();
    ask_once(&echo).await;
    assert_eq!(capture.seen().len(), 1);
    drop(guard);

    // A second subscriber, installed after all that, with no filter: the
    // spans are back.
    let second = HandleSpans::default();
    let guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(second.clone()));
    ask_once(&echo).await;
    assert_eq!(second.seen(), vec![vec!["request".to_string()]]);
    drop(guard);

    echo.stop();
    assert!(echo.wait_for_stop().await.is_clean());
}
