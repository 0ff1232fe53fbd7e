//! The main example: a small log-analytics service built as an actor graph.
//!
//! ```text
//!             tell (bounded: backpressure)          tell (round robin)           tell
//! producer ───────────────────────────────▶ ingest ───────────────────▶ parsers ─────────▶ stats
//!                                          (loop actor)      (a pool: 3 supervised workers)  (ask: summary)
//! ```
//!
//! Shows, in order:
//! 1. actors spawned into a tree (the pool is a supervisor with three parser
//!    children), printed live with `System::snapshot()`;
//! 2. requests flowing with `tell` and `ask`;
//! 3. backpressure: the producer outruns the ingest stage's mailbox of 8 and
//!    waits for room;
//! 4. a parser panicking on a poisoned line, contained to that one actor and
//!    restarted by its supervisor with the same handle and mailbox;
//! 5. a coordinated shutdown, children before parents;
//! 6. a summary of the traffic: the recorder's edge table and a Mermaid
//!    picture of the graph written under `target/`.
//!
//! Lifecycle and supervision events print through `tracing` (`RUST_LOG`
//! overrides the default `warn`). Run with
//! `cargo run -p examples --example service`.
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use actor_core::pool::{Pool, PoolRef, Routing};
use actor_core::prelude::*;
use actor_core::recorder::{ExportOptions, TrafficRecorder};
use actor_core::supervision::Intensity;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Counts parsed lines per level; answers summaries.
#[derive(Default)]
struct Stats {
    by_level: BTreeMap<String, u64>,
}

enum StatsMsg {
    Parsed { level: String },
    Summary(ReplyPort<BTreeMap<String, u64>>),
}

impl Actor for Stats {
    type Msg = StatsMsg;

    fn message_kind(msg: &StatsMsg) -> &'static str {
        match msg {
            StatsMsg::Parsed { .. } => "parsed",
            StatsMsg::Summary(_) => "summary",
        }
    }

    async fn handle(&mut self, msg: StatsMsg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            StatsMsg::Parsed { level } => *self.by_level.entry(level).or_default() += 1,
            StatsMsg::Summary(reply) => {
                let _ = reply.send(self.by_level.clone());
            }
        }
        Ok(())
    }
}

/// Parses one line into its level. Panics on a poisoned line: a bug we
/// pretend not to know about, contained to this actor by its supervisor.
struct Parser {
    stats: ActorRef<Stats>,
}

impl Actor for Parser {
    type Msg = String;

    fn message_kind(_: &String) -> &'static str {
        "line"
    }

    async fn handle(&mut self, line: String, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        assert!(!line.contains("POISON"), "cannot parse {line:?}");
        let level = line.split_whitespace().next().unwrap_or("UNKNOWN").to_string();
        self.stats
            .tell(StatsMsg::Parsed { level })
            .await
            .map_err(|_| "stats is gone")?;
        Ok(())
    }
}

/// A loop actor: takes lines from its small bounded mailbox and forwards
/// them to the pool; `recv` returns `None` once it is stopped and drained.
struct Ingest {
    parsers: PoolRef<Parser>,
    forwarded: u64,
}

impl Actor for Ingest {
    type Msg = String;

    fn message_kind(_: &String) -> &'static str {
        "line"
    }

    async fn handle(&mut self, line: String, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        // A little work per line, so the producer feels the backpressure.
        tokio::time::sleep(Duration::from_micros(200)).await;
        self.parsers.tell(line).await.map_err(|_| "parsers are gone")?;
        self.forwarded += 1;
        Ok(())
    }
}

/// What a run showed, for the printed summary and the test.
#[derive(Debug)]
#[allow(dead_code)] // read by tests/tests/example_service.rs
pub(crate) struct Report {
    /// Times the producer found the ingest mailbox full and waited.
    pub(crate) waited: u32,
    /// Lines the stats actor counted.
    pub(crate) parsed: u64,
    /// Restarts of the parser that choked on the poisoned line.
    pub(crate) restarts: u32,
    /// Whether every actor stopped in time.
    pub(crate) shutdown_clean: bool,
    /// The live tree printed before shutdown.
    pub(crate) tree: String,
}

