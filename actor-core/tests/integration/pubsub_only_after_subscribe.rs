//! Promise: a subscriber gets exactly the messages published after its
//! `subscribe` returned: none from before, and — once it has one message
//! from a publisher — every later one from that publisher, in order, with
//! no gap, even when it subscribes while the publisher is running.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::recorder::{Msg, Recorder};
use actor_core::Topic;
use actor_core::prelude::*;
use tokio::sync::oneshot;

async fn recorder(system: &System) -> ActorRef<Recorder> {
    let options = SpawnOptions::new().mailbox(MailboxKind::Bounded(16));
    system.spawn_with(Recorder::default(), options).await.unwrap()
}

const N: u32 = 2_000;

#[tokio::test]
async fn a_subscriber_gets_exactly_what_is_published_after_it_subscribed() {
    let system = System::new();
    let topic = Topic::<u32>::new();
    let early = recorder(&system).await;
    topic.subscribe(&early);

    // The publisher pauses after publishing 0..N/2; the late subscriber
    // joins during the pause.
    let (paused_tx, paused) = oneshot::channel();
    let (resume, resume_rx) = oneshot::channel::<()>();
    let publisher = tokio::spawn({
        let topic = topic.clone();
        async move {
            for n in 0..N / 2 {
                topic.publish(n).await;
            }
            paused_tx.send(()).unwrap();
            resume_rx.await.unwrap();
            for n in N / 2..N {
                topic.publish(n).await;
            }
        }
    });
    paused.await.unwrap();
    let late = recorder(&system).await;
    assert!(topic.subscribe(&late.recipient::<u32>()));
    resume.send(()).unwrap();
    publisher.await.unwrap();

    assert_eq!(early.ask(Msg::Log).await.unwrap(), (0..N).collect::<Vec<_>>());
    assert_eq!(late.ask(Msg::Log).await.unwrap(), (N / 2..N).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn subscribing_mid_stream_gives_a_gapless_suffix() {
    let system = System::new();
    let topic = Topic::<u32>::new();
    let early = recorder(&system).await;
    topic.subscribe(&early);

    let (halfway_tx, halfway) = oneshot::channel();
    let publisher = tokio::spawn({
        let topic = topic.clone();
        async move {
            let mut halfway_tx = Some(halfway_tx);
            for n in 0..N {
                topic.publish(n).await;
                if n == N / 2 {
                    halfway_tx.take().unwrap().send(()).unwrap();
                }
            }
        }
    });
    // Subscribes while the publisher keeps going (no pause this time).
    halfway.await.unwrap();
    let late = recorder(&system).await;
    topic.subscribe(&late);
    publisher.await.unwrap();

    let seen = late.ask(Msg::Log).await.unwrap();
    let first = seen.first().copied().unwrap_or(N);
    assert!(
        first > N / 2,
        "nothing published before the subscription: {first}"
    );
    assert_eq!(seen, (first..N).collect::<Vec<_>>(), "in order, without a gap");
    assert_eq!(early.ask(Msg::Log).await.unwrap(), (0..N).collect::<Vec<_>>());
}
