//! The `service` example: the producer feels backpressure from the bounded
//! ingest stage, the poisoned line kills one parser, the pool replaces it,
//! and everything else is counted before a clean shutdown.

use std::time::Duration;

use actor_core::BoxError;

#[allow(dead_code)] // its `main`: the test calls `run`
#[path = "../../examples/service.rs"]
mod example;

/// Far beyond what the example takes; a hang fails instead of blocking CI.
const TIMEOUT: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread")]
async fn backpressure_a_replaced_parser_and_a_clean_shutdown() -> Result<(), BoxError> {
    let report = tokio::time::timeout(TIMEOUT, example::run()).await??;
    // The mailbox holds 8 lines and the producer sends 500 without pause.
    assert!(report.waited > 0, "the producer never waited: {report:?}");
    assert_eq!(report.replaced, 1, "{report:?}");
    // The poisoned line is lost (with any queued behind it); nothing else is.
    assert!(report.parsed < 500 && report.parsed > 400, "{report:?}");
    assert!(report.shutdown_clean, "{report:?}");
    Ok(())
}
