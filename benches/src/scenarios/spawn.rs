//! Scenario 3: spawn, one ask each, stop, for many actors; and what an idle
//! actor costs in memory.
//!
//! One driver spawns `actors` actors one after the other and keeps their
//! handles, asks each once (`Ping(n)` answered with `n + 1`), then stops them
//! all and waits until each has stopped. Reported: actors per second over the
//! whole cycle, and the resident bytes per actor measured twice: once all are
//! spawned and idle (never messaged), and once each has handled its one ask.
//! Resident memory is the kernel's count of the process's pages in RAM
//! ([`crate::memory`]), so it includes the allocator's overhead and the
//! handle the driver keeps for each actor (what a user would keep too).
//!
//! Each run happens in a fresh child process (this same binary, started with
//! `--child-spawn ENTRANT`): memory freed by an earlier run or scenario would
//! otherwise be reused and hide the cost.
//!
//! Stopping is each framework's own: ours `stop` then `wait_for_stop`; the
//! floor drops its senders and awaits the join handles; the peers' are in
//! [`crate::peers`].

use std::process::Command;
use std::time::{Duration, Instant};

use crate::cli::Options;
use crate::env::{Error, ensure};
use crate::memory::resident_bytes;
use crate::report::{Better, Metric, Table, Unit};
use crate::scenarios::{Entrant, Trial, measure};

/// What one run does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    pub(crate) actors: u64,
}

/// One run's result.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Outcome {
    /// Spawn, ask and stop, for every actor (memory readings excluded).
    pub(crate) elapsed: Duration,
    pub(crate) rss_before: u64,
    pub(crate) rss_spawned: u64,
    pub(crate) rss_asked: u64,
    /// The sum of `reply - request` over all asks: `actors` if every reply
    /// was `n + 1`.
    pub(crate) reply_offsets: u64,
    /// Actors seen to stop.
    pub(crate) stopped: u64,
}

/// The clock and the three memory readings, the same for every entrant.
#[derive(Debug)]
pub(crate) struct Probe {
    started: Instant,
    paused: Duration,
    outcome: Outcome,
}

impl Probe {
    /// Reads the memory before anything is spawned, then starts the clock.
    pub(crate) fn start() -> Result<Probe, Error> {
        let rss_before = resident_bytes()?;
        Ok(Probe {
            started: Instant::now(),
            paused: Duration::ZERO,
            outcome: Outcome {
                rss_before,
                ..Outcome::default()
            },
        })
    }

    /// Every actor is spawned and idle.
    pub(crate) fn spawned(&mut self) -> Result<(), Error> {
        self.outcome.rss_spawned = self.read()?;
        Ok(())
    }

    /// Every actor has answered its ask.
    pub(crate) fn asked(&mut self) -> Result<(), Error> {
        self.outcome.rss_asked = self.read()?;
        Ok(())
    }

    /// Every actor has stopped: the clock stops.
    pub(crate) fn finish(mut self, reply_offsets: u64, stopped: u64) -> Outcome {
        self.outcome.elapsed = self.started.elapsed().saturating_sub(self.paused);
        self.outcome.reply_offsets = reply_offsets;
        self.outcome.stopped = stopped;
        self.outcome
    }

    fn read(&mut self) -> Result<u64, Error> {
        let before = Instant::now();
        let rss = resident_bytes()?;
        self.paused += before.elapsed();
        Ok(rss)
    }
}

/// Runs scenario 3, one child process per run, and adds its rows to `table`.
pub(crate) fn run(options: &Options, table: &mut Table) {
    let params = Params {
        actors: options.sizes.spawn_actors,
    };
    println!(
        "\n== 3. spawn: {} actors spawned, asked once each, stopped (a fresh process per run)",
        params.actors
    );
    let metrics = vec![
        Metric::new("spawn + ask + stop", Unit::Rate("actors/s"), Better::Higher),
        Metric::new("resident per idle actor", Unit::Bytes, Better::Lower),
        Metric::new("resident per actor after one ask", Unit::Bytes, Better::Lower),
    ];
    let trials = entrants()
        .into_iter()
        .filter(|(name, _)| options.wants(name))
        .map(|(name, _)| Trial {
            entrant: name,
            run: Box::new(move || check(&params, run_in_child(options, name)?)),
        })
        .collect();
    measure(options, table, "3. spawn", metrics, trials);
}

fn entrants() -> Vec<Entrant<Params, Outcome>> {
    let ours_and_floor: Vec<Entrant<Params, Outcome>> = vec![("ours", ours::run), ("floor", floor::run)];
    [ours_and_floor, crate::peers::spawn()].concat()
}

