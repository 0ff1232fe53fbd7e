//! Regression: a kill that lands while a handler is mid-poll (synchronous
//! work, no `.await` to abort at) must still skip the queue. The handler
//! finishes, but no queued message is handled after the kill: they all become
//! dead letters and the actor exits `Killed`. (The receive loop used to take
//! the next message in the same poll, before the guard saw the kill bit.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use actor_core::prelude::*;
use tokio::sync::oneshot;

const QUEUED: u32 = 10;
/// Fresh systems per test run: the kill's timing against the spin varies.
const ROUNDS: usize = 20;
/// A safety net against a hang (real clock: this test needs two threads).
const TIMEOUT: Duration = Duration::from_secs(10);

enum Msg {
    /// Signals `entered`, then spins (never awaiting) until `release` is set.
    Busy {
        entered: oneshot::Sender<()>,
        release: Arc<AtomicBool>,
    },
    Count,
}

struct Spinner {
    handled: Arc<AtomicU32>,
}

impl Actor for Spinner {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Busy { entered, release } => {
                let _ = entered.send(());
                while !release.load(Ordering::SeqCst) {
                    std::hint::spin_loop();
                }
            }
            Msg::Count => {
                self.handled.fetch_add(1, Ordering::SeqCst);
            }
        }
        Ok(())
    }
}

async fn kill_mid_poll_once() {
    let system = System::new();
    let handled = Arc::new(AtomicU32::new(0));
    let spinner = Spinner {
        handled: Arc::clone(&handled),
    };
    let actor = system.spawn(spinner).await.unwrap();
    let (entered, entered_rx) = oneshot::channel();
    let release = Arc::new(AtomicBool::new(false));
    let busy = Msg::Busy {
        entered,
        release: Arc::clone(&release),
    };
    actor.tell(busy).await.unwrap();
    for _ in 0..QUEUED {
        actor.tell(Msg::Count).await.unwrap();
    }
    // The actor spins on its worker thread; this test runs on another.
    tokio::time::timeout(TIMEOUT, entered_rx).await.unwrap().unwrap();
    actor.kill(); // lands mid-poll: the handler cannot be aborted
    release.store(true, Ordering::SeqCst); // it finishes without awaiting

    let reason = tokio::time::timeout(TIMEOUT, actor.wait_for_stop())
        .await
        .unwrap();
    assert!(matches!(reason, ExitReason::Killed), "{reason}");
    assert_eq!(handled.load(Ordering::SeqCst), 0, "messages handled after kill()");
    assert_eq!(system.dead_letters(), u64::from(QUEUED));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_mid_poll_skips_the_queue() {
    for _ in 0..ROUNDS {
        kill_mid_poll_once().await;
    }
}
