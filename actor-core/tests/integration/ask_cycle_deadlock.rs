//! Promise: an ask that would close a cycle of waiting actors fails at once
//! with `AskError::Deadlock` naming the cycle, instead of running into its
//! timeout; nothing is sent. Two actors asking each other, a three-actor
//! ring and an ask from `started` are caught; a chain without a cycle, asks
//! from outside actors, a loop actor that keeps receiving while it asks, and
//! asks after an earlier one ended (answered, timed out, or its asker killed)
//! are not. Every case runs on the paused clock and checks that no
//! virtual time passed, so "at once" is exact.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use actor_core::prelude::*;
use actor_core::{ActorId, Recipient};
use tokio::time::Instant;

/// What a `Node` does with a request.
enum Step {
    /// Answer with its own id.
    Answer,
    /// Ask the next node (passing the request on), answer with its answer.
    Ask(ActorRef<Node>),
}

/// The answer to a request: the ids of the nodes that answered, last first,
/// or what went wrong at one of them.
type Answer = Result<Vec<ActorId>, Failure>;

#[derive(Debug, PartialEq)]
enum Failure {
    /// A node's ask failed with `Deadlock` naming these actors.
    Deadlock(Vec<ActorId>),
    /// A node's ask failed otherwise (its Debug text).
    Other(String),
}

/// A handler actor that asks its next node when a request comes, unless the
/// request has already visited it `hops` times.
struct Node {
    next: Option<ActorRef<Node>>,
}

enum NodeMsg {
    /// Point this node at the next one.
    Link(ActorRef<Node>, ReplyPort<()>),
    /// A request that has `hops` asks left to make.
    Request { hops: u32, reply: ReplyPort<Answer> },
}

impl Actor for Node {
    type Msg = NodeMsg;

    async fn handle(&mut self, msg: NodeMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            NodeMsg::Link(next, reply) => {
                self.next = Some(next);
                let _ = reply.send(());
            }
            NodeMsg::Request { hops, reply } => {
                let step = match (&self.next, hops) {
                    (Some(next), 1..) => Step::Ask(next.clone()),
                    _ => Step::Answer,
                };
                let answer = match step {
                    Step::Answer => Ok(vec![ctx.id()]),
                    Step::Ask(next) => match next
                        .ask(|reply| NodeMsg::Request {
                            hops: hops - 1,
                            reply,
                        })
                        .await
                    {
                        Ok(Ok(mut ids)) => {
                            ids.push(ctx.id());
                            Ok(ids)
                        }
                        Ok(Err(failure)) => Err(failure),
                        Err(AskError::Deadlock(cycle)) => Err(Failure::Deadlock(cycle.actors().to_vec())),
                        Err(error) => Err(Failure::Other(format!("{error:?}"))),
                    },
                };
                let _ = reply.send(answer);
            }
        }
        Ok(())
    }
}

async fn ring(system: &System, n: usize) -> Vec<ActorRef<Node>> {
    let mut nodes = Vec::new();
    for _ in 0..n {
        nodes.push(system.spawn(Node { next: None }).await.unwrap());
    }
    for (i, node) in nodes.iter().enumerate() {
        let next = nodes[(i + 1) % n].clone();
        node.ask(|reply| NodeMsg::Link(next, reply)).await.unwrap();
    }
    nodes
}

