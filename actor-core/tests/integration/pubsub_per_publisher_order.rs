//! Promise: with several publishers on one topic, every subscriber receives
//! each publisher's messages in the order that publisher published them,
//! all of them with `publish` (3 publishers x 1,000 messages, subscribers
//! with small bounded, tiny bounded and unbounded mailboxes), and a
//! gap-tolerant but still ordered subsequence with `try_publish`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actor_core::Topic;
use actor_core::prelude::*;

const PUBLISHERS: usize = 3;
const PER_PUBLISHER: u32 = 1_000;

#[derive(Clone, Copy, Debug)]
struct Tick {
    publisher: usize,
    seq: u32,
}

enum Msg {
    Tick(Tick),
    Log(ReplyPort<Vec<Tick>>),
}

impl From<Tick> for Msg {
    fn from(tick: Tick) -> Self {
        Msg::Tick(tick)
    }
}

#[derive(Default)]
struct Recorder(Vec<Tick>);

impl Actor for Recorder {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Tick(tick) => self.0.push(tick),
            Msg::Log(reply) => {
                let _ = reply.send(std::mem::take(&mut self.0));
            }
        }
        Ok(())
    }
}

async fn subscribers(system: &System, topic: &Topic<Tick>) -> Vec<ActorRef<Recorder>> {
    let mut all = Vec::new();
    for mailbox in [
        MailboxKind::Bounded(4),
        MailboxKind::Bounded(1),
        MailboxKind::Unbounded,
    ] {
        let options = SpawnOptions::new().mailbox(mailbox);
        let recorder = system.spawn_with(Recorder::default(), options).await.unwrap();
        topic.subscribe(&recorder);
        all.push(recorder);
    }
    all
}

/// Each publisher's sequence numbers as the subscriber saw them.
fn per_publisher(log: &[Tick]) -> Vec<Vec<u32>> {
    let mut seen = vec![Vec::new(); PUBLISHERS];
    for tick in log {
        seen[tick.publisher].push(tick.seq);
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn publish_keeps_each_publishers_order_and_loses_nothing() {
    let system = System::new();
    let topic = Topic::<Tick>::new();
    let subscribers = subscribers(&system, &topic).await;

    let publishers: Vec<_> = (0..PUBLISHERS)
        .map(|publisher| {
            let topic = topic.clone();
            tokio::spawn(async move {
                for seq in 0..PER_PUBLISHER {
                    let report = topic.publish(Tick { publisher, seq }).await;
                    assert_eq!(report.delivered, 3);
                }
            })
        })
        .collect();
    for publisher in publishers {
        publisher.await.unwrap();
    }

    let expected: Vec<u32> = (0..PER_PUBLISHER).collect();
    for subscriber in &subscribers {
        let log = subscriber.ask(Msg::Log).await.unwrap();
        assert_eq!(log.len(), PUBLISHERS * PER_PUBLISHER as usize);
        for seqs in per_publisher(&log) {
            assert_eq!(seqs, expected);
        }
    }
    system.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn try_publish_may_skip_but_never_reorders() {
    let system = System::new();
    let topic = Topic::<Tick>::new();
    let subscribers = subscribers(&system, &topic).await;

    let publishers: Vec<_> = (0..PUBLISHERS)
        .map(|publisher| {
            let topic = topic.clone();
            tokio::spawn(async move {
                let mut delivered = 0;
                for seq in 0..PER_PUBLISHER {
                    let report = topic.try_publish(Tick { publisher, seq });
                    assert_eq!(report.delivered + report.full, 3);
                    delivered += report.delivered;
                    tokio::task::yield_now().await;
                }
                delivered
            })
        })
        .collect();
    let mut delivered = 0;
    for publisher in publishers {
        delivered += publisher.await.unwrap();
    }

    let mut received = 0;
    for subscriber in &subscribers {
        let log = subscriber.ask(Msg::Log).await.unwrap();
        received += log.len();
        for seqs in per_publisher(&log) {
            assert!(
                seqs.windows(2).all(|pair| pair[0] < pair[1]),
                "reordered: {seqs:?}"
            );
        }
    }
    assert_eq!(received, delivered, "the reports count exactly what arrived");
    system.shutdown().await;
}
