//! Medians, spreads, and the final table with ratios to the floor.
//!
//! A [`Row`] is one metric of one scenario (say "tell, bounded 1024:
//! msgs/s"); its cells are the entrants' [`Summary`]s over the runs. The
//! [`Table`] prints every row with each entrant's ratio to the floor (and,
//! with the peers on, ours against the best peer), then the targets
//! for ours, met or missed.

use crate::cli::Options;

/// The canonical column order of the table.
pub(crate) const ENTRANTS: [&str; 12] = [
    "ours",
    "ours-thread",
    "ours-macro",
    "ours-filtered",
    "ours-recorder",
    "ours-compiled-out",
    "floor",
    "floor-deadline",
    "actix",
    "ractor",
    "kameo",
    "xtra",
];

const PEERS: [&str; 4] = ["actix", "ractor", "kameo", "xtra"];

/// What a metric's numbers are.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Unit {
    /// Events per second; the text names the events ("msgs/s").
    Rate(&'static str),
    /// A duration in nanoseconds.
    Nanos,
    /// A size in bytes.
    Bytes,
    /// A count per event; the text names what is counted ("allocs/msg").
    Count(&'static str),
}

/// Which way is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Better {
    Higher,
    Lower,
}

/// One measured quantity of a scenario.
#[derive(Clone, Debug)]
pub(crate) struct Metric {
    pub(crate) label: String,
    pub(crate) unit: Unit,
    pub(crate) better: Better,
    /// The minimum for ours, as a ratio to the floor: at least this
    /// for [`Better::Higher`], at most this for [`Better::Lower`].
    pub(crate) target: Option<f64>,
}

impl Metric {
    /// A metric without a target.
    pub(crate) fn new(label: impl Into<String>, unit: Unit, better: Better) -> Metric {
        Metric {
            label: label.into(),
            unit,
            better,
            target: None,
        }
    }

    /// Sets the minimum ratio to the floor for ours.
    pub(crate) fn target(mut self, ratio: f64) -> Metric {
        self.target = Some(ratio);
        self
    }

    /// `value` with its unit, short enough for a table cell.
    pub(crate) fn format(&self, value: f64) -> String {
        match self.unit {
            Unit::Rate(_) if value >= 1e6 => format!("{:.2} M", value / 1e6),
            Unit::Rate(_) if value >= 1e3 => format!("{:.1} k", value / 1e3),
            Unit::Rate(_) => format!("{value:.0}"),
            Unit::Nanos if value >= 1e6 => format!("{:.2} ms", value / 1e6),
            Unit::Nanos if value >= 1e3 => format!("{:.2} µs", value / 1e3),
            Unit::Nanos => format!("{value:.0} ns"),
            Unit::Bytes => format!("{value:.0} B"),
            Unit::Count(_) => format!("{value:.2}"),
        }
    }

    /// The unit and direction, for the table's metric column.
    pub(crate) fn unit_text(&self) -> String {
        let unit = match self.unit {
            Unit::Rate(events) => events,
            Unit::Nanos => "time",
            Unit::Bytes => "bytes",
            Unit::Count(what) => what,
        };
        let arrow = match self.better {
            Better::Higher => "↑",
            Better::Lower => "↓",
        };
        format!("{unit} {arrow}")
    }
}

/// The median and the range of one entrant's runs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Summary {
    pub(crate) median: f64,
    pub(crate) min: f64,
    pub(crate) max: f64,
}

impl Summary {
    /// `None` for no values.
    pub(crate) fn of(values: &[f64]) -> Option<Summary> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = match n {
            0 => return None,
            n if n % 2 == 1 => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        };
        Some(Summary {
            median,
            min: sorted[0],
            max: sorted[n - 1],
        })
    }

    /// Half the range as a percentage of the median.
    pub(crate) fn spread_percent(&self) -> f64 {
        if self.median == 0.0 {
            0.0
        } else {
            (self.max - self.min) / 2.0 / self.median * 100.0
        }
    }
}

/// One entrant's result for one metric.
#[derive(Clone, Debug)]
pub(crate) enum Cell {
    Measured(Summary),
    /// A check failed or the run errored (the error is printed when it
    /// happens): never a number.
    Failed,
}

