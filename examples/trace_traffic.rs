//! Trace traffic: who talked to whom in a real run, as pictures.
//!
//! ```text
//! main ──tell──▶ gateway ──ask──▶ auth
//!                   │  └──ask──▶ cache ──ask (on a miss)──▶ db (cache's child)
//!                   └──tell──▶ audit
//! ```
//!
//! Shows: installing the [`TrafficRecorder`] layer next to a `fmt` layer
//! with an `EnvFilter` (each with its own filter, so `RUST_LOG` does not
//! turn the recorder off); a small service graph handling requests; the
//! recorded graph written as a Mermaid flowchart (`target/trace_traffic.mmd`),
//! a Mermaid sequence diagram of the first messages
//! (`target/trace_traffic.seq.mmd`) and Graphviz DOT
//! (`target/trace_traffic.dot`); and the edge table with queue-wait and
//! handling-time percentiles.
//!
//! Run with `cargo run -p examples --example trace_traffic`, then render with
//! `dot -Tsvg target/trace_traffic.dot -o trace_traffic.svg` or
//! `mmdc -i target/trace_traffic.mmd -o trace_traffic.svg`.
#![allow(clippy::print_stdout)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use actor_core::prelude::*;
use actor_core::recorder::{ExportOptions, TrafficRecorder};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Checks tokens.
struct Auth;

impl Actor for Auth {
    type Msg = (String, ReplyPort<bool>);

    fn message_kind(_: &Self::Msg) -> &'static str {
        "check_token"
    }

    async fn handle(&mut self, (token, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = reply.send(!token.is_empty());
        Ok(())
    }
}

/// The slow store behind the cache.
struct Db;

impl Actor for Db {
    type Msg = (u32, ReplyPort<String>);

    fn message_kind(_: &Self::Msg) -> &'static str {
        "query"
    }

    async fn handle(&mut self, (key, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        tokio::time::sleep(std::time::Duration::from_micros(200)).await;
        let _ = reply.send(format!("row {key}"));
        Ok(())
    }
}

/// Remembers which keys it fetched; asks its child `db` on a miss.
#[derive(Default)]
struct Cache {
    db: Option<ActorRef<Db>>,
    known: HashSet<u32>,
}

impl Actor for Cache {
    type Msg = (u32, ReplyPort<String>);

    fn message_kind(_: &Self::Msg) -> &'static str {
        "get"
    }

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.db = Some(ctx.spawn_with(Db, SpawnOptions::new().name("db")).await?);
        Ok(())
    }

    async fn handle(&mut self, (key, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let value = if self.known.insert(key) {
            let db = self.db.as_ref().ok_or("no db")?;
            db.ask(|r| (key, r)).await?
        } else {
            format!("row {key}")
        };
        let _ = reply.send(value);
        Ok(())
    }
}

/// Counts what the gateway served.
#[derive(Default)]
struct Audit {
    served: u32,
}

impl Actor for Audit {
    type Msg = u32;

    fn message_kind(_: &u32) -> &'static str {
        "served"
    }

    async fn handle(&mut self, _key: u32, _: &mut Context<Self>) -> Result<(), BoxError> {
        self.served += 1;
        Ok(())
    }
}

/// The front door: authenticates, reads through the cache, audits.
struct Gateway {
    auth: ActorRef<Auth>,
    cache: ActorRef<Cache>,
    audit: ActorRef<Audit>,
}

enum Request {
    Get { token: String, key: u32 },
}

impl Actor for Gateway {
    type Msg = Request;

    fn message_kind(msg: &Request) -> &'static str {
        match msg {
            Request::Get { .. } => "get",
        }
    }

    async fn handle(&mut self, msg: Request, _: &mut Context<Self>) -> Result<(), BoxError> {
        let Request::Get { token, key } = msg;
        if self.auth.ask(|r| (token, r)).await? {
            let _row = self.cache.ask(|r| (key, r)).await?;
            self.audit.tell(key).await?;
        }
        Ok(())
    }
}

/// Runs the service graph for `requests` requests while `recorder` listens,
/// writes the pictures into `out_dir` and returns the printed lines.
pub(crate) async fn run(
    recorder: &TrafficRecorder,
    requests: u32,
    out_dir: &Path,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let system = System::new();
    let named = |name: &str| SpawnOptions::new().name(name);
    let auth = system.spawn_with(Auth, named("auth")).await?;
    let cache = system.spawn_with(Cache::default(), named("cache")).await?;
    let audit = system.spawn_with(Audit::default(), named("audit")).await?;
    let gateway = Gateway { auth, cache, audit };
    let gateway = system.spawn_with(gateway, named("gateway")).await?;

    for i in 0..requests {
        let token = if i % 10 == 9 {
            String::new()
        } else {
            format!("token-{i}")
        };
        gateway.tell(Request::Get { token, key: i % 8 }).await?;
    }
    // The live tree, while everything still runs.
    let live = system.snapshot();

    system.shutdown().await;

    let snapshot = recorder.snapshot();
    let options = ExportOptions::default();
    std::fs::create_dir_all(out_dir)?;
    let out_dir = out_dir.canonicalize()?;
    let mermaid = out_dir.join("trace_traffic.mmd");
    let sequence = out_dir.join("trace_traffic.seq.mmd");
    let dot = out_dir.join("trace_traffic.dot");
    std::fs::write(&mermaid, snapshot.to_mermaid_flowchart(&options))?;
    std::fs::write(&sequence, snapshot.to_mermaid_sequence(&options))?;
    std::fs::write(&dot, snapshot.to_dot(&options))?;

    let mut printed = Vec::new();
    let mut say = |line: String| {
        println!("{line}");
        printed.push(line);
    };
    say("live actor tree (before shutdown):".to_owned());
    for line in live.to_string().lines() {
        say(line.to_owned());
    }
    say(format!(
        "{} messages between {} actors",
        snapshot.messages,
        snapshot.actors.len()
    ));
    for line in snapshot.edge_table(&options).lines() {
        say(line.to_owned());
    }
    for path in [&mermaid, &sequence, &dot] {
        say(format!("wrote {}", path.display()));
    }
    Ok(printed)
}

/// `target/` of the workspace, wherever the example is run from.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    )
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let recorder = TrafficRecorder::new();
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_filter(EnvFilter::from_default_env()))
        .with(recorder.clone().with_filter(TrafficRecorder::filter()))
        .init();
    run(&recorder, 50, &target_dir()).await?;
    Ok(())
}
