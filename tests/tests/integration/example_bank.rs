//! The `bank` example: 500 concurrent transfers neither create nor lose
//! money, and the auditor, crashing on every third audit, is restarted each
//! time.

use std::time::Duration;

use actor_core::BoxError;

#[allow(dead_code)] // its `main`: the test calls `run`
#[path = "../../../examples/bank.rs"]
mod example;

/// Far beyond what the example takes; a hang fails instead of blocking CI.
const TIMEOUT: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread")]
async fn transfers_conserve_money_while_the_auditor_is_restarted() -> Result<(), BoxError> {
    let report = tokio::time::timeout(TIMEOUT, example::run()).await??;
    assert_eq!(report.opening_total, 5 * 1_000);
    assert_eq!(report.closing_total, report.opening_total, "{report:?}");
    let summed: u64 = report.balances.iter().map(|(_, balance)| balance).sum();
    assert_eq!(summed, report.opening_total, "{report:?}");

    // 10 rounds of 50; how many are refused depends on their interleaving.
    assert_eq!(report.done + report.refused + report.returned, 500, "{report:?}");
    assert!(report.done > 0, "{report:?}");
    assert_eq!(report.returned, 0, "no account ever closes: {report:?}");

    // Audits 3, 6 and 9 crash (each instance counts from 1); the supervisor
    // restarts the auditor each time, and every other audit balances.
    assert_eq!(
        (report.audits_passed, report.audits_lost, report.auditor_restarts),
        (7, 3, 3),
        "{report:?}"
    );
    assert!(report.shutdown_clean);
    Ok(())
}
