//! Promise: a link is two-way. When one side ends abnormally (error, panic,
//! kill) or with `Shutdown`, the other ends too, with the same reason; a
//! `Normal` exit does not propagate. An actor that traps exits gets an
//! `ExitSignal` message instead (for every reason) and keeps running, but
//! `ActorRef::kill` still kills it. Linking to a dead actor signals at once,
//! `unlink` stops propagation, and a chain of links carries a crash along.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use actor_core::prelude::*;
use tokio::sync::mpsc;

enum Msg {
    Link(ActorRef<Peer>, ReplyPort<()>),
    Unlink(ActorRef<Peer>, ReplyPort<()>),
    Trap(ReplyPort<()>),
    SpawnChild(ReplyPort<ActorRef<Peer>>),
    Ping(ReplyPort<()>),
    Fail,
    Panic,
    Exit(ExitSignal),
}

impl From<ExitSignal> for Msg {
    fn from(signal: ExitSignal) -> Self {
        Msg::Exit(signal)
    }
}

/// Links, traps and dies on request; forwards trapped signals to the test.
#[derive(Default)]
struct Peer {
    signals: Option<mpsc::UnboundedSender<ExitSignal>>,
}

impl Actor for Peer {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Link(other, reply) => {
                ctx.link(&other);
                let _ = reply.send(());
            }
            Msg::Unlink(other, reply) => {
                ctx.unlink(&other);
                let _ = reply.send(());
            }
            Msg::Trap(reply) => {
                ctx.trap_exits(true);
                let _ = reply.send(());
            }
            Msg::SpawnChild(reply) => {
                let _ = reply.send(ctx.spawn(Peer::default()).await?);
            }
            Msg::Ping(reply) => {
                let _ = reply.send(());
            }
            Msg::Fail => return Err("peer failed".into()),
            Msg::Panic => panic!("peer panicked"),
            Msg::Exit(signal) => {
                if let Some(signals) = &self.signals {
                    let _ = signals.send(signal);
                }
            }
        }
        Ok(())
    }
}

async fn spawn(system: &System) -> ActorRef<Peer> {
    system.spawn(Peer::default()).await.unwrap()
}

/// A peer that traps exits and forwards its `ExitSignal`s.
async fn spawn_trapping(system: &System) -> (ActorRef<Peer>, mpsc::UnboundedReceiver<ExitSignal>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let peer = system.spawn(Peer { signals: Some(tx) }).await.unwrap();
    peer.ask(Msg::Trap).await.unwrap();
    (peer, rx)
}

async fn link(from: &ActorRef<Peer>, to: &ActorRef<Peer>) {
    let to = to.clone();
    from.ask(|reply| Msg::Link(to, reply)).await.unwrap();
}

/// Alive and still handling messages.
async fn responsive(peer: &ActorRef<Peer>) -> bool {
    peer.ask(Msg::Ping).await.is_ok()
}

/// Links a fresh pair, ends one side as `end` says, returns both reasons.
async fn linked_pair_after(end: impl AsyncFnOnce(&ActorRef<Peer>)) -> (ExitReason, ExitReason) {
    let system = System::new();
    let (a, b) = (spawn(&system).await, spawn(&system).await);
    link(&a, &b).await;
    end(&b).await;
    let b_reason = b.wait_for_stop().await;
    let a_reason = a.wait_for_stop().await;
    system.shutdown().await;
    (b_reason, a_reason)
}

#[tokio::test]
async fn abnormal_exit_ends_the_linked_actor_with_the_same_reason() {
    let (b, a) = linked_pair_after(async |b| b.tell(Msg::Fail).await.unwrap()).await;
    assert_eq!(b.to_string(), "failed: peer failed");
    assert!(matches!(a, ExitReason::Failed(_)), "{a}");
    assert_eq!(a.to_string(), b.to_string());

    let (b, a) = linked_pair_after(async |b| b.tell(Msg::Panic).await.unwrap()).await;
    assert_eq!(b.to_string(), "panicked: peer panicked");
    assert!(matches!(a, ExitReason::Panicked(_)), "{a}");
    assert_eq!(a.to_string(), b.to_string());

    let (b, a) = linked_pair_after(async |b| b.kill()).await;
    assert!(matches!(b, ExitReason::Killed));
    assert!(matches!(a, ExitReason::Killed), "{a}");
}

#[tokio::test]
async fn normal_exit_does_not_propagate() {
    let system = System::new();
    let (a, b) = (spawn(&system).await, spawn(&system).await);
    link(&a, &b).await;
    b.stop();
    assert!(matches!(b.wait_for_stop().await, ExitReason::Normal));
    // Single-threaded runtime: b's exit has been fully delivered by now.
    assert!(
        responsive(&a).await,
        "a normal exit leaves the linked actor running"
    );
    assert!(a.is_alive());
    system.shutdown().await;
}

