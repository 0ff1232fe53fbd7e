//! Blocking work on a dedicated thread, while the async actors stay responsive.
//!
//! Shows: an actor spawned with
//! `SpawnOptions::new().executor(Executor::DedicatedThread)` runs on its own
//! OS thread (with a small runtime of its own) behind the same `ActorRef`,
//! tell and ask as any actor. While it crunches numbers for a few hundred
//! milliseconds without a single `.await`, a ponger on the ordinary runtime
//! answers a ping every millisecond. Then, for contrast, the same crunch in
//! an ordinary task actor: the runtime here has one thread, so the pings stop
//! for the whole crunch (on a multi-threaded runtime it would stall one
//! worker thread and every task waiting behind it).
//!
//! Run with `cargo run -p examples --example blocking_worker`.
#![allow(clippy::print_stdout)]

use std::future::IntoFuture;
use std::time::{Duration, Instant};

use actor_core::prelude::*;
use tokio::time::MissedTickBehavior;

/// How many numbers the crunch walks through: a few hundred milliseconds of
/// CPU in a debug build.
const CRUNCH_SIZE: u64 = 200_000;

/// How often the ponger is pinged while the crunch runs.
const PING_EVERY: Duration = Duration::from_millis(1);

/// What a crunch found, how long it kept its thread busy, and which thread.
#[derive(Debug, Clone)]
pub(crate) struct Crunched {
    /// The sum of the Collatz stopping times of `1..=n`.
    pub(crate) steps: u64,
    /// How long the handler ran, never awaiting.
    pub(crate) busy: Duration,
    /// The thread it ran on.
    pub(crate) thread: String,
}

/// Burns CPU: no `.await` anywhere in its handler.
struct Cruncher;

#[actor]
impl Cruncher {
    /// Sums the Collatz stopping times of `1..=n`.
    #[handler]
    fn crunch(&mut self, n: u64) -> Crunched {
        let started = Instant::now();
        let mut steps = 0;
        for start in 1..=n {
            let mut x = start;
            while x != 1 {
                x = if x.is_multiple_of(2) { x / 2 } else { 3 * x + 1 };
                steps += 1;
            }
        }
        Crunched {
            steps,
            busy: started.elapsed(),
            thread: std::thread::current().name().unwrap_or("unnamed").to_string(),
        }
    }
}

/// Answers pings: an ordinary actor on the shared runtime.
#[derive(Default)]
struct Ponger {
    pings: u64,
}

#[actor]
impl Ponger {
    /// Counts a ping and answers with the count.
    #[handler]
    fn ping(&mut self) -> u64 {
        self.pings += 1;
        self.pings
    }
}

/// One crunch, and how the ponger fared meanwhile.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    /// Where the cruncher ran.
    pub(crate) executor: Executor,
    /// What the crunch reported.
    pub(crate) crunched: Crunched,
    /// Pings answered while the crunch ran.
    pub(crate) pongs: u32,
    /// The longest stretch without an answer from the ponger.
    pub(crate) longest_silence: Duration,
}

/// Both runs: on a dedicated thread, then as a task for contrast.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    /// The cruncher on its own thread.
    pub(crate) dedicated: Run,
    /// The cruncher as a task on the runtime's only thread.
    pub(crate) task: Run,
}

/// Spawns a cruncher on `executor` and pings the ponger every millisecond
/// until the crunch is done.
async fn crunch_while_pinging(
    system: &System,
    ponger: &ActorRef<Ponger>,
    executor: Executor,
) -> Result<Run, BoxError> {
    let options = SpawnOptions::new().name("cruncher").executor(executor);
    let cruncher = system.spawn_with(Cruncher, options).await?;

    let started = Instant::now();
    let crunch = cruncher
        .crunch(CRUNCH_SIZE)
        .timeout(Duration::from_secs(30))
        .into_future();
    tokio::pin!(crunch);
    let mut tick = tokio::time::interval(PING_EVERY);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut pongs = 0;
    let mut last_answer = started;
    let mut longest_silence = Duration::ZERO;
    let crunched = loop {
        tokio::select! {
            // The crunch first: its request is sent before the first ping.
            biased;
            crunched = &mut crunch => break crunched.map_err(AskError::discard_message)?,
            _ = tick.tick() => {
                ponger.ping().await.map_err(AskError::discard_message)?;
                pongs += 1;
                longest_silence = longest_silence.max(last_answer.elapsed());
                last_answer = Instant::now();
            }
        }
    };
    longest_silence = longest_silence.max(last_answer.elapsed());

    cruncher.stop();
    cruncher.wait_for_stop().await;
    let run = Run {
        executor,
        crunched,
        pongs,
        longest_silence,
    };
    println!(
        "{:?}: crunched {} steps in {:.1?} on thread {:?}; meanwhile {} pings answered, longest silence {:.1?}",
        run.executor,
        run.crunched.steps,
        run.crunched.busy,
        run.crunched.thread,
        run.pongs,
        run.longest_silence
    );
    Ok(run)
}

/// Runs the crunch on a dedicated thread, then as a task, pinging throughout.
/// Call it on a current-thread runtime, as `main` does: the contrast needs
/// the task cruncher to share the ponger's only thread.
///
/// # Errors
///
/// A failed spawn, or an ask that failed or timed out.
pub(crate) async fn run() -> Result<Report, BoxError> {
    let system = System::new();
    let ponger = system
        .spawn_with(Ponger::default(), SpawnOptions::new().name("ponger"))
        .await?;

    println!("the cruncher on its own thread; the ponger on the runtime:");
    let dedicated = crunch_while_pinging(&system, &ponger, Executor::DedicatedThread).await?;
    println!("the same crunch as a task on the runtime's only thread, for contrast:");
    let task = crunch_while_pinging(&system, &ponger, Executor::Task).await?;

    let shutdown = system.shutdown().await;
    let report = Report { dedicated, task };
    println!(
        "the ponger went quiet for at most {:.1?} beside a dedicated thread, {:.1?} beside a blocking task; shutdown clean: {}",
        report.dedicated.longest_silence,
        report.task.longest_silence,
        shutdown.is_clean()
    );
    Ok(report)
}

// One runtime thread, so the contrast is stark: a task that blocks it stops
// everything else on the runtime.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    run().await?;
    Ok(())
}
