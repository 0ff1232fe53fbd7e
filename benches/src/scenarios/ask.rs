//! Scenario 2: sequential ask round trip.
//!
//! One driver asks one actor `count` times in a row, `Ping(n)` answered with
//! `n + 1`, and times each round trip on its own: send, the actor wakes and
//! handles it, the reply wakes the driver. Reported: the mean, the median
//! (p50) and the 99th percentile of the round trips of a run. Each reply is
//! checked. The target (at most 1.25x the floor) is marked on the mean
//! and on the median: on a busy machine the mean follows the tail, the median
//! is the steady round trip.
//!
//! Entrants: ours as a task actor and as a dedicated-thread actor (every ask
//! then crosses threads: the figure for an actor that must not share the
//! runtime), the floor (`mpsc::channel(1024)` + a `oneshot` per request),
//! and every peer with its default mailbox.

use std::time::{Duration, Instant};

use crate::cli::Options;
use crate::env::{Error, ensure};
use crate::report::{Better, Metric, Table, Unit};
use crate::scenarios::{Entrant, measure, trials};

/// What one run does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    pub(crate) count: u64,
}

/// One run's result: every round trip, in order, and every reply.
#[derive(Clone, Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) round_trips: Vec<Duration>,
    /// The sum of `reply - request` over all asks: `count` if every reply
    /// was `n + 1`.
    pub(crate) reply_offsets: u64,
}

impl Outcome {
    /// Room for `count` round trips, so recording never reallocates mid-run.
    pub(crate) fn with_capacity(count: u64) -> Outcome {
        Outcome {
            round_trips: Vec::with_capacity(usize::try_from(count).unwrap_or(0)),
            reply_offsets: 0,
        }
    }

    /// Times one ask: `ask(n)` must answer `n + 1`.
    #[inline]
    pub(crate) fn record(&mut self, n: u64, started: Instant, reply: u64) {
        self.round_trips.push(started.elapsed());
        self.reply_offsets += reply.wrapping_sub(n);
    }
}

/// Runs scenario 2 and adds its rows to `table`.
pub(crate) fn run(options: &Options, table: &mut Table) {
    let params = Params {
        count: options.sizes.ask_count,
    };
    println!(
        "\n== 2. ask: {} sequential round trips to one actor",
        params.count
    );
    let metrics = vec![
        Metric::new("mean", Unit::Nanos, Better::Lower).target(1.25),
        Metric::new("p50", Unit::Nanos, Better::Lower).target(1.25),
        Metric::new("p99", Unit::Nanos, Better::Lower),
    ];
    let trials = trials(options, entrants(), &params, check);
    measure(options, table, "2. ask round trip", metrics, trials);
}

fn entrants() -> Vec<Entrant<Params, Outcome>> {
    let ours_and_floor: Vec<Entrant<Params, Outcome>> = vec![
        ("ours", ours::run_task),
        ("ours-thread", ours::run_thread),
        ("floor", floor::run),
        ("floor-deadline", floor::run_with_deadline),
    ];
    [ours_and_floor, crate::peers::ask()].concat()
}

fn check(params: &Params, outcome: Outcome) -> Result<Vec<f64>, Error> {
    ensure(outcome.round_trips.len() as u64 == params.count, || {
        format!("{} round trips of {}", outcome.round_trips.len(), params.count)
    })?;
    ensure(outcome.reply_offsets == params.count, || {
        "some reply was not request + 1".to_string()
    })?;
    let latencies = Latencies::of(&outcome.round_trips).ok_or("no round trips")?;
    Ok(vec![latencies.mean, latencies.p50, latencies.p99])
}

/// The mean, median and 99th percentile of a run's round trips, in
/// nanoseconds (shared by every scenario that times requests one by one).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Latencies {
    pub(crate) mean: f64,
    pub(crate) p50: f64,
    pub(crate) p99: f64,
}

