//! Scenario 8: what the tracing instrumentation costs the tell and ask paths.
//!
//! One driver tells `tells` numbers to one actor through a bounded mailbox
//! of 1024 (the actor's [`Tally`](crate::scenarios::tell::Tally) checks
//! order and count, as in scenario 1), asks it for its report, then asks it `asks` times in a row (`Ping(n)`
//! answered with `n + 1`, each round trip timed, as in scenario 2). The same
//! actor-core workload runs under four tracing set-ups, one entrant each:
//!
//! - **ours**: no subscriber at all (what every other scenario measures);
//! - **ours-filtered**: a `fmt` subscriber writing to `io::sink` behind an
//!   `EnvFilter` of `trace,actor_core=off`: everything else enabled down to
//!   TRACE, so the global level hint lets everything through and the
//!   per-callsite filter has to turn the actor targets off by itself (the
//!   hardest case for a filter; `info` would already hide the DEBUG spans);
//! - **ours-recorder**: the traffic recorder
//!   ([`actor_core::recorder::TrafficRecorder`] with its own filter, as in
//!   `examples/trace_traffic.rs`): a span per message, recorded. The run
//!   checks the recorder saw every message, so it cannot win by recording
//!   nothing;
//! - **ours-compiled-out**: the reference. The same code built with
//!   `--features tracing-off` (`tracing/max_level_off`: every `tracing` macro
//!   of every crate, actor-core's included, is compiled to nothing). That is
//!   a second binary, so this entrant only runs when `--compiled-out PATH`
//!   names one:
//!
//!   ```sh
//!   cargo build --release -p benches --features tracing-off
//!   cp target/release/benches target/release/benches-tracing-off
//!   cargo run --release -p benches -- --scenario tracing --compiled-out target/release/benches-tracing-off
//!   ```
//!
//!   Issue 7's target reads directly off the final report: "no subscriber"
//!   and "targets off" within 5% of compiled out. A binary built with
//!   `tracing-off` run on its own (`cargo run --release -p benches --features
//!   tracing-off -- --scenario tracing`) runs only `ours-compiled-out` and the
//!   floor; its ratio to the floor can then be set against the default
//!   build's `ours / floor` from another invocation (the floor's code is the
//!   same in both builds).
//!
//! And the **floor**: a tokio channel actor doing the same work, so each
//! set-up also has its usual ratio to the floor.
//!
//! With `--features count-allocations` (in both builds) each run also counts
//! the process's heap allocations during the tells and during the asks:
//! issue 7 asks that tracing add none per message.
//!
//! Reading it: the report ends with each set-up's cost as a multiple of
//! compiled out (issue 7's target: at most 1.05x with no subscriber and
//! with the targets off). On a shared machine the tell throughput of the
//! multi-thread runtime moves by 10-40% from run to run (it depends on
//! where the scheduler puts the sender and the actor), far more than the 5%
//! in question; the ask p50 is the steady figure. `--runs 9` and
//! `--runtime current` narrow the spread.
//!
//! ## Why a fresh process per run
//!
//! Every run of every entrant happens in a child process (this binary, or the
//! compiled-out one, started with `--child-tracing ENTRANT`), which installs
//! its subscriber as the *global* default before it builds its runtime, the
//! way an application does. `tracing` keeps process-wide state that one
//! in-process measurement would leak into the next: each callsite caches
//! whether any subscriber is interested in it, the global level hint is
//! raised by every dispatcher ever registered and is not lowered when a
//! scoped one is dropped, and once any scoped default (`set_default`,
//! `with_default`) has been set, every tracing call of the process takes the
//! thread-local lookup path. A global default also reaches every worker
//! thread of the multi-thread runtime, which a thread-local guard on the
//! driver's thread would not.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use tracing::level_filters::{LevelFilter, STATIC_MAX_LEVEL};

use crate::cli::Options;
use crate::env::{Error, ensure};
use crate::memory::allocations;
use crate::report::{Better, Metric, Table, Unit};
use crate::scenarios::Trial;
use crate::scenarios::ask::Latencies;
use crate::scenarios::tell::{Report, Tally};

