//! ractor 0.16, as its docs show: a unit struct implementing `Actor` with
//! `Msg`, `State` and `Arguments`, a message enum with `RpcReplyPort`s for
//! requests, `Actor::spawn(None, actor, args)`, `cast` to tell and `call!` to
//! ask. Its mailbox is unbounded (the only kind). `stop(None)` and the join
//! handle returned by spawn end an actor.

use std::pin::pin;
use std::sync::Arc;
use std::time::Instant;

use ractor::concurrency::JoinHandle;
use ractor::rpc::CallResult;
use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort, call};
use tokio::sync::oneshot;

use super::failed;
use crate::env::{Env, Error};
use crate::scenarios::backlog::send_request;
use crate::scenarios::{actor_ask, ask, backlog, fan_in, ring, spawn, tell};

// ----- 1. tell ------------------------------------------------------------

struct Sink;

enum SinkMsg {
    Item(u64),
    Report(RpcReplyPort<tell::Report>),
}

impl Actor for Sink {
    type Msg = SinkMsg;
    type State = tell::Tally;
    type Arguments = ();

    async fn pre_start(&self, _myself: ActorRef<SinkMsg>, _: ()) -> Result<tell::Tally, ActorProcessingErr> {
        Ok(tell::Tally::default())
    }

    async fn handle(
        &self,
        _myself: ActorRef<SinkMsg>,
        msg: SinkMsg,
        tally: &mut tell::Tally,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            SinkMsg::Item(seq) => tally.record(seq),
            SinkMsg::Report(reply) => {
                let _ = reply.send(tally.report());
            }
        }
        Ok(())
    }
}

pub(super) fn tell(env: &Env, params: &tell::Params) -> Result<tell::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let (sink, handle) = Actor::spawn(None, Sink, ()).await?;
        let start = Instant::now();
        for seq in 0..params.messages {
            sink.cast(SinkMsg::Item(seq)).map_err(failed)?;
        }
        let report = call!(sink, SinkMsg::Report).map_err(failed)?;
        let elapsed = start.elapsed();
        sink.stop(None);
        handle.await?;
        Ok(tell::Outcome { elapsed, report })
    })
}

// ----- 2. ask and 3. spawn ---------------------------------------------------

struct Echo;

enum EchoMsg {
    Ping(u64, RpcReplyPort<u64>),
}

impl Actor for Echo {
    type Msg = EchoMsg;
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _myself: ActorRef<EchoMsg>, _: ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle(
        &self,
        _myself: ActorRef<EchoMsg>,
        msg: EchoMsg,
        _: &mut (),
    ) -> Result<(), ActorProcessingErr> {
        let EchoMsg::Ping(n, reply) = msg;
        let _ = reply.send(n + 1);
        Ok(())
    }
}

pub(super) fn ask(env: &Env, params: &ask::Params) -> Result<ask::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let (echo, handle) = Actor::spawn(None, Echo, ()).await?;
        let mut outcome = ask::Outcome::with_capacity(params.count);
        for n in 0..params.count {
            let started = Instant::now();
            let reply = call!(echo, EchoMsg::Ping, n).map_err(failed)?;
            outcome.record(n, started, reply);
        }
        echo.stop(None);
        handle.await?;
        Ok(outcome)
    })
}

pub(super) fn spawn(env: &Env, params: &spawn::Params) -> Result<spawn::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let mut actors: Vec<(ActorRef<EchoMsg>, JoinHandle<()>)> = spawn::handles(&params);
        let mut probe = spawn::Probe::start()?;
        for _ in 0..params.actors {
            actors.push(Actor::spawn(None, Echo, ()).await?);
        }
        probe.spawned()?;
        let mut reply_offsets = 0;
        for (n, (actor, _)) in (0..).zip(&actors) {
            reply_offsets += call!(actor, EchoMsg::Ping, n).map_err(failed)?.wrapping_sub(n);
        }
        probe.asked()?;
        for (actor, _) in &actors {
            actor.stop(None);
        }
        let mut stopped = 0;
        for (_, handle) in actors {
            handle.await?;
            stopped += 1;
        }
        Ok(probe.finish(reply_offsets, stopped))
    })
}

// ----- 4. ring ----------------------------------------------------------------

struct Node;

enum NodeMsg {
    Link(ActorRef<NodeMsg>),
    Hop(u64),
}

