//! kameo 0.22, as its docs show: `#[derive(Actor)]` on the state, one
//! `impl Message<M>` per message type, `tell(..).await` and `ask(..).await`
//! on the `ActorRef`, `Spawn::spawn` (default bounded mailbox of 64) or
//! `spawn_with_mailbox` where the scenario fixes the mailbox.

use std::future::IntoFuture;
use std::pin::pin;
use std::sync::Arc;
use std::time::Instant;

use kameo::actor::{ActorRef, Spawn};
use kameo::mailbox;
use kameo::message::{Context, Message};
use kameo::{Actor, Reply};
use tokio::sync::oneshot;

use super::failed;
use crate::env::{Env, Error};
use crate::scenarios::backlog::send_request;
use crate::scenarios::{actor_ask, ask, backlog, fan_in, ring, spawn, tell};

// ----- 1. tell ------------------------------------------------------------

#[derive(Actor, Default)]
struct Sink {
    tally: tell::Tally,
}

struct Item(u64);

#[derive(Reply)]
struct TellReport(tell::Report);

struct GetTellReport;

impl Message<Item> for Sink {
    type Reply = ();

    async fn handle(&mut self, Item(seq): Item, _ctx: &mut Context<Self, Self::Reply>) {
        self.tally.record(seq);
    }
}

impl Message<GetTellReport> for Sink {
    type Reply = TellReport;

    async fn handle(&mut self, _: GetTellReport, _ctx: &mut Context<Self, Self::Reply>) -> TellReport {
        TellReport(self.tally.report())
    }
}

pub(super) fn tell(env: &Env, params: &tell::Params) -> Result<tell::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let sink = match params.mailbox {
            tell::Mailbox::Bounded(capacity) => {
                Sink::spawn_with_mailbox(Sink::default(), mailbox::bounded(capacity))
            }
            tell::Mailbox::Unbounded => Sink::spawn_with_mailbox(Sink::default(), mailbox::unbounded()),
        };
        let start = Instant::now();
        for seq in 0..params.messages {
            sink.tell(Item(seq)).await.map_err(failed)?;
        }
        let TellReport(report) = sink.ask(GetTellReport).await.map_err(failed)?;
        let elapsed = start.elapsed();
        Ok(tell::Outcome { elapsed, report })
    })
}

// ----- 2. ask and 3. spawn ---------------------------------------------------

#[derive(Actor)]
struct Echo;

struct Ping(u64);

impl Message<Ping> for Echo {
    type Reply = u64;

    async fn handle(&mut self, Ping(n): Ping, _ctx: &mut Context<Self, Self::Reply>) -> u64 {
        n + 1
    }
}

pub(super) fn ask(env: &Env, params: &ask::Params) -> Result<ask::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let echo = Echo::spawn(Echo);
        let mut outcome = ask::Outcome::with_capacity(params.count);
        for n in 0..params.count {
            let started = Instant::now();
            let reply = echo.ask(Ping(n)).await.map_err(failed)?;
            outcome.record(n, started, reply);
        }
        Ok(outcome)
    })
}

pub(super) fn spawn(env: &Env, params: &spawn::Params) -> Result<spawn::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let mut actors: Vec<ActorRef<Echo>> = spawn::handles(&params);
        let mut probe = spawn::Probe::start()?;
        for _ in 0..params.actors {
            actors.push(Echo::spawn(Echo));
        }
        probe.spawned()?;
        let mut reply_offsets = 0;
        for (n, actor) in (0..).zip(&actors) {
            reply_offsets += actor.ask(Ping(n)).await.map_err(failed)?.wrapping_sub(n);
        }
        probe.asked()?;
        for actor in &actors {
            actor.stop_gracefully().await.map_err(failed)?;
        }
        let mut stopped = 0;
        for actor in &actors {
            actor.wait_for_shutdown().await;
            stopped += 1;
        }
        Ok(probe.finish(reply_offsets, stopped))
    })
}

// ----- 4. ring ----------------------------------------------------------------

#[derive(Actor)]
struct Node {
    index: u64,
    next: Option<ActorRef<Node>>,
    finish: Arc<ring::Finish>,
}

struct Link(ActorRef<Node>);

struct Hop(u64);

impl Message<Link> for Node {
    type Reply = ();

    async fn handle(&mut self, Link(next): Link, _ctx: &mut Context<Self, Self::Reply>) {
        self.next = Some(next);
    }
}

impl Message<Hop> for Node {
    type Reply = ();

    async fn handle(&mut self, Hop(k): Hop, _ctx: &mut Context<Self, Self::Reply>) {
        match (k, &self.next) {
            (0, _) => self.finish.reached(self.index),
            (k, Some(next)) => {
                // A lost hop shows as the run's timeout.
                let _ = next.tell(Hop(k - 1)).await;
            }
            (_, None) => {}
        }
    }
}

pub(super) fn ring(env: &Env, params: &ring::Params) -> Result<ring::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let (finish, last) = ring::Finish::new();
        let nodes: Vec<ActorRef<Node>> = (0..params.actors)
            .map(|index| {
                Node::spawn(Node {
                    index,
                    next: None,
                    finish: Arc::clone(&finish),
                })
            })
            .collect();
        for (index, node) in nodes.iter().enumerate() {
            let next = nodes[(index + 1) % nodes.len()].clone();
            node.tell(Link(next)).await.map_err(failed)?;
        }
        let start = Instant::now();
        nodes[0].tell(Hop(params.hops)).await.map_err(failed)?;
        let last = last.await?;
        let elapsed = start.elapsed();
        for node in &nodes {
            node.kill();
        }
        Ok(ring::Outcome {
            elapsed,
            last,
            finishes: finish.finishes(),
        })
    })
}