/// What one run does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    pub(crate) tells: u64,
    pub(crate) asks: u64,
}

impl Params {
    fn of(options: &Options) -> Params {
        Params {
            tells: options.sizes.tracing_tells,
            asks: options.sizes.tracing_asks,
        }
    }
}

/// How tracing is set up for a run: one entrant each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    NoSubscriber,
    TargetsOff,
    Recorder,
    CompiledOut,
    Floor,
}

impl Mode {
    const ALL: [Mode; 5] = [
        Mode::NoSubscriber,
        Mode::TargetsOff,
        Mode::Recorder,
        Mode::CompiledOut,
        Mode::Floor,
    ];

    fn entrant(self) -> &'static str {
        match self {
            Mode::NoSubscriber => "ours",
            Mode::TargetsOff => "ours-filtered",
            Mode::Recorder => "ours-recorder",
            Mode::CompiledOut => "ours-compiled-out",
            Mode::Floor => "floor",
        }
    }

    fn of_entrant(entrant: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|mode| mode.entrant() == entrant)
    }
}

/// One run's result, measured in a child process and read back.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Outcome {
    tell_elapsed: Duration,
    report: Report,
    /// Asks answered, and the sum of `reply - request` over them.
    asks: u64,
    reply_offsets: u64,
    latencies: Latencies,
    /// Allocations during the tells and during the asks (feature
    /// `count-allocations`).
    tell_allocations: Option<u64>,
    ask_allocations: Option<u64>,
    /// Messages the traffic recorder saw (recorder mode only).
    recorded: Option<u64>,
}

/// Whether this binary has every tracing macro compiled out.
fn compiled_out() -> bool {
    STATIC_MAX_LEVEL == LevelFilter::OFF
}

/// Runs scenario 8, one child process per run, and adds its rows to `table`.
pub(crate) fn run(options: &Options, table: &mut Table) {
    let params = Params::of(options);
    println!(
        "\n== 8. tracing: {} tells (bounded 1024) then {} asks to one actor, per tracing set-up \
         (a fresh process per run)",
        params.tells, params.asks
    );
    let this = std::env::current_exe().map_err(|error| error.to_string());
    let mut entrants: Vec<(Mode, Result<&Path, String>)> = Vec::new();
    let this_path = this.as_deref().map_err(Clone::clone);
    if compiled_out() {
        println!("   this binary was built with --features tracing-off: every tracing macro is compiled out");
        entrants.push((Mode::CompiledOut, this_path.clone()));
        table.notes.push(
            "8. tracing: this build has tracing compiled out (--features tracing-off), so only \
             ours-compiled-out and the floor ran; compare its ratio to the floor with ours / floor \
             of a default build, or run the default build with --compiled-out PATH for one table"
                .to_string(),
        );
    } else {
        for mode in [Mode::NoSubscriber, Mode::TargetsOff, Mode::Recorder] {
            entrants.push((mode, this_path.clone()));
        }
        match &options.compiled_out {
            Some(path) => entrants.push((Mode::CompiledOut, Ok(path.as_path()))),
            None => {
                let how = "build it with `cargo build --release -p benches --features tracing-off && cp \
                           target/release/benches target/release/benches-tracing-off`, then add \
                           `--compiled-out target/release/benches-tracing-off`";
                println!("   (no ours-compiled-out column: {how})");
                table.notes.push(format!(
                    "8. tracing: the reference column ours-compiled-out (instrumentation compiled \
                     out) needs a second build: {how}"
                ));
            }
        }
    }
    entrants.push((Mode::Floor, this_path));
    let counting = allocations().is_some();
    let mut metrics = vec![
        Metric::new("tell bounded 1024", Unit::Rate("msgs/s"), Better::Higher),
        Metric::new("ask mean", Unit::Nanos, Better::Lower),
        Metric::new("ask p50", Unit::Nanos, Better::Lower),
    ];
    if counting {
        metrics.push(Metric::new(
            "allocations per tell",
            Unit::Count("allocs/msg"),
            Better::Lower,
        ));
        metrics.push(Metric::new(
            "allocations per ask",
            Unit::Count("allocs/msg"),
            Better::Lower,
        ));
    } else {
        println!("   (allocations per message: build with --features count-allocations)");
    }
    let trials = entrants
        .into_iter()
        .filter(|(mode, _)| options.wants(mode.entrant()))
        .map(|(mode, binary)| Trial {
            entrant: mode.entrant(),
            run: Box::new(move || {
                let binary = binary.clone()?;
                check(&params, mode, run_in_child(options, binary, mode)?, counting)
            }),
        })
        .collect();
    crate::scenarios::measure(options, table, "8. tracing", metrics, trials);
}

