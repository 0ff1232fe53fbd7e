//! actix 0.13, as its docs show: `impl Actor` with `Context<Self>`, one
//! `#[derive(Message)]` type and one `impl Handler` per message, `start()`,
//! `do_send` to tell and `send(..).await` to ask.
//!
//! actix actors need an actix system: every run builds an
//! `actix_rt::System` (a current-thread tokio runtime and a `LocalSet`) and
//! the driver and every actor share its one thread, whatever `--runtime` says.
//! That is how actix is meant to run, and part of what it is measured on.
//!
//! actix's `do_send` ignores the mailbox capacity and `send` waits for the
//! handler's result, so actix has no tell that waits for mailbox room: it sits
//! out the bounded tell, and its fan-in and backlog use `do_send`.
//! `Addr` has no "wait until stopped": the spawn scenario counts `stopped`
//! hooks ([`Stops`]), which is what an actix user would write.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use actix::prelude::*;
use tokio::sync::{Notify, oneshot};

use super::failed;
use crate::env::{Env, Error, timed_out};
use crate::scenarios::backlog::send_request;
use crate::scenarios::{actor_ask, ask, backlog, fan_in, ring, spawn, tell};

/// Runs `driver` on a fresh actix system, within the timeout.
fn block_on<T>(env: &Env, driver: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    let timeout = env.timeout;
    System::new().block_on(async move {
        tokio::time::timeout(timeout, driver)
            .await
            .unwrap_or_else(|_| Err(timed_out(timeout)))
    })
}

// ----- 1. tell ------------------------------------------------------------

#[derive(Default)]
struct Sink {
    tally: tell::Tally,
}

impl Actor for Sink {
    type Context = Context<Self>;
}

#[derive(Message)]
#[rtype(result = "()")]
struct Item(u64);

#[derive(Message)]
#[rtype(result = "tell::Report")]
struct GetTellReport;

impl Handler<Item> for Sink {
    type Result = ();

    fn handle(&mut self, Item(seq): Item, _ctx: &mut Context<Self>) {
        self.tally.record(seq);
    }
}

impl Handler<GetTellReport> for Sink {
    type Result = MessageResult<GetTellReport>;

    fn handle(&mut self, _: GetTellReport, _ctx: &mut Context<Self>) -> Self::Result {
        MessageResult(self.tally.report())
    }
}

pub(super) fn tell(env: &Env, params: &tell::Params) -> Result<tell::Outcome, Error> {
    let params = *params;
    block_on(env, async move {
        let sink = Sink::default().start();
        let start = Instant::now();
        for seq in 0..params.messages {
            sink.do_send(Item(seq));
        }
        let report = sink.send(GetTellReport).await.map_err(failed)?;
        let elapsed = start.elapsed();
        Ok(tell::Outcome { elapsed, report })
    })
}

// ----- 2. ask and 3. spawn ---------------------------------------------------

/// Counts `stopped` hooks and wakes the driver when all have run.
#[derive(Debug)]
struct Stops {
    count: AtomicU64,
    expected: u64,
    all: Notify,
}

impl Stops {
    fn stopped(&self) {
        if self.count.fetch_add(1, Ordering::AcqRel) + 1 == self.expected {
            self.all.notify_one();
        }
    }
}

struct Echo {
    stops: Option<Arc<Stops>>,
}

impl Actor for Echo {
    type Context = Context<Self>;

    fn stopped(&mut self, _ctx: &mut Context<Self>) {
        if let Some(stops) = &self.stops {
            stops.stopped();
        }
    }
}

#[derive(Message)]
#[rtype(result = "u64")]
struct Ping(u64);

impl Handler<Ping> for Echo {
    type Result = u64;

    fn handle(&mut self, Ping(n): Ping, _ctx: &mut Context<Self>) -> u64 {
        n + 1
    }
}