fn check(params: &Params, outcome: Outcome) -> Result<Vec<f64>, Error> {
    ensure(outcome.reply_offsets == params.actors, || {
        "some reply was missing or not request + 1".to_string()
    })?;
    ensure(outcome.stopped == params.actors, || {
        format!("{} of {} actors stopped", outcome.stopped, params.actors)
    })?;
    let per_actor = |rss: u64| rss.saturating_sub(outcome.rss_before) as f64 / params.actors as f64;
    Ok(vec![
        params.actors as f64 / outcome.elapsed.as_secs_f64(),
        per_actor(outcome.rss_spawned),
        per_actor(outcome.rss_asked),
    ])
}

const OUTCOME_TAG: &str = "spawn-outcome";

/// Runs one entrant once in a fresh process and reads its outcome.
fn run_in_child(options: &Options, entrant: &str) -> Result<Outcome, Error> {
    let output = Command::new(std::env::current_exe()?)
        .arg("--child-spawn")
        .arg(entrant)
        .args(options.env.to_args())
        .args(options.sizes.to_args())
        .output()?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("child process failed ({}): {}", output.status, stderr.trim()).into());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|line| line.strip_prefix(OUTCOME_TAG))
        .ok_or("the child process printed no outcome")?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let [nanos, rss_before, rss_spawned, rss_asked, reply_offsets, stopped] = fields[..] else {
        return Err(format!("malformed outcome `{line}`").into());
    };
    Ok(Outcome {
        elapsed: Duration::from_nanos(nanos),
        rss_before,
        rss_spawned,
        rss_asked,
        reply_offsets,
        stopped,
    })
}

/// The child process: one run of one entrant, its outcome printed on one line.
pub(crate) fn child_main(options: &Options, entrant: &str) -> Result<(), Error> {
    let (_, run) = entrants()
        .into_iter()
        .find(|(name, _)| *name == entrant)
        .ok_or_else(|| format!("no spawn entrant `{entrant}` (is the `peers` feature on?)"))?;
    let params = Params {
        actors: options.sizes.spawn_actors,
    };
    let outcome = run(&options.env, &params)?;
    println!(
        "{OUTCOME_TAG} {} {} {} {} {} {}",
        outcome.elapsed.as_nanos(),
        outcome.rss_before,
        outcome.rss_spawned,
        outcome.rss_asked,
        outcome.reply_offsets,
        outcome.stopped
    );
    Ok(())
}

/// Capacity for one handle per actor.
pub(crate) fn handles<T>(params: &Params) -> Vec<T> {
    Vec::with_capacity(usize::try_from(params.actors).unwrap_or(0))
}

/// actor-core: default options (bounded mailbox of 1024, a task).
mod ours {
    use actor_core::prelude::*;

    use super::{Outcome, Params, Probe, handles};
    use crate::env::{Env, Error};

    enum Msg {
        Ping(u64, ReplyPort<u64>),
    }

    struct Idle;

    impl Actor for Idle {
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

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let system = System::new();
            let mut actors = handles(&params);
            let mut probe = Probe::start()?;
            for _ in 0..params.actors {
                actors.push(system.spawn(Idle).await?);
            }
            probe.spawned()?;
            let mut reply_offsets = 0;
            for (n, actor) in (0..).zip(&actors) {
                reply_offsets += actor.ask(|reply| Msg::Ping(n, reply)).await?.wrapping_sub(n);
            }
            probe.asked()?;
            for actor in &actors {
                actor.stop();
            }
            let mut stopped = 0;
            for actor in &actors {
                if actor.wait_for_stop().await.is_clean() {
                    stopped += 1;
                }
            }
            Ok(probe.finish(reply_offsets, stopped))
        })
    }
}

/// The floor: a bounded tokio channel of 1024 and a spawned receive loop.
mod floor {
    use tokio::sync::{mpsc, oneshot};

    use super::{Outcome, Params, Probe, handles};
    use crate::env::{Env, Error};

    enum Msg {
        Ping(u64, oneshot::Sender<u64>),
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let mut actors = handles(&params);
            let mut probe = Probe::start()?;
            for _ in 0..params.actors {
                let (tx, mut rx) = mpsc::channel(1024);
                let task = tokio::spawn(async move {
                    while let Some(Msg::Ping(n, reply)) = rx.recv().await {
                        let _ = reply.send(n + 1);
                    }
                });
                actors.push((tx, task));
            }
            probe.spawned()?;
            let mut reply_offsets = 0;
            for (n, (tx, _)) in (0..).zip(&actors) {
                let (reply_tx, reply_rx) = oneshot::channel();
                tx.send(Msg::Ping(n, reply_tx))
                    .await
                    .map_err(|_| "floor actor gone")?;
                reply_offsets += reply_rx.await?.wrapping_sub(n);
            }
            probe.asked()?;
            // Dropping its only sender closes a channel: the loop ends.
            let tasks: Vec<_> = actors.into_iter().map(|(_sender, task)| task).collect();
            let mut stopped = 0;
            for task in tasks {
                task.await?;
                stopped += 1;
            }
            Ok(probe.finish(reply_offsets, stopped))
        })
    }
}
