//! Promise: a pool pushes back. Each worker's mailbox is bounded; a `tell`
//! routed to a full worker waits until that worker makes room (`try_tell`
//! gives the message back instead), and with least-loaded routing a sender
//! waits only when every worker is full.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

use crate::common::gated::{Gated, Msg, hold};
use actor_core::pool::{Pool, PoolRef, Routing};
use actor_core::prelude::*;

async fn pool(system: &System, routing: Routing) -> PoolRef<Gated> {
    Pool::builder(2, |_| Gated::default())
        .routing(routing)
        .mailbox(MailboxKind::Bounded(2))
        .spawn(system)
        .await
        .unwrap()
}

/// Polls `fut` once, from this task.
async fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    poll_fn(|cx| Poll::Ready(std::pin::Pin::new(&mut *fut).poll(cx))).await
}

#[tokio::test]
async fn a_tell_to_a_full_worker_waits_for_room() {
    let system = System::new();
    let pool = pool(&system, Routing::RoundRobin).await;
    let gate_0 = hold(&pool.workers()[0]).await;
    let gate_1 = hold(&pool.workers()[1]).await;
    for n in 0..4 {
        pool.tell(Msg::Item(n)).await.unwrap(); // two each: both full
    }

    // Worker 0's turn, and it is full: `try_tell` gives the message back.
    let full = pool.try_tell(Msg::Item(4)).unwrap_err();
    assert!(full.is_full());
    // Worker 1's turn: `tell` waits.
    let mut waiting = pin!(pool.tell(Msg::Item(5)));
    assert!(
        poll_once(&mut waiting).await.is_pending(),
        "tell waits while the worker is full"
    );
    assert_eq!(pool.queued(), 4, "nothing past the bound");

    // Worker 0 making room does not help: the message is routed to worker 1.
    drop(gate_0);
    assert_eq!(pool.workers()[0].ask(Msg::Seen).await.unwrap(), [0, 2]);
    assert!(poll_once(&mut waiting).await.is_pending());

    drop(gate_1);
    waiting.await.unwrap();
    pool.tell(full.into_inner()).await.unwrap();
    assert_eq!(pool.workers()[1].ask(Msg::Seen).await.unwrap(), [1, 3, 5]);
    assert_eq!(pool.workers()[0].ask(Msg::Seen).await.unwrap(), [0, 2, 4]);
    system.shutdown().await;
}

#[tokio::test]
async fn least_loaded_waits_only_when_every_worker_is_full() {
    let system = System::new();
    let pool = pool(&system, Routing::LeastLoaded).await;
    let gate_0 = hold(&pool.workers()[0]).await;
    let gate_1 = hold(&pool.workers()[1]).await;
    for n in 0..3 {
        pool.tell(Msg::Item(n)).await.unwrap();
    }
    assert_eq!(pool.queued(), 3, "one slot left, on some worker");
    pool.try_tell(Msg::Item(3)).unwrap(); // finds it
    assert!(
        pool.try_tell(Msg::Item(4)).unwrap_err().is_full(),
        "every worker is full"
    );

    let mut waiting = pin!(pool.tell(Msg::Item(4)));
    assert!(poll_once(&mut waiting).await.is_pending());
    drop((gate_0, gate_1));
    waiting.await.unwrap();

    let mut seen = pool.workers()[0].ask(Msg::Seen).await.unwrap();
    seen.extend(pool.workers()[1].ask(Msg::Seen).await.unwrap());
    seen.sort_unstable();
    assert_eq!(seen, [0, 1, 2, 3, 4]);
    system.shutdown().await;
}