#[tokio::test(start_paused = true)]
async fn two_actors_asking_each_other_fail_at_once() {
    let system = System::new();
    let nodes = ring(&system, 2).await;
    let start = Instant::now();
    // a asks b, b asks a back: b's ask would close the cycle b -> a -> b.
    let answer = nodes[0]
        .ask(|reply| NodeMsg::Request { hops: 2, reply })
        .await
        .unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO, "no timeout ran out");
    let (a, b) = (nodes[0].id(), nodes[1].id());
    assert_eq!(answer, Err(Failure::Deadlock(vec![b, a, b])));
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_three_actor_ring_is_caught_by_the_ask_that_closes_it() {
    let system = System::new();
    let nodes = ring(&system, 3).await;
    let start = Instant::now();
    let answer = nodes[0]
        .ask(|reply| NodeMsg::Request { hops: 3, reply })
        .await
        .unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
    // c asked a, which waits for b, which waits for c.
    let [a, b, c] = [nodes[0].id(), nodes[1].id(), nodes[2].id()];
    assert_eq!(answer, Err(Failure::Deadlock(vec![c, a, b, c])));
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_chain_without_a_cycle_is_answered() {
    let system = System::new();
    // Three nodes in a ring, but the request stops after two asks: a -> b -> c.
    let nodes = ring(&system, 3).await;
    let answer = nodes[0]
        .ask(|reply| NodeMsg::Request { hops: 2, reply })
        .await
        .unwrap();
    let [a, b, c] = [nodes[0].id(), nodes[1].id(), nodes[2].id()];
    assert_eq!(answer, Ok(vec![c, b, a]));
    // Asked again and again, from outside and round the ring: every wait
    // ended with its ask, so nothing stale makes a later ask a "cycle".
    for node in &nodes {
        let answer = node
            .ask(|reply| NodeMsg::Request { hops: 2, reply })
            .await
            .unwrap();
        assert_eq!(answer.map(|ids| ids.len()), Ok(3));
    }
    system.shutdown().await;
}

/// Holds every request it gets without answering, until told to drop them.
struct Hoarder {
    held: Vec<ReplyPort<Answer>>,
}

enum HoarderMsg {
    Hold(ReplyPort<Answer>),
    /// Ask the impatient actor, and answer with what it said (or the ask's
    /// error).
    AskBack(ActorRef<Impatient>, ReplyPort<String>),
}

impl Actor for Hoarder {
    type Msg = HoarderMsg;

    async fn handle(&mut self, msg: HoarderMsg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            HoarderMsg::Hold(reply) => self.held.push(reply),
            HoarderMsg::AskBack(impatient, reply) => {
                let answer = impatient.ask(|r| r).await;
                let _ = reply.send(format!("{answer:?}"));
            }
        }
        Ok(())
    }
}

/// Asks a hoarder (which never answers) with a short timeout when a request
/// comes.
struct Impatient {
    hoarder: ActorRef<Hoarder>,
}

impl Actor for Impatient {
    type Msg = ReplyPort<String>;

