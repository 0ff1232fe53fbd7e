//! Scenario 4: a ring of actors passing one token.
//!
//! `actors` actors are spawned and linked in a ring (each is told the handle
//! of the next). The driver tells the first one `Hop(hops)`; an actor that
//! receives `Hop(k)` tells the next one `Hop(k - 1)`, and the one that
//! receives `Hop(0)` reports its index through a shared [`Finish`](crate::scenarios::ring::Finish). The
//! token must end at index `hops % actors`, exactly once; a lost hop leaves
//! the run waiting until the timeout. The clock runs from the first tell to
//! the report. Reported: hops per second.
//!
//! Every hop is a tell from inside a handler to another actor: the cost of a
//! wake-up and a schedule per message, the case that a batching mailbox
//! cannot amortise. Mailboxes are each framework's default (ours: bounded
//! 1024; the floor: `mpsc::channel(1024)`).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use crate::cli::Options;
use crate::env::{Error, ensure};
use crate::report::{Better, Metric, Table, Unit};
use crate::scenarios::{Entrant, measure, trials};

/// What one run does.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Params {
    pub(crate) actors: u64,
    pub(crate) hops: u64,
}

/// One run's result.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Outcome {
    pub(crate) elapsed: Duration,
    /// The index of the actor that received `Hop(0)`.
    pub(crate) last: u64,
    /// How many times `Hop(0)` arrived (must be once).
    pub(crate) finishes: u64,
}

/// Where the actor that receives `Hop(0)` reports, shared by every actor of
/// the ring (every entrant uses this same type).
#[derive(Debug)]
pub(crate) struct Finish {
    inner: Mutex<FinishInner>,
}

#[derive(Debug)]
struct FinishInner {
    reply: Option<oneshot::Sender<u64>>,
    finishes: u64,
}

impl Finish {
    /// A finish line and the receiver that gets the last actor's index.
    pub(crate) fn new() -> (Arc<Finish>, oneshot::Receiver<u64>) {
        let (reply, last) = oneshot::channel();
        let finish = Finish {
            inner: Mutex::new(FinishInner {
                reply: Some(reply),
                finishes: 0,
            }),
        };
        (Arc::new(finish), last)
    }

    /// The token's last hop arrived at actor `index`.
    pub(crate) fn reached(&self, index: u64) {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.finishes += 1;
        if let Some(reply) = inner.reply.take() {
            let _ = reply.send(index);
        }
    }

    /// Times `reached` was called.
    pub(crate) fn finishes(&self) -> u64 {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).finishes
    }
}

/// Runs scenario 4 and adds its row to `table`.
pub(crate) fn run(options: &Options, table: &mut Table) {
    let params = Params {
        actors: options.sizes.ring_actors,
        hops: options.sizes.ring_hops,
    };
    println!(
        "\n== 4. ring: {} actors, one token, {} hops",
        params.actors, params.hops
    );
    let metric = Metric::new("token passing", Unit::Rate("hops/s"), Better::Higher).target(0.85);
    let trials = trials(options, entrants(), &params, check);
    measure(options, table, "4. ring", vec![metric], trials);
}

fn entrants() -> Vec<Entrant<Params, Outcome>> {
    let ours_and_floor: Vec<Entrant<Params, Outcome>> = vec![("ours", ours::run), ("floor", floor::run)];
    [ours_and_floor, crate::peers::ring()].concat()
}

fn check(params: &Params, outcome: Outcome) -> Result<Vec<f64>, Error> {
    let expected = params.hops % params.actors;
    ensure(outcome.last == expected, || {
        format!("the token ended at actor {}, not {expected}", outcome.last)
    })?;
    ensure(outcome.finishes == 1, || {
        format!("the token finished {} times", outcome.finishes)
    })?;
    Ok(vec![params.hops as f64 / outcome.elapsed.as_secs_f64()])
}

/// actor-core: each node keeps the next node's `ActorRef`.
mod ours {
    use std::sync::Arc;

    use actor_core::prelude::*;

    use super::{Finish, Instant, Outcome, Params};
    use crate::env::{Env, Error};

    enum Msg {
        Link(ActorRef<Node>),
        Hop(u64),
    }

    struct Node {
        index: u64,
        next: Option<ActorRef<Node>>,
        finish: Arc<Finish>,
    }

    impl Actor for Node {
        type Msg = Msg;

        async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
            match msg {
                Msg::Link(next) => self.next = Some(next),
                Msg::Hop(0) => self.finish.reached(self.index),
                Msg::Hop(k) => {
                    let next = self.next.as_ref().ok_or("hop before link")?;
                    next.tell(Msg::Hop(k - 1)).await?;
                }
            }
            Ok(())
        }
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let system = System::new();
            let (finish, last) = Finish::new();
            let mut nodes = Vec::new();
            for index in 0..params.actors {
                let node = Node {
                    index,
                    next: None,
                    finish: Arc::clone(&finish),
                };
                nodes.push(system.spawn(node).await?);
            }
            for (index, node) in nodes.iter().enumerate() {
                let next = nodes[(index + 1) % nodes.len()].clone();
                node.tell(Msg::Link(next)).await?;
            }
            let start = Instant::now();
            nodes[0].tell(Msg::Hop(params.hops)).await?;
            let last = last.await?;
            let elapsed = start.elapsed();
            // The ring holds a cycle of handles: stop it explicitly.
            system.shutdown().await;
            Ok(Outcome {
                elapsed,
                last,
                finishes: finish.finishes(),
            })
        })
    }
}

/// The floor: each node keeps the next node's `mpsc::Sender`.
mod floor {
    use std::sync::Arc;

    use tokio::sync::mpsc;

    use super::{Finish, Instant, Outcome, Params};
    use crate::env::{Env, Error};

    enum Msg {
        Link(mpsc::Sender<Msg>),
        Hop(u64),
        Stop,
    }

    async fn node(index: u64, mut rx: mpsc::Receiver<Msg>, finish: Arc<Finish>) {
        let mut next = None;
        while let Some(msg) = rx.recv().await {
            match msg {
                Msg::Link(sender) => next = Some(sender),
                Msg::Hop(0) => finish.reached(index),
                Msg::Hop(k) => {
                    let Some(next) = &next else { return };
                    if next.send(Msg::Hop(k - 1)).await.is_err() {
                        return;
                    }
                }
                Msg::Stop => return,
            }
        }
    }

    pub(super) fn run(env: &Env, params: &Params) -> Result<Outcome, Error> {
        let params = *params;
        env.block_on(async move {
            let (finish, last) = Finish::new();
            let mut nodes = Vec::new();
            for index in 0..params.actors {
                let (tx, rx) = mpsc::channel(1024);
                tokio::spawn(node(index, rx, Arc::clone(&finish)));
                nodes.push(tx);
            }
            for (index, node) in nodes.iter().enumerate() {
                let next = nodes[(index + 1) % nodes.len()].clone();
                node.send(Msg::Link(next)).await.map_err(|_| "floor node gone")?;
            }
            let start = Instant::now();
            nodes[0]
                .send(Msg::Hop(params.hops))
                .await
                .map_err(|_| "floor node gone")?;
            let last = last.await?;
            let elapsed = start.elapsed();
            // The ring holds a cycle of senders: stop it explicitly.
            for node in &nodes {
                let _ = node.send(Msg::Stop).await;
            }
            Ok(Outcome {
                elapsed,
                last,
                finishes: finish.finishes(),
            })
        })
    }
}