fn check(params: &Params, mode: Mode, outcome: Outcome, counting: bool) -> Result<Vec<f64>, Error> {
    let expected = Report {
        received: params.tells,
        out_of_order: 0,
    };
    ensure(outcome.report == expected, || {
        format!("expected {expected:?}, the actor saw {:?}", outcome.report)
    })?;
    ensure(outcome.asks == params.asks, || {
        format!("{} asks answered of {}", outcome.asks, params.asks)
    })?;
    ensure(outcome.reply_offsets == params.asks, || {
        "some reply was not request + 1".to_string()
    })?;
    match (mode, outcome.recorded) {
        // Every tell, the report ask and every ask.
        (Mode::Recorder, Some(recorded)) => {
            let sent = params.tells + 1 + params.asks;
            ensure(recorded == sent, || {
                format!("the recorder saw {recorded} of the {sent} messages")
            })?;
        }
        (Mode::Recorder, None) => return Err("the recorder reported nothing".into()),
        (_, None) => {}
        (_, Some(_)) => return Err("a recorder ran where none should".into()),
    }
    let mut values = vec![
        params.tells as f64 / outcome.tell_elapsed.as_secs_f64(),
        outcome.latencies.mean,
        outcome.latencies.p50,
    ];
    if counting {
        let (Some(tells), Some(asks)) = (outcome.tell_allocations, outcome.ask_allocations) else {
            return Err(
                "this binary counts allocations but the child did not: build it with \
                        --features count-allocations too"
                    .into(),
            );
        };
        values.push(tells as f64 / params.tells.max(1) as f64);
        values.push(asks as f64 / params.asks.max(1) as f64);
    }
    Ok(values)
}

const OUTCOME_TAG: &str = "tracing-outcome";

/// Runs one entrant once in a fresh process of `binary` and reads its
/// outcome.
fn run_in_child(options: &Options, binary: &Path, mode: Mode) -> Result<Outcome, Error> {
    let output = Command::new(binary)
        .arg("--child-tracing")
        .arg(mode.entrant())
        .args(options.env.to_args())
        .args(options.sizes.to_args())
        .output()
        .map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("child process failed ({}): {}", output.status, stderr.trim()).into());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|line| line.strip_prefix(OUTCOME_TAG))
        .ok_or("the child process printed no outcome")?;
    parse(line).ok_or_else(|| format!("malformed outcome `{line}`").into())
}

/// Reads the line [`child_main`] prints (`-` for a missing count).
fn parse(line: &str) -> Option<Outcome> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let number = |i: usize| fields.get(i)?.parse::<u64>().ok();
    let optional = |i: usize| match *fields.get(i)? {
        "-" => Some(None),
        text => text.parse::<u64>().ok().map(Some),
    };
    let float = |i: usize| fields.get(i)?.parse::<f64>().ok();
    if fields.len() != 11 {
        return None;
    }
    Some(Outcome {
        tell_elapsed: Duration::from_nanos(number(0)?),
        report: Report {
            received: number(1)?,
            out_of_order: number(2)?,
        },
        asks: number(3)?,
        reply_offsets: number(4)?,
        latencies: Latencies {
            mean: float(5)?,
            p50: float(6)?,
            p99: float(7)?,
        },
        tell_allocations: optional(8)?,
        ask_allocations: optional(9)?,
        recorded: optional(10)?,
    })
}

