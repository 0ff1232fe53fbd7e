//! Scenario 1: tell throughput to one actor.
//!
//! One sender tells the numbers `0..messages` to one actor, then asks it for
//! a report. The actor's [`Tally`](crate::scenarios::tell::Tally) checks that each number is the one it
//! expects next (FIFO from one sender) and counts them. The clock runs from
//! the first tell until the report arrives, so it covers handling every
//! message, not just queueing it. Run with a bounded mailbox of 1024 (the
//! sender waits for room: backpressure) and with an unbounded one.
//!
//! Entrants: ours as a task actor and as a dedicated-thread actor, the floor
//! (`mpsc::channel(1024)` / `mpsc::unbounded_channel()`), and the peers
//! that have the mailbox kind: kameo and xtra have both; actix and ractor
//! only run unbounded (actix's `do_send` ignores the mailbox capacity and its
//! `send` waits for the handler's result; ractor's mailbox is unbounded).

use std::time::{Duration, Instant};

use crate::cli::Options;
use crate::env::{Error, ensure};
use crate::report::{Better, Metric, Table, Unit};
use crate::scenarios::{Entrant, measure, trials};

/// The mailbox kind under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mailbox {
    Bounded(usize),
    Unbounded,
}

/// What one run does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    pub(crate) messages: u64,
    pub(crate) mailbox: Mailbox,
}

/// What the actor saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Report {
    pub(crate) received: u64,
    pub(crate) out_of_order: u64,
}

/// One run's result.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Outcome {
    pub(crate) elapsed: Duration,
    pub(crate) report: Report,
}

/// The receiving actor's bookkeeping, the same for every entrant: one
/// comparison and two additions per message.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Tally {
    next: u64,
    report: Report,
}

impl Tally {
    /// Counts `seq`, and counts it out of order unless it is the one expected.
    #[inline]
    pub(crate) fn record(&mut self, seq: u64) {
        if seq != self.next {
            self.report.out_of_order += 1;
        }
        self.next = seq + 1;
        self.report.received += 1;
    }

    /// What the actor saw so far.
    pub(crate) fn report(&self) -> Report {
        self.report
    }
}

/// Runs scenario 1 (both mailbox kinds) and adds its rows to `table`.
pub(crate) fn run(options: &Options, table: &mut Table) {
    for mailbox in [Mailbox::Bounded(1024), Mailbox::Unbounded] {
        let params = Params {
            messages: options.sizes.tell_messages,
            mailbox,
        };
        let kind = match mailbox {
            Mailbox::Bounded(capacity) => format!("bounded {capacity}"),
            Mailbox::Unbounded => "unbounded".to_string(),
        };
        println!(
            "\n== 1. tell: {} messages from one sender, {kind} mailbox",
            params.messages
        );
        let metric = Metric::new(kind, Unit::Rate("msgs/s"), Better::Higher).target(0.85);
        let trials = trials(options, entrants(mailbox), &params, check);
        measure(options, table, "1. tell", vec![metric], trials);
    }
}

fn entrants(mailbox: Mailbox) -> Vec<Entrant<Params, Outcome>> {
    let ours_and_floor: Vec<Entrant<Params, Outcome>> = vec![
        ("ours", ours::run_task),
        ("ours-thread", ours::run_thread),
        ("floor", floor::run),
    ];
    [ours_and_floor, crate::peers::tell(mailbox)].concat()
}

fn check(params: &Params, outcome: Outcome) -> Result<Vec<f64>, Error> {
    let expected = Report {
        received: params.messages,
        out_of_order: 0,
    };
    ensure(outcome.report == expected, || {
        format!("expected {expected:?}, the actor saw {:?}", outcome.report)
    })?;
    Ok(vec![params.messages as f64 / outcome.elapsed.as_secs_f64()])
}

/// actor-core: a handler actor with a two-variant message enum.
mod ours {
    use actor_core::prelude::*;

    use super::{Instant, Mailbox, Outcome, Params, Report, Tally};
    use crate::env::{Env, Error};

    enum Msg {
        Item(u64),
        Report(ReplyPort<Report>),
    }

    #[derive(Default)]
    struct Sink(Tally);

    impl Actor for Sink {
        type Msg = Msg;

        async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
            match msg {
                Msg::Item(seq) => self.0.record(seq),
                Msg::Report(reply) => {
                    let _ = reply.send(self.0.report());
                }
            }
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
            let kind = match params.mailbox {
                Mailbox::Bounded(capacity) => MailboxKind::Bounded(capacity),
                Mailbox::Unbounded => MailboxKind::Unbounded,
            };
            let system = System::new();
            let options = SpawnOptions::new().mailbox(kind).executor(executor);
            let sink = system.spawn_with(Sink::default(), options).await?;
            let start = Instant::now();
            for seq in 0..params.messages {
                sink.tell(Msg::Item(seq)).await?;
            }
            let report = sink.ask(Msg::Report).await?;
            let elapsed = start.elapsed();
            system.shutdown().await;
            Ok(Outcome { elapsed, report })
        })
    }
}

/// The floor: a tokio channel and a receive loop, nothing else.
mod floor {
    use tokio::sync::{mpsc, oneshot};

    use super::{Instant, Mailbox, Outcome, Params, Report, Tally};
    use crate::env::{Env, Error};

    enum Msg {
        Item(u64),
        Report(oneshot::Sender<Report>),
    }

    fn handle(tally: &mut Tally, msg: Msg) {
        match msg {
            Msg::Item(seq) => tally.record(seq),
            Msg::Report(reply) => {
                let _ = reply.send(tally.report());
            }
        }
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            match params.mailbox {
                Mailbox::Bounded(capacity) => {
                    let (tx, mut rx) = mpsc::channel(capacity);
                    tokio::spawn(async move {
                        let mut tally = Tally::default();
                        while let Some(msg) = rx.recv().await {
                            handle(&mut tally, msg);
                        }
                    });
                    let start = Instant::now();
                    for seq in 0..params.messages {
                        tx.send(Msg::Item(seq)).await.map_err(|_| "floor actor gone")?;
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
                }
                Mailbox::Unbounded => {
                    let (tx, mut rx) = mpsc::unbounded_channel();
                    tokio::spawn(async move {
                        let mut tally = Tally::default();
                        while let Some(msg) = rx.recv().await {
                            handle(&mut tally, msg);
                        }
                    });
                    let start = Instant::now();
                    for seq in 0..params.messages {
                        tx.send(Msg::Item(seq)).map_err(|_| "floor actor gone")?;
                    }
                    let (reply, report) = oneshot::channel();
                    tx.send(Msg::Report(reply)).map_err(|_| "floor actor gone")?;
                    let report = report.await?;
                    Ok(Outcome {
                        elapsed: start.elapsed(),
                        report,
                    })
                }
            }
        })
    }
}
