//! Promise: the per-message path costs no more heap than a hand-written tokio
//! channel actor. On a warm mailbox (bounded or unbounded) a `tell` allocates
//! no more than a raw `tokio::sync::mpsc` send of the same message, which is
//! zero per message once warm; an `ask` allocates no more than a raw
//! mpsc + oneshot round trip (one oneshot per request).
//!
//! Counted with a global allocator from `stats_alloc` (no `unsafe` here: the
//! workspace forbids it). The counters are process-wide, so this file holds a
//! single test and runs everything on one single-threaded runtime; each
//! figure covers the whole path, sender and receiver side.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::alloc::System as SystemAllocator;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use actor_core::prelude::*;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use tokio::sync::{mpsc, oneshot};

#[global_allocator]
static GLOBAL: &StatsAlloc<SystemAllocator> = &INSTRUMENTED_SYSTEM;

/// Messages per tell measurement, sent in rounds the receiver drains in between.
const ROUNDS: u64 = 100;
const BATCH: u64 = 100;
const TELLS: u64 = ROUNDS * BATCH;
const ASKS: u64 = 1_000;
/// Allocation events tolerated over a whole measurement beyond the floor's:
/// runtime bookkeeping that is not per message (e.g. a scheduler queue growing once).
const SLACK: u64 = 8;

enum Msg {
    Add(u64),
    Get(ReplyPort<u64>),
}

impl From<u64> for Msg {
    fn from(n: u64) -> Self {
        Msg::Add(n)
    }
}

enum RawMsg {
    Add(u64),
    Get(oneshot::Sender<u64>),
}

struct Counter {
    total: u64,
    handled: Arc<AtomicU64>,
}

impl Actor for Counter {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Add(n) => self.total += n,
            Msg::Get(reply) => {
                let _ = reply.send(self.total);
            }
        }
        self.handled.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// The floor: a hand-written actor on a tokio channel, doing the same work.
fn spawn_raw(mut rx: impl RawReceiver + 'static, handled: Arc<AtomicU64>) {
    tokio::spawn(async move {
        let mut total = 0;
        while let Some(msg) = rx.recv().await {
            match msg {
                RawMsg::Add(n) => total += n,
                RawMsg::Get(reply) => {
                    let _ = reply.send(total);
                }
            }
            handled.fetch_add(1, Ordering::Relaxed);
        }
    });
}

trait RawReceiver: Send {
    fn recv(&mut self) -> impl Future<Output = Option<RawMsg>> + Send;
}

impl RawReceiver for mpsc::Receiver<RawMsg> {
    async fn recv(&mut self) -> Option<RawMsg> {
        mpsc::Receiver::recv(self).await
    }
}

impl RawReceiver for mpsc::UnboundedReceiver<RawMsg> {
    async fn recv(&mut self) -> Option<RawMsg> {
        mpsc::UnboundedReceiver::recv(self).await
    }
}

/// Allocation events (allocations + reallocations) and bytes.
#[derive(Clone, Copy, Debug)]
struct Cost {
    events: u64,
    bytes: u64,
}

impl Cost {
    fn per(self, ops: u64) -> f64 {
        self.events as f64 / ops as f64
    }
}

/// Runs `work` twice, the first time to warm up, and counts the second.
async fn measure<F: AsyncFnMut()>(mut work: F) -> Cost {
    work().await;
    let region = Region::new(GLOBAL);
    work().await;
    let change = region.change();
    Cost {
        events: (change.allocations + change.reallocations) as u64,
        bytes: change.bytes_allocated as u64,
    }
}

/// Sends `TELLS` messages in rounds of `BATCH`, letting the receiver drain
/// each round (this task yields until `handled` catches up).
async fn tell_rounds<F: AsyncFnMut(u64)>(send: &mut F, handled: &AtomicU64) {
    for _ in 0..ROUNDS {
        let target = handled.load(Ordering::Relaxed) + BATCH;
        for n in 0..BATCH {
            send(n).await;
        }
        while handled.load(Ordering::Relaxed) < target {
            tokio::task::yield_now().await;
        }
    }
}

async fn actor_tell(system: &System, kind: MailboxKind) -> Cost {
    let handled = Arc::new(AtomicU64::new(0));
    let counter = Counter {
        total: 0,
        handled: Arc::clone(&handled),
    };
    let actor = system
        .spawn_with(counter, SpawnOptions::new().mailbox(kind))
        .await
        .unwrap();
    let mut send = async |n| actor.tell(Msg::Add(n)).await.unwrap();
    measure(async || tell_rounds(&mut send, &handled).await).await
}