/// The child process: sets tracing up for one entrant, runs it once, prints
/// its outcome on one line.
pub(crate) fn child_main(options: &Options, entrant: &str) -> Result<(), Error> {
    let mode = Mode::of_entrant(entrant).ok_or_else(|| format!("no tracing entrant `{entrant}`"))?;
    let params = Params::of(options);
    let recorder = setup::install(mode)?;
    let outcome = match mode {
        Mode::Floor => floor::run(&options.env, params)?,
        _ => ours::run(&options.env, params)?,
    };
    let recorded = recorder.map(|recorder| recorder.snapshot().messages);
    let optional = |count: Option<u64>| count.map_or_else(|| "-".to_string(), |n| n.to_string());
    println!(
        "{OUTCOME_TAG} {} {} {} {} {} {} {} {} {} {} {}",
        outcome.tell_elapsed.as_nanos(),
        outcome.report.received,
        outcome.report.out_of_order,
        outcome.asks,
        outcome.reply_offsets,
        outcome.latencies.mean,
        outcome.latencies.p50,
        outcome.latencies.p99,
        optional(outcome.tell_allocations),
        optional(outcome.ask_allocations),
        optional(recorded),
    );
    Ok(())
}

/// The allocations since `before` (both `None` without counting).
fn since(before: Option<u64>) -> Option<u64> {
    Some(allocations()?.saturating_sub(before?))
}

/// Installing each entrant's subscriber, and checking that the set-up is
/// what the entrant's name says.
mod setup {
    use actor_core::recorder::TrafficRecorder;
    use tracing::Level;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::{EnvFilter, Layer};

    use super::{Mode, compiled_out};
    use crate::env::{Error, ensure};

    /// The target of actor-core's per-message spans.
    const HANDLE_TARGET: &str = "actor_core::handle";

    /// Sets `mode`'s subscriber as the global default (for the whole child
    /// process); gives the recorder back in recorder mode.
    pub(super) fn install(mode: Mode) -> Result<Option<TrafficRecorder>, Error> {
        let built_for = |wanted: bool| {
            ensure(compiled_out() == wanted, || {
                if wanted {
                    "this binary has tracing compiled in: build it with --features tracing-off".to_string()
                } else {
                    format!(
                        "this binary has tracing compiled out: `{}` needs a default build",
                        mode.entrant()
                    )
                }
            })
        };
        let mut recorder = None;
        match mode {
            Mode::NoSubscriber => built_for(false)?,
            Mode::Floor => {}
            Mode::CompiledOut => built_for(true)?,
            Mode::TargetsOff => {
                built_for(false)?;
                let subscriber = tracing_subscriber::fmt()
                    .with_env_filter(EnvFilter::try_new("trace,actor_core=off")?)
                    .with_writer(std::io::sink)
                    .finish();
                tracing::subscriber::set_global_default(subscriber)?;
                ensure(
                    !tracing::enabled!(target: HANDLE_TARGET, Level::DEBUG)
                        && tracing::enabled!(target: "benches", Level::TRACE),
                    || "the filter should turn actor_core off and nothing else".to_string(),
                )?;
            }
            Mode::Recorder => {
                built_for(false)?;
                let layer = TrafficRecorder::new();
                let subscriber =
                    tracing_subscriber::registry().with(layer.clone().with_filter(TrafficRecorder::filter()));
                tracing::subscriber::set_global_default(subscriber)?;
                ensure(tracing::enabled!(target: HANDLE_TARGET, Level::DEBUG), || {
                    "the recorder should enable the per-message spans".to_string()
                })?;
                recorder = Some(layer);
            }
        }
        let installed = tracing::dispatcher::has_been_set();
        let wants_subscriber = matches!(mode, Mode::TargetsOff | Mode::Recorder);
        ensure(installed == wants_subscriber, || {
            format!("`{}`: a subscriber installed: {installed}", mode.entrant())
        })?;
        Ok(recorder)
    }
}

/// actor-core: one task actor with a bounded mailbox of 1024, the driver
/// telling then asking it.
mod ours {
    use actor_core::prelude::*;

    use super::{Instant, Latencies, Outcome, Params, Report, Tally, allocations, since};
    use crate::env::{Env, Error};
    use crate::scenarios::ask;

    enum Msg {
        Item(u64),
        Report(ReplyPort<Report>),
        Ping(u64, ReplyPort<u64>),
    }