struct NodeState {
    index: u64,
    next: Option<ActorRef<NodeMsg>>,
    finish: Arc<ring::Finish>,
}

impl Actor for Node {
    type Msg = NodeMsg;
    type State = NodeState;
    type Arguments = (u64, Arc<ring::Finish>);

    async fn pre_start(
        &self,
        _myself: ActorRef<NodeMsg>,
        (index, finish): (u64, Arc<ring::Finish>),
    ) -> Result<NodeState, ActorProcessingErr> {
        Ok(NodeState {
            index,
            next: None,
            finish,
        })
    }

    async fn handle(
        &self,
        _myself: ActorRef<NodeMsg>,
        msg: NodeMsg,
        state: &mut NodeState,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            NodeMsg::Link(next) => state.next = Some(next),
            NodeMsg::Hop(0) => state.finish.reached(state.index),
            NodeMsg::Hop(k) => {
                if let Some(next) = &state.next {
                    next.cast(NodeMsg::Hop(k - 1))?;
                }
            }
        }
        Ok(())
    }
}

pub(super) fn ring(env: &Env, params: &ring::Params) -> Result<ring::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let (finish, last) = ring::Finish::new();
        let mut nodes = Vec::new();
        for index in 0..params.actors {
            nodes.push(Actor::spawn(None, Node, (index, Arc::clone(&finish))).await?);
        }
        for (index, (node, _)) in nodes.iter().enumerate() {
            let next = nodes[(index + 1) % nodes.len()].0.clone();
            node.cast(NodeMsg::Link(next)).map_err(failed)?;
        }
        let start = Instant::now();
        nodes[0].0.cast(NodeMsg::Hop(params.hops)).map_err(failed)?;
        let last = last.await?;
        let elapsed = start.elapsed();
        for (node, _) in &nodes {
            node.stop(None);
        }
        Ok(ring::Outcome {
            elapsed,
            last,
            finishes: finish.finishes(),
        })
    })
}

// ----- 5. fan-in --------------------------------------------------------------

struct FanInSink;

enum FanInMsg {
    Tagged { sender: u32, seq: u64 },
    Report(RpcReplyPort<fan_in::Report>),
}

impl Actor for FanInSink {
    type Msg = FanInMsg;
    type State = fan_in::Tally;
    type Arguments = u64;

    async fn pre_start(
        &self,
        _myself: ActorRef<FanInMsg>,
        senders: u64,
    ) -> Result<fan_in::Tally, ActorProcessingErr> {
        Ok(fan_in::Tally::new(senders))
    }

    async fn handle(
        &self,
        _myself: ActorRef<FanInMsg>,
        msg: FanInMsg,
        tally: &mut fan_in::Tally,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            FanInMsg::Tagged { sender, seq } => tally.record(sender, seq),
            FanInMsg::Report(reply) => {
                let _ = reply.send(tally.report());
            }
        }
        Ok(())
    }
}

pub(super) fn fan_in(env: &Env, params: &fan_in::Params) -> Result<fan_in::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let (sink, handle) = Actor::spawn(None, FanInSink, params.senders).await?;
        let start = Instant::now();
        let mut senders = Vec::new();
        for sender in 0..u32::try_from(params.senders)? {
            let sink = sink.clone();
            senders.push(tokio::spawn(async move {
                for seq in 0..params.per_sender {
                    sink.cast(FanInMsg::Tagged { sender, seq }).map_err(failed)?;
                }
                Ok::<_, Error>(())
            }));
        }
        for sender in senders {
            sender.await??;
        }
        let report = call!(sink, FanInMsg::Report).map_err(failed)?;
        let elapsed = start.elapsed();
        sink.stop(None);
        handle.await?;
        Ok(fan_in::Outcome { elapsed, report })
    })
}

// ----- 6. ask with a backlog ----------------------------------------------------

struct Busy;

enum BusyMsg {
    Hold(oneshot::Receiver<()>),
    Ping(u64, RpcReplyPort<u64>),
    Noise,
    Count(RpcReplyPort<u64>),
}

impl Actor for Busy {
    type Msg = BusyMsg;
    type State = u64;
    type Arguments = ();

    async fn pre_start(&self, _myself: ActorRef<BusyMsg>, _: ()) -> Result<u64, ActorProcessingErr> {
        Ok(0)
    }

