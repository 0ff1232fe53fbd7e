//! The main example: a small log-analytics service built as an actor graph.
//!
//! ```text
//!             tell (bounded: backpressure)         tell              tell
//! producer ───────────────────────────────▶ ingest ────▶ parser pool ────▶ stats
//!                                          (loop actor)  (3 children,      (ask: summary)
//!                                                          one flaky)
//! ```
//!
//! Shows, in order: actors spawned into a tree (the pool owns its parsers);
//! requests flowing with `tell` and `ask`; backpressure on a bounded mailbox
//! (the producer outruns the ingest stage and waits); a parser panicking on a
//! poisoned line, contained to that one actor, and replaced by the pool; a
//! coordinated shutdown (children before parents) with its report.
//!
//! Run with `cargo run -p examples --example service` (set `RUST_LOG=debug`
//! to see every lifecycle event).
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::time::Duration;

use actor_core::prelude::*;
use tracing_subscriber::EnvFilter;

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
/// pretend not to know about, contained to this actor.
struct Parser {
    stats: ActorRef<Stats>,
}

impl Actor for Parser {
    type Msg = String;

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

/// Owns the parsers (its children) and routes lines round-robin; replaces a
/// parser that died. (The supervision module will do this declaratively.)
struct Pool {
    stats: ActorRef<Stats>,
    parsers: Vec<ActorRef<Parser>>,
    next: usize,
    replaced: u32,
}

impl Actor for Pool {
    type Msg = PoolMsg;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        for i in 0..3 {
            let parser = Parser {
                stats: self.stats.clone(),
            };
            let options = SpawnOptions::new().name(format!("parser-{i}"));
            self.parsers.push(ctx.spawn_with(parser, options).await?);
        }
        Ok(())
    }

    async fn handle(&mut self, msg: PoolMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            PoolMsg::Line(line) => {
                let slot = self.next % self.parsers.len();
                self.next += 1;
                if let Err(SendError::Closed(line)) = self.parsers[slot].tell(line).await {
                    let dead = &self.parsers[slot];
                    let reason = dead.wait_for_stop().await;
                    println!(
                        "pool: {} ({}) died: {reason}; replacing it",
                        dead.name().unwrap_or("?"),
                        dead.id()
                    );
                    let options = SpawnOptions::new().name(format!("parser-{slot}"));
                    self.parsers[slot] = ctx
                        .spawn_with(
                            Parser {
                                stats: self.stats.clone(),
                            },
                            options,
                        )
                        .await?;
                    self.replaced += 1;
                    self.parsers[slot]
                        .tell(line)
                        .await
                        .map_err(|_| "new parser refused")?;
                }
            }
            PoolMsg::Replaced(reply) => {
                let _ = reply.send(self.replaced);
            }
        }
        Ok(())
    }
}

enum PoolMsg {
    Line(String),
    Replaced(ReplyPort<u32>),
}

/// A loop actor: takes lines from its small bounded mailbox and forwards
/// them, counting what it saw; `recv` returns `None` once it is stopped and
/// drained.
struct Ingest {
    pool: ActorRef<Pool>,
}

impl Actor for Ingest {
    type Msg = String;

    async fn handle(&mut self, line: String, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        // A little work per line, so the producer feels the backpressure.
        tokio::time::sleep(Duration::from_micros(200)).await;
        self.pool
            .tell(PoolMsg::Line(line))
            .await
            .map_err(|_| "pool is gone")?;
        Ok(())
    }

    async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let mut seen = 0u64;
        while let Some(line) = ctx.recv().await {
            seen += 1;
            self.handle(line, ctx).await?;
        }
        println!("ingest: stopped after forwarding {seen} lines");
        Ok(())
    }
}

/// What the service run showed.
#[derive(Debug)]
#[allow(dead_code, reason = "main prints as it goes; the test reads these")]
pub(crate) struct Report {
    /// Times the producer found the ingest mailbox full and waited.
    pub(crate) waited: u32,
    /// Lines the stats counted (the poisoned one and those queued behind it
    /// in the dead parser are lost).
    pub(crate) parsed: u64,
    /// Parsers the pool replaced.
    pub(crate) replaced: u32,
    /// Whether the shutdown stopped every actor in time.
    pub(crate) shutdown_clean: bool,
}

/// Builds the graph, pushes 500 lines through it and shuts it down.
///
/// # Errors
///
/// A failed spawn, or a stage gone before its time.
pub(crate) async fn run() -> Result<Report, BoxError> {
    let system = System::new();
    let stats = system
        .spawn_with(Stats::default(), SpawnOptions::new().name("stats"))
        .await?;
    let pool = Pool {
        stats: stats.clone(),
        parsers: Vec::new(),
        next: 0,
        replaced: 0,
    };
    let pool = system.spawn_with(pool, SpawnOptions::new().name("pool")).await?;
    let ingest = Ingest { pool: pool.clone() };
    let ingest = system
        .spawn_with(
            ingest,
            SpawnOptions::new()
                .name("ingest")
                .mailbox(MailboxKind::Bounded(8)),
        )
        .await?;
    println!(
        "spawned: stats {}, pool {} (3 parsers), ingest {} (mailbox of 8)",
        stats.id(),
        pool.id(),
        ingest.id()
    );

    let levels = ["INFO", "WARN", "INFO", "ERROR", "DEBUG"];
    let mut waited = 0u32;
    for i in 0..500u32 {
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
    println!("producer: sent 500 lines, waited for room {waited} times");

    // Drain the pipeline stage by stage: stop ingest (it handles its queue),
    // then ask the pool and stats, whose mailboxes are FIFO behind it.
    ingest.stop();
    ingest.wait_for_stop().await;
    let replaced = pool
        .ask(PoolMsg::Replaced)
        .await
        .map_err(AskError::discard_message)?;
    let summary = stats
        .ask(StatsMsg::Summary)
        .await
        .map_err(AskError::discard_message)?;
    let parsed: u64 = summary.values().sum();
    println!(
        "stats: {parsed} lines parsed ({} lost with the poisoned parser): {summary:?}",
        500 - parsed
    );
    println!("pool: replaced {replaced} parser(s)");

    let report = system.shutdown().await;
    println!(
        "shutdown: clean = {}, killed = {:?}, stuck = {:?}, dead letters = {}",
        report.is_clean(),
        report.killed,
        report.stuck,
        system.dead_letters()
    );
    Ok(Report {
        waited,
        parsed,
        replaced,
        shutdown_clean: report.is_clean(),
    })
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")))
        .init();
    run().await?;
    Ok(())
}
