//! The scenarios of issue 4, one file each, and the loop that runs them.
//!
//! | # | file | what | checked |
//! |---|---|---|---|
//! | 1 | [`tell`] | one sender tells 10^6 numbers to one actor (bounded 1024, unbounded) | count and order |
//! | 2 | [`ask`] | 10^5 sequential asks: mean, p50, p99 round trip | every reply |
//! | 3 | [`spawn`] | spawn 10^5 actors, ask each once, stop them: actors/s, bytes per idle actor | every reply, every stop |
//! | 4 | [`ring`] | 1,000 actors pass one token 10^6 hops | the token ends where it must |
//! | 5 | [`fan_in`] | 8 senders x 125,000 tagged tells to one actor | exactly once, per-sender order |
//! | 6 | [`backlog`] | an ask answered while 10^5 messages are queued behind it | every reply, every message |
//! | 7 | [`dispatch`] | `#[actor]` counter vs the same counter with a hand-written match | the order-sensitive total, every answer |
//! | 8 | [`tracing_cost`] | bounded tell and ask: no subscriber, actor targets off, recorder on, compiled out | count, order, replies; the recorder saw all |
//! | 9 | [`restart`] | a supervised child panics 10^4 times: panicking tell to the restarted child's answer | a new instance answers each time; restarts = panics |
//! | 10 | [`actor_ask`] | actor A asks actor B 10^5 times in a row from inside its handler | every reply; B handled each ask once |
//!
//! Each scenario file holds its workload, its checks, and two entrants:
//! `ours` (actor-core, written as a user would) and `floor` (a hand-written
//! tokio `mpsc` + `oneshot` actor doing the same work per message). The
//! peers' entrants live in [`crate::peers`]. The per-message bookkeeping
//! that a scenario's actor does (e.g. [`tell::Tally`]) is one shared type, so
//! every entrant does exactly the same work and only the framework differs.

/// 10. An actor asking another from inside its handler.
pub(crate) mod actor_ask;
/// 2. Sequential ask round trip.
pub(crate) mod ask;
/// 6. An ask answered while a backlog is queued behind it.
pub(crate) mod backlog;
/// 7. `#[actor]` dispatch against a hand-written match.
pub(crate) mod dispatch;
/// 5. Many senders, one actor.
pub(crate) mod fan_in;
/// 9. Supervision: restart latency of a panicking child.
pub(crate) mod restart;
/// 4. A ring of actors passing one token.
pub(crate) mod ring;
/// 3. Spawn, ask once, stop; memory per idle actor.
pub(crate) mod spawn;
/// 1. Tell throughput to one actor.
pub(crate) mod tell;
/// 8. What the tracing instrumentation costs.
pub(crate) mod tracing_cost;

use crate::cli::Options;
use crate::env::{Env, Error};
use crate::report::{Cell, Metric, Row, Summary, Table};

/// A scenario, as named on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scenario {
    Tell,
    Ask,
    Spawn,
    Ring,
    FanIn,
    AskBacklog,
    Dispatch,
    Tracing,
    Restart,
    ActorAsk,
}

impl Scenario {
    /// Every scenario, in the order.
    pub(crate) const ALL: [Scenario; 10] = [
        Scenario::Tell,
        Scenario::Ask,
        Scenario::Spawn,
        Scenario::Ring,
        Scenario::FanIn,
        Scenario::AskBacklog,
        Scenario::Dispatch,
        Scenario::Tracing,
        Scenario::Restart,
        Scenario::ActorAsk,
    ];

    /// The command-line name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scenario::Tell => "tell",
            Scenario::Ask => "ask",
            Scenario::Spawn => "spawn",
            Scenario::Ring => "ring",
            Scenario::FanIn => "fan-in",
            Scenario::AskBacklog => "ask-backlog",
            Scenario::Dispatch => "dispatch",
            Scenario::Tracing => "tracing",
            Scenario::Restart => "restart",
            Scenario::ActorAsk => "actor-ask",
        }
    }

    /// The scenario named `name` on the command line.
    pub(crate) fn from_name(name: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|scenario| scenario.name() == name)
    }
}

/// One entrant's way to run a scenario once: it returns one value per
/// metric of the scenario, after checking its own result.
pub(crate) struct Trial<'a> {
    pub(crate) entrant: &'static str,
    pub(crate) run: Box<dyn FnMut() -> Result<Vec<f64>, Error> + 'a>,
}

