//! Regression: `ShutdownReport::killed` listed actors killed before the
//! shutdown began — here the child of a supervisor that was itself killed
//! earlier — so a clean shutdown reported kills and `is_clean()` was false.
//! The report now lists the kills of the shutdown only.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::idle::Idle as Worker;
use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, Supervisor};

#[tokio::test(start_paused = true)]
async fn kills_before_the_shutdown_are_not_in_its_report() {
    let system = System::new();
    let sup = system
        .spawn(
            Supervisor::builder()
                .child(ChildSpec::new("w", || Worker))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let worker = sup.child::<Worker>("w").await.unwrap();
    sup.kill();
    assert!(matches!(sup.wait_for_stop().await, ExitReason::Killed));
    assert!(matches!(worker.wait_for_stop().await, ExitReason::Killed));
    let report = system.shutdown().await;
    assert!(report.killed.is_empty(), "{:?}", report.killed);
    assert!(report.is_clean());
}
