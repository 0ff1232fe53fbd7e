//! Metrics: per-actor counters, histograms and gauges in Prometheus' text
//! format.
//!
//! ```text
//! main ──ask──▶ frontend ──ask──▶ cache
//!                  │  └──ask (on a miss)──▶ db (two unnamed workers, in turn)
//!                  └──tell──▶ audit (slow: its mailbox fills up)
//! ```
//!
//! Shows: actor-core's `metrics` feature recording into
//! `metrics-exporter-prometheus` (built without its HTTP server: a service
//! would serve `render()` on its own `/metrics` route); messages handled and
//! handling time per actor and kind, queue wait (recorded for sends traced
//! at DEBUG on `actor_core::handle`, turned on here), the mailbox depth the
//! watchdog samples while the audit's backlog drains, actors started and
//! stopped. The two `db` workers have no name: they share their series.
//!
//! Run with `cargo run -p examples --features prometheus --example metrics_prometheus`.
#![allow(clippy::print_stdout)]

use std::collections::HashMap;
use std::time::Duration;

use actor_core::prelude::*;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;

/// Histogram buckets (seconds): handling and queue-wait times.
pub(crate) const BUCKETS: [f64; 6] = [0.000_1, 0.001, 0.005, 0.01, 0.1, 1.0];

/// The slow store: 2 ms per query.
pub(crate) struct Db;

impl Actor for Db {
    type Msg = (u32, ReplyPort<String>);

    fn message_kind(_: &Self::Msg) -> &'static str {
        "query"
    }

    async fn handle(&mut self, (key, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        tokio::time::sleep(Duration::from_millis(2)).await;
        let _ = reply.send(format!("row {key}"));
        Ok(())
    }
}

pub(crate) enum CacheMsg {
    Get(u32, ReplyPort<Option<String>>),
    Put(u32, String),
}

/// Rows already read.
#[derive(Default)]
pub(crate) struct Cache {
    rows: HashMap<u32, String>,
}

impl Actor for Cache {
    type Msg = CacheMsg;

    fn message_kind(msg: &CacheMsg) -> &'static str {
        match msg {
            CacheMsg::Get(..) => "get",
            CacheMsg::Put(..) => "put",
        }
    }

    async fn handle(&mut self, msg: CacheMsg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            CacheMsg::Get(key, reply) => {
                let _ = reply.send(self.rows.get(&key).cloned());
            }
            CacheMsg::Put(key, row) => {
                self.rows.insert(key, row);
            }
        }
        Ok(())
    }
}

pub(crate) enum AuditMsg {
    Log,
    Count(ReplyPort<u32>),
}

/// Writes an audit line per request: 5 ms each, slower than requests come.
#[derive(Default)]
pub(crate) struct Audit {
    lines: u32,
}

impl Actor for Audit {
    type Msg = AuditMsg;

    fn message_kind(msg: &AuditMsg) -> &'static str {
        match msg {
            AuditMsg::Log => "log",
            AuditMsg::Count(_) => "count",
        }
    }

    async fn handle(&mut self, msg: AuditMsg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            AuditMsg::Log => {
                tokio::time::sleep(Duration::from_millis(5)).await;
                self.lines += 1;
            }
            AuditMsg::Count(reply) => {
                let _ = reply.send(self.lines);
            }
        }
        Ok(())
    }
}

/// Reads through the cache, from the db workers in turn on a miss.
pub(crate) struct Frontend {
    cache: ActorRef<Cache>,
    dbs: Vec<ActorRef<Db>>,
    audit: ActorRef<Audit>,
    misses: usize,
}

impl Actor for Frontend {
    type Msg = (u32, ReplyPort<String>);

    fn message_kind(_: &Self::Msg) -> &'static str {
        "request"
    }

    async fn handle(&mut self, (key, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let row = match self.cache.ask(|r| CacheMsg::Get(key, r)).await? {
            Some(row) => row,
            None => {
                let db = &self.dbs[self.misses % self.dbs.len()];
                self.misses += 1;
                let row = db.ask(|r| (key, r)).await?;
                self.cache.tell(CacheMsg::Put(key, row.clone())).await?;
                row
            }
        };
        self.audit.tell(AuditMsg::Log).await?;
        let _ = reply.send(row);
        Ok(())
    }
}

/// The Prometheus recorder, histograms with [`BUCKETS`]; not installed.
pub(crate) fn prometheus()
-> Result<(metrics_exporter_prometheus::PrometheusRecorder, PrometheusHandle), BoxError> {
    let recorder = PrometheusBuilder::new().set_buckets(&BUCKETS)?.build_recorder();
    let handle = recorder.handle();
    Ok((recorder, handle))
}

/// Per-message tracing, only so that sends carry their time (queue wait).
pub(crate) fn queue_wait_tracing() -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::registry().with(Targets::new().with_target("actor_core::handle", Level::DEBUG))
}

/// Runs `requests` requests over `keys` distinct keys through the graph, waits
/// for the audit to catch up, and shuts down. Returns the audit's count.
pub(crate) async fn run(requests: u32, keys: u32) -> Result<u32, BoxError> {
    // A watchdog check every 100 ms (a quarter of the stuck threshold), so
    // the mailbox gauge is sampled while the audit's backlog drains.
    let system = System::new().stuck_after(Duration::from_millis(400));
    let named = |name: &str| SpawnOptions::new().name(name);
    let cache = system.spawn_with(Cache::default(), named("cache")).await?;
    let audit = system.spawn_with(Audit::default(), named("audit")).await?;
    let dbs = vec![system.spawn(Db).await?, system.spawn(Db).await?];
    // Handles kept until the shutdown: no actor stops early because the
    // frontend, stopped first, dropped the last handle to it.
    let frontend = Frontend {
        cache: cache.clone(),
        dbs: dbs.clone(),
        audit: audit.clone(),
        misses: 0,
    };
    let frontend = system.spawn_with(frontend, named("frontend")).await?;
    for i in 0..requests {
        let row = frontend.ask(|r| (i % keys, r)).await?;
        if row != format!("row {}", i % keys) {
            return Err(format!("request {i}: wrong row {row}").into());
        }
    }
    // The audit is behind: the default ask timeout is plenty to catch up.
    let lines = audit.ask(AuditMsg::Count).await?;
    system.shutdown().await;
    drop((cache, dbs));
    Ok(lines)
}

fn main() -> Result<(), BoxError> {
    let (recorder, prometheus) = prometheus()?;
    metrics::set_global_recorder(recorder)?;
    actor_core::introspect::metrics::describe();
    tracing::subscriber::set_global_default(queue_wait_tracing())?;
    let runtime = tokio::runtime::Runtime::new()?;
    let lines = runtime.block_on(run(40, 4))?;
    println!("# {lines} requests served and audited\n");
    print!("{}", prometheus.render());
    Ok(())
}
