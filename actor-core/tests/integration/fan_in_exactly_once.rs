//! Promise: under contention from many senders on several threads, every
//! message is delivered exactly once and each sender's messages arrive in the
//! order it sent them (FIFO per sender), with a bounded or an unbounded
//! mailbox.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use actor_core::prelude::*;

const SENDERS: usize = 8;
const PER_SENDER: u32 = 125_000;

enum Msg {
    Tagged { sender: usize, seq: u32 },
    Summary(ReplyPort<Summary>),
}

#[derive(Clone, Debug, Default)]
struct Summary {
    /// Per sender: the next sequence number expected (= count received in order).
    next: Vec<u32>,
    total: u64,
    /// Messages that were not exactly the next one expected from their sender.
    out_of_order: u64,
    first_violation: Option<(usize, u32, u32)>,
}

struct Collector(Summary);

impl Actor for Collector {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let s = &mut self.0;
        match msg {
            Msg::Tagged { sender, seq } => {
                s.total += 1;
                let expected = s.next[sender];
                if seq == expected {
                    s.next[sender] = expected + 1;
                } else {
                    s.out_of_order += 1;
                    s.first_violation.get_or_insert((sender, expected, seq));
                }
            }
            Msg::Summary(reply) => {
                let _ = reply.send(s.clone());
            }
        }
        Ok(())
    }
}

async fn fan_in(kind: MailboxKind) {
    let system = System::new();
    let collector = Collector(Summary {
        next: vec![0; SENDERS],
        ..Summary::default()
    });
    let actor = system
        .spawn_with(collector, SpawnOptions::new().mailbox(kind))
        .await
        .unwrap();

    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let actor = actor.clone();
            tokio::spawn(async move {
                for seq in 0..PER_SENDER {
                    actor.tell(Msg::Tagged { sender, seq }).await.unwrap();
                }
            })
        })
        .collect();
    for task in senders {
        task.await.unwrap();
    }

    // Every tell has been accepted; the summary request queues behind them.
    // The generous timeout only covers a slow debug build draining an
    // unbounded backlog.
    let summary = actor
        .ask_timeout(Msg::Summary, Duration::from_secs(120))
        .await
        .unwrap();
    assert_eq!(
        summary.out_of_order, 0,
        "first violation (sender, expected, got): {:?}",
        summary.first_violation
    );
    assert_eq!(
        summary.next,
        vec![PER_SENDER; SENDERS],
        "every message, in order, per sender"
    );
    assert_eq!(
        summary.total,
        SENDERS as u64 * u64::from(PER_SENDER),
        "no duplicates"
    );
    assert!(system.shutdown().await.is_clean());
    assert_eq!(system.dead_letters(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bounded_mailbox_delivers_each_message_once_in_sender_order() {
    fan_in(MailboxKind::Bounded(1024)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unbounded_mailbox_delivers_each_message_once_in_sender_order() {
    fan_in(MailboxKind::Unbounded).await;
}
