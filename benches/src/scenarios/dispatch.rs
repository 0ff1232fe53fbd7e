//! Scenario 7: `#[actor]` macro dispatch against a hand-written enum match.
//!
//! The same counter written three ways:
//!
//! - **ours**: a hand-written `enum Msg { Add(u64), Total(ReplyPort<u64>) }`
//!   and a `match` in `handle`, used with `tell(Msg::Add(n))` and
//!   `ask(Msg::Total)`; like the generated code it names its messages for
//!   tracing (`message_kind` is a `match`), so the two do the same work;
//! - **ours-macro**: `#[actor] impl Counter` with `#[handler] fn add` and
//!   `#[handler] fn total`, used through the generated handle:
//!   `counter.add(n).await` and `counter.total().await` (a tell's message is
//!   as small as the hand-written one; the generated variant of a value
//!   handler keeps an optional reply port);
//! - **floor**: the same enum and match over a tokio channel.
//!
//! A run tells `add(n)` for `n` in `0..messages` (the counter folds them into
//! an order-sensitive hash, so order is checked too), then asks `total()`
//! `count` times in a row; every answer must be the expected hash. Reported:
//! tell throughput and the mean ask round trip. The interesting ratio is
//! ours-macro to ours.

use std::time::{Duration, Instant};

use crate::cli::Options;
use crate::env::{Error, ensure};
use crate::report::{Better, Metric, Table, Unit};
use crate::scenarios::{Entrant, measure, trials};

/// What one run does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    pub(crate) messages: u64,
    pub(crate) count: u64,
}

/// One run's result.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Outcome {
    pub(crate) tell_elapsed: Duration,
    pub(crate) ask_elapsed: Duration,
    /// The counter's state after the tells.
    pub(crate) total: u64,
    /// How many asks answered `total`.
    pub(crate) right_answers: u64,
}

/// The counter's state, the same for every entrant: an order-sensitive
/// fold, so a lost, repeated or reordered message shows.
#[inline]
pub(crate) fn fold(total: u64, n: u64) -> u64 {
    total.wrapping_mul(31).wrapping_add(n)
}

/// Runs scenario 7 and adds its rows to `table`.
pub(crate) fn run(options: &Options, table: &mut Table) {
    let params = Params {
        messages: options.sizes.tell_messages,
        count: options.sizes.ask_count,
    };
    println!(
        "\n== 7. dispatch: {} tells then {} asks to one counter, #[actor] vs a hand-written match",
        params.messages, params.count
    );
    let metrics = vec![
        Metric::new("tell", Unit::Rate("msgs/s"), Better::Higher),
        Metric::new("ask mean", Unit::Nanos, Better::Lower),
    ];
    let entrants: Vec<Entrant<Params, Outcome>> = vec![
        ("ours", ours::run),
        ("ours-macro", ours_macro::run),
        ("floor", floor::run),
    ];
    measure(
        options,
        table,
        "7. dispatch",
        metrics,
        trials(options, entrants, &params, check),
    );
}

fn check(params: &Params, outcome: Outcome) -> Result<Vec<f64>, Error> {
    let expected = (0..params.messages).fold(0, fold);
    ensure(outcome.total == expected, || {
        "the counter's total is not the fold of every message in order".to_string()
    })?;
    ensure(outcome.right_answers == params.count, || {
        format!(
            "{} of {} asks answered the total",
            outcome.right_answers, params.count
        )
    })?;
    Ok(vec![
        params.messages as f64 / outcome.tell_elapsed.as_secs_f64(),
        outcome.ask_elapsed.as_nanos() as f64 / params.count.max(1) as f64,
    ])
}

/// actor-core with a hand-written message enum and `match`.
mod ours {
    use actor_core::prelude::*;

    use super::{Instant, Outcome, Params, fold};
    use crate::env::{Env, Error};

    enum Msg {
        Add(u64),
        Total(ReplyPort<u64>),
    }

