//! The command line: which scenarios, how many runs, which sizes, which
//! runtime.
//!
//! A small hand-written parser: a dozen `--flag value` pairs do not need a
//! dependency. Sizes accept `1000000`, `1_000_000` and `1e6`.

use std::path::PathBuf;
use std::time::Duration;

use crate::env::{Env, Error, Flavor};
use crate::scenarios::Scenario;

/// What `--help` prints.
pub(crate) const USAGE: &str = "\
usage: cargo run --release -p benches [--features peers] -- [options]

scenarios (pick some, or --all):
  --all                    every scenario below
  --scenario NAME          one scenario; repeat the flag for several. Names:
                             tell         1. tell throughput, bounded 1024 and unbounded
                             ask          2. sequential ask round trip: mean, p50, p99
                             spawn        3. spawn + one ask + stop: actors/s, bytes per idle actor
                             ring         4. a ring of actors passing one token
                             fan-in       5. many senders, tagged tells, exactly once, per-sender order
                             ask-backlog  6. ask latency with a backlog queued behind the ask
                             dispatch     7. #[actor] macro dispatch vs a hand-written match
                             tracing      8. tell and ask with no subscriber / targets off / recorder on
                             restart      9. supervision: panicking tell to the restarted child's answer
                             actor-ask    10. an actor asking another from inside its handler

runs and entrants:
  --runs N                 runs per entrant (default 5); the median is reported
  --entrants a,b,...       only these entrants (ours, ours-thread, ours-macro, ours-filtered,
                             ours-recorder, ours-compiled-out, floor, floor-deadline,
                             actix, ractor, kameo, xtra)
  --quick                  sizes / 10 and 3 runs: a smoke test, not a measurement

runtime (the same for every entrant; actix always runs on its own one-thread system):
  --runtime multi|current  tokio multi-thread (default) or current_thread
  --workers N              worker threads of the multi-thread runtime (default: tokio's, one per core)
  --timeout SECS           a run that takes longer fails (lost messages hang) (default 120)

scenario tracing's reference column (instrumentation compiled out) needs a second build:
  cargo build --release -p benches --features tracing-off
  cp target/release/benches target/release/benches-tracing-off
  cargo run --release -p benches -- --scenario tracing --compiled-out target/release/benches-tracing-off
  --compiled-out PATH      a benches binary built with --features tracing-off: scenario tracing runs
                             it as the ours-compiled-out entrant, interleaved with the others
  (--features count-allocations, in both builds, adds allocations per message to scenario tracing)

sizes:
  --tell-messages N        scenario tell (default 1e6)
  --ask-count N            scenario ask (default 1e5)
  --spawn-actors N         scenario spawn (default 1e5)
  --ring-actors N          scenario ring (default 1000)
  --ring-hops N            scenario ring (default 1e6)
  --fan-in-senders N       scenario fan-in (default 8)
  --fan-in-per-sender N    scenario fan-in (default 125000)
  --backlog N              scenario ask-backlog: messages queued behind each ask (default 1e5)
  --backlog-rounds N       scenario ask-backlog: asks per run (default 30)
  --tracing-tells N        scenario tracing: tells per run (default 1e6)
  --tracing-asks N         scenario tracing: asks per run (default 1e5)
  --restarts N             scenario restart: panics and restarts per run (default 1e4)
  --actor-asks N           scenario actor-ask: asks from one actor to another per run (default 1e5)";

/// Everything the command line chose.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    pub(crate) command: Command,
    pub(crate) scenarios: Vec<Scenario>,
    pub(crate) runs: usize,
    pub(crate) entrants: Option<Vec<String>>,
    pub(crate) env: Env,
    pub(crate) sizes: Sizes,
    /// A benches binary built with `--features tracing-off`, run by
    /// scenario 8 as its `ours-compiled-out` entrant.
    pub(crate) compiled_out: Option<PathBuf>,
}

