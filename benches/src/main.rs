//! # benches: actor-core against the tokio floor and the peer frameworks
//!
//! One command runs every scenario and prints a table:
//!
//! ```sh
//! cargo run --release -p benches -- --all                     # ours and the floor
//! cargo run --release -p benches --features peers -- --all    # plus actix, ractor, kameo, xtra
//! cargo run --release -p benches -- --scenario ring --runs 9  # one scenario, more runs
//! cargo run --release -p benches -- --help                    # every flag and size
//! ```
//!
//! ## What is compared
//!
//! Each scenario (one file in [`scenarios`]) is run by several *entrants*:
//!
//! - **ours**: actor-core task actors, written the way a user writes them
//!   (`impl Actor`, `tell`, `ask`, `stop`), and where it matters
//!   **ours-thread**: the same actor on `Executor::DedicatedThread`, and
//!   **ours-macro**: the same actor written with `#[actor]`, and in the
//!   tracing scenario **ours-filtered**, **ours-recorder** and
//!   **ours-compiled-out**: the same actor under other tracing set-ups
//!   (`ours` itself always runs with no subscriber installed);
//! - **floor**: a hand-written actor made of a tokio `mpsc` channel, a
//!   `oneshot` per request and a `while let Some(msg) = rx.recv().await` loop,
//!   doing exactly the same work per message. Whatever a framework costs sits
//!   on top of this;
//! - **peers** (cargo feature `peers`, off by default so the workspace's tests
//!   and lints never compile them): actix, ractor, kameo and xtra, each written
//!   the way its own docs show ([`peers`]).
//!
//! ## How it measures
//!
//! - Every entrant gets the same runtime: a fresh tokio runtime per run, the
//!   multi-thread flavour with tokio's default worker count unless
//!   `--runtime current` is given, and the driver (the code that sends) runs
//!   as a task on it, like the actors. actix is the exception it has to be: it
//!   runs on its own `actix_rt::System` (one thread), as its docs require.
//! - Runs are interleaved (run 1 of every entrant, then run 2 of every
//!   entrant, ...) so that a noisy neighbour on a shared machine does not land
//!   on one entrant only. Each figure is the median of the runs, with the
//!   spread printed beside it.
//! - Every run checks its own result (counts, order, replies) and a failed
//!   check is loud: the entrant is marked FAILED in the table and the process
//!   exits non-zero. A run that hangs (a lost message) fails at `--timeout`.
//! - Memory (scenario `spawn`) is measured in a fresh child process per run,
//!   from the kernel's resident set size (`/proc/self/smaps_rollup`), so no
//!   earlier scenario's freed memory hides the cost.
//! - Tracing cost (scenario `tracing`) is also measured in a fresh child
//!   process per run, each installing its own global subscriber; its
//!   reference, the same code with every tracing macro compiled out, is a
//!   second build (`--features tracing-off`) that the default build runs as a
//!   child when given `--compiled-out PATH` (`--help` shows the commands).
//!   `--features count-allocations` adds allocations per message there.
//!
//! ## Layout
//!
//! - [`cli`]: the flags (a small hand-written parser; no dependency needed);
//! - [`env`](mod@crate::env): the runtime every entrant runs on, timeouts, result checks;
//! - [`report`]: medians, spreads and the final table;
//! - [`memory`]: resident set size;
//! - [`scenarios`]: one file per scenario, with its ours and floor entrants;
//! - [`peers`]: one file per peer framework, each with its entrant for every
//!   scenario (feature `peers`).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark binary's job is to print its report"
)]

mod cli;
mod env;
mod memory;
mod peers;
mod report;
mod scenarios;

use std::process::ExitCode;

use crate::cli::Command;

fn main() -> ExitCode {
    let options = match cli::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("error: {error}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    match &options.command {
        Command::Help => {
            println!("{}", cli::USAGE);
            ExitCode::SUCCESS
        }
        Command::Child(child) => child_exit(scenarios::spawn::child_main(&options, child)),
        Command::TracingChild(child) => child_exit(scenarios::tracing_cost::child_main(&options, child)),
        Command::Run => {
            let table = scenarios::run_all(&options);
            table.print(&options);
            if table.has_failures() {
                eprintln!("\nerror: some entrants failed their checks (marked FAILED above)");
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

/// A child process's exit: its error, if any, on stderr for the parent.
fn child_exit(result: Result<(), env::Error>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
