//! Promise: least-loaded routing sends each message to the worker with the
//! fewest queued messages, so uneven queues even out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::gated::{Gated, Msg, hold};
use actor_core::pool::{Pool, PoolRef, Routing};
use actor_core::prelude::*;
use tokio::sync::oneshot;

/// Parks every worker inside a handler, so queues only grow; dropping the
/// returned senders releases them.
async fn hold_all(pool: &PoolRef<Gated>) -> Vec<oneshot::Sender<()>> {
    let mut gates = Vec::new();
    for worker in pool.workers() {
        gates.push(hold(worker).await);
    }
    gates
}

fn lens(pool: &PoolRef<Gated>) -> Vec<usize> {
    pool.workers().iter().map(ActorRef::mailbox_len).collect()
}

#[tokio::test]
async fn messages_go_to_the_shortest_queue() {
    let system = System::new();
    let pool = Pool::builder(3, |_| Gated::default())
        .routing(Routing::LeastLoaded)
        .mailbox(MailboxKind::Bounded(16))
        .spawn(&system)
        .await
        .unwrap();
    let gates = hold_all(&pool).await;

    // Uneven queues, filled past the pool: 3, 1, 0.
    for n in 0..3 {
        pool.workers()[0].tell(Msg::Item(n)).await.unwrap();
    }
    pool.workers()[1].tell(Msg::Item(3)).await.unwrap();
    assert_eq!(lens(&pool), [3, 1, 0]);

    pool.tell(Msg::Item(100)).await.unwrap();
    assert_eq!(lens(&pool), [3, 1, 1], "the empty queue first");
    pool.tell(Msg::Item(101)).await.unwrap();
    pool.tell(Msg::Item(102)).await.unwrap();
    assert_eq!(lens(&pool), [3, 2, 2], "then the shorter ones, one each");
    pool.tell(Msg::Item(103)).await.unwrap();
    pool.tell(Msg::Item(104)).await.unwrap();
    assert_eq!(
        lens(&pool),
        [3, 3, 3],
        "the longest queue got nothing until all were even"
    );
    for n in 105..111 {
        pool.tell(Msg::Item(n)).await.unwrap();
    }
    assert_eq!(lens(&pool), [5, 5, 5], "even queues take turns");

    drop(gates);
    let seen = pool.workers()[2].ask(Msg::Seen).await.unwrap();
    assert_eq!(seen[0], 100, "worker 2 had the shortest queue when 100 was sent");
    system.shutdown().await;
}