/// An entrant of a scenario whose parameters are `P` and raw result `O`.
pub(crate) type Entrant<P, O> = (&'static str, fn(&Env, &P) -> Result<O, Error>);

impl Options {
    /// Whether `--entrants` lets this entrant run.
    pub(crate) fn wants(&self, entrant: &str) -> bool {
        self.entrants
            .as_ref()
            .is_none_or(|list| list.iter().any(|wanted| wanted == entrant))
    }
}

/// Runs the chosen scenarios and gathers the table.
pub(crate) fn run_all(options: &Options) -> Table {
    let mut table = Table {
        load_at_start: crate::memory::load_average(),
        ..Table::default()
    };
    println!("benches: actor-core vs the tokio floor{}", peers_text());
    println!(
        "runtime: {}; {} runs per entrant, interleaved",
        options.env.describe(),
        options.runs
    );
    for scenario in &options.scenarios {
        match scenario {
            Scenario::Tell => tell::run(options, &mut table),
            Scenario::Ask => ask::run(options, &mut table),
            Scenario::Spawn => spawn::run(options, &mut table),
            Scenario::Ring => ring::run(options, &mut table),
            Scenario::FanIn => fan_in::run(options, &mut table),
            Scenario::AskBacklog => backlog::run(options, &mut table),
            Scenario::Dispatch => dispatch::run(options, &mut table),
            Scenario::Tracing => tracing_cost::run(options, &mut table),
            Scenario::Restart => restart::run(options, &mut table),
            Scenario::ActorAsk => actor_ask::run(options, &mut table),
        }
    }
    if cfg!(feature = "peers") {
        table.notes.push(
            "actix runs on its own actix_rt System: the driver and every actix actor share one \
             thread, whatever --runtime says (that is how actix runs)"
                .to_string(),
        );
        table.notes.push(
            "with --features peers, tokio is built with the union of everyone's features (the \
             peers add net, signal, io-util and parking_lot, so the runtime gets an I/O driver): \
             the same tokio for every entrant of this run, but absolute figures differ from a run \
             without the peers; compare ratios within one run"
                .to_string(),
        );
    }
    table
}

fn peers_text() -> &'static str {
    if cfg!(feature = "peers") {
        " and the peers (actix, ractor, kameo, xtra)"
    } else {
        " (peers off: add --features peers)"
    }
}

/// Runs every trial `options.runs` times, interleaved (run 1 of each
/// entrant, then run 2, ...), prints each entrant's median and spread, and
/// adds one row per metric to `table`. An entrant whose run fails is marked
/// failed and not run again.
pub(crate) fn measure(
    options: &Options,
    table: &mut Table,
    scenario: &str,
    metrics: Vec<Metric>,
    mut trials: Vec<Trial<'_>>,
) {
    let mut values: Vec<Vec<Vec<f64>>> = vec![vec![Vec::new(); metrics.len()]; trials.len()];
    let mut failures: Vec<Option<String>> = vec![None; trials.len()];
    for _ in 0..options.runs {
        for (index, trial) in trials.iter_mut().enumerate() {
            if failures[index].is_some() {
                continue;
            }
            match (trial.run)() {
                Ok(sample) if sample.len() == metrics.len() => {
                    for (metric, value) in sample.into_iter().enumerate() {
                        values[index][metric].push(value);
                    }
                }
                Ok(sample) => {
                    failures[index] = Some(format!("{} values for {} metrics", sample.len(), metrics.len()));
                }
                Err(error) => {
                    eprintln!("   FAILED: {} {scenario}: {error}", trial.entrant);
                    let labels: Vec<&str> = metrics.iter().map(|m| m.label.as_str()).collect();
                    table.notes.push(format!(
                        "{} FAILED {scenario} ({}): {error}",
                        trial.entrant,
                        labels.join(", ")
                    ));
                    failures[index] = Some(error.to_string());
                }
            }
        }
    }
    for (metric_index, metric) in metrics.iter().enumerate() {
        println!("   {}: {}", metric.label, metric.unit_text());
        let mut row = Row {
            scenario: scenario.to_string(),
            metric: metric.clone(),
            cells: Vec::new(),
        };
        for (index, trial) in trials.iter().enumerate() {
            let cell = match (&failures[index], Summary::of(&values[index][metric_index])) {
                (Some(error), _) => {
                    println!("     {:<17} FAILED: {error}", trial.entrant);
                    Cell::Failed
                }
                (None, Some(summary)) => {
                    println!(
                        "     {:<17} {:>12}   (min {}, max {}, spread ±{:.1}%)",
                        trial.entrant,
                        metric.format(summary.median),
                        metric.format(summary.min),
                        metric.format(summary.max),
                        summary.spread_percent()
                    );
                    Cell::Measured(summary)
                }
                (None, None) => continue,
            };
            row.cells.push((trial.entrant, cell));
        }
        table.rows.push(row);
    }
}

/// Builds the trials of a scenario from its entrants: each runs the entrant
/// once with `params` and turns the outcome into metric values with `check`.
pub(crate) fn trials<'a, P, O>(
    options: &'a Options,
    entrants: Vec<Entrant<P, O>>,
    params: &'a P,
    check: fn(&P, O) -> Result<Vec<f64>, Error>,
) -> Vec<Trial<'a>>
where
    P: 'a,
    O: 'a,
{
    entrants
        .into_iter()
        .filter(|(name, _)| options.wants(name))
        .map(|(name, run)| Trial {
            entrant: name,
            run: Box::new(move || check(params, run(&options.env, params)?)),
        })
        .collect()
}
