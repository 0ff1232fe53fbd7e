//! An actor that never yields (it spins without reaching an `.await`) cannot
//! be interrupted in Rust: a shutdown must still return after its stop
//! timeout and kill grace, and report it as stuck rather than hang.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actor_core::prelude::*;
use tokio::sync::oneshot;
use tokio::time::Instant;

struct Spinner {
    release: Arc<AtomicBool>,
}

impl Actor for Spinner {
    type Msg = oneshot::Sender<()>;

    async fn handle(&mut self, entered: Self::Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = entered.send(());
        // Never yields until released: no kill can land meanwhile.
        while !self.release.load(Ordering::Acquire) {
            std::hint::spin_loop();
        }
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn shutdown_reports_a_spinning_actor_as_stuck_and_returns() {
    let release = Arc::new(AtomicBool::new(false));
    let system = System::new();
    let options = SpawnOptions::new()
        .executor(Executor::DedicatedThread)
        .stop_timeout(Duration::from_secs(2));
    let spinner = system
        .spawn_with(
            Spinner {
                release: Arc::clone(&release),
            },
            options,
        )
        .await
        .unwrap();
    let (entered_tx, entered) = oneshot::channel();
    spinner.tell(entered_tx).await.unwrap();
    entered.await.unwrap();

    let start = Instant::now();
    let report = system.shutdown().await;
    // 2 s stop timeout, then the 1 s kill grace: then shutdown gives up on it.
    assert_eq!(start.elapsed(), Duration::from_secs(3));
    assert_eq!(report.killed, [spinner.id()]);
    assert_eq!(report.stuck, [spinner.id()]);
    assert!(!report.is_clean());

    // Once it yields, the pending kill lands.
    release.store(true, Ordering::Release);
    assert!(matches!(spinner.wait_for_stop().await, ExitReason::Killed));
}
