//! xtra 0.6, as its docs show: `#[derive(xtra::Actor)]`, one
//! `impl Handler<M>` per message type, `xtra::spawn_tokio` with an explicit
//! `Mailbox::bounded` / `Mailbox::unbounded`, `send(..).await` for a
//! request and `send(..).detach().await` for fire-and-forget (it waits for
//! mailbox room, not for the handler). An actor stops when its last strong
//! `Address` is dropped; a weak address's `join` waits for that.

use std::pin::pin;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::oneshot;
use xtra::prelude::*;

use super::failed;
use crate::env::{Env, Error};
use crate::scenarios::backlog::send_request;
use crate::scenarios::{actor_ask, ask, backlog, fan_in, ring, spawn, tell};

/// Fire and forget: `detach` makes the send wait for mailbox room only, not
/// for the handler; the handler's result is not wanted.
async fn send_detached<A, M>(address: &Address<A>, msg: M) -> Result<(), Error>
where
    A: Handler<M, Return = ()>,
    M: Send + 'static,
{
    let result = address.send(msg).detach().await.map_err(failed)?;
    drop(result);
    Ok(())
}

// ----- 1. tell ------------------------------------------------------------

#[derive(Default, xtra::Actor)]
struct Sink {
    tally: tell::Tally,
}

struct Item(u64);

struct GetTellReport;

impl Handler<Item> for Sink {
    type Return = ();

    async fn handle(&mut self, Item(seq): Item, _ctx: &mut Context<Self>) {
        self.tally.record(seq);
    }
}

impl Handler<GetTellReport> for Sink {
    type Return = tell::Report;

    async fn handle(&mut self, _: GetTellReport, _ctx: &mut Context<Self>) -> tell::Report {
        self.tally.report()
    }
}

pub(super) fn tell(env: &Env, params: &tell::Params) -> Result<tell::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let mailbox = match params.mailbox {
            tell::Mailbox::Bounded(capacity) => Mailbox::bounded(capacity),
            tell::Mailbox::Unbounded => Mailbox::unbounded(),
        };
        let sink = xtra::spawn_tokio(Sink::default(), mailbox);
        let start = Instant::now();
        for seq in 0..params.messages {
            send_detached(&sink, Item(seq)).await?;
        }
        let report = sink.send(GetTellReport).await.map_err(failed)?;
        let elapsed = start.elapsed();
        Ok(tell::Outcome { elapsed, report })
    })
}

// ----- 2. ask and 3. spawn ---------------------------------------------------

#[derive(xtra::Actor)]
struct Echo;

struct Ping(u64);

impl Handler<Ping> for Echo {
    type Return = u64;

    async fn handle(&mut self, Ping(n): Ping, _ctx: &mut Context<Self>) -> u64 {
        n + 1
    }
}

pub(super) fn ask(env: &Env, params: &ask::Params) -> Result<ask::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let echo = xtra::spawn_tokio(Echo, Mailbox::bounded(1024));
        let mut outcome = ask::Outcome::with_capacity(params.count);
        for n in 0..params.count {
            let started = Instant::now();
            let reply = echo.send(Ping(n)).await.map_err(failed)?;
            outcome.record(n, started, reply);
        }
        Ok(outcome)
    })
}

pub(super) fn spawn(env: &Env, params: &spawn::Params) -> Result<spawn::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let mut actors: Vec<Address<Echo>> = spawn::handles(&params);
        let mut probe = spawn::Probe::start()?;
        for _ in 0..params.actors {
            actors.push(xtra::spawn_tokio(Echo, Mailbox::bounded(1024)));
        }
        probe.spawned()?;
        let mut reply_offsets = 0;
        for (n, actor) in (0..).zip(&actors) {
            reply_offsets += actor.send(Ping(n)).await.map_err(failed)?.wrapping_sub(n);
        }
        probe.asked()?;
        // Dropping the last strong address stops the actor.
        let weak: Vec<_> = actors.into_iter().map(|actor| actor.downgrade()).collect();
        let mut stopped = 0;
        for actor in &weak {
            actor.join().await;
            stopped += 1;
        }
        Ok(probe.finish(reply_offsets, stopped))
    })
}

// ----- 4. ring ----------------------------------------------------------------

#[derive(xtra::Actor)]
struct Node {
    index: u64,
    next: Option<Address<Node>>,
    finish: Arc<ring::Finish>,
}

struct Link(Address<Node>);

struct Hop(u64);

impl Handler<Link> for Node {
    type Return = ();

    async fn handle(&mut self, Link(next): Link, _ctx: &mut Context<Self>) {
        self.next = Some(next);
    }
}

impl Handler<Hop> for Node {
    type Return = ();

    async fn handle(&mut self, Hop(k): Hop, _ctx: &mut Context<Self>) {
        match (k, &self.next) {
            (0, _) => self.finish.reached(self.index),
            (k, Some(next)) => {
                // A lost hop shows as the run's timeout.
                let _ = next.send(Hop(k - 1)).detach().await;
            }
            (_, None) => {}
        }
    }
}

pub(super) fn ring(env: &Env, params: &ring::Params) -> Result<ring::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let (finish, last) = ring::Finish::new();
        let nodes: Vec<Address<Node>> = (0..params.actors)
            .map(|index| {
                let node = Node {
                    index,
                    next: None,
                    finish: Arc::clone(&finish),
                };
                xtra::spawn_tokio(node, Mailbox::bounded(1024))
            })
            .collect();
        for (index, node) in nodes.iter().enumerate() {
            let next = nodes[(index + 1) % nodes.len()].clone();
            node.send(Link(next)).await.map_err(failed)?;
        }
        let start = Instant::now();
        send_detached(&nodes[0], Hop(params.hops)).await?;
        let last = last.await?;
        let elapsed = start.elapsed();
        Ok(ring::Outcome {
            elapsed,
            last,
            finishes: finish.finishes(),
        })
    })
}

