//! Promise: an actor leaves its groups (and topics) when it ends, whatever
//! the reason — a graceful stop, an error, a panic, a kill — and it is gone
//! from the member list by the time `wait_for_stop` returns. Broadcasts then
//! count only the members still there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use actor_core::prelude::*;
use actor_core::{Group, Topic};
use tokio::sync::oneshot;

#[derive(Clone)]
struct Ping;

enum Msg {
    Ping,
    Fail,
    Panic,
    /// Signals `entered`, then waits for the gate (which never opens).
    Block(oneshot::Sender<()>, oneshot::Receiver<()>),
}

impl From<Ping> for Msg {
    fn from(_: Ping) -> Self {
        Msg::Ping
    }
}

struct Member;

impl Actor for Member {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Ping => Ok(()),
            Msg::Fail => Err("failed on purpose".into()),
            Msg::Panic => panic!("panicked on purpose"),
            Msg::Block(entered, gate) => {
                let _ = entered.send(());
                let _ = gate.await;
                Ok(())
            }
        }
    }
}

#[tokio::test]
async fn every_kind_of_exit_leaves_the_group() {
    let system = System::new();
    let group: Group<Ping> = system.groups().group("members").unwrap();
    let topic: Topic<Ping> = Topic::new();
    let mut members = Vec::new();
    for _ in 0..5 {
        let member = system.spawn(Member).await.unwrap();
        group.join(&member);
        topic.subscribe(&member.recipient::<Ping>());
        members.push(member);
    }
    assert_eq!(group.broadcast(Ping).await.delivered, 5);
    let survivor = members.pop().unwrap();
    let ids = |g: &Group<Ping>| g.members();

    // A graceful stop.
    let stopped = members.pop().unwrap();
    stopped.stop();
    assert!(matches!(stopped.wait_for_stop().await, ExitReason::Normal));
    assert!(!group.contains(stopped.id()) && !topic.subscribers().contains(&stopped.id()));

    // An error.
    let failed = members.pop().unwrap();
    failed.tell(Msg::Fail).await.unwrap();
    assert!(matches!(failed.wait_for_stop().await, ExitReason::Failed(_)));
    assert!(!group.contains(failed.id()));

    // A panic.
    let panicked = members.pop().unwrap();
    panicked.tell(Msg::Panic).await.unwrap();
    assert!(matches!(panicked.wait_for_stop().await, ExitReason::Panicked(_)));
    assert!(!group.contains(panicked.id()));

    // A kill, mid-handler.
    let killed = members.pop().unwrap();
    let (entered_tx, entered) = oneshot::channel();
    let (_gate, gate_rx) = oneshot::channel();
    killed.tell(Msg::Block(entered_tx, gate_rx)).await.unwrap();
    entered.await.unwrap();
    killed.kill();
    assert!(matches!(killed.wait_for_stop().await, ExitReason::Killed));

    assert_eq!(ids(&group), [survivor.id()]);
    assert_eq!(topic.subscribers(), [survivor.id()]);
    let report = group.broadcast(Ping).await;
    assert_eq!((report.delivered, report.full, report.closed), (1, 0, 0));
    assert_eq!(topic.try_publish(Ping).delivered, 1);

    system.shutdown().await;
    assert!(
        group.is_empty() && topic.subscriber_count() == 0,
        "shutdown empties them"
    );
}

#[tokio::test]
async fn joining_an_actor_that_already_ended_leaves_at_once() {
    let system = System::new();
    let member = system.spawn(Member).await.unwrap();
    member.stop();
    member.wait_for_stop().await;
    let group = Group::<Ping>::new();
    group.join(&member);
    assert!(group.is_empty());
    assert_eq!(group.broadcast(Ping).await.delivered, 0);
}
