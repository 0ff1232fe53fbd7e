//! Promise: routing costs no allocation. On warm workers, 10,000 tells
//! through a pool, round-robin, least-loaded or keyed, allocate nothing per
//! message: a handful of allocation events at most over the whole run, like
//! a plain `ActorRef::tell` (see `tell_allocations.rs`).
//!
//! Counted with a global allocator from `stats_alloc`; the counters are
//! process-wide, so this file holds a single test on one single-threaded
//! runtime.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::alloc::System as SystemAllocator;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use actor_core::pool::{Pool, PoolRef, Routing};
use actor_core::prelude::*;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<SystemAllocator> = &INSTRUMENTED_SYSTEM;

const ROUNDS: u64 = 100;
const BATCH: u64 = 100;
const TELLS: u64 = ROUNDS * BATCH;
/// Allocation events tolerated over a whole measurement: runtime bookkeeping
/// that is not per message.
const SLACK: u64 = 8;

struct Counter(Arc<AtomicU64>);

impl Actor for Counter {
    type Msg = u64;

    async fn handle(&mut self, _n: u64, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

#[derive(Clone, Copy, Debug)]
enum How {
    Routed(Routing),
    Keyed,
}

async fn pool(system: &System, routing: Routing, handled: &Arc<AtomicU64>) -> PoolRef<Counter> {
    let handled = Arc::clone(handled);
    Pool::builder(4, move |_| Counter(Arc::clone(&handled)))
        .routing(routing)
        .mailbox(MailboxKind::Bounded(1024))
        .spawn(system)
        .await
        .unwrap()
}

/// Sends `TELLS` messages in rounds of `BATCH`, letting the workers drain
/// each round.
async fn tell_rounds(pool: &PoolRef<Counter>, how: How, handled: &AtomicU64) {
    for _ in 0..ROUNDS {
        let target = handled.load(Ordering::Relaxed) + BATCH;
        for n in 0..BATCH {
            match how {
                How::Routed(_) => pool.tell(n).await.unwrap(),
                How::Keyed => pool.tell_keyed(&n, n).await.unwrap(),
            }
        }
        while handled.load(Ordering::Relaxed) < target {
            tokio::task::yield_now().await;
        }
    }
}

/// Allocation events of a warm run (the first run warms up).
async fn measure(system: &System, how: How) -> u64 {
    let handled = Arc::new(AtomicU64::new(0));
    let routing = match how {
        How::Routed(routing) => routing,
        How::Keyed => Routing::RoundRobin,
    };
    let pool = pool(system, routing, &handled).await;
    tell_rounds(&pool, how, &handled).await;
    let region = Region::new(GLOBAL);
    tell_rounds(&pool, how, &handled).await;
    let change = region.change();
    (change.allocations + change.reallocations) as u64
}

#[tokio::test(flavor = "current_thread")]
async fn routed_tells_allocate_nothing_per_message() {
    let system = System::new();
    for how in [
        How::Routed(Routing::RoundRobin),
        How::Routed(Routing::LeastLoaded),
        How::Keyed,
    ] {
        let events = measure(&system, how).await;
        eprintln!("{how:?}: {events} allocation events over {TELLS} tells");
        assert!(
            events <= SLACK,
            "{how:?}: {events} allocation events over {TELLS} tells"
        );
    }
    system.shutdown().await;
}