    #[derive(Default)]
    struct Sink(Tally);

    impl Actor for Sink {
        type Msg = Msg;

        fn message_kind(msg: &Msg) -> &'static str {
            match msg {
                Msg::Item(_) => "item",
                Msg::Report(_) => "report",
                Msg::Ping(..) => "ping",
            }
        }

        async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
            match msg {
                Msg::Item(seq) => self.0.record(seq),
                Msg::Report(reply) => {
                    let _ = reply.send(self.0.report());
                }
                Msg::Ping(n, reply) => {
                    let _ = reply.send(n + 1);
                }
            }
            Ok(())
        }
    }

    pub(super) fn run(env: &Env, params: Params) -> Result<Outcome, Error> {
        env.block_on(async move {
            let system = System::new();
            let options = SpawnOptions::new().mailbox(MailboxKind::Bounded(1024));
            let sink = system.spawn_with(Sink::default(), options).await?;
            let mut round_trips = ask::Outcome::with_capacity(params.asks);

            let before = allocations();
            let start = Instant::now();
            for seq in 0..params.tells {
                sink.tell(Msg::Item(seq)).await?;
            }
            let report = sink.ask(Msg::Report).await?;
            let tell_elapsed = start.elapsed();
            let tell_allocations = since(before);

            let before = allocations();
            for n in 0..params.asks {
                let started = Instant::now();
                let reply = sink.ask(|reply| Msg::Ping(n, reply)).await?;
                round_trips.record(n, started, reply);
            }
            let ask_allocations = since(before);
            // Every handler span has closed once the actor has stopped.
            system.shutdown().await;
            Ok(Outcome {
                tell_elapsed,
                report,
                asks: round_trips.round_trips.len() as u64,
                reply_offsets: round_trips.reply_offsets,
                latencies: Latencies::of(&round_trips.round_trips).ok_or("no asks")?,
                tell_allocations,
                ask_allocations,
                recorded: None,
            })
        })
    }
}

/// The floor: a tokio channel of 1024 and a receive loop doing the same work.
mod floor {
    use tokio::sync::{mpsc, oneshot};

    use super::{Instant, Latencies, Outcome, Params, Report, Tally, allocations, since};
    use crate::env::{Env, Error};
    use crate::scenarios::ask;

    enum Msg {
        Item(u64),
        Report(oneshot::Sender<Report>),
        Ping(u64, oneshot::Sender<u64>),
    }

    pub(super) fn run(env: &Env, params: Params) -> Result<Outcome, Error> {
        env.block_on(async move {
            let (tx, mut rx) = mpsc::channel(1024);
            tokio::spawn(async move {
                let mut tally = Tally::default();
                while let Some(msg) = rx.recv().await {
                    match msg {
                        Msg::Item(seq) => tally.record(seq),
                        Msg::Report(reply) => {
                            let _ = reply.send(tally.report());
                        }
                        Msg::Ping(n, reply) => {
                            let _ = reply.send(n + 1);
                        }
                    }
                }
            });
            let gone = |_| "floor actor gone";
            let mut round_trips = ask::Outcome::with_capacity(params.asks);

            let before = allocations();
            let start = Instant::now();
            for seq in 0..params.tells {
                tx.send(Msg::Item(seq)).await.map_err(gone)?;
            }
            let (reply, answer) = oneshot::channel();
            tx.send(Msg::Report(reply)).await.map_err(gone)?;
            let report = answer.await?;
            let tell_elapsed = start.elapsed();
            let tell_allocations = since(before);

            let before = allocations();
            for n in 0..params.asks {
                let started = Instant::now();
                let (reply, answer) = oneshot::channel();
                tx.send(Msg::Ping(n, reply)).await.map_err(gone)?;
                round_trips.record(n, started, answer.await?);
            }
            let ask_allocations = since(before);
            Ok(Outcome {
                tell_elapsed,
                report,
                asks: round_trips.round_trips.len() as u64,
                reply_offsets: round_trips.reply_offsets,
                latencies: Latencies::of(&round_trips.round_trips).ok_or("no asks")?,
                tell_allocations,
                ask_allocations,
                recorded: None,
            })
        })
    }
}
