//! The `ping_pong` example: 1,000 asks answered in order, then a clean
//! shutdown.

use std::time::Duration;

use actor_core::BoxError;

#[allow(dead_code)] // its `main`: the test calls `run`
#[path = "../../../examples/ping_pong.rs"]
mod example;

/// Far beyond what the example takes; a hang fails instead of blocking CI.
const TIMEOUT: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread")]
async fn prints_a_thousand_round_trips_and_a_clean_shutdown() -> Result<(), BoxError> {
    let printed = tokio::time::timeout(TIMEOUT, example::run()).await??;
    assert_eq!(printed, "ping-pong: 1000 round trips, shutdown clean: true");
    Ok(())
}
