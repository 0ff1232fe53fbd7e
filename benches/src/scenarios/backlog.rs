//! Scenario 6: an ask answered while a backlog is queued behind it.
//!
//! Our mailbox is FIFO, so a request queued *after* 10^5 messages waits for
//! all of them: that latency is the backlog's length times the cost of a
//! message, in every FIFO framework, and a bounded mailbox is what bounds it.
//! What must not degrade is a request queued *before* the backlog: the actor
//! answers it first, but then goes on to chew through 10^5 messages, and the
//! asker still has to be woken and scheduled to see its reply. If the actor
//! does not yield (no cooperative budget), or replies are only flushed after
//! a batch, the asker waits for the whole backlog: latency proportional to
//! the backlog, without bound. That is what this scenario measures.
//!
//! Each round, with the actor's mailbox unbounded:
//!
//! 1. the driver tells `Hold(gate)`: the actor's handler awaits the gate, so
//!    the actor is busy and its queue fills up behind it;
//! 2. the driver sends the ask `Ping(n)` (queued behind `Hold`);
//! 3. the driver tells `backlog` unrelated messages (queued behind the ask);
//! 4. the clock starts, the driver opens the gate and awaits the reply; the
//!    clock stops when the driver has the reply.
//! 5. untimed: the driver asks for the count of unrelated messages handled
//!    (queued behind the backlog), which must be exact.
//!
//! The same rounds with no backlog give the baseline. Reported: the median
//! and the worst round trip of a run with the backlog behind, and the median
//! without. A figure with the backlog close to the baseline means bounded;
//! one close to the time to handle 10^5 messages means unbounded.
//!
//! Sending the ask without awaiting its reply (step 2) uses the floor's
//! `oneshot` directly; for frameworks whose ask is a single future (ours,
//! ractor, kameo, xtra) the future is polled once by [`send_request`](crate::scenarios::backlog::send_request) so the
//! request is queued, and awaited later.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use crate::cli::Options;
use crate::env::{Error, ensure};
use crate::report::{Better, Metric, Table, Unit};
use crate::scenarios::{Entrant, measure, trials};

/// What one run does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    /// Unrelated messages queued behind each ask (0 for the baseline).
    pub(crate) backlog: u64,
    pub(crate) rounds: u64,
}

/// One run's result.
#[derive(Clone, Debug, Default)]
pub(crate) struct Outcome {
    /// From opening the gate to having the reply, per round.
    pub(crate) latencies: Vec<Duration>,
    /// The sum of `reply - request` over the rounds: `rounds` if every reply
    /// was `n + 1`.
    pub(crate) reply_offsets: u64,
    /// The count of unrelated messages the actor reported after each round.
    pub(crate) noise_counts: Vec<u64>,
}

/// Polls a request future once (with a waker that does nothing), so that
/// the request is queued in the mailbox, without waiting for the reply. The
/// future is awaited later, which polls it again with the task's waker.
///
/// # Errors
///
/// If the future is already done: the request failed, or was answered while
/// the actor was supposed to be held at the gate.
pub(crate) fn send_request<F: Future>(request: Pin<&mut F>) -> Result<(), Error> {
    let mut cx = Context::from_waker(Waker::noop());
    match request.poll(&mut cx) {
        Poll::Pending => Ok(()),
        Poll::Ready(_) => Err("the ask finished before the actor was released from the gate".into()),
    }
}

/// Runs scenario 6 (with the backlog, then the baseline) and adds its rows to `table`.
pub(crate) fn run(options: &Options, table: &mut Table) {
    let rounds = options.sizes.backlog_rounds;
    let loaded = Params {
        backlog: options.sizes.backlog,
        rounds,
    };
    let baseline = Params { backlog: 0, rounds };
    println!(
        "\n== 6. ask-backlog: {rounds} asks, each with {} messages queued behind it, and {rounds} with none",
        loaded.backlog
    );
    let behind = format!("{} behind", loaded.backlog);
    let loaded_metrics = vec![
        Metric::new(format!("{behind}: median"), Unit::Nanos, Better::Lower),
        Metric::new(format!("{behind}: worst of {rounds}"), Unit::Nanos, Better::Lower),
    ];
    measure(
        options,
        table,
        "6. ask with backlog",
        loaded_metrics,
        trials(options, entrants(), &loaded, check_loaded),
    );
    let baseline_metric = Metric::new("nothing behind: median", Unit::Nanos, Better::Lower);
    measure(
        options,
        table,
        "6. ask with backlog",
        vec![baseline_metric],
        trials(options, entrants(), &baseline, check_baseline),
    );
}

fn entrants() -> Vec<Entrant<Params, Outcome>> {
    let ours_and_floor: Vec<Entrant<Params, Outcome>> = vec![("ours", ours::run), ("floor", floor::run)];
    [ours_and_floor, crate::peers::backlog()].concat()
}