/// The type-erased path: a `Recipient<u64>` converting into `Msg`.
async fn recipient_tell(system: &System) -> Cost {
    let handled = Arc::new(AtomicU64::new(0));
    let counter = Counter {
        total: 0,
        handled: Arc::clone(&handled),
    };
    let recipient: Recipient<u64> = system.spawn(counter).await.unwrap().recipient();
    let mut send = async |n| recipient.tell(n).await.unwrap();
    measure(async || tell_rounds(&mut send, &handled).await).await
}

async fn raw_tell_bounded() -> Cost {
    let handled = Arc::new(AtomicU64::new(0));
    let (tx, rx) = mpsc::channel(1024);
    spawn_raw(rx, Arc::clone(&handled));
    let mut send = async |n| tx.send(RawMsg::Add(n)).await.unwrap();
    measure(async || tell_rounds(&mut send, &handled).await).await
}

async fn raw_tell_unbounded() -> Cost {
    let handled = Arc::new(AtomicU64::new(0));
    let (tx, rx) = mpsc::unbounded_channel();
    spawn_raw(rx, Arc::clone(&handled));
    let mut send = async |n| tx.send(RawMsg::Add(n)).unwrap();
    measure(async || tell_rounds(&mut send, &handled).await).await
}

async fn actor_ask(system: &System) -> Cost {
    let counter = Counter {
        total: 0,
        handled: Arc::new(AtomicU64::new(0)),
    };
    let actor = system.spawn(counter).await.unwrap();
    measure(async || {
        for _ in 0..ASKS {
            actor.ask(Msg::Get).await.unwrap();
        }
    })
    .await
}

async fn raw_ask() -> Cost {
    let (tx, rx) = mpsc::channel(1024);
    spawn_raw(rx, Arc::new(AtomicU64::new(0)));
    measure(async || {
        for _ in 0..ASKS {
            let (reply_tx, reply_rx) = oneshot::channel();
            tx.send(RawMsg::Get(reply_tx)).await.unwrap();
            reply_rx.await.unwrap();
        }
    })
    .await
}

fn report(what: &str, ops: u64, ours: Cost, floor: Cost) {
    eprintln!(
        "{what}: actor-core {:.4} allocs/op ({} events, {} B) vs raw tokio {:.4} allocs/op ({} events, {} B) over {ops} ops",
        ours.per(ops),
        ours.events,
        ours.bytes,
        floor.per(ops),
        floor.events,
        floor.bytes,
    );
}

#[tokio::test]
async fn warm_tell_and_ask_allocate_no_more_than_raw_tokio_channels() {
    let system = System::new();
    let bounded = actor_tell(&system, MailboxKind::Bounded(1024)).await;
    let unbounded = actor_tell(&system, MailboxKind::Unbounded).await;
    let recipient = recipient_tell(&system).await;
    let raw_bounded = raw_tell_bounded().await;
    let raw_unbounded = raw_tell_unbounded().await;
    let ask = actor_ask(&system).await;
    let raw_ask = raw_ask().await;
    system.shutdown().await;

    report("tell, bounded(1024)", TELLS, bounded, raw_bounded);
    report("tell, unbounded", TELLS, unbounded, raw_unbounded);
    report("tell via Recipient, bounded(1024)", TELLS, recipient, raw_bounded);
    report("ask round trip", ASKS, ask, raw_ask);

    assert!(
        bounded.events <= raw_bounded.events + SLACK,
        "bounded tell: {bounded:?} vs floor {raw_bounded:?}"
    );
    assert!(
        recipient.events <= raw_bounded.events + SLACK,
        "recipient tell: {recipient:?} vs floor {raw_bounded:?}"
    );
    assert!(
        unbounded.events <= raw_unbounded.events + SLACK,
        "unbounded tell: {unbounded:?} vs floor {raw_unbounded:?}"
    );
    // Warm tells allocate nothing per message: a handful of events at most
    // over ten thousand messages.
    assert!(bounded.events <= SLACK && unbounded.events <= SLACK && recipient.events <= SLACK);
    // An ask allocates its reply channel, like the floor, and nothing more.
    assert!(
        ask.events <= raw_ask.events + SLACK,
        "ask: {ask:?} vs floor {raw_ask:?}"
    );
}