    async fn handle(&mut self, reply: ReplyPort<String>, _: &mut Context<Self>) -> Result<(), BoxError> {
        let result = self
            .hoarder
            .ask_timeout(HoarderMsg::Hold, Duration::from_secs(1))
            .await;
        let _ = reply.send(format!("{:?}", result.map(|_| ())));
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn a_wait_that_timed_out_leaves_no_edge() {
    let system = System::new();
    let hoarder = system.spawn(Hoarder { held: Vec::new() }).await.unwrap();
    let impatient = system
        .spawn(Impatient {
            hoarder: hoarder.clone(),
        })
        .await
        .unwrap();
    assert_eq!(impatient.ask(|r| r).await.unwrap(), "Err(Timeout(1s))");
    // The impatient actor no longer waits for the hoarder, so the hoarder may
    // ask it (a stale edge would fail this ask as a cycle). The impatient
    // actor then asks the hoarder, which really is waiting for it: that ask
    // fails, at once, and the hoarder gets the impatient actor's answer.
    let start = Instant::now();
    let answer = hoarder
        .ask(|r| HoarderMsg::AskBack(impatient.clone(), r))
        .await
        .unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
    let (h, i) = (hoarder.id(), impatient.id());
    assert_eq!(
        answer,
        format!("Ok(\"Err(Deadlock(WaitCycle([{i:?}, {h:?}, {i:?}])))\")")
    );
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_killed_asker_leaves_no_edge() {
    let system = System::new();
    let hoarder = system.spawn(Hoarder { held: Vec::new() }).await.unwrap();
    let impatient = system
        .spawn(Impatient {
            hoarder: hoarder.clone(),
        })
        .await
        .unwrap();
    // The impatient actor waits for the hoarder (1 s) and is killed meanwhile.
    let asking = impatient.ask(|r| r);
    tokio::pin!(asking);
    tokio::select! {
        biased;
        _ = &mut asking => panic!("the hoarder never answers"),
        () = tokio::task::yield_now() => {}
    }
    while hoarder.mailbox_len() > 0 || impatient.mailbox_len() > 0 {
        tokio::task::yield_now().await;
    }
    impatient.kill();
    let reason = impatient.wait_for_stop().await;
    assert_eq!(reason.to_string(), "killed");
    assert!(matches!(asking.await, Err(AskError::NoReply)));
    // Asking the dead actor is `Closed`, not a cycle through its old edge.
    let answer = hoarder
        .ask(|r| HoarderMsg::AskBack(impatient.clone(), r))
        .await
        .unwrap();
    assert_eq!(answer, "Err(Closed(..))");
    system.shutdown().await;
}

/// Asks `target` from `started`, where it cannot take messages either.
struct AsksWhenStarting {
    target: ActorRef<Relay>,
}

impl Actor for AsksWhenStarting {
    type Msg = ReplyPort<()>;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let me = ctx.myself();
        match self.target.ask(|reply| (me, reply)).await {
            Ok(text) => Err(format!("unexpected answer {text}").into()),
            Err(error) => Err(error.to_string().into()),
        }
    }

    async fn handle(&mut self, reply: ReplyPort<()>, _: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = reply.send(());
        Ok(())
    }
}

/// Asks back whoever asks it.
struct Relay;

impl Actor for Relay {
    type Msg = (ActorRef<AsksWhenStarting>, ReplyPort<String>);

    async fn handle(&mut self, (asker, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let answer = asker.ask(|r| r).await;
        let _ = reply.send(format!("{answer:?}"));
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn an_ask_from_started_counts_as_waiting() {
    let system = System::new();
    let relay = system.spawn(Relay).await.unwrap();
    let start = Instant::now();
    let error = system
        .spawn(AsksWhenStarting {
            target: relay.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO);
    // The relay's ask back failed with Deadlock and it said so in its answer,
    // which `started` turned into its error.
    let text = error.to_string();
    assert!(text.contains("Err(Deadlock(WaitCycle("), "{text}");
    assert!(text.contains(&format!("{:?}", relay.id())), "{text}");
    system.shutdown().await;
}

/// A loop actor: while its ask to `peer` is pending it keeps taking
/// messages, so the peer asking it back is no deadlock.
struct Looper;

enum LooperMsg {
    /// Ask `peer` and answer with its answer.
    Start(Recipient<NodeMsg>, ReplyPort<Answer>),
    /// A node's request.
    Request(ReplyPort<Answer>),
}

impl Actor for Looper {
    type Msg = LooperMsg;

    async fn handle(&mut self, msg: LooperMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        if let LooperMsg::Request(reply) = msg {
            let _ = reply.send(Ok(vec![ctx.id()]));
        }
        Ok(())
    }

    async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        while let Some(msg) = ctx.recv().await {
            let LooperMsg::Start(peer, reply) = msg else {
                self.handle(msg, ctx).await?;
                continue;
            };
            let asking = peer.ask(|r| NodeMsg::Request { hops: 1, reply: r });
            tokio::pin!(asking);
            let answer = loop {
                tokio::select! {
                    answer = &mut asking => break answer,
                    Some(msg) = ctx.recv() => self.handle(msg, ctx).await?,
                }
            };
            let answer = answer
                .map_err(|e| Failure::Other(format!("{e:?}")))
                .and_then(|ids| ids);
            let _ = reply.send(answer);
        }
        Ok(())
    }
}

/// Answers a request by asking the looper.
struct ToLooper {
    looper: ActorRef<Looper>,
}

impl Actor for ToLooper {
    type Msg = NodeMsg;

    async fn handle(&mut self, msg: NodeMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        if let NodeMsg::Request { reply, .. } = msg {
            let answer = self.looper.ask(LooperMsg::Request).await;
            let answer = answer
                .map_err(|e| Failure::Other(format!("{e:?}")))
                .and_then(|ids| ids);
            let _ = reply.send(answer.map(|mut ids| {
                ids.push(ctx.id());
                ids
            }));
        }
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn a_loop_actor_that_keeps_receiving_is_not_a_cycle() {
    let system = System::new();
    let looper = system.spawn(Looper).await.unwrap();
    let back = system
        .spawn(ToLooper {
            looper: looper.clone(),
        })
        .await
        .unwrap();
    // The looper asks `back`, which asks the looper back while it waits.
    let start = Instant::now();
    let answer = looper
        .ask(|r| LooperMsg::Start(back.recipient(), r))
        .await
        .unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(answer, Ok(vec![looper.id(), back.id()]));
    system.shutdown().await;
}
