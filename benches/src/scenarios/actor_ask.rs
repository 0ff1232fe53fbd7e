//! Scenario 10: an actor asking another actor from inside its handler.
//!
//! Actor A holds a handle to actor B. The driver asks A once, `Run(count)`;
//! A's handler then asks B `count` times in a row (`Ping(n)` answered with
//! `n + 1`), awaiting each reply before the next, timing each round trip on
//! its own, and answers the driver with what it measured. So every timed ask
//! is made by an actor, from its handler, to another actor: the path that an
//! ask from outside the system (scenario 2) does not take, where the ask's
//! bookkeeping about who is asking whom (e.g. a cycle check) sits. Reported:
//! the mean, p50 and p99 round trip. Checked: `count` round trips, every
//! reply `n + 1`, and B handled exactly `count` asks.
//!
//! Entrants: ours (two task actors, `ActorRef::ask` inside `handle`), the
//! floor (two hand-written tokio actors: A's receive loop sends B a request
//! with a `oneshot` on B's `mpsc` channel and awaits it), and the peers, each
//! asking with its own request call inside its handler ([`crate::peers`]).

use std::time::Instant;

use crate::cli::Options;
use crate::env::{Error, ensure};
use crate::report::{Better, Metric, Table, Unit};
use crate::scenarios::ask::{self, Latencies};
use crate::scenarios::{Entrant, measure, trials};

/// What one run does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    pub(crate) count: u64,
}

/// One run's result.
#[derive(Clone, Debug, Default)]
pub(crate) struct Outcome {
    /// A's round trips to B, with B's replies checked.
    pub(crate) asks: ask::Outcome,
    /// How many asks B handled.
    pub(crate) handled_by_b: u64,
}

/// What A answers the driver: its round trips to B, or why it stopped.
pub(crate) type Report = Result<ask::Outcome, String>;

/// Runs scenario 10 and adds its rows to `table`.
pub(crate) fn run(options: &Options, table: &mut Table) {
    let params = Params {
        count: options.sizes.actor_asks,
    };
    println!(
        "\n== 10. actor-ask: actor A asks actor B {} times in a row from inside its handler",
        params.count
    );
    let metrics = vec![
        Metric::new("mean", Unit::Nanos, Better::Lower),
        Metric::new("p50", Unit::Nanos, Better::Lower),
        Metric::new("p99", Unit::Nanos, Better::Lower),
    ];
    let ours_and_floor: Vec<Entrant<Params, Outcome>> = vec![("ours", ours::run), ("floor", floor::run)];
    let entrants = [ours_and_floor, crate::peers::actor_ask()].concat();
    let trials = trials(options, entrants, &params, check);
    measure(options, table, "10. actor-ask", metrics, trials);
}

fn check(params: &Params, outcome: Outcome) -> Result<Vec<f64>, Error> {
    let round_trips = &outcome.asks.round_trips;
    ensure(round_trips.len() as u64 == params.count, || {
        format!("{} round trips of {}", round_trips.len(), params.count)
    })?;
    ensure(outcome.asks.reply_offsets == params.count, || {
        "some reply was not request + 1".to_string()
    })?;
    ensure(outcome.handled_by_b == params.count, || {
        format!("B handled {} asks of {}", outcome.handled_by_b, params.count)
    })?;
    let latencies = Latencies::of(round_trips).ok_or("no round trips")?;
    Ok(vec![latencies.mean, latencies.p50, latencies.p99])
}

/// A's loop, the same for every entrant: `count` timed asks through `ask_b`.
pub(crate) async fn ask_in_a_row<F, Fut>(count: u64, mut ask_b: F) -> Report
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<u64, String>>,
{
    let mut outcome = ask::Outcome::with_capacity(count);
    for n in 0..count {
        let started = Instant::now();
        let reply = ask_b(n).await?;
        outcome.record(n, started, reply);
    }
    Ok(outcome)
}

/// actor-core: two task actors; A asks B with `ActorRef::ask` in `handle`.
mod ours {
    use actor_core::prelude::*;