/// One metric of one scenario, for every entrant that ran it.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub(crate) scenario: String,
    pub(crate) metric: Metric,
    pub(crate) cells: Vec<(&'static str, Cell)>,
}

impl Row {
    fn median(&self, entrant: &str) -> Option<f64> {
        self.cells.iter().find_map(|(name, cell)| match cell {
            Cell::Measured(summary) if *name == entrant => Some(summary.median),
            _ => None,
        })
    }

    fn cell(&self, entrant: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|(name, _)| *name == entrant)
            .map(|(_, cell)| cell)
    }
}

/// Every row of the run, plus notes (what was left out and why).
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub(crate) rows: Vec<Row>,
    pub(crate) notes: Vec<String>,
    /// The 1-minute load average when the run started.
    pub(crate) load_at_start: Option<f64>,
}

impl Table {
    /// Whether any entrant failed a run.
    pub(crate) fn has_failures(&self) -> bool {
        self.rows
            .iter()
            .any(|row| row.cells.iter().any(|(_, cell)| matches!(cell, Cell::Failed)))
    }

    /// Prints the markdown table, the targets and the notes.
    pub(crate) fn print(&self, options: &Options) {
        let columns: Vec<&str> = ENTRANTS
            .into_iter()
            .filter(|entrant| self.rows.iter().any(|row| row.cell(entrant).is_some()))
            .collect();
        let with_peers = columns.iter().any(|c| PEERS.contains(c));
        println!();
        println!(
            "## Results: median of {} runs, ratio to the floor in parentheses",
            options.runs
        );
        println!();
        println!("Runtime: {}.", options.env.describe());
        if let (Some(start), Some(end)) = (self.load_at_start, crate::memory::load_average()) {
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            println!(
                "Load average (1 min): {start:.2} at the start, {end:.2} at the end, on {cores} \
                 cores (above the core count, other work shared the machine: absolute figures are \
                 noisy, ratios within the run less so)."
            );
        }
        println!();
        let mut header = vec!["scenario".to_string(), "metric".to_string()];
        header.extend(columns.iter().map(|c| c.to_string()));
        if with_peers {
            header.push("ours vs best peer".to_string());
        }
        println!("| {} |", header.join(" | "));
        println!("|{}", "---|".repeat(header.len()));
        for row in &self.rows {
            let floor = row.median("floor");
            let mut line = vec![
                row.scenario.clone(),
                format!("{}: {}", row.metric.label, row.metric.unit_text()),
            ];
            for column in &columns {
                line.push(match row.cell(column) {
                    None => "n/a".to_string(),
                    Some(Cell::Failed) => "FAILED".to_string(),
                    Some(Cell::Measured(summary)) => {
                        let value = row.metric.format(summary.median);
                        // Counts per message (allocations) are read as they are:
                        // a ratio to a floor of nearly zero says nothing.
                        let counted = matches!(row.metric.unit, Unit::Count(_));
                        match floor {
                            Some(floor) if *column != "floor" && floor > 0.0 && !counted => {
                                format!("{value} ({:.2}x)", summary.median / floor)
                            }
                            _ => value,
                        }
                    }
                });
            }
            if with_peers {
                line.push(versus_best_peer(row));
            }
            println!("| {} |", line.join(" | "));
        }
        self.print_targets();
        self.print_macro_ratios();
        self.print_tracing_costs();
        if !self.notes.is_empty() {
            println!();
            println!("Notes:");
            for note in &self.notes {
                println!("- {note}");
            }
        }
    }

    fn print_targets(&self) {
        let targeted: Vec<&Row> = self
            .rows
            .iter()
            .filter(|row| row.metric.target.is_some())
            .collect();
        if targeted.is_empty() {
            return;
        }
        println!();
        println!("Targets for ours (ratio to the floor in the same run):");
        for row in targeted {
            let Some(target) = row.metric.target else { continue };
            let (sign, holds): (&str, fn(f64, f64) -> bool) = match row.metric.better {
                Better::Higher => (">=", |ratio, target| ratio >= target),
                Better::Lower => ("<=", |ratio, target| ratio <= target),
            };
            let verdict = match (row.median("ours"), row.median("floor")) {
                (Some(ours), Some(floor)) if floor > 0.0 => {
                    let ratio = ours / floor;
                    let word = if holds(ratio, target) { "met" } else { "MISSED" };
                    format!("{ratio:.2}x  {word}")
                }
                _ => "not measured".to_string(),
            };
            println!(
                "- {} {}: {sign} {target:.2}x: {verdict}",
                row.scenario, row.metric.label
            );
        }
    }
}