const LINES: u32 = 500;

/// Runs the service: see the module docs for what it shows.
pub(crate) async fn run() -> Result<Report, BoxError> {
    let system = System::new();
    let stats = system
        .spawn_with(Stats::default(), SpawnOptions::new().name("stats"))
        .await?;
    let parser_stats = stats.clone();
    let parsers = Pool::builder(3, move |_| Parser {
        stats: parser_stats.clone(),
    })
    .name("parsers")
    .routing(Routing::RoundRobin)
    .mailbox(MailboxKind::Bounded(16))
    .intensity(Intensity::new(3, Duration::from_secs(5)))
    .spawn(&system)
    .await?;
    let ingest = Ingest {
        parsers: parsers.clone(),
        forwarded: 0,
    };
    let ingest = system
        .spawn_with(
            ingest,
            SpawnOptions::new()
                .name("ingest")
                .mailbox(MailboxKind::Bounded(8)),
        )
        .await?;
    let tree = system.snapshot().to_string();
    println!("1. spawned:\n{tree}");

    let levels = ["INFO", "WARN", "INFO", "ERROR", "DEBUG"];
    let mut waited = 0u32;
    for i in 0..LINES {
        let line = if i == 250 {
            "INFO POISON line".to_string()
        } else {
            format!("{} request {i} served", levels[i as usize % levels.len()])
        };
        // Backpressure: when the mailbox is full, `try_tell` gives the line
        // back and `tell` waits for room.
        if let Err(full) = ingest.try_tell(line) {
            waited += 1;
            ingest
                .tell(full.into_inner())
                .await
                .map_err(|_| "ingest is gone")?;
        }
    }
    println!("2-3. producer: sent {LINES} lines, waited for room {waited} times");

    // Drain stage by stage: stop ingest (it handles its queue), then the
    // pool (its workers handle theirs), then ask stats, FIFO behind them.
    ingest.stop();
    ingest.wait_for_stop().await;
    let restarts: u32 = parsers
        .supervisor()
        .children()
        .await?
        .iter()
        .map(|child| child.restarts)
        .sum();
    println!("4. parsers: {restarts} restart(s) after the poisoned line (same handles, same mailboxes)");
    parsers.stop();
    parsers.wait_for_stop().await;
    let summary = stats
        .ask(StatsMsg::Summary)
        .await
        .map_err(AskError::discard_message)?;
    let parsed: u64 = summary.values().sum();
    println!(
        "   stats: {parsed} lines parsed ({} lost with the poisoned one): {summary:?}",
        u64::from(LINES) - parsed
    );

    let report = system.shutdown().await;
    println!(
        "5. shutdown: clean = {}, killed = {:?}, stuck = {:?}, dead letters = {}",
        report.is_clean(),
        report.killed,
        report.stuck,
        system.dead_letters()
    );
    Ok(Report {
        waited,
        parsed,
        restarts,
        shutdown_clean: report.is_clean(),
        tree,
    })
}

/// Prints the recorder's edge table and writes the Mermaid picture.
pub(crate) fn summarise(recorder: &TrafficRecorder, out_dir: &Path) -> Result<PathBuf, BoxError> {
    let snapshot = recorder.snapshot();
    let options = ExportOptions::default();
    println!(
        "6. traffic: {} messages between {} actors",
        snapshot.messages,
        snapshot.actors.len()
    );
    println!("{}", snapshot.edge_table(&options));
    std::fs::create_dir_all(out_dir)?;
    let path = out_dir.canonicalize()?.join("service.mmd");
    std::fs::write(&path, snapshot.to_mermaid_flowchart(&options))?;
    println!("   graph: {}", path.display());
    Ok(path)
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    )
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let recorder = TrafficRecorder::new();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_filter(filter))
        .with(recorder.clone().with_filter(TrafficRecorder::filter()))
        .init();
    run().await?;
    summarise(&recorder, &target_dir())?;
    Ok(())
}