// ----- 5. fan-in --------------------------------------------------------------

#[derive(Actor)]
struct FanInSink {
    tally: fan_in::Tally,
}

struct Tagged {
    sender: u32,
    seq: u64,
}

#[derive(Reply)]
struct FanInReport(fan_in::Report);

struct GetFanInReport;

impl Message<Tagged> for FanInSink {
    type Reply = ();

    async fn handle(&mut self, Tagged { sender, seq }: Tagged, _ctx: &mut Context<Self, Self::Reply>) {
        self.tally.record(sender, seq);
    }
}

impl Message<GetFanInReport> for FanInSink {
    type Reply = FanInReport;

    async fn handle(&mut self, _: GetFanInReport, _ctx: &mut Context<Self, Self::Reply>) -> FanInReport {
        FanInReport(self.tally.report())
    }
}

pub(super) fn fan_in(env: &Env, params: &fan_in::Params) -> Result<fan_in::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let sink = FanInSink::spawn_with_mailbox(
            FanInSink {
                tally: fan_in::Tally::new(params.senders),
            },
            mailbox::bounded(1024),
        );
        let start = Instant::now();
        let mut senders = Vec::new();
        for sender in 0..u32::try_from(params.senders)? {
            let sink = sink.clone();
            senders.push(tokio::spawn(async move {
                for seq in 0..params.per_sender {
                    sink.tell(Tagged { sender, seq }).await.map_err(failed)?;
                }
                Ok::<_, Error>(())
            }));
        }
        for sender in senders {
            sender.await??;
        }
        let FanInReport(report) = sink.ask(GetFanInReport).await.map_err(failed)?;
        Ok(fan_in::Outcome {
            elapsed: start.elapsed(),
            report,
        })
    })
}

// ----- 6. ask with a backlog ----------------------------------------------------

#[derive(Actor)]
struct Busy {
    noise: u64,
}

struct Hold(oneshot::Receiver<()>);

struct Noise;

struct Count;

impl Message<Hold> for Busy {
    type Reply = ();

    async fn handle(&mut self, Hold(gate): Hold, _ctx: &mut Context<Self, Self::Reply>) {
        let _ = gate.await;
    }
}

impl Message<Ping> for Busy {
    type Reply = u64;

    async fn handle(&mut self, Ping(n): Ping, _ctx: &mut Context<Self, Self::Reply>) -> u64 {
        n + 1
    }
}

impl Message<Noise> for Busy {
    type Reply = ();

    async fn handle(&mut self, _: Noise, _ctx: &mut Context<Self, Self::Reply>) {
        self.noise += 1;
    }
}

impl Message<Count> for Busy {
    type Reply = u64;

    async fn handle(&mut self, _: Count, _ctx: &mut Context<Self, Self::Reply>) -> u64 {
        self.noise
    }
}

pub(super) fn backlog(env: &Env, params: &backlog::Params) -> Result<backlog::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let busy = Busy::spawn_with_mailbox(Busy { noise: 0 }, mailbox::unbounded());
        let mut outcome = backlog::Outcome::default();
        for n in 0..params.rounds {
            let (open, gate) = oneshot::channel();
            busy.tell(Hold(gate)).await.map_err(failed)?;
            let mut request = pin!(busy.ask(Ping(n)).into_future());
            send_request(request.as_mut())?;
            for _ in 0..params.backlog {
                busy.tell(Noise).await.map_err(failed)?;
            }
            let start = Instant::now();
            let _ = open.send(());
            let reply = request.await.map_err(failed)?;
            outcome.latencies.push(start.elapsed());
            outcome.reply_offsets += reply.wrapping_sub(n);
            outcome.noise_counts.push(busy.ask(Count).await.map_err(failed)?);
        }
        Ok(outcome)
    })
}

// ----- 10. actor-to-actor ask -------------------------------------------------

#[derive(Actor, Default)]
struct Callee {
    handled: u64,
}

struct Request(u64);

struct Handled;

impl Message<Request> for Callee {
    type Reply = u64;

    async fn handle(&mut self, Request(n): Request, _ctx: &mut Context<Self, Self::Reply>) -> u64 {
        self.handled += 1;
        n + 1
    }
}

impl Message<Handled> for Callee {
    type Reply = u64;

    async fn handle(&mut self, _: Handled, _ctx: &mut Context<Self, Self::Reply>) -> u64 {
        self.handled
    }
}

#[derive(Actor)]
struct Caller {
    callee: ActorRef<Callee>,
}

struct Run(u64);

#[derive(Reply)]
struct RunReport(actor_ask::Report);

impl Message<Run> for Caller {
    type Reply = RunReport;

    async fn handle(&mut self, Run(count): Run, _ctx: &mut Context<Self, Self::Reply>) -> RunReport {
        let callee = &self.callee;
        RunReport(
            actor_ask::ask_in_a_row(count, |n| async move {
                callee.ask(Request(n)).await.map_err(|error| error.to_string())
            })
            .await,
        )
    }
}

pub(super) fn actor_ask(env: &Env, params: &actor_ask::Params) -> Result<actor_ask::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let callee = Callee::spawn(Callee::default());
        let caller = Caller::spawn(Caller {
            callee: callee.clone(),
        });
        let RunReport(report) = caller.ask(Run(params.count)).await.map_err(failed)?;
        let asks = report?;
        let handled_by_b = callee.ask(Handled).await.map_err(failed)?;
        Ok(actor_ask::Outcome { asks, handled_by_b })
    })
}
