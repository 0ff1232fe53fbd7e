//! Scenario 9: supervision, from a panicking child to its restarted
//! successor answering.
//!
//! A supervisor runs one child whose handler panics on `Crash` and answers
//! `Ping(n)` with its instance number and `n + 1`. The driver, `restarts`
//! times in a row: tells it `Crash`, at once asks it `Ping(n)`, and times
//! the pair: the panic, its detection, the supervisor's decision, the fresh
//! instance, and the queued ask answered by it. Reported: the mean, p50 and
//! p99 of that restart latency. Checked: every ask was answered by a new
//! instance (the instance number rises by one each time, so no panic went
//! unnoticed and no ask was answered by the old one), every reply is
//! `n + 1`, and the supervisor counted exactly one restart per panic.
//!
//! Entrants:
//!
//! - **ours**: a [`Supervisor`](actor_core::supervision::Supervisor),
//!   one-for-one, the child permanent, an intensity of `restarts` restarts
//!   per second (high enough never to give up), no backoff. The child keeps its handle and its mailbox across
//!   restarts, so the ask queued behind the crash is handled by the next
//!   instance;
//! - **floor**: a hand-written supervisor task: it spawns the child's task,
//!   awaits its `JoinHandle`, and on a panic (`JoinError::is_panic`) counts a
//!   restart and spawns a fresh instance on the same `mpsc` mailbox (kept in
//!   an `Arc<tokio::sync::Mutex<Receiver>>` that each instance locks for its
//!   lifetime: a panic unwinds the guard, the next instance takes it).
//!
//! The panics are planned ([`PlannedCrash`](crate::scenarios::restart::PlannedCrash) payloads): a panic hook keeps
//! them off stderr and passes every other panic on to the previous hook.

use std::sync::Once;
use std::time::{Duration, Instant};

use crate::cli::Options;
use crate::env::{Error, ensure};
use crate::report::{Better, Metric, Table, Unit};
use crate::scenarios::ask::Latencies;
use crate::scenarios::{Entrant, measure, trials};

/// What one run does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    pub(crate) restarts: u64,
}

/// One run's result.
#[derive(Clone, Debug, Default)]
pub(crate) struct Outcome {
    /// From each crashing tell to the answer of the next instance.
    pub(crate) latencies: Vec<Duration>,
    /// How many replies came from the instance expected (one newer each
    /// time) with `n + 1`.
    pub(crate) answered_by_new_instance: u64,
    /// Restarts the supervisor reports.
    pub(crate) restarts_counted: u64,
}

/// The payload of the child's planned panic.
#[derive(Debug)]
pub(crate) struct PlannedCrash;

/// The child's reply to `Ping(n)`: `(instance, n + 1)`, instances numbered
/// from 1.
pub(crate) type Answer = (u64, u64);

impl Outcome {
    /// Room for every restart, so recording never reallocates mid-run.
    pub(crate) fn with_capacity(restarts: u64) -> Outcome {
        Outcome {
            latencies: Vec::with_capacity(usize::try_from(restarts).unwrap_or(0)),
            ..Outcome::default()
        }
    }

    /// Records the `n`th restart (from 0): timed from `started`; `answer`
    /// must come from instance `n + 2` (the first is 1) and be `n + 1`.
    #[inline]
    pub(crate) fn record(&mut self, n: u64, started: Instant, answer: Answer) {
        self.latencies.push(started.elapsed());
        self.answered_by_new_instance += u64::from(answer == (n + 2, n + 1));
    }
}

/// The child's planned panic.
#[allow(
    clippy::panic,
    reason = "what this scenario measures is the recovery from a panic"
)]
pub(crate) fn crash() -> ! {
    std::panic::panic_any(PlannedCrash)
}

/// Keeps [`PlannedCrash`] panics off stderr (once per process); every other
/// panic still reaches the hook that was there before.
pub(crate) fn silence_planned_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info.payload().is::<PlannedCrash>() {
                previous(info);
            }
        }));
    });
}

/// Runs scenario 9 and adds its rows to `table`.
pub(crate) fn run(options: &Options, table: &mut Table) {
    let params = Params {
        restarts: options.sizes.restarts,
    };
    println!(
        "\n== 9. restart: {} panics of a supervised child, each timed until the restarted child answers",
        params.restarts
    );
    silence_planned_panics();
    let metrics = vec![
        Metric::new("mean", Unit::Nanos, Better::Lower),
        Metric::new("p50", Unit::Nanos, Better::Lower),
        Metric::new("p99", Unit::Nanos, Better::Lower),
    ];
    let entrants: Vec<Entrant<Params, Outcome>> = vec![("ours", ours::run), ("floor", floor::run)];
    let trials = trials(options, entrants, &params, check);
    measure(options, table, "9. restart", metrics, trials);
}