/// What the process does.
#[derive(Clone, Debug)]
pub(crate) enum Command {
    /// Run the chosen scenarios and print the table.
    Run,
    /// Print [`USAGE`].
    Help,
    /// Internal: one run of the spawn scenario for one entrant, in a fresh
    /// process (started by the parent with `--child-spawn ENTRANT`).
    Child(String),
    /// Internal: one run of the tracing scenario for one entrant, in a fresh
    /// process (started by the parent with `--child-tracing ENTRANT`).
    TracingChild(String),
}

/// The size of every scenario.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sizes {
    pub(crate) tell_messages: u64,
    pub(crate) ask_count: u64,
    pub(crate) spawn_actors: u64,
    pub(crate) ring_actors: u64,
    pub(crate) ring_hops: u64,
    pub(crate) fan_in_senders: u64,
    pub(crate) fan_in_per_sender: u64,
    pub(crate) backlog: u64,
    pub(crate) backlog_rounds: u64,
    pub(crate) tracing_tells: u64,
    pub(crate) tracing_asks: u64,
    pub(crate) restarts: u64,
    pub(crate) actor_asks: u64,
}

impl Default for Sizes {
    fn default() -> Self {
        Sizes {
            tell_messages: 1_000_000,
            ask_count: 100_000,
            spawn_actors: 100_000,
            ring_actors: 1_000,
            ring_hops: 1_000_000,
            fan_in_senders: 8,
            fan_in_per_sender: 125_000,
            backlog: 100_000,
            backlog_rounds: 30,
            tracing_tells: 1_000_000,
            tracing_asks: 100_000,
            restarts: 10_000,
            actor_asks: 100_000,
        }
    }
}

impl Sizes {
    fn quick(self) -> Sizes {
        Sizes {
            tell_messages: self.tell_messages / 10,
            ask_count: self.ask_count / 10,
            spawn_actors: self.spawn_actors / 10,
            ring_actors: self.ring_actors,
            ring_hops: self.ring_hops / 10,
            fan_in_senders: self.fan_in_senders,
            fan_in_per_sender: self.fan_in_per_sender / 10,
            backlog: self.backlog / 10,
            backlog_rounds: self.backlog_rounds,
            tracing_tells: self.tracing_tells / 10,
            tracing_asks: self.tracing_asks / 10,
            restarts: self.restarts / 10,
            actor_asks: self.actor_asks / 10,
        }
    }

    /// The flags that reproduce these sizes (passed to child processes).
    pub(crate) fn to_args(self) -> Vec<String> {
        let pairs = [
            ("--tell-messages", self.tell_messages),
            ("--ask-count", self.ask_count),
            ("--spawn-actors", self.spawn_actors),
            ("--ring-actors", self.ring_actors),
            ("--ring-hops", self.ring_hops),
            ("--fan-in-senders", self.fan_in_senders),
            ("--fan-in-per-sender", self.fan_in_per_sender),
            ("--backlog", self.backlog),
            ("--backlog-rounds", self.backlog_rounds),
            ("--tracing-tells", self.tracing_tells),
            ("--tracing-asks", self.tracing_asks),
            ("--restarts", self.restarts),
            ("--actor-asks", self.actor_asks),
        ];
        pairs
            .iter()
            .flat_map(|(flag, value)| [flag.to_string(), value.to_string()])
            .collect()
    }
}