    #[derive(Default)]
    struct Counter {
        total: u64,
    }

    impl Actor for Counter {
        type Msg = Msg;

        fn message_kind(msg: &Msg) -> &'static str {
            match msg {
                Msg::Add(_) => "add",
                Msg::Total(_) => "total",
            }
        }

        async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
            match msg {
                Msg::Add(n) => self.total = fold(self.total, n),
                Msg::Total(reply) => {
                    let _ = reply.send(self.total);
                }
            }
            Ok(())
        }
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let system = System::new();
            let counter = system.spawn(Counter::default()).await?;
            let start = Instant::now();
            for n in 0..params.messages {
                counter.tell(Msg::Add(n)).await?;
            }
            let total = counter.ask(Msg::Total).await?;
            let tell_elapsed = start.elapsed();
            let start = Instant::now();
            let mut right_answers = 0;
            for _ in 0..params.count {
                right_answers += u64::from(counter.ask(Msg::Total).await? == total);
            }
            let ask_elapsed = start.elapsed();
            system.shutdown().await;
            Ok(Outcome {
                tell_elapsed,
                ask_elapsed,
                total,
                right_answers,
            })
        })
    }
}

/// actor-core with `#[actor]`: the enum, the match and the handle are
/// generated.
mod ours_macro {
    use actor_core::prelude::*;

    use super::{Instant, Outcome, Params, fold};
    use crate::env::{Env, Error};

    #[derive(Default)]
    pub(super) struct Counter {
        total: u64,
    }

    #[actor(vis = pub(super))]
    impl Counter {
        #[handler]
        fn add(&mut self, n: u64) {
            self.total = fold(self.total, n);
        }

        #[handler]
        fn total(&self) -> u64 {
            self.total
        }
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let system = System::new();
            let counter = system.spawn(Counter::default()).await?;
            let start = Instant::now();
            for n in 0..params.messages {
                counter.add(n).await?;
            }
            let total = counter.total().await?;
            let tell_elapsed = start.elapsed();
            let start = Instant::now();
            let mut right_answers = 0;
            for _ in 0..params.count {
                right_answers += u64::from(counter.total().await? == total);
            }
            let ask_elapsed = start.elapsed();
            system.shutdown().await;
            Ok(Outcome {
                tell_elapsed,
                ask_elapsed,
                total,
                right_answers,
            })
        })
    }
}

/// The floor: the hand-written enum and match over a tokio channel.
mod floor {
    use tokio::sync::{mpsc, oneshot};

    use super::{Instant, Outcome, Params, fold};
    use crate::env::{Env, Error};

    enum Msg {
        Add(u64),
        Total(oneshot::Sender<u64>),
    }

    async fn ask_total(tx: &mpsc::Sender<Msg>) -> Result<u64, Error> {
        let (reply, answer) = oneshot::channel();
        tx.send(Msg::Total(reply)).await.map_err(|_| "floor actor gone")?;
        Ok(answer.await?)
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let (tx, mut rx) = mpsc::channel(1024);
            tokio::spawn(async move {
                let mut total = 0;
                while let Some(msg) = rx.recv().await {
                    match msg {
                        Msg::Add(n) => total = fold(total, n),
                        Msg::Total(reply) => {
                            let _ = reply.send(total);
                        }
                    }
                }
            });
            let gone = |_| "floor actor gone";
            let start = Instant::now();
            for n in 0..params.messages {
                tx.send(Msg::Add(n)).await.map_err(gone)?;
            }
            let total = ask_total(&tx).await?;
            let tell_elapsed = start.elapsed();
            let start = Instant::now();
            let mut right_answers = 0;
            for _ in 0..params.count {
                right_answers += u64::from(ask_total(&tx).await? == total);
            }
            let ask_elapsed = start.elapsed();
            Ok(Outcome {
                tell_elapsed,
                ask_elapsed,
                total,
                right_answers,
            })
        })
    }
}