fn check(params: &Params, outcome: Outcome) -> Result<Vec<f64>, Error> {
    ensure(outcome.latencies.len() as u64 == params.restarts, || {
        format!(
            "{} restarts timed of {}",
            outcome.latencies.len(),
            params.restarts
        )
    })?;
    ensure(outcome.answered_by_new_instance == params.restarts, || {
        format!(
            "{} of {} asks were answered by the next instance with n + 1",
            outcome.answered_by_new_instance, params.restarts
        )
    })?;
    ensure(outcome.restarts_counted == params.restarts, || {
        format!(
            "the supervisor counted {} restarts for {} panics",
            outcome.restarts_counted, params.restarts
        )
    })?;
    let latencies = Latencies::of(&outcome.latencies).ok_or("no restarts")?;
    Ok(vec![latencies.mean, latencies.p50, latencies.p99])
}

/// actor-core: a one-for-one [`Supervisor`](actor_core::supervision::Supervisor) and a permanent child.
mod ours {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    use actor_core::prelude::*;
    use actor_core::supervision::{ChildSpec, Intensity, Strategy, Supervisor};

    use super::{Answer, Duration, Instant, Outcome, Params, crash};
    use crate::env::{Env, Error, ensure};

    enum Msg {
        Crash,
        Ping(u64, ReplyPort<Answer>),
    }

    struct Crashy {
        instance: u64,
    }

    impl Actor for Crashy {
        type Msg = Msg;

        async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
            match msg {
                Msg::Crash => crash(),
                Msg::Ping(n, reply) => {
                    let _ = reply.send((self.instance, n + 1));
                }
            }
            Ok(())
        }
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        let intensity = u32::try_from(params.restarts).map_err(|_| "--restarts must fit in a u32")?;
        env.block_on(async move {
            let system = System::new();
            let instances = Arc::new(AtomicU64::new(0));
            let counter = Arc::clone(&instances);
            let spec = ChildSpec::new("crashy", move || Crashy {
                instance: counter.fetch_add(1, Ordering::Relaxed) + 1,
            });
            let supervisor = Supervisor::builder()
                .strategy(Strategy::OneForOne)
                .intensity(Intensity::new(intensity, Duration::from_secs(1)))
                .child(spec)
                .build()?;
            let supervisor = system.spawn(supervisor).await?;
            let child: ActorRef<Crashy> = supervisor.child("crashy").await?;
            let mut outcome = Outcome::with_capacity(params.restarts);
            for n in 0..params.restarts {
                let started = Instant::now();
                child.tell(Msg::Crash).await?;
                let answer = child.ask(|reply| Msg::Ping(n, reply)).await?;
                outcome.record(n, started, answer);
            }
            let children = supervisor.children().await?;
            ensure(children.len() == 1, || format!("{} children", children.len()))?;
            outcome.restarts_counted = u64::from(children[0].restarts);
            system.shutdown().await;
            Ok(outcome)
        })
    }
}

/// The floor: a supervisor task awaiting its child's `JoinHandle` and
/// respawning it on a panic, the mailbox kept across instances.
mod floor {
    use std::sync::Arc;

    use tokio::sync::{Mutex, mpsc, oneshot};

    use super::{Answer, Instant, Outcome, Params, crash};
    use crate::env::{Env, Error};

    enum Msg {
        Crash,
        Ping(u64, oneshot::Sender<Answer>),
    }

    /// One instance: holds the mailbox for its whole life.
    async fn child(mailbox: Arc<Mutex<mpsc::Receiver<Msg>>>, instance: u64) {
        let mut rx = mailbox.lock().await;
        while let Some(msg) = rx.recv().await {
            match msg {
                Msg::Crash => crash(),
                Msg::Ping(n, reply) => {
                    let _ = reply.send((instance, n + 1));
                }
            }
        }
    }

    /// Restarts the child after each panic; returns the restart count once
    /// the child ends normally (its mailbox closed).
    async fn supervise(mailbox: Arc<Mutex<mpsc::Receiver<Msg>>>) -> u64 {
        let mut restarts = 0;
        loop {
            let instance = restarts + 1;
            match tokio::spawn(child(Arc::clone(&mailbox), instance)).await {
                Err(error) if error.is_panic() => restarts += 1,
                _ => return restarts,
            }
        }
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let (tx, rx) = mpsc::channel(1024);
            let supervisor = tokio::spawn(supervise(Arc::new(Mutex::new(rx))));
            let gone = |_| "floor child gone";
            let mut outcome = Outcome::with_capacity(params.restarts);
            for n in 0..params.restarts {
                let started = Instant::now();
                tx.send(Msg::Crash).await.map_err(gone)?;
                let (reply, answer) = oneshot::channel();
                tx.send(Msg::Ping(n, reply)).await.map_err(gone)?;
                outcome.record(n, started, answer.await?);
            }
            drop(tx);
            outcome.restarts_counted = supervisor.await?;
            Ok(outcome)
        })
    }
}
