//! Promise: a pool stops as a whole. `PoolRef::stop`, dropping the last
//! `PoolRef`, or shutting the system down stops every worker, each after
//! handling its queue; afterwards the pool refuses messages and gives them
//! back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actor_core::pool::{Pool, PoolRef};
use actor_core::prelude::*;

struct Counter(Arc<AtomicUsize>);

impl Actor for Counter {
    type Msg = u32;

    async fn handle(&mut self, _n: u32, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

async fn pool(system: &System, handled: &Arc<AtomicUsize>) -> PoolRef<Counter> {
    let handled = Arc::clone(handled);
    Pool::builder(3, move |_| Counter(Arc::clone(&handled)))
        .spawn(system)
        .await
        .unwrap()
}

#[tokio::test]
async fn stop_ends_every_worker_after_its_queue() {
    let system = System::new();
    let handled = Arc::new(AtomicUsize::new(0));
    let pool = pool(&system, &handled).await;
    for n in 0..30 {
        pool.try_tell(n).unwrap(); // queued: the workers have not run yet
    }

    pool.stop();
    assert!(!pool.is_alive());
    assert!(matches!(pool.wait_for_stop().await, ExitReason::Normal));
    for worker in pool.workers() {
        assert!(matches!(worker.wait_for_stop().await, ExitReason::Shutdown));
    }
    assert_eq!(handled.load(Ordering::SeqCst), 30, "queues were handled first");
    assert_eq!(system.dead_letters(), 0);
    assert_eq!(system.top_level_count(), 0);

    let refused = pool.tell(99).await.unwrap_err();
    assert!(matches!(refused, SendError::Closed(99)));
}

#[tokio::test]
async fn dropping_the_last_handle_stops_the_pool() {
    let system = System::new();
    let handled = Arc::new(AtomicUsize::new(0));
    let pool = pool(&system, &handled).await;
    let workers: Vec<_> = pool.workers().iter().map(ActorRef::downgrade).collect();
    let supervisor = pool.supervisor().downgrade();
    let clone = pool.clone();
    drop(pool);
    assert!(supervisor.upgrade().is_some(), "a clone still holds it");

    let worker = clone.workers()[0].clone();
    drop(clone);
    assert!(matches!(worker.wait_for_stop().await, ExitReason::Shutdown));
    assert!(supervisor.upgrade().is_none());
    assert!(workers.iter().all(|w| w.upgrade().is_none_or(|w| !w.is_alive())));
}

#[tokio::test]
async fn system_shutdown_stops_the_workers() {
    let system = System::new();
    let handled = Arc::new(AtomicUsize::new(0));
    let pool = pool(&system, &handled).await;
    for n in 0..9 {
        pool.tell(n).await.unwrap();
    }
    assert!(system.shutdown().await.is_clean());
    for worker in pool.workers() {
        assert!(matches!(worker.exit_reason(), Some(ExitReason::Shutdown)));
    }
    assert!(matches!(pool.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(handled.load(Ordering::SeqCst), 9);
}