impl Latencies {
    /// `None` for no round trips.
    pub(crate) fn of(round_trips: &[Duration]) -> Option<Latencies> {
        let mut nanos: Vec<f64> = round_trips.iter().map(|d| d.as_nanos() as f64).collect();
        nanos.sort_by(f64::total_cmp);
        let n = nanos.len();
        if n == 0 {
            return None;
        }
        Some(Latencies {
            mean: nanos.iter().sum::<f64>() / n as f64,
            p50: nanos[n / 2],
            p99: nanos[(n * 99 / 100).min(n - 1)],
        })
    }
}

/// actor-core: `ask` with a tuple variant as the request builder.
mod ours {
    use actor_core::prelude::*;

    use super::{Instant, Outcome, Params};
    use crate::env::{Env, Error};

    enum Msg {
        Ping(u64, ReplyPort<u64>),
    }

    struct Echo;

    impl Actor for Echo {
        type Msg = Msg;

        async fn handle(
            &mut self,
            Msg::Ping(n, reply): Msg,
            _ctx: &mut Context<Self>,
        ) -> Result<(), BoxError> {
            let _ = reply.send(n + 1);
            Ok(())
        }
    }

    pub(super) fn run_task(env: &Env, params: &Params) -> Result<Outcome, Error> {
        run(env, *params, Executor::Task)
    }

    pub(super) fn run_thread(env: &Env, params: &Params) -> Result<Outcome, Error> {
        run(env, *params, Executor::DedicatedThread)
    }

    fn run(env: &Env, params: Params, executor: Executor) -> Result<Outcome, Error> {
        env.block_on(async move {
            let system = System::new();
            let echo = system
                .spawn_with(Echo, SpawnOptions::new().executor(executor))
                .await?;
            let mut outcome = Outcome::with_capacity(params.count);
            for n in 0..params.count {
                let started = Instant::now();
                let reply = echo.ask(|reply| Msg::Ping(n, reply)).await?;
                outcome.record(n, started, reply);
            }
            system.shutdown().await;
            Ok(outcome)
        })
    }
}

/// The floor: a bounded tokio channel and a `oneshot` per request; and the
/// same floor also doing the rest of our ask's work, a 5 s deadline on the
/// reply (`tokio::time::timeout`), which the bare floor skips.
mod floor {
    use tokio::sync::{mpsc, oneshot};

    use super::{Instant, Outcome, Params};
    use crate::env::{Env, Error};

    enum Msg {
        Ping(u64, oneshot::Sender<u64>),
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let (tx, mut rx) = mpsc::channel(1024);
            tokio::spawn(async move {
                while let Some(Msg::Ping(n, reply)) = rx.recv().await {
                    let _ = reply.send(n + 1);
                }
            });
            let mut outcome = Outcome::with_capacity(params.count);
            for n in 0..params.count {
                let started = Instant::now();
                let (reply_tx, reply_rx) = oneshot::channel();
                tx.send(Msg::Ping(n, reply_tx))
                    .await
                    .map_err(|_| "floor actor gone")?;
                let reply = reply_rx.await?;
                outcome.record(n, started, reply);
            }
            Ok(outcome)
        })
    }

    pub(super) fn run_with_deadline(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let (tx, mut rx) = mpsc::channel(1024);
            tokio::spawn(async move {
                while let Some(Msg::Ping(n, reply)) = rx.recv().await {
                    let _ = reply.send(n + 1);
                }
            });
            let mut outcome = Outcome::with_capacity(params.count);
            for n in 0..params.count {
                let started = Instant::now();
                let (reply_tx, reply_rx) = oneshot::channel();
                tx.send(Msg::Ping(n, reply_tx))
                    .await
                    .map_err(|_| "floor actor gone")?;
                let reply = tokio::time::timeout(DEADLINE, reply_rx)
                    .await
                    .map_err(|_| "floor ask timed out")??;
                outcome.record(n, started, reply);
            }
            Ok(outcome)
        })
    }

    /// The deadline our ask enforces by default.
    const DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);
}
