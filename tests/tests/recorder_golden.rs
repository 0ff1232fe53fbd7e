//! The recorder's exports of a known three-actor exchange, checked exactly
//! against the files in `tests/golden/recorder_*` (timings and ids left out,
//! so the output is the same on every run).
//!
//! `ext` tells `client` to start twice; each time `client` asks `frontend`,
//! which asks its child `backend`. Regenerate the files with
//! `UPDATE_GOLDEN=1 cargo test -p tests --test recorder_golden`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use actor_core::prelude::*;
use actor_core::recorder::{EXTERNAL, ExportOptions, Snapshot, TrafficRecorder};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;

struct Backend;

impl Actor for Backend {
    type Msg = ReplyPort<u32>;

    fn message_kind(_: &Self::Msg) -> &'static str {
        "lookup"
    }

    async fn handle(&mut self, reply: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = reply.send(42);
        Ok(())
    }
}

#[derive(Default)]
struct Frontend {
    backend: Option<ActorRef<Backend>>,
}

impl Actor for Frontend {
    type Msg = ReplyPort<u32>;

    fn message_kind(_: &Self::Msg) -> &'static str {
        "request"
    }

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let backend = ctx
            .spawn_with(Backend, SpawnOptions::new().name("backend"))
            .await?;
        self.backend = Some(backend);
        Ok(())
    }

    async fn handle(&mut self, reply: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let backend = self.backend.as_ref().ok_or("no backend")?;
        let answer = backend.ask(|r| r).await?;
        let _ = reply.send(answer);
        Ok(())
    }
}

struct Client {
    frontend: ActorRef<Frontend>,
    answers: u32,
}

impl Actor for Client {
    type Msg = ();

    fn message_kind(_: &()) -> &'static str {
        "start"
    }

    async fn handle(&mut self, (): (), _: &mut Context<Self>) -> Result<(), BoxError> {
        self.answers += self.frontend.ask(|r| r).await?;
        Ok(())
    }
}

fn record_exchange() -> Snapshot {
    let recorder = TrafficRecorder::new();
    let subscriber =
        tracing_subscriber::registry().with(recorder.clone().with_filter(TrafficRecorder::filter()));
    let _guard = tracing::subscriber::set_default(subscriber);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let system = System::new();
        let frontend = system
            .spawn_with(Frontend::default(), SpawnOptions::new().name("frontend"))
            .await
            .unwrap();
        // Kept until after the shutdown, so the frontend stops because the
        // system stops it, not because its last handle went away.
        let _frontend = frontend.clone();
        let client = Client { frontend, answers: 0 };
        let client = system
            .spawn_with(client, SpawnOptions::new().name("client"))
            .await
            .unwrap();
        client.tell(()).await.unwrap();
        client.tell(()).await.unwrap();
        system.shutdown().await;
    });
    recorder.snapshot()
}

fn check(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 to create it)", path.display()));
    assert_eq!(
        actual,
        expected,
        "{} differs (run with UPDATE_GOLDEN=1 to accept the new output)",
        path.display()
    );
}

#[test]
fn exports_of_a_three_actor_exchange_match_the_golden_files() {
    let snapshot = record_exchange();
    let options = ExportOptions::without_timings();
    check("recorder_flowchart.mmd", &snapshot.to_mermaid_flowchart(&options));
    check("recorder_sequence.mmd", &snapshot.to_mermaid_sequence(&options));
    check("recorder_graph.dot", &snapshot.to_dot(&options));
    check("recorder_graph.json", &snapshot.to_json(&options));
    check("recorder_edges.txt", &snapshot.edge_table(&options));
}

#[test]
fn senders_are_the_actors_whose_handlers_sent() {
    let snapshot = record_exchange();
    let key = |name: &str| {
        snapshot
            .actors
            .iter()
            .find(|a| a.name == name)
            .unwrap_or_else(|| panic!("{name} not recorded: {snapshot:#?}"))
            .key
            .clone()
    };
    let (client, frontend, backend) = (key("client"), key("frontend"), key("backend"));
    let edges: Vec<(&str, &str, &str, u64)> = snapshot
        .edges
        .iter()
        .map(|e| (e.from.as_str(), e.to.as_str(), e.kind.as_str(), e.count))
        .collect();
    assert_eq!(
        edges,
        [
            (EXTERNAL, client.as_str(), "start", 2),
            (client.as_str(), frontend.as_str(), "request", 2),
            (frontend.as_str(), backend.as_str(), "lookup", 2),
        ]
    );
    assert_eq!(snapshot.messages, 6);
    assert_eq!(snapshot.sequence.len(), 6);
    let backend_node = snapshot.actors.iter().find(|a| a.key == backend).unwrap();
    assert_eq!(backend_node.parent_key.as_deref(), Some(frontend.as_str()));
    assert!(
        snapshot.actors.iter().all(|a| a.stopped.is_some()),
        "{snapshot:#?}"
    );
    // Every handled message has its timings, and a handler that asked
    // another actor took at least as long as the one it waited for.
    for edge in &snapshot.edges {
        assert_eq!(edge.handling.count(), 2);
        assert_eq!(edge.queue_wait.count(), 2);
    }
    assert!(
        snapshot
            .sequence
            .iter()
            .all(|m| m.handling_us.is_some() && m.queue_wait_us.is_some())
    );
}