    async fn handle(
        &self,
        _myself: ActorRef<BusyMsg>,
        msg: BusyMsg,
        noise: &mut u64,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            BusyMsg::Hold(gate) => {
                let _ = gate.await;
            }
            BusyMsg::Ping(n, reply) => {
                let _ = reply.send(n + 1);
            }
            BusyMsg::Noise => *noise += 1,
            BusyMsg::Count(reply) => {
                let _ = reply.send(*noise);
            }
        }
        Ok(())
    }
}

pub(super) fn backlog(env: &Env, params: &backlog::Params) -> Result<backlog::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let (busy, handle) = Actor::spawn(None, Busy, ()).await?;
        let mut outcome = backlog::Outcome::default();
        for n in 0..params.rounds {
            let (open, gate) = oneshot::channel();
            busy.cast(BusyMsg::Hold(gate)).map_err(failed)?;
            let mut request = pin!(busy.call(|reply| BusyMsg::Ping(n, reply), None));
            send_request(request.as_mut())?;
            for _ in 0..params.backlog {
                busy.cast(BusyMsg::Noise).map_err(failed)?;
            }
            let start = Instant::now();
            let _ = open.send(());
            let CallResult::Success(reply) = request.await.map_err(failed)? else {
                return Err("the ask got no reply".into());
            };
            outcome.latencies.push(start.elapsed());
            outcome.reply_offsets += reply.wrapping_sub(n);
            outcome
                .noise_counts
                .push(call!(busy, BusyMsg::Count).map_err(failed)?);
        }
        busy.stop(None);
        handle.await?;
        Ok(outcome)
    })
}

// ----- 10. actor-to-actor ask -------------------------------------------------

struct Callee;

enum CalleeMsg {
    Request(u64, RpcReplyPort<u64>),
    Handled(RpcReplyPort<u64>),
}

impl Actor for Callee {
    type Msg = CalleeMsg;
    type State = u64;
    type Arguments = ();

    async fn pre_start(&self, _myself: ActorRef<CalleeMsg>, _: ()) -> Result<u64, ActorProcessingErr> {
        Ok(0)
    }

    async fn handle(
        &self,
        _myself: ActorRef<CalleeMsg>,
        msg: CalleeMsg,
        handled: &mut u64,
    ) -> Result<(), ActorProcessingErr> {
        match msg {
            CalleeMsg::Request(n, reply) => {
                *handled += 1;
                let _ = reply.send(n + 1);
            }
            CalleeMsg::Handled(reply) => {
                let _ = reply.send(*handled);
            }
        }
        Ok(())
    }
}

struct Caller;

enum CallerMsg {
    Run(u64, RpcReplyPort<actor_ask::Report>),
}

impl Actor for Caller {
    type Msg = CallerMsg;
    type State = ActorRef<CalleeMsg>;
    type Arguments = ActorRef<CalleeMsg>;

    async fn pre_start(
        &self,
        _myself: ActorRef<CallerMsg>,
        callee: ActorRef<CalleeMsg>,
    ) -> Result<ActorRef<CalleeMsg>, ActorProcessingErr> {
        Ok(callee)
    }

    async fn handle(
        &self,
        _myself: ActorRef<CallerMsg>,
        msg: CallerMsg,
        callee: &mut ActorRef<CalleeMsg>,
    ) -> Result<(), ActorProcessingErr> {
        let CallerMsg::Run(count, reply) = msg;
        let callee = &*callee;
        let report = actor_ask::ask_in_a_row(count, |n| async move {
            call!(callee, CalleeMsg::Request, n).map_err(|error| error.to_string())
        })
        .await;
        let _ = reply.send(report);
        Ok(())
    }
}

pub(super) fn actor_ask(env: &Env, params: &actor_ask::Params) -> Result<actor_ask::Outcome, Error> {
    let params = *params;
    env.block_on(async move {
        let (callee, callee_handle) = Actor::spawn(None, Callee, ()).await?;
        let (caller, caller_handle) = Actor::spawn(None, Caller, callee.clone()).await?;
        let asks = call!(caller, CallerMsg::Run, params.count).map_err(failed)??;
        let handled_by_b = call!(callee, CalleeMsg::Handled).map_err(failed)?;
        caller.stop(None);
        callee.stop(None);
        caller_handle.await?;
        callee_handle.await?;
        Ok(actor_ask::Outcome { asks, handled_by_b })
    })
}
