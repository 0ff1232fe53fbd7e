//! Promise: a broadcast costs no heap per delivered message beyond what a
//! `tell` costs (nothing, on a warm mailbox) and the clone of the user's
//! message: broadcasting a `u64` to 8 members, 10,000 times, waiting or
//! not, allocates no more than a handful of times in all.
//!
//! Counted with a global allocator from `stats_alloc`; the counters are
//! process-wide, so this file holds a single test on one single-threaded
//! runtime.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::alloc::System as SystemAllocator;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use actor_core::Group;
use actor_core::prelude::*;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<SystemAllocator> = &INSTRUMENTED_SYSTEM;

const MEMBERS: u64 = 8;
const ROUNDS: u64 = 100;
const BATCH: u64 = 100;
/// Allocation events tolerated over a whole measurement: runtime bookkeeping
/// that is not per message (e.g. a scheduler queue growing once).
const SLACK: u64 = 8;

struct Counter {
    handled: Arc<AtomicU64>,
}

impl Actor for Counter {
    type Msg = u64;

    async fn handle(&mut self, _: u64, _: &mut Context<Self>) -> Result<(), BoxError> {
        self.handled.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Broadcasts `ROUNDS * BATCH` messages, letting the members drain each
/// round; returns the allocation events of the second of two runs.
async fn measure(group: &Group<u64>, handled: &AtomicU64, waiting: bool) -> u64 {
    let run = async || {
        for _ in 0..ROUNDS {
            let target = handled.load(Ordering::Relaxed) + BATCH * MEMBERS;
            for n in 0..BATCH {
                let report = if waiting {
                    group.broadcast(n).await
                } else {
                    group.try_broadcast(n)
                };
                assert_eq!(report.delivered as u64, MEMBERS);
            }
            while handled.load(Ordering::Relaxed) < target {
                tokio::task::yield_now().await;
            }
        }
    };
    run().await;
    let region = Region::new(GLOBAL);
    run().await;
    let change = region.change();
    (change.allocations + change.reallocations) as u64
}

#[tokio::test]
async fn warm_broadcasts_allocate_nothing_per_message() {
    let system = System::new();
    let handled = Arc::new(AtomicU64::new(0));
    let group = Group::<u64>::new();
    let mut members = Vec::new();
    for i in 0..MEMBERS {
        let mailbox = if i % 2 == 0 {
            MailboxKind::Bounded(1024)
        } else {
            MailboxKind::Unbounded
        };
        let counter = Counter {
            handled: Arc::clone(&handled),
        };
        let member = system
            .spawn_with(counter, SpawnOptions::new().mailbox(mailbox))
            .await
            .unwrap();
        group.join(&member);
        members.push(member);
    }

    let waiting = measure(&group, &handled, true).await;
    let trying = measure(&group, &handled, false).await;
    let deliveries = ROUNDS * BATCH * MEMBERS;
    eprintln!("broadcast: {waiting} allocation events over {deliveries} deliveries");
    eprintln!("try_broadcast: {trying} allocation events over {deliveries} deliveries");
    assert!(waiting <= SLACK, "broadcast allocated {waiting} times");
    assert!(trying <= SLACK, "try_broadcast allocated {trying} times");
    system.shutdown().await;
}
