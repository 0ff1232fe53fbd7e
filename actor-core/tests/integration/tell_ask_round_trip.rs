//! Promise: tells are handled in the order they were sent and an ask that
//! follows them sees all of them; every handle (`ActorRef`, `Recipient<T>`,
//! an upgraded `WeakActorRef`) reaches the same actor; and dropping the last
//! strong handle stops the actor normally, after it has handled its queue.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use actor_core::prelude::*;
use tokio::sync::oneshot;

enum Msg {
    Push(u32),
    Get(ReplyPort<Vec<u32>>),
}

impl From<u32> for Msg {
    fn from(n: u32) -> Self {
        Msg::Push(n)
    }
}

/// A request a pipeline stage can make without knowing `Msg`.
struct Snapshot(ReplyPort<Vec<u32>>);

impl From<Snapshot> for Msg {
    fn from(s: Snapshot) -> Self {
        Msg::Get(s.0)
    }
}

/// Records what it was told; reports its log and exit reason when it stops.
struct Log {
    seen: Vec<u32>,
    on_stop: Option<oneshot::Sender<(Vec<u32>, String)>>,
}

impl Log {
    fn new() -> Self {
        Log {
            seen: Vec::new(),
            on_stop: None,
        }
    }
}

impl Actor for Log {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Push(n) => self.seen.push(n),
            Msg::Get(reply) => {
                let _ = reply.send(self.seen.clone());
            }
        }
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        if let Some(tx) = self.on_stop.take() {
            let _ = tx.send((std::mem::take(&mut self.seen), reason.to_string()));
        }
    }
}

#[tokio::test]
async fn ask_after_tells_sees_them_in_order() {
    let system = System::new();
    let log = system.spawn(Log::new()).await.unwrap();
    for n in 0..100 {
        log.tell(Msg::Push(n)).await.unwrap();
    }
    // A tuple variant taking the reply port is the request builder.
    let seen = log.ask(Msg::Get).await.unwrap();
    assert_eq!(seen, (0..100).collect::<Vec<_>>());
    assert!(system.shutdown().await.is_clean());
}

#[tokio::test]
async fn recipient_tells_and_asks_through_from() {
    let system = System::new();
    let log = system.spawn(Log::new()).await.unwrap();
    let numbers: Recipient<u32> = log.recipient();
    let snapshots: Recipient<Snapshot> = log.recipient();
    assert_eq!(numbers.id(), log.id());
    assert_eq!(snapshots.id(), log.id());

    numbers.tell(1).await.unwrap();
    numbers.try_tell(2).unwrap();
    log.tell(Msg::Push(3)).await.unwrap();
    numbers.tell(4).await.unwrap();

    assert_eq!(snapshots.ask(Snapshot).await.unwrap(), vec![1, 2, 3, 4]);
    assert!(system.shutdown().await.is_clean());
}

#[tokio::test]
async fn weak_ref_upgrades_only_while_a_strong_handle_lives() {
    let system = System::new();
    let (tx, rx) = oneshot::channel();
    let log = system
        .spawn(Log {
            seen: Vec::new(),
            on_stop: Some(tx),
        })
        .await
        .unwrap();
    let weak = log.downgrade();

    let upgraded = weak.upgrade().expect("a strong handle is alive");
    assert_eq!(upgraded, log);
    upgraded.tell(Msg::Push(7)).await.unwrap();
    drop(upgraded);
    // Dropping a clone leaves the actor reachable.
    assert_eq!(weak.upgrade().unwrap().ask(Msg::Get).await.unwrap(), vec![7]);

    drop(log);
    assert!(
        weak.upgrade().is_none(),
        "a weak handle must not reopen the mailbox"
    );
    let (seen, reason) = rx.await.unwrap();
    assert_eq!(seen, vec![7]);
    assert_eq!(reason, "normal");
}

#[tokio::test]
async fn dropping_last_ref_drains_the_queue_then_stops_normally() {
    let system = System::new();
    let (tx, rx) = oneshot::channel();
    let log = system
        .spawn(Log {
            seen: Vec::new(),
            on_stop: Some(tx),
        })
        .await
        .unwrap();
    let numbers: Recipient<u32> = log.recipient();
    for n in 0..50 {
        log.tell(Msg::Push(n)).await.unwrap();
    }
    drop(log);
    // The recipient is a strong handle too: the actor keeps accepting.
    for n in 50..100 {
        numbers.tell(n).await.unwrap();
    }
    // On this single-threaded runtime the actor has not run yet, so the
    // whole queue is still waiting when the last handle goes.
    assert_eq!(numbers.mailbox_len(), 100);
    drop(numbers);

    let (seen, reason) = rx.await.unwrap();
    assert_eq!(
        seen,
        (0..100).collect::<Vec<_>>(),
        "queued messages are handled before stopping"
    );
    assert_eq!(reason, "normal");
    assert_eq!(system.dead_letters(), 0);
}
