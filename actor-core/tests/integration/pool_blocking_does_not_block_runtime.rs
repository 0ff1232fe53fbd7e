//! Promise: a blocking pool runs CPU-bound jobs on its own OS threads, at
//! most one per worker at a time, while the tokio runtime that sent them
//! stays free. Here a pool of 2 threads gets 4 spinning jobs from a
//! single-threaded runtime, and an interval on that runtime keeps ticking
//! while 2 of them spin and the other 2 wait their turn.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use actor_core::pool::{JobError, Pool};
use actor_core::prelude::*;

/// Shared by the jobs and the test.
#[derive(Default)]
struct Probe {
    started: AtomicUsize,
    running: AtomicUsize,
    max_running: AtomicUsize,
    release: AtomicBool,
}

/// A CPU-bound job: spins until released (bounded by a safety limit, so a
/// broken test cannot hang), then does a fixed amount of arithmetic.
fn spin(probe: &Probe) -> (String, u64) {
    probe.started.fetch_add(1, Ordering::SeqCst);
    let now = probe.running.fetch_add(1, Ordering::SeqCst) + 1;
    probe.max_running.fetch_max(now, Ordering::SeqCst);
    let limit = Instant::now() + Duration::from_secs(30);
    while !probe.release.load(Ordering::SeqCst) && Instant::now() < limit {
        std::hint::spin_loop();
    }
    let sum = (0..200_000u64).fold(0u64, |acc, n| std::hint::black_box(acc.wrapping_add(n * n)));
    probe.running.fetch_sub(1, Ordering::SeqCst);
    let thread = std::thread::current().name().unwrap_or("?").to_string();
    (thread, sum)
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn two_threads_run_four_jobs_while_the_runtime_ticks() {
    let system = System::new();
    let pool = Pool::blocking(2).name("cpu").spawn(&system).await.unwrap();
    let probe = Arc::new(Probe::default());

    let jobs: Vec<_> = (0..4)
        .map(|_| {
            let (pool, probe) = (pool.clone(), Arc::clone(&probe));
            tokio::spawn(async move { pool.run(move || spin(&probe)).await })
        })
        .collect();

    // The interval ticks on this (only) runtime thread while the jobs spin.
    let mut interval = tokio::time::interval(Duration::from_millis(1));
    let mut ticks = 0u64;
    while probe.running.load(Ordering::SeqCst) < 2 {
        interval.tick().await;
        ticks += 1;
        assert!(ticks < 10_000_000, "the jobs never started");
    }
    for _ in 0..5 {
        interval.tick().await;
        assert_eq!(probe.running.load(Ordering::SeqCst), 2, "two jobs spin meanwhile");
    }
    assert_eq!(
        probe.started.load(Ordering::SeqCst),
        2,
        "the other two wait for a thread"
    );

    probe.release.store(true, Ordering::SeqCst);
    let mut threads = HashSet::new();
    for job in jobs {
        let (thread, sum) = job.await.unwrap().unwrap();
        assert_eq!(sum, (0..200_000u64).fold(0u64, |acc, n| acc.wrapping_add(n * n)));
        threads.insert(thread);
    }
    assert_eq!(probe.started.load(Ordering::SeqCst), 4);
    assert_eq!(
        probe.max_running.load(Ordering::SeqCst),
        2,
        "never more than 2 at once"
    );
    let expected: HashSet<String> = ["cpu-0", "cpu-1"].map(String::from).into();
    assert_eq!(threads, expected, "the pool's own threads, never the runtime's");

    // A panicking job is contained; its thread keeps serving.
    let err = pool.run(|| -> u32 { panic!("bad job") }).await.unwrap_err();
    assert_eq!(err, JobError::Panicked("bad job".to_string()));
    assert_eq!(pool.run(|| 6 * 7).await.unwrap(), 42);

    pool.stop();
    pool.wait_for_stop().await;
    assert_eq!(pool.run(|| 0).await.unwrap_err(), JobError::Closed);
    system.shutdown().await;
}