    use super::{Outcome, Params, Report, ask_in_a_row};
    use crate::env::{Env, Error};

    enum BMsg {
        Ping(u64, ReplyPort<u64>),
        Handled(ReplyPort<u64>),
    }

    #[derive(Default)]
    struct B {
        handled: u64,
    }

    impl Actor for B {
        type Msg = BMsg;

        async fn handle(&mut self, msg: BMsg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
            match msg {
                BMsg::Ping(n, reply) => {
                    self.handled += 1;
                    let _ = reply.send(n + 1);
                }
                BMsg::Handled(reply) => {
                    let _ = reply.send(self.handled);
                }
            }
            Ok(())
        }
    }

    enum AMsg {
        Run(u64, ReplyPort<Report>),
    }

    struct A {
        b: ActorRef<B>,
    }

    impl Actor for A {
        type Msg = AMsg;

        async fn handle(
            &mut self,
            AMsg::Run(count, reply): AMsg,
            _: &mut Context<Self>,
        ) -> Result<(), BoxError> {
            let b = &self.b;
            let report = ask_in_a_row(count, |n| async move {
                b.ask(|reply| BMsg::Ping(n, reply))
                    .await
                    .map_err(|error| error.to_string())
            })
            .await;
            let _ = reply.send(report);
            Ok(())
        }
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        let timeout = env.timeout;
        env.block_on(async move {
            let system = System::new();
            let b = system.spawn(B::default()).await?;
            let a = system.spawn(A { b: b.clone() }).await?;
            // The whole run is one ask to A: it may take longer than the
            // default 5 s deadline.
            let asks = a
                .ask_timeout(|reply| AMsg::Run(params.count, reply), timeout)
                .await??;
            let handled_by_b = b.ask(BMsg::Handled).await?;
            system.shutdown().await;
            Ok(Outcome { asks, handled_by_b })
        })
    }
}

/// The floor: two hand-written tokio actors, A's loop awaiting B's
/// `oneshot` replies.
mod floor {
    use tokio::sync::{mpsc, oneshot};

    use super::{Outcome, Params, Report, ask_in_a_row};
    use crate::env::{Env, Error};

    enum BMsg {
        Ping(u64, oneshot::Sender<u64>),
        Handled(oneshot::Sender<u64>),
    }

    enum AMsg {
        Run(u64, oneshot::Sender<Report>),
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let (b_tx, mut b_rx) = mpsc::channel(1024);
            tokio::spawn(async move {
                let mut handled = 0;
                while let Some(msg) = b_rx.recv().await {
                    match msg {
                        BMsg::Ping(n, reply) => {
                            handled += 1;
                            let _ = reply.send(n + 1);
                        }
                        BMsg::Handled(reply) => {
                            let _ = reply.send(handled);
                        }
                    }
                }
            });
            let (a_tx, mut a_rx) = mpsc::channel(1024);
            let b = b_tx.clone();
            tokio::spawn(async move {
                while let Some(AMsg::Run(count, reply)) = a_rx.recv().await {
                    let report = ask_in_a_row(count, |n| {
                        let b = &b;
                        async move {
                            let (reply, answer) = oneshot::channel();
                            b.send(BMsg::Ping(n, reply))
                                .await
                                .map_err(|_| "B gone".to_string())?;
                            answer.await.map_err(|_| "B dropped the reply".to_string())
                        }
                    })
                    .await;
                    let _ = reply.send(report);
                }
            });
            let (reply, answer) = oneshot::channel();
            a_tx.send(AMsg::Run(params.count, reply))
                .await
                .map_err(|_| "floor actor gone")?;
            let asks = answer.await??;
            let (reply, answer) = oneshot::channel();
            b_tx.send(BMsg::Handled(reply))
                .await
                .map_err(|_| "floor actor gone")?;
            let handled_by_b = answer.await?;
            Ok(Outcome { asks, handled_by_b })
        })
    }
}