/// Parses the arguments (without the program name).
pub(crate) fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, Error> {
    let mut options = Options {
        command: Command::Run,
        scenarios: Vec::new(),
        runs: 5,
        entrants: None,
        env: Env::default(),
        sizes: Sizes::default(),
        compiled_out: None,
    };
    let mut quick = false;
    let mut runs_given = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), Some(value.to_string())),
            _ => (arg, None),
        };
        let mut value = || -> Result<String, Error> {
            match &inline {
                Some(value) => Ok(value.clone()),
                None => args.next().ok_or_else(|| format!("{flag} needs a value").into()),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => options.command = Command::Help,
            "--all" => options.scenarios = Scenario::ALL.to_vec(),
            "--quick" => quick = true,
            "--scenario" => {
                let name = value()?;
                let scenario =
                    Scenario::from_name(&name).ok_or_else(|| format!("unknown scenario `{name}`"))?;
                if !options.scenarios.contains(&scenario) {
                    options.scenarios.push(scenario);
                }
            }
            "--runs" => {
                options.runs = usize::try_from(number(&flag, &value()?)?)?;
                runs_given = true;
            }
            "--entrants" => {
                let list = value()?;
                options.entrants = Some(list.split(',').map(|s| s.trim().to_string()).collect());
            }
            "--runtime" => {
                options.env.flavor = match value()?.as_str() {
                    "multi" | "multi-thread" | "multi_thread" => Flavor::MultiThread,
                    "current" | "current-thread" | "current_thread" => Flavor::CurrentThread,
                    other => return Err(format!("--runtime: `{other}` is neither multi nor current").into()),
                };
            }
            "--workers" => options.env.workers = Some(usize::try_from(number(&flag, &value()?)?)?),
            "--timeout" => options.env.timeout = Duration::from_secs(number(&flag, &value()?)?),
            "--child-spawn" => options.command = Command::Child(value()?),
            "--child-tracing" => options.command = Command::TracingChild(value()?),
            "--compiled-out" => options.compiled_out = Some(PathBuf::from(value()?)),
            "--tell-messages" => options.sizes.tell_messages = number(&flag, &value()?)?,
            "--ask-count" => options.sizes.ask_count = number(&flag, &value()?)?,
            "--spawn-actors" => options.sizes.spawn_actors = number(&flag, &value()?)?,
            "--ring-actors" => options.sizes.ring_actors = number(&flag, &value()?)?,
            "--ring-hops" => options.sizes.ring_hops = number(&flag, &value()?)?,
            "--fan-in-senders" => options.sizes.fan_in_senders = number(&flag, &value()?)?,
            "--fan-in-per-sender" => options.sizes.fan_in_per_sender = number(&flag, &value()?)?,
            "--backlog" => options.sizes.backlog = number(&flag, &value()?)?,
            "--backlog-rounds" => options.sizes.backlog_rounds = number(&flag, &value()?)?,
            "--tracing-tells" => options.sizes.tracing_tells = number(&flag, &value()?)?,
            "--tracing-asks" => options.sizes.tracing_asks = number(&flag, &value()?)?,
            "--restarts" => options.sizes.restarts = number(&flag, &value()?)?,
            "--actor-asks" => options.sizes.actor_asks = number(&flag, &value()?)?,
            other => return Err(format!("unknown argument `{other}`").into()),
        }
    }
    if quick {
        options.sizes = options.sizes.quick();
        if !runs_given {
            options.runs = 3;
        }
    }
    if matches!(options.command, Command::Run) && options.scenarios.is_empty() {
        return Err("choose --all or at least one --scenario".into());
    }
    if options.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    if options.sizes.ring_actors < 2 || options.sizes.fan_in_senders == 0 {
        return Err("a ring needs at least 2 actors and fan-in at least 1 sender".into());
    }
    Ok(options)
}

/// A non-negative integer: `1000000`, `1_000_000` or `1e6`.
fn number(flag: &str, text: &str) -> Result<u64, Error> {
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    if let Ok(n) = cleaned.parse::<u64>() {
        return Ok(n);
    }
    if let Some((mantissa, exponent)) = cleaned.split_once(['e', 'E'])
        && let (Ok(mantissa), Ok(exponent)) = (mantissa.parse::<u64>(), exponent.parse::<u32>())
        && let Some(n) = 10u64.checked_pow(exponent).and_then(|p| p.checked_mul(mantissa))
    {
        return Ok(n);
    }
    Err(format!("{flag}: `{text}` is not a whole number").into())
}
