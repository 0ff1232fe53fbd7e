//! `#[actor]` costs no heap per message beyond the hand-written path: a
//! tell through the generated handle allocates no more than
//! `ActorRef::tell` of a hand-written enum (zero once warm), the dispatch
//! `match` boxes nothing, and an ask of a value handler allocates what
//! `ActorRef::ask` does (its reply channel). The one extra allocation is
//! `.ask()` of a handler that returns nothing: its variant has no reply
//! field (so its tells stay small), and the ask boxes the message with the
//! port. This test pins all three so a regression shows.
//!
//! Counted with `stats_alloc`'s global allocator, process-wide, so this file
//! holds a single test on a single-threaded runtime.

#![allow(clippy::print_stderr)]

use std::alloc::System as SystemAllocator;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use actor_core::prelude::*;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<SystemAllocator> = &INSTRUMENTED_SYSTEM;

const ROUNDS: u64 = 100;
const BATCH: u64 = 100;
const ASKS: u64 = 1_000;
/// Allocation events tolerated beyond the floor over a whole measurement.
const SLACK: u64 = 8;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Written with the macro.
#[derive(Debug)]
pub struct Generated {
    total: u64,
    handled: Arc<AtomicU64>,
}

#[actor]
impl Generated {
    /// Adds `n`.
    #[handler]
    pub fn add(&mut self, n: u64) {
        self.total += n;
        self.handled.fetch_add(1, Ordering::Relaxed);
    }

    /// The total.
    #[handler]
    pub fn get(&self) -> u64 {
        self.total
    }
}

/// The floor: the same actor, enum and match written by hand.
#[derive(Debug)]
pub struct HandWritten {
    total: u64,
    handled: Arc<AtomicU64>,
}

/// `HandWritten`'s messages.
#[derive(Debug)]
pub enum HandMsg {
    /// Adds.
    Add(u64),
    /// Reads.
    Get(ReplyPort<u64>),
}

impl Actor for HandWritten {
    type Msg = HandMsg;

    async fn handle(&mut self, msg: HandMsg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            HandMsg::Add(n) => {
                self.total += n;
                self.handled.fetch_add(1, Ordering::Relaxed);
            }
            HandMsg::Get(reply) => {
                let _ = reply.send(self.total);
            }
        }
        Ok(())
    }
}

/// Allocation events (allocations and reallocations) of the second of two
/// runs of `work` (the first warms up).
async fn measure<F: AsyncFnMut() -> TestResult>(mut work: F) -> Result<u64, Box<dyn std::error::Error>> {
    work().await?;
    let region = Region::new(GLOBAL);
    work().await?;
    let change = region.change();
    Ok((change.allocations + change.reallocations) as u64)
}

/// Tells `ROUNDS * BATCH` messages, letting the actor drain each round.
async fn tell_rounds<F: AsyncFnMut(u64) -> TestResult>(send: &mut F, handled: &AtomicU64) -> TestResult {
    for _ in 0..ROUNDS {
        let target = handled.load(Ordering::Relaxed) + BATCH;
        for n in 0..BATCH {
            send(n).await?;
        }
        while handled.load(Ordering::Relaxed) < target {
            tokio::task::yield_now().await;
        }
    }
    Ok(())
}

#[tokio::test]
async fn the_generated_path_allocates_like_the_hand_written_one() -> TestResult {
    let system = System::new();
    let handled = Arc::new(AtomicU64::new(0));
    let generated = system
        .spawn(Generated {
            total: 0,
            handled: Arc::clone(&handled),
        })
        .await?;
    let hand_handled = Arc::new(AtomicU64::new(0));
    let hand = system
        .spawn(HandWritten {
            total: 0,
            handled: Arc::clone(&hand_handled),
        })
        .await?;

    let mut send = async |n| Ok(generated.add(n).await?);
    let macro_tell = measure(async || tell_rounds(&mut send, &handled).await).await?;
    let mut send = async |n| Ok(hand.tell(HandMsg::Add(n)).await?);
    let hand_tell = measure(async || tell_rounds(&mut send, &hand_handled).await).await?;

    let macro_ask = measure(async || {
        for _ in 0..ASKS {
            generated.get().await?;
        }
        Ok(())
    })
    .await?;
    let macro_unit_ask = measure(async || {
        for n in 0..ASKS {
            generated.add(n).ask().await?;
        }
        Ok(())
    })
    .await?;
    let hand_ask = measure(async || {
        for _ in 0..ASKS {
            hand.ask(HandMsg::Get).await?;
        }
        Ok(())
    })
    .await?;
    system.shutdown().await;

    eprintln!(
        "tell: generated {macro_tell} vs hand-written {hand_tell} events over {} tells",
        ROUNDS * BATCH
    );
    eprintln!("ask: generated {macro_ask} vs hand-written {hand_ask} events over {ASKS} asks");
    eprintln!("ask of a unit handler: generated {macro_unit_ask} events over {ASKS} asks");
    assert!(
        macro_tell <= hand_tell + SLACK,
        "tell: {macro_tell} vs {hand_tell}"
    );
    assert!(macro_ask <= hand_ask + SLACK, "ask: {macro_ask} vs {hand_ask}");
    assert!(
        macro_unit_ask <= hand_ask + ASKS + SLACK,
        "ask of a unit handler: {macro_unit_ask} vs {hand_ask} + one box per ask"
    );
    Ok(())
}