pub(super) fn ask(env: &Env, params: &ask::Params) -> Result<ask::Outcome, Error> {
    let params = *params;
    block_on(env, async move {
        let echo = Echo { stops: None }.start();
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
    block_on(env, async move {
        let stops = Arc::new(Stops {
            count: AtomicU64::new(0),
            expected: params.actors,
            all: Notify::new(),
        });
        let mut actors: Vec<Addr<Echo>> = spawn::handles(&params);
        let mut probe = spawn::Probe::start()?;
        for _ in 0..params.actors {
            let stops = Some(Arc::clone(&stops));
            actors.push(Echo { stops }.start());
        }
        probe.spawned()?;
        let mut reply_offsets = 0;
        for (n, actor) in (0..).zip(&actors) {
            reply_offsets += actor.send(Ping(n)).await.map_err(failed)?.wrapping_sub(n);
        }
        probe.asked()?;
        // An actor whose last `Addr` is dropped stops.
        drop(actors);
        if params.actors > 0 {
            stops.all.notified().await;
        }
        Ok(probe.finish(reply_offsets, stops.count.load(Ordering::Acquire)))
    })
}

// ----- 4. ring ----------------------------------------------------------------

struct Node {
    index: u64,
    next: Option<Addr<Node>>,
    finish: Arc<ring::Finish>,
}

impl Actor for Node {
    type Context = Context<Self>;
}

#[derive(Message)]
#[rtype(result = "()")]
struct Link(Addr<Node>);

#[derive(Message)]
#[rtype(result = "()")]
struct Hop(u64);

impl Handler<Link> for Node {
    type Result = ();

    fn handle(&mut self, Link(next): Link, _ctx: &mut Context<Self>) {
        self.next = Some(next);
    }
}

impl Handler<Hop> for Node {
    type Result = ();

    fn handle(&mut self, Hop(k): Hop, _ctx: &mut Context<Self>) {
        match (k, &self.next) {
            (0, _) => self.finish.reached(self.index),
            (k, Some(next)) => next.do_send(Hop(k - 1)),
            (_, None) => {}
        }
    }
}

pub(super) fn ring(env: &Env, params: &ring::Params) -> Result<ring::Outcome, Error> {
    let params = *params;
    block_on(env, async move {
        let (finish, last) = ring::Finish::new();
        let nodes: Vec<Addr<Node>> = (0..params.actors)
            .map(|index| {
                let finish = Arc::clone(&finish);
                Node {
                    index,
                    next: None,
                    finish,
                }
                .start()
            })
            .collect();
        for (index, node) in nodes.iter().enumerate() {
            node.do_send(Link(nodes[(index + 1) % nodes.len()].clone()));
        }
        let start = Instant::now();
        nodes[0].do_send(Hop(params.hops));
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

struct FanInSink {
    tally: fan_in::Tally,
}

impl Actor for FanInSink {
    type Context = Context<Self>;
}

#[derive(Message)]
#[rtype(result = "()")]
struct Tagged {
    sender: u32,
    seq: u64,
}

#[derive(Message)]
#[rtype(result = "fan_in::Report")]
struct GetFanInReport;

impl Handler<Tagged> for FanInSink {
    type Result = ();

    fn handle(&mut self, Tagged { sender, seq }: Tagged, _ctx: &mut Context<Self>) {
        self.tally.record(sender, seq);
    }
}

impl Handler<GetFanInReport> for FanInSink {
    type Result = MessageResult<GetFanInReport>;

    fn handle(&mut self, _: GetFanInReport, _ctx: &mut Context<Self>) -> Self::Result {
        MessageResult(self.tally.report())
    }
}

pub(super) fn fan_in(env: &Env, params: &fan_in::Params) -> Result<fan_in::Outcome, Error> {
    let params = *params;
    block_on(env, async move {
        let tally = fan_in::Tally::new(params.senders);
        let sink = FanInSink { tally }.start();
        let start = Instant::now();
        let mut senders = Vec::new();
        for sender in 0..u32::try_from(params.senders)? {
            let sink = sink.clone();
            senders.push(actix::spawn(async move {
                for seq in 0..params.per_sender {
                    sink.do_send(Tagged { sender, seq });
                }
            }));
        }
        for sender in senders {
            sender.await?;
        }
        let report = sink.send(GetFanInReport).await.map_err(failed)?;
        Ok(fan_in::Outcome {
            elapsed: start.elapsed(),
            report,
        })
    })
}

// ----- 6. ask with a backlog ----------------------------------------------------

struct Busy {
    noise: u64,
}

impl Actor for Busy {
    type Context = Context<Self>;
}

#[derive(Message)]
#[rtype(result = "()")]
struct Hold(oneshot::Receiver<()>);

#[derive(Message)]
#[rtype(result = "()")]
struct Noise;

#[derive(Message)]
#[rtype(result = "u64")]
struct Count;

impl Handler<Hold> for Busy {
    type Result = ();

    /// `ctx.wait` is actix's way to await inside an actor: no other message
    /// is handled until the future is done.
    fn handle(&mut self, Hold(gate): Hold, ctx: &mut Context<Self>) {
        ctx.wait(
            async move {
                let _ = gate.await;
            }
            .into_actor(self),
        );
    }
}

impl Handler<Ping> for Busy {
    type Result = u64;

    fn handle(&mut self, Ping(n): Ping, _ctx: &mut Context<Self>) -> u64 {
        n + 1
    }
}

impl Handler<Noise> for Busy {
    type Result = ();

    fn handle(&mut self, _: Noise, _ctx: &mut Context<Self>) {
        self.noise += 1;
    }
}

impl Handler<Count> for Busy {
    type Result = u64;

    fn handle(&mut self, _: Count, _ctx: &mut Context<Self>) -> u64 {
        self.noise
    }
}

pub(super) fn backlog(env: &Env, params: &backlog::Params) -> Result<backlog::Outcome, Error> {
    let params = *params;
    block_on(env, async move {
        let busy = Busy { noise: 0 }.start();
        let mut outcome = backlog::Outcome::default();
        for n in 0..params.rounds {
            let (open, gate) = oneshot::channel();
            busy.do_send(Hold(gate));
            let mut request = pin!(busy.send(Ping(n)));
            send_request(request.as_mut())?;
            for _ in 0..params.backlog {
                busy.do_send(Noise);
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

#[derive(Default)]
struct Callee {
    handled: u64,
}

impl Actor for Callee {
    type Context = Context<Self>;
}

#[derive(Message)]
#[rtype(result = "u64")]
struct Request(u64);

#[derive(Message)]
#[rtype(result = "u64")]
struct Handled;

impl Handler<Request> for Callee {
    type Result = u64;

    fn handle(&mut self, Request(n): Request, _ctx: &mut Context<Self>) -> u64 {
        self.handled += 1;
        n + 1
    }
}

impl Handler<Handled> for Callee {
    type Result = u64;

    fn handle(&mut self, _: Handled, _ctx: &mut Context<Self>) -> u64 {
        self.handled
    }
}

struct Caller {
    callee: Addr<Callee>,
}

impl Actor for Caller {
    type Context = Context<Self>;
}

#[derive(Message)]
#[rtype(result = "actor_ask::Report")]
struct Run(u64);

/// actix handlers are synchronous: a handler that awaits returns a
/// `ResponseFuture`, the way actix's docs show async work in a handler.
impl Handler<Run> for Caller {
    type Result = ResponseFuture<actor_ask::Report>;

    fn handle(&mut self, Run(count): Run, _ctx: &mut Context<Self>) -> Self::Result {
        let callee = self.callee.clone();
        Box::pin(async move {
            let callee = &callee;
            actor_ask::ask_in_a_row(count, |n| async move {
                callee.send(Request(n)).await.map_err(|error| error.to_string())
            })
            .await
        })
    }
}

pub(super) fn actor_ask(env: &Env, params: &actor_ask::Params) -> Result<actor_ask::Outcome, Error> {
    let params = *params;
    block_on(env, async move {
        let callee = Callee::default().start();
        let caller = Caller {
            callee: callee.clone(),
        }
        .start();
        let asks = caller.send(Run(params.count)).await.map_err(failed)??;
        let handled_by_b = callee.send(Handled).await.map_err(failed)?;
        Ok(actor_ask::Outcome { asks, handled_by_b })
    })
}
