//! A barrier and a semaphore as plain actors, not new locks.
//!
//! Shows three ways to coordinate tasks with nothing but messages:
//!
//! - **Barrier**: an actor that keeps the reply ports of the first N-1
//!   waiters and answers them all when the N-th arrives. Each waiter simply
//!   asks and gets its answer when everyone is there; the barrier then starts
//!   the next generation, so it can be reused round after round. Four
//!   runners meet at it three times.
//! - **Semaphore**: a permit actor. Acquiring is an ask answered when a
//!   permit is free (first come, first served); the [`Permit`] guard gives
//!   it back with a tell when dropped. An acquire that times out leaks
//!   nothing: a permit granted to an asker who already gave up is dropped,
//!   which releases it. Eight jobs share three permits.
//! - **A bounded pool**: the same limit with no permit at all: three workers
//!   behind one `PoolRef` can only ever run three jobs at once.
//!
//! Run with `cargo run -p examples --example barrier_semaphore`.
#![allow(clippy::print_stdout)]

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actor_core::pool::Pool;
use actor_core::prelude::*;

// ---------------------------------------------------------------- barrier

/// What a waiter learns when the barrier opens.
#[derive(Clone, Copy, Debug)]
struct Opened {
    generation: u64,
    /// The waiter whose arrival opened the barrier (like std's `is_leader`).
    leader: bool,
}

/// Releases `parties` waiters at once, generation after generation.
struct Barrier {
    parties: usize,
    waiting: Vec<ReplyPort<Opened>>,
    generation: u64,
}

impl Actor for Barrier {
    /// Arrive and wait: the reply comes when the last party arrives.
    type Msg = ReplyPort<Opened>;

    async fn handle(&mut self, arrived: ReplyPort<Opened>, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        // A waiter that gave up (its ask timed out) no longer counts.
        self.waiting.retain(|waiter| !waiter.is_closed());
        if self.waiting.len() + 1 < self.parties {
            self.waiting.push(arrived);
            return Ok(());
        }
        let generation = self.generation;
        self.generation += 1;
        for waiter in self.waiting.drain(..) {
            let _ = waiter.send(Opened {
                generation,
                leader: false,
            });
        }
        let _ = arrived.send(Opened {
            generation,
            leader: true,
        });
        Ok(())
    }
}

async fn barrier_demo(system: &System) -> Result<(), BoxError> {
    const RUNNERS: usize = 4;
    const ROUNDS: usize = 3;
    println!(
        "barrier: {RUNNERS} runners, {ROUNDS} rounds; nobody starts a round before all finished the last"
    );
    let barrier = system
        .spawn(Barrier {
            parties: RUNNERS,
            waiting: Vec::new(),
            generation: 0,
        })
        .await?;
    // How many runners finished each round's work: read by each runner once
    // the barrier lets it through.
    let finished: Arc<[AtomicUsize; ROUNDS]> = Arc::new(Default::default());

    let mut runners = Vec::new();
    for runner in 0..RUNNERS {
        let (barrier, finished) = (barrier.clone(), Arc::clone(&finished));
        runners.push(tokio::spawn(async move {
            for round in 0..ROUNDS {
                // Uneven work: someone is always last.
                let work = Duration::from_millis(((runner * 7 + round * 5) % 13 * 5) as u64);
                tokio::time::sleep(work).await;
                finished[round].fetch_add(1, Ordering::SeqCst);
                let opened = barrier
                    .ask(|reply| reply)
                    .await
                    .map_err(AskError::discard_message)?;
                let done = finished[round].load(Ordering::SeqCst);
                assert_eq!(done, RUNNERS, "the barrier opened early");
                if opened.leader {
                    println!(
                        "  generation {}: runner {runner} arrived last ({work:?} of work) and opened it \
                         for all {done}",
                        opened.generation
                    );
                }
            }
            Ok::<(), AskError<()>>(())
        }));
    }
    for runner in runners {
        runner.await??;
    }
    Ok(())
}

// -------------------------------------------------------------- semaphore

enum SemaphoreMsg {
    Acquire(ReplyPort<Permit>),
    /// Sent by a dropped [`Permit`].
    Release,
    Available(ReplyPort<usize>),
}

/// A permit; dropping it gives it back.
struct Permit {
    semaphore: ActorRef<Semaphore>,
}

impl Drop for Permit {
    fn drop(&mut self) {
        // The semaphore's mailbox is unbounded, so this never finds it full
        // (and can run in `drop`, which cannot wait); it only fails if the
        // semaphore is gone, and then there is nothing to give back.
        let _ = self.semaphore.try_tell(SemaphoreMsg::Release);
    }
}

/// Hands out `available` permits, first come, first served.
struct Semaphore {
    available: usize,
    waiting: VecDeque<ReplyPort<Permit>>,
}