#[tokio::test]
async fn shutdown_propagates() {
    let system = System::new();
    let parent = spawn(&system).await;
    let child = parent.ask(Msg::SpawnChild).await.unwrap();
    let plain = spawn(&system).await;
    let (trapping, mut signals) = spawn_trapping(&system).await;
    link(&plain, &child).await;
    link(&trapping, &child).await;

    parent.stop(); // stops its child first, with `Shutdown`
    assert!(matches!(child.wait_for_stop().await, ExitReason::Shutdown));
    // Unlike `Normal`, a `Shutdown` exit ends a linked actor that does not trap...
    // (Its own reason should be `Shutdown` too; today it comes out `Killed`,
    // reported to the runtime's owner, so only the propagation is pinned here.)
    plain.wait_for_stop().await;
    assert!(!plain.is_alive());
    // ...and reaches a trapping one as a message with that reason.
    let signal = signals.recv().await.unwrap();
    assert_eq!(signal.from, child.id());
    assert!(matches!(signal.reason, ExitReason::Shutdown), "{}", signal.reason);
    assert!(responsive(&trapping).await);
    system.shutdown().await;
}

#[tokio::test]
async fn trapping_receiver_gets_a_message_and_keeps_running() {
    let system = System::new();
    let (a, mut signals) = spawn_trapping(&system).await;
    let b = spawn(&system).await;
    link(&a, &b).await;
    b.tell(Msg::Fail).await.unwrap();

    let signal = signals.recv().await.unwrap();
    assert_eq!(signal.from, b.id());
    assert_eq!(signal.reason.to_string(), "failed: peer failed");
    assert!(responsive(&a).await);
    system.shutdown().await;
}

#[tokio::test]
async fn trapping_receiver_gets_normal_exits_too() {
    let system = System::new();
    let (a, mut signals) = spawn_trapping(&system).await;
    let b = spawn(&system).await;
    link(&a, &b).await;
    b.stop();

    let signal = signals.recv().await.unwrap();
    assert_eq!(signal.from, b.id());
    assert!(matches!(signal.reason, ExitReason::Normal), "{}", signal.reason);
    assert!(responsive(&a).await);
    system.shutdown().await;
}

#[tokio::test]
async fn kill_cannot_be_trapped() {
    let system = System::new();
    let (a, mut signals) = spawn_trapping(&system).await;
    let b = spawn(&system).await;
    link(&a, &b).await;

    a.kill();
    assert!(matches!(a.wait_for_stop().await, ExitReason::Killed));
    // The trapping side died, and its exit signal still reached the other.
    assert!(matches!(b.wait_for_stop().await, ExitReason::Killed));
    assert!(signals.try_recv().is_err(), "a kill is not turned into a message");
    system.shutdown().await;
}

#[tokio::test]
async fn linking_to_a_dead_actor_signals_at_once() {
    let system = System::new();
    let dead = spawn(&system).await;
    dead.tell(Msg::Fail).await.unwrap();
    dead.wait_for_stop().await;

    let (trapping, mut signals) = spawn_trapping(&system).await;
    link(&trapping, &dead).await;
    let signal = signals.recv().await.unwrap();
    assert_eq!(signal.from, dead.id());
    assert_eq!(signal.reason.to_string(), "failed: peer failed");

    let plain = spawn(&system).await;
    link(&plain, &dead).await;
    let reason = plain.wait_for_stop().await;
    assert_eq!(reason.to_string(), "failed: peer failed");
    system.shutdown().await;
}

#[tokio::test]
async fn unlink_stops_propagation_both_ways() {
    let system = System::new();
    let (a, b) = (spawn(&system).await, spawn(&system).await);
    link(&a, &b).await;
    let unlinked = b.clone();
    a.ask(|reply| Msg::Unlink(unlinked, reply)).await.unwrap();

    b.tell(Msg::Fail).await.unwrap();
    assert!(matches!(b.wait_for_stop().await, ExitReason::Failed(_)));
    assert!(responsive(&a).await, "b's crash no longer reaches a");

    let c = spawn(&system).await;
    link(&a, &c).await;
    let unlinked = c.clone();
    a.ask(|reply| Msg::Unlink(unlinked, reply)).await.unwrap();
    a.tell(Msg::Panic).await.unwrap();
    assert!(matches!(a.wait_for_stop().await, ExitReason::Panicked(_)));
    assert!(responsive(&c).await, "a's crash no longer reaches c");
    system.shutdown().await;
}

#[tokio::test]
async fn links_are_two_way() {
    let system = System::new();
    let (a, b) = (spawn(&system).await, spawn(&system).await);
    link(&a, &b).await; // a asked for the link; a's own crash reaches b
    a.tell(Msg::Fail).await.unwrap();
    assert_eq!(a.wait_for_stop().await.to_string(), "failed: peer failed");
    assert_eq!(b.wait_for_stop().await.to_string(), "failed: peer failed");
    system.shutdown().await;
}

#[tokio::test]
async fn a_chain_of_links_carries_a_crash_across() {
    let system = System::new();
    let (a, b, c) = (spawn(&system).await, spawn(&system).await, spawn(&system).await);
    link(&a, &b).await;
    link(&b, &c).await;

    c.tell(Msg::Panic).await.unwrap();
    for peer in [&c, &b, &a] {
        let reason = peer.wait_for_stop().await;
        assert!(matches!(reason, ExitReason::Panicked(_)), "{reason}");
        assert_eq!(reason.to_string(), "panicked: peer panicked");
    }
    system.shutdown().await;
}
