//! Scenario 5: fan-in, many senders to one actor.
//!
//! `senders` tasks each tell `per_sender` tagged messages `(sender, seq)` to
//! one actor, all at once. The actor's [`Tally`](crate::scenarios::fan_in::Tally) checks, per sender, that
//! each `seq` is the next one expected; once every sender is done, the driver
//! asks for the tally. It must show every message exactly once and in order
//! per sender. The clock runs from starting the senders to the tally's
//! arrival. Reported: messages per second.
//!
//! Mailboxes: bounded 1024 for ours, the floor, kameo and xtra (senders
//! contend for room as well as for the queue); unbounded for actix and
//! ractor, which have no awaitable bounded tell.

use std::time::{Duration, Instant};

use crate::cli::Options;
use crate::env::{Error, ensure};
use crate::report::{Better, Metric, Table, Unit};
use crate::scenarios::{Entrant, measure, trials};

/// What one run does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    pub(crate) senders: u64,
    pub(crate) per_sender: u64,
}

/// What the actor saw: the next expected `seq` of each sender, and the
/// messages that were not the expected one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Report {
    pub(crate) next: Vec<u64>,
    pub(crate) received: u64,
    pub(crate) out_of_order: u64,
}

/// One run's result.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    pub(crate) elapsed: Duration,
    pub(crate) report: Report,
}

/// The receiving actor's bookkeeping, the same for every entrant.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tally {
    report: Report,
}

impl Tally {
    /// A tally expecting `senders` senders, each from `seq` 0.
    pub(crate) fn new(senders: u64) -> Tally {
        Tally {
            report: Report {
                next: vec![0; usize::try_from(senders).unwrap_or(0)],
                ..Report::default()
            },
        }
    }

    /// Counts `(sender, seq)`, and counts it out of order unless it is that
    /// sender's next.
    #[inline]
    pub(crate) fn record(&mut self, sender: u32, seq: u64) {
        self.report.received += 1;
        match self.report.next.get_mut(sender as usize) {
            Some(next) if *next == seq => *next = seq + 1,
            Some(next) => {
                self.report.out_of_order += 1;
                *next = seq + 1;
            }
            None => self.report.out_of_order += 1,
        }
    }

    /// What the actor saw so far.
    pub(crate) fn report(&self) -> Report {
        self.report.clone()
    }
}

/// Runs scenario 5 and adds its row to `table`.
pub(crate) fn run(options: &Options, table: &mut Table) {
    let params = Params {
        senders: options.sizes.fan_in_senders,
        per_sender: options.sizes.fan_in_per_sender,
    };
    println!(
        "\n== 5. fan-in: {} senders x {} tagged tells to one actor",
        params.senders, params.per_sender
    );
    let metric = Metric::new("all senders", Unit::Rate("msgs/s"), Better::Higher).target(0.85);
    let trials = trials(options, entrants(), &params, check);
    measure(options, table, "5. fan-in", vec![metric], trials);
}

fn entrants() -> Vec<Entrant<Params, Outcome>> {
    let ours_and_floor: Vec<Entrant<Params, Outcome>> = vec![("ours", ours::run), ("floor", floor::run)];
    [ours_and_floor, crate::peers::fan_in()].concat()
}

fn check(params: &Params, outcome: Outcome) -> Result<Vec<f64>, Error> {
    let expected = Report {
        next: vec![params.per_sender; usize::try_from(params.senders)?],
        received: params.senders * params.per_sender,
        out_of_order: 0,
    };
    ensure(outcome.report == expected, || {
        format!(
            "expected every sender at {} and {} messages in order; the actor saw {} messages, {} out of order, next per sender {:?}",
            params.per_sender,
            expected.received,
            outcome.report.received,
            outcome.report.out_of_order,
            outcome.report.next
        )
    })?;
    Ok(vec![expected.received as f64 / outcome.elapsed.as_secs_f64()])
}

/// actor-core: every sender task holds a clone of the `ActorRef`.
mod ours {
    use actor_core::prelude::*;

    use super::{Instant, Outcome, Params, Report, Tally};
    use crate::env::{Env, Error};

    enum Msg {
        Tagged { sender: u32, seq: u64 },
        Report(ReplyPort<Report>),
    }

    struct Sink(Tally);

    impl Actor for Sink {
        type Msg = Msg;

        async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
            match msg {
                Msg::Tagged { sender, seq } => self.0.record(sender, seq),
                Msg::Report(reply) => {
                    let _ = reply.send(self.0.report());
                }
            }
            Ok(())
        }
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let system = System::new();
            let sink = system.spawn(Sink(Tally::new(params.senders))).await?;
            let start = Instant::now();
            let mut senders = Vec::new();
            for sender in 0..u32::try_from(params.senders)? {
                let sink = sink.clone();
                senders.push(tokio::spawn(async move {
                    for seq in 0..params.per_sender {
                        sink.tell(Msg::Tagged { sender, seq }).await?;
                    }
                    Ok::<_, SendError<Msg>>(())
                }));
            }
            for sender in senders {
                sender.await??;
            }
            let report = sink.ask(Msg::Report).await?;
            let elapsed = start.elapsed();
            system.shutdown().await;
            Ok(Outcome { elapsed, report })
        })
    }
}

/// The floor: every sender task holds a clone of the `mpsc::Sender`.
mod floor {
    use tokio::sync::{mpsc, oneshot};

    use super::{Instant, Outcome, Params, Report, Tally};
    use crate::env::{Env, Error};

    enum Msg {
        Tagged { sender: u32, seq: u64 },
        Report(oneshot::Sender<Report>),
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let (tx, mut rx) = mpsc::channel(1024);
            tokio::spawn(async move {
                let mut tally = Tally::new(params.senders);
                while let Some(msg) = rx.recv().await {
                    match msg {
                        Msg::Tagged { sender, seq } => tally.record(sender, seq),
                        Msg::Report(reply) => {
                            let _ = reply.send(tally.report());
                        }
                    }
                }
            });
            let start = Instant::now();
            let mut senders = Vec::new();
            for sender in 0..u32::try_from(params.senders)? {
                let tx = tx.clone();
                senders.push(tokio::spawn(async move {
                    for seq in 0..params.per_sender {
                        tx.send(Msg::Tagged { sender, seq })
                            .await
                            .map_err(|_| "floor actor gone")?;
                    }
                    Ok::<_, &'static str>(())
                }));
            }
            for sender in senders {
                sender.await??;
            }
            let (reply, report) = oneshot::channel();
            tx.send(Msg::Report(reply))
                .await
                .map_err(|_| "floor actor gone")?;
            let report = report.await?;
            Ok(Outcome {
                elapsed: start.elapsed(),
                report,
            })
        })
    }
}
