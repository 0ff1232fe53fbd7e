//! A supervision tree: restarts, a give-up and escalation.
//!
//! ```text
//! root (one-for-one, 3 restarts / 10 s)
//! ├── api                      permanent worker
//! └── jobs (one-for-all, 2 restarts / 5 s)
//!     ├── store                keeps results (fresh after each restart)
//!     └── fetcher              flaky: panics on every job marked "bad"
//! ```
//!
//! Shows: a flaky worker panicking and being restarted with the same handle
//! (queued jobs survive the restart); `jobs` giving up when its children
//! crash too often, which escalates to `root`, which restarts the whole
//! `jobs` subtree; and a shutdown in order. Lifecycle and supervision events
//! print through `tracing` (`RUST_LOG` overrides the default `info`).
//!
//! Run with `cargo run -p examples --example supervision_tree`.
#![allow(clippy::print_stdout)]

use std::time::Duration;

use actor_core::prelude::*;
use actor_core::supervision::{ChildInfo, ChildSpec, Intensity, Strategy, Supervisor};
use tracing_subscriber::EnvFilter;

/// Answers pings; never fails.
#[derive(Default)]
struct Api;

impl Actor for Api {
    type Msg = ReplyPort<&'static str>;

    async fn handle(&mut self, reply: Self::Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = reply.send("pong");
        Ok(())
    }
}

/// Counts stored results.
#[derive(Default)]
struct Store {
    stored: u32,
}

enum StoreMsg {
    Put,
    Count(ReplyPort<u32>),
}

impl Actor for Store {
    type Msg = StoreMsg;

    async fn handle(&mut self, msg: StoreMsg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            StoreMsg::Put => self.stored += 1,
            StoreMsg::Count(reply) => {
                let _ = reply.send(self.stored);
            }
        }
        Ok(())
    }
}

/// Fetches jobs; panics on a bad one (a bug we have not found yet).
#[derive(Default)]
struct Fetcher;

impl Actor for Fetcher {
    type Msg = (&'static str, ReplyPort<()>);

    async fn handle(&mut self, (job, done): Self::Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        assert!(job != "bad", "fetcher choked on a bad job");
        let _ = done.send(());
        Ok(())
    }
}

fn jobs_supervisor() -> Supervisor {
    let built = Supervisor::builder()
        .strategy(Strategy::OneForAll)
        .intensity(Intensity::new(2, Duration::from_secs(5)))
        .child(ChildSpec::new("store", Store::default))
        .child(ChildSpec::new("fetcher", Fetcher::default))
        .build();
    // The specs above are fixed and valid; `build` only fails on bad input.
    built.unwrap_or_else(|error| unreachable!("static supervisor spec is valid: {error}"))
}

async fn run_job(jobs: &ActorRef<Supervisor>, job: &'static str) -> Result<&'static str, BoxError> {
    let fetcher: ActorRef<Fetcher> = jobs.child("fetcher").await?;
    let outcome = match fetcher.ask(|done| (job, done)).await {
        Ok(()) => "done",
        Err(AskError::NoReply) => "lost: the fetcher crashed while handling it",
        Err(other) => return Err(other.discard_message().into()),
    };
    if outcome == "done" {
        let store: ActorRef<Store> = jobs.child("store").await?;
        store.tell(StoreMsg::Put).await.map_err(|_| "store is gone")?;
    }
    Ok(outcome)
}

/// What the tree went through.
#[derive(Debug)]
#[allow(dead_code, reason = "main prints as it goes; the test reads these")]
pub(crate) struct Report {
    /// Each job and what became of it, in order.
    pub(crate) outcomes: Vec<(&'static str, &'static str)>,
    /// Root's children at the end, with their restart counts.
    pub(crate) root_children: Vec<ChildInfo>,
    /// The (restarted) jobs supervisor's children at the end.
    pub(crate) jobs_children: Vec<ChildInfo>,
    /// Whether the shutdown stopped every actor in time.
    pub(crate) shutdown_clean: bool,
}

/// Builds the tree, runs the jobs and shuts down.
///
/// # Errors
///
/// A failed spawn, or a supervisor or worker unreachable.
pub(crate) async fn run() -> Result<Report, BoxError> {
    let mut outcomes = Vec::new();
    let system = System::new();
    let root = Supervisor::builder()
        .strategy(Strategy::OneForOne)
        .intensity(Intensity::new(3, Duration::from_secs(10)))
        .child(ChildSpec::new("api", Api::default))
        .child(ChildSpec::new("jobs", jobs_supervisor))
        .build()?;
    let root = system.spawn_with(root, SpawnOptions::new().name("root")).await?;
    let api: ActorRef<Api> = root.child("api").await?;
    println!("tree started: root {}, api {}", root.id(), api.id());

    println!("\n-- one bad job: the fetcher panics, jobs restarts its children (one-for-all)");
    for job in ["good", "good", "bad", "good"] {
        let jobs: ActorRef<Supervisor> = root.child("jobs").await?;
        let outcome = run_job(&jobs, job).await?;
        println!("job {job:>4}: {outcome}");
        outcomes.push((job, outcome));
    }

    println!("\n-- three bad jobs in a row: jobs exceeds 2 restarts in 5 s, gives up, root restarts it");
    for job in ["bad", "bad", "bad", "good"] {
        let jobs: ActorRef<Supervisor> = root.child("jobs").await?;
        let outcome = run_job(&jobs, job).await?;
        println!("job {job:>4}: {outcome}");
        outcomes.push((job, outcome));
    }

    let jobs: ActorRef<Supervisor> = root.child("jobs").await?;
    let store: ActorRef<Store> = jobs.child("store").await?;
    println!(
        "\nstore holds {} result(s) since its last restart",
        store
            .ask(StoreMsg::Count)
            .await
            .map_err(AskError::discard_message)?
    );
    let root_children = root.children().await?;
    for info in &root_children {
        println!(
            "root child {:<5} {} state {:?}, restarts {}",
            info.name, info.id, info.state, info.restarts
        );
    }
    let jobs_children = jobs.children().await?;
    for info in &jobs_children {
        println!(
            "jobs child {:<7} {} state {:?}, restarts {}",
            info.name, info.id, info.state, info.restarts
        );
    }
    println!(
        "api still answers: {}",
        api.ask(|reply| reply).await.map_err(AskError::discard_message)?
    );

    let report = system.shutdown().await;
    println!("\nshutdown clean: {}", report.is_clean());
    Ok(Report {
        outcomes,
        root_children,
        jobs_children,
        shutdown_clean: report.is_clean(),
    })
}

// One runtime thread makes the story the same on every run: a crashed
// fetcher's supervisor hears of the crash before the next job asks it for
// the fetcher. On several threads the asker, told `NoReply` at once, can
// win that race and reach the old fetcher after `jobs` has given up on it.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_target(true)
        .init();
    run().await?;
    Ok(())
}