// ----- 5. fan-in --------------------------------------------------------------

#[derive(xtra::Actor)]
struct FanInSink {
    tally: fan_in::Tally,
}

struct Tagged {
    sender: u32,
    seq: u64,
}

struct GetFanInReport;

impl Handler<Tagged> for FanInSink {
    type Return = ();

    async fn handle(&mut self, Tagged { sender, seq }: Tagged, _ctx: &mut Context<Self>) {
        self.tally.record(sender, seq);
    }
}

impl Handler<GetFanInReport> for FanInSink {
    type Return = fan_in::Report;

    async fn handle(&mut self, _: GetFanInReport, _ctx: &mut Context<Self>) -> fan_in::Report {
        self.tally.report()
    }
}

pub(super) fn fan_in(env: &Env, params: &fan_in::Params) -> Result<fan_in::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let tally = fan_in::Tally::new(params.senders);
        let sink = xtra::spawn_tokio(FanInSink { tally }, Mailbox::bounded(1024));
        let start = Instant::now();
        let mut senders = Vec::new();
        for sender in 0..u32::try_from(params.senders)? {
            let sink = sink.clone();
            senders.push(tokio::spawn(async move {
                for seq in 0..params.per_sender {
                    send_detached(&sink, Tagged { sender, seq }).await?;
                }
                Ok::<_, Error>(())
            }));
        }
        for sender in senders {
            sender.await??;
        }
        let report = sink.send(GetFanInReport).await.map_err(failed)?;
        Ok(fan_in::Outcome {
            elapsed: start.elapsed(),
            report,
        })
    })
}

// ----- 6. ask with a backlog ----------------------------------------------------

#[derive(xtra::Actor)]
struct Busy {
    noise: u64,
}

struct Hold(oneshot::Receiver<()>);

struct Noise;

struct Count;

impl Handler<Hold> for Busy {
    type Return = ();

    async fn handle(&mut self, Hold(gate): Hold, _ctx: &mut Context<Self>) {
        let _ = gate.await;
    }
}

impl Handler<Ping> for Busy {
    type Return = u64;

    async fn handle(&mut self, Ping(n): Ping, _ctx: &mut Context<Self>) -> u64 {
        n + 1
    }
}

impl Handler<Noise> for Busy {
    type Return = ();

    async fn handle(&mut self, _: Noise, _ctx: &mut Context<Self>) {
        self.noise += 1;
    }
}

impl Handler<Count> for Busy {
    type Return = u64;

    async fn handle(&mut self, _: Count, _ctx: &mut Context<Self>) -> u64 {
        self.noise
    }
}

pub(super) fn backlog(env: &Env, params: &backlog::Params) -> Result<backlog::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let busy = xtra::spawn_tokio(Busy { noise: 0 }, Mailbox::unbounded());
        let mut outcome = backlog::Outcome::default();
        for n in 0..params.rounds {
            let (open, gate) = oneshot::channel();
            send_detached(&busy, Hold(gate)).await?;
            let mut request = pin!(busy.send(Ping(n)));
            send_request(request.as_mut())?;
            for _ in 0..params.backlog {
                send_detached(&busy, Noise).await?;
            }
            let start = Instant::now();
            let _ = open.send(());
            let reply = request.await.map_err(failed)?;
            outcome.latencies.push(start.elapsed());
            outcome.reply_offsets += reply.wrapping_sub(n);
            outcome.noise_counts.push(busy.send(Count).await.map_err(failed)?);
        }
        Ok(outcome)
    })
}

// ----- 10. actor-to-actor ask -------------------------------------------------

#[derive(xtra::Actor, Default)]
struct Callee {
    handled: u64,
}

struct Request(u64);

struct Handled;

impl Handler<Request> for Callee {
    type Return = u64;

    async fn handle(&mut self, Request(n): Request, _ctx: &mut Context<Self>) -> u64 {
        self.handled += 1;
        n + 1
    }
}

impl Handler<Handled> for Callee {
    type Return = u64;

    async fn handle(&mut self, _: Handled, _ctx: &mut Context<Self>) -> u64 {
        self.handled
    }
}

#[derive(xtra::Actor)]
struct Caller {
    callee: Address<Callee>,
}

struct Run(u64);

impl Handler<Run> for Caller {
    type Return = actor_ask::Report;

    async fn handle(&mut self, Run(count): Run, _ctx: &mut Context<Self>) -> actor_ask::Report {
        let callee = &self.callee;
        actor_ask::ask_in_a_row(count, |n| async move {
            callee.send(Request(n)).await.map_err(|error| error.to_string())
        })
        .await
    }
}

pub(super) fn actor_ask(env: &Env, params: &actor_ask::Params) -> Result<actor_ask::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let callee = xtra::spawn_tokio(Callee::default(), Mailbox::bounded(1024));
        let caller = xtra::spawn_tokio(
            Caller {
                callee: callee.clone(),
            },
            Mailbox::bounded(1024),
        );
        let asks = caller.send(Run(params.count)).await.map_err(failed)??;
        let handled_by_b = callee.send(Handled).await.map_err(failed)?;
        Ok(actor_ask::Outcome { asks, handled_by_b })
    })
}
