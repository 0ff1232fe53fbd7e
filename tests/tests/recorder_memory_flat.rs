//! The recorder's memory does not grow with the number of messages: a
//! million handled messages (300,000 in debug builds; synthetic `actor.handle` spans, shaped like
//! the ones `Context::handle_span` makes, so the test stays fast in debug)
//! leave the same actors, edges, sequence and byte count as ten thousand.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actor_core::recorder::TrafficRecorder;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;

const ACTORS: [(&str, &str); 3] = [("<0.1>", "client"), ("<0.2>", "frontend"), ("<0.3>", "backend")];
const KINDS: [&str; 2] = ["get", "put"];

/// One handled message from `from` (an actor index, or none for outside
/// the system) to `to`, as the framework traces it.
fn handle(from: Option<&tracing::Span>, to: usize, kind: &'static str) {
    let (id, name) = ACTORS[to];
    let span = tracing::debug_span!(
        target: "actor_core::handle",
        parent: None,
        "actor.handle",
        actor.id = id,
        actor.name = name,
        actor.r#type = "app::Node",
        msg.kind = kind,
        queue_wait_us = tracing::field::Empty,
    );
    span.record("queue_wait_us", 3_u64);
    if let Some(cause) = from {
        span.follows_from(cause);
    }
    let _entered = span.enter();
}

/// `n` messages: ext -> client, client -> frontend, frontend -> backend,
/// the senders' spans made once and kept open (as a long handler would).
fn run(n: usize, senders: &[tracing::Span]) {
    for i in 0..n {
        let kind = KINDS[i % 2];
        match i % 3 {
            0 => handle(None, 0, kind),
            hop => handle(Some(&senders[hop - 1]), hop, kind),
        }
    }
}

fn sender_spans() -> Vec<tracing::Span> {
    ACTORS[..2]
        .iter()
        .map(|&(id, name)| {
            tracing::debug_span!(
                target: "actor_core::handle",
                parent: None,
                "actor.handle",
                actor.id = id,
                actor.name = name,
                actor.r#type = "app::Node",
                msg.kind = "long",
            )
        })
        .collect()
}

/// A million in release; fewer in debug builds to keep the test quick
/// there (the point, a flat footprint after warm-up, shows either way).
const TOTAL: usize = if cfg!(debug_assertions) {
    300_000
} else {
    1_000_000
};

#[test]
fn a_million_messages_keep_the_recorder_flat() {
    let recorder = TrafficRecorder::builder().sequence_capacity(100).build();
    let subscriber =
        tracing_subscriber::registry().with(recorder.clone().with_filter(TrafficRecorder::filter()));
    let _guard = tracing::subscriber::set_default(subscriber);

    let senders = sender_spans();
    run(10_000, &senders);
    let warm = recorder.snapshot();
    let warm_bytes = recorder.approx_bytes();
    assert_eq!(warm.actors.len(), 3);
    assert_eq!(
        warm.sequence.len(),
        100,
        "the sequence view stops at its capacity"
    );
    assert_eq!(warm.edges.len(), 3 * KINDS.len(), "{:#?}", warm.edges);

    run(TOTAL - 10_000, &senders);
    let done = recorder.snapshot();
    assert_eq!(done.actors.len(), warm.actors.len());
    assert_eq!(done.edges.len(), warm.edges.len());
    assert_eq!(done.sequence, warm.sequence, "the first messages stay the first");
    assert_eq!(recorder.approx_bytes(), warm_bytes, "memory grew with messages");
    assert_eq!(done.messages, TOTAL as u64);
    assert_eq!(done.dropped.messages, done.messages - 100);
    assert_eq!(done.edges.iter().map(|e| e.count).sum::<u64>(), done.messages);
    assert!(warm_bytes < 64 * 1024, "{warm_bytes} bytes for 3 actors");
}

#[test]
fn caps_bound_actors_and_edges() {
    let recorder = TrafficRecorder::builder()
        .max_actors(2)
        .max_edges(1)
        .sequence_capacity(0)
        .build();
    let subscriber =
        tracing_subscriber::registry().with(recorder.clone().with_filter(TrafficRecorder::filter()));
    let _guard = tracing::subscriber::set_default(subscriber);
    for to in 0..3 {
        for kind in KINDS {
            handle(None, to, kind);
        }
    }
    let snapshot = recorder.snapshot();
    assert_eq!(snapshot.actors.len(), 2);
    assert_eq!(snapshot.edges.len(), 1);
    assert_eq!(snapshot.messages, 6);
    assert_eq!(snapshot.dropped.messages, 6);
    assert!(
        snapshot.dropped.actors >= 1 && snapshot.dropped.edges >= 1,
        "{:?}",
        snapshot.dropped
    );
    assert!(snapshot.sequence.is_empty());
}