impl Semaphore {
    fn grant(&mut self, ctx: &Context<Self>) {
        while self.available > 0 {
            let Some(waiter) = self.waiting.pop_front() else {
                return;
            };
            if waiter.is_closed() {
                continue; // gave up waiting
            }
            self.available -= 1;
            // If the asker gave up just now, the permit comes back to us
            // as it drops: nothing leaks.
            let _ = waiter.send(Permit {
                semaphore: ctx.myself(),
            });
        }
    }
}

impl Actor for Semaphore {
    type Msg = SemaphoreMsg;

    async fn handle(&mut self, msg: SemaphoreMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            SemaphoreMsg::Acquire(waiter) => self.waiting.push_back(waiter),
            SemaphoreMsg::Release => self.available += 1,
            SemaphoreMsg::Available(reply) => {
                let _ = reply.send(self.available);
            }
        }
        self.grant(ctx);
        Ok(())
    }
}

/// Counts how many jobs run at once, and the most ever.
#[derive(Default)]
struct Gauge {
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Gauge {
    fn enter(&self) -> usize {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        now
    }

    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn semaphore_demo(system: &System) -> Result<(), BoxError> {
    const PERMITS: usize = 3;
    const JOBS: usize = 8;
    println!("semaphore: {JOBS} jobs share {PERMITS} permits");
    let semaphore = system
        .spawn_with(
            Semaphore {
                available: PERMITS,
                waiting: VecDeque::new(),
            },
            SpawnOptions::new().mailbox(MailboxKind::Unbounded),
        )
        .await?;
    let gauge = Arc::new(Gauge::default());

    let mut jobs = Vec::new();
    for job in 0..JOBS {
        let (semaphore, gauge) = (semaphore.clone(), Arc::clone(&gauge));
        jobs.push(tokio::spawn(async move {
            let permit = semaphore
                .ask(SemaphoreMsg::Acquire)
                .await
                .map_err(AskError::discard_message)?;
            let inside = gauge.enter();
            println!("  job {job}: got a permit ({inside} running)");
            tokio::time::sleep(Duration::from_millis(40)).await;
            gauge.leave();
            drop(permit); // the next job in line gets it
            Ok::<(), AskError<()>>(())
        }));
    }

    // Meanwhile, an impatient acquire gives up while all permits are taken.
    tokio::time::sleep(Duration::from_millis(10)).await;
    let impatient = semaphore
        .ask_timeout(SemaphoreMsg::Acquire, Duration::from_millis(5))
        .await;
    println!(
        "  an impatient acquire (5 ms timeout): {}",
        match impatient {
            Ok(_) => "got one".to_string(),
            Err(error) => error.to_string(),
        }
    );

    for job in jobs {
        job.await??;
    }
    let free = semaphore
        .ask(SemaphoreMsg::Available)
        .await
        .map_err(AskError::discard_message)?;
    println!(
        "  at most {} jobs ran at once; {free} of {PERMITS} permits free at the end (the timeout leaked none)",
        gauge.max.load(Ordering::SeqCst)
    );
    Ok(())
}

// ----------------------------------------------------------- bounded pool

/// Runs one job at a time; three of them make a limit of three.
struct Runner {
    gauge: Arc<Gauge>,
}

impl Actor for Runner {
    /// Run a job; the reply says how many ran at once when it started.
    type Msg = ReplyPort<usize>;

    async fn handle(&mut self, reply: ReplyPort<usize>, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let inside = self.gauge.enter();
        tokio::time::sleep(Duration::from_millis(20)).await;
        self.gauge.leave();
        let _ = reply.send(inside);
        Ok(())
    }
}

async fn pool_demo(system: &System) -> Result<(), BoxError> {
    const WORKERS: usize = 3;
    const JOBS: usize = 12;
    println!("bounded pool: {JOBS} jobs on a pool of {WORKERS} workers, no permits needed");
    let gauge = Arc::new(Gauge::default());
    let worker_gauge = Arc::clone(&gauge);
    let pool = Pool::builder(WORKERS, move |_| Runner {
        gauge: Arc::clone(&worker_gauge),
    })
    .name("runners")
    .spawn(system)
    .await?;

    let mut jobs = Vec::new();
    for _ in 0..JOBS {
        let pool = pool.clone();
        jobs.push(tokio::spawn(async move { pool.ask(|reply| reply).await }));
    }
    for job in jobs {
        job.await?.map_err(AskError::discard_message)?;
    }
    println!("  at most {} jobs ran at once", gauge.max.load(Ordering::SeqCst));
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let system = System::new();
    barrier_demo(&system).await?;
    semaphore_demo(&system).await?;
    pool_demo(&system).await?;
    let report = system.shutdown().await;
    println!("shutdown: clean = {}", report.is_clean());
    Ok(())
}