impl Table {
    /// Scenario 7's question: what the `#[actor]` macro costs against the
    /// same actor written by hand.
    fn print_macro_ratios(&self) {
        let rows: Vec<(&Row, f64, f64)> = self
            .rows
            .iter()
            .filter_map(|row| Some((row, row.median("ours-macro")?, row.median("ours")?)))
            .collect();
        if rows.is_empty() {
            return;
        }
        println!();
        println!("#[actor] macro against the hand-written match (ours-macro / ours, same run):");
        for (row, with_macro, by_hand) in rows {
            println!(
                "- {} {}: {:.2}x ({})",
                row.scenario,
                row.metric.label,
                with_macro / by_hand,
                row.metric.unit_text()
            );
        }
    }
}

impl Table {
    /// Scenario 8's question: what the instrumentation costs against a build
    /// with it compiled out (issue 7's target: within 5% with no subscriber
    /// and with the actor targets filtered off).
    fn print_tracing_costs(&self) {
        const MODES: [(&str, &str); 3] = [
            ("ours", "no subscriber"),
            ("ours-filtered", "targets off"),
            ("ours-recorder", "recorder on"),
        ];
        let rows: Vec<(&Row, f64)> = self
            .rows
            .iter()
            .filter_map(|row| Some((row, row.median("ours-compiled-out")?)))
            .filter(|(row, _)| MODES.iter().any(|(entrant, _)| row.median(entrant).is_some()))
            .collect();
        if rows.is_empty() {
            return;
        }
        println!();
        println!(
            "Tracing cost against the build with instrumentation compiled out (ours-compiled-out, same \
             run): time per message (throughput inverted) or per round trip as a multiple of its own, \
             allocations as a difference; issue 7's target: no subscriber and targets off at most \
             1.05x and +0.00 (the recorder is a diagnostic tool: no target):"
        );
        for (row, compiled_out) in rows {
            let mut parts = Vec::new();
            let mut within = true;
            for (entrant, text) in MODES {
                let Some(value) = row.median(entrant) else {
                    continue;
                };
                let (cost, holds) = match (row.metric.unit, row.metric.better) {
                    // Allocations: the difference, which must be none.
                    (Unit::Count(_), _) => (format!("{:+.2}", value - compiled_out), value <= compiled_out),
                    // Time per message, as a ratio: higher rates mean less time.
                    (_, Better::Higher) if value > 0.0 => {
                        let slowdown = compiled_out / value;
                        (format!("{slowdown:.2}x"), slowdown <= 1.05)
                    }
                    (_, Better::Lower) if compiled_out > 0.0 => {
                        let slowdown = value / compiled_out;
                        (format!("{slowdown:.2}x"), slowdown <= 1.05)
                    }
                    _ => continue,
                };
                if entrant != "ours-recorder" {
                    within &= holds;
                }
                parts.push(format!("{text} {cost}"));
            }
            let verdict = if within { "met" } else { "MISSED" };
            println!(
                "- {} {} ({}): {}: {verdict}",
                row.scenario,
                row.metric.label,
                row.metric.unit_text(),
                parts.join(", ")
            );
        }
    }
}

/// "ahead 1.80x" / "behind 1.25x" against the best peer that ran the row.
fn versus_best_peer(row: &Row) -> String {
    let Some(ours) = row.median("ours") else {
        return "n/a".to_string();
    };
    let peers = PEERS.iter().filter_map(|peer| row.median(peer));
    let best = match row.metric.better {
        Better::Higher => peers.max_by(f64::total_cmp),
        Better::Lower => peers.min_by(f64::total_cmp),
    };
    let Some(best) = best else {
        return "n/a".to_string();
    };
    let advantage = match row.metric.better {
        Better::Higher => ours / best,
        Better::Lower => best / ours,
    };
    if advantage >= 1.0 {
        format!("ahead {advantage:.2}x")
    } else {
        format!("behind {:.2}x", 1.0 / advantage)
    }
}