/// Checks every reply and every count; returns the sorted latencies in ns.
fn checked_latencies(params: &Params, outcome: Outcome) -> Result<Vec<f64>, Error> {
    ensure(outcome.latencies.len() as u64 == params.rounds, || {
        format!("{} rounds of {}", outcome.latencies.len(), params.rounds)
    })?;
    ensure(outcome.reply_offsets == params.rounds, || {
        "some reply was not request + 1".to_string()
    })?;
    let expected: Vec<u64> = (1..=params.rounds).map(|round| round * params.backlog).collect();
    ensure(outcome.noise_counts == expected, || {
        "the actor did not handle every unrelated message exactly once".to_string()
    })?;
    let mut nanos: Vec<f64> = outcome.latencies.iter().map(|d| d.as_nanos() as f64).collect();
    nanos.sort_by(f64::total_cmp);
    ensure(!nanos.is_empty(), || "no rounds".to_string())?;
    Ok(nanos)
}

fn check_loaded(params: &Params, outcome: Outcome) -> Result<Vec<f64>, Error> {
    let nanos = checked_latencies(params, outcome)?;
    Ok(vec![nanos[nanos.len() / 2], nanos[nanos.len() - 1]])
}

fn check_baseline(params: &Params, outcome: Outcome) -> Result<Vec<f64>, Error> {
    let nanos = checked_latencies(params, outcome)?;
    Ok(vec![nanos[nanos.len() / 2]])
}

/// actor-core: an unbounded mailbox; the handler awaits the gate.
mod ours {
    use std::pin::pin;

    use actor_core::prelude::*;
    use tokio::sync::oneshot;

    use super::{Instant, Outcome, Params, send_request};
    use crate::env::{Env, Error};

    enum Msg {
        Hold(oneshot::Receiver<()>),
        Ping(u64, ReplyPort<u64>),
        Noise,
        Count(ReplyPort<u64>),
    }

    struct Busy {
        noise: u64,
    }

    impl Actor for Busy {
        type Msg = Msg;

        async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
            match msg {
                Msg::Hold(gate) => {
                    let _ = gate.await;
                }
                Msg::Ping(n, reply) => {
                    let _ = reply.send(n + 1);
                }
                Msg::Noise => self.noise += 1,
                Msg::Count(reply) => {
                    let _ = reply.send(self.noise);
                }
            }
            Ok(())
        }
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let system = System::new();
            let options = SpawnOptions::new().mailbox(MailboxKind::Unbounded);
            let busy = system.spawn_with(Busy { noise: 0 }, options).await?;
            let mut outcome = Outcome::default();
            for n in 0..params.rounds {
                let (open, gate) = oneshot::channel();
                busy.tell(Msg::Hold(gate)).await?;
                let mut ask = pin!(busy.ask(|reply| Msg::Ping(n, reply)));
                send_request(ask.as_mut())?;
                for _ in 0..params.backlog {
                    busy.tell(Msg::Noise).await?;
                }
                let start = Instant::now();
                let _ = open.send(());
                let reply = ask.await?;
                outcome.latencies.push(start.elapsed());
                outcome.reply_offsets += reply.wrapping_sub(n);
                outcome.noise_counts.push(busy.ask(Msg::Count).await?);
            }
            system.shutdown().await;
            Ok(outcome)
        })
    }
}

/// The floor: an unbounded tokio channel; the loop awaits the gate.
mod floor {
    use tokio::sync::{mpsc, oneshot};

    use super::{Instant, Outcome, Params};
    use crate::env::{Env, Error};

    enum Msg {
        Hold(oneshot::Receiver<()>),
        Ping(u64, oneshot::Sender<u64>),
        Noise,
        Count(oneshot::Sender<u64>),
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let (tx, mut rx) = mpsc::unbounded_channel();
            tokio::spawn(async move {
                let mut noise = 0u64;
                while let Some(msg) = rx.recv().await {
                    match msg {
                        Msg::Hold(gate) => {
                            let _ = gate.await;
                        }
                        Msg::Ping(n, reply) => {
                            let _ = reply.send(n + 1);
                        }
                        Msg::Noise => noise += 1,
                        Msg::Count(reply) => {
                            let _ = reply.send(noise);
                        }
                    }
                }
            });
            let gone = |_| "floor actor gone";
            let mut outcome = Outcome::default();
            for n in 0..params.rounds {
                let (open, gate) = oneshot::channel();
                tx.send(Msg::Hold(gate)).map_err(gone)?;
                let (reply_tx, reply_rx) = oneshot::channel();
                tx.send(Msg::Ping(n, reply_tx)).map_err(gone)?;
                for _ in 0..params.backlog {
                    tx.send(Msg::Noise).map_err(gone)?;
                }
                let start = Instant::now();
                let _ = open.send(());
                let reply = reply_rx.await?;
                outcome.latencies.push(start.elapsed());
                outcome.reply_offsets += reply.wrapping_sub(n);
                let (count_tx, count_rx) = oneshot::channel();
                tx.send(Msg::Count(count_tx)).map_err(gone)?;
                outcome.noise_counts.push(count_rx.await?);
            }
            Ok(outcome)
        })
    }
}
