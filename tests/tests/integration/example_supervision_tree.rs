//! The `supervision_tree` example: one bad job restarts the jobs subtree;
//! three in a row make `jobs` give up, and `root` restarts it (escalation),
//! while `api` is never touched.

use std::time::Duration;

use actor_core::BoxError;
use actor_core::supervision::ChildState;

#[allow(dead_code)] // its `main`: the test calls `run`
#[path = "../../../examples/supervision_tree.rs"]
mod example;

/// Far beyond what the example takes; a hang fails instead of blocking CI.
const TIMEOUT: Duration = Duration::from_secs(15);

const LOST: &str = "lost: the fetcher crashed while handling it";

// A current-thread runtime, as the example's `main` (see there why).
#[tokio::test(flavor = "current_thread")]
async fn a_give_up_escalates_and_root_restarts_the_subtree() -> Result<(), BoxError> {
    let report = tokio::time::timeout(TIMEOUT, example::run()).await??;
    assert_eq!(
        report.outcomes,
        [
            ("good", "done"),
            ("good", "done"),
            ("bad", LOST),
            ("good", "done"),
            ("bad", LOST),
            ("bad", LOST), // the third crash in 5 s: jobs gives up
            ("bad", LOST), // handled by the restarted subtree
            ("good", "done"),
        ]
    );
    let restarts = |children: &[actor_core::supervision::ChildInfo]| {
        children
            .iter()
            .map(|child| (child.name.clone(), child.state, child.restarts))
            .collect::<Vec<_>>()
    };
    // Escalation: root restarted jobs once, never api.
    assert_eq!(
        restarts(&report.root_children),
        [
            ("api".to_string(), ChildState::Running, 0),
            ("jobs".to_string(), ChildState::Running, 1),
        ]
    );
    // The restarted jobs counts from zero: one crash since (one-for-all).
    assert_eq!(
        restarts(&report.jobs_children),
        [
            ("store".to_string(), ChildState::Running, 1),
            ("fetcher".to_string(), ChildState::Running, 1),
        ]
    );
    assert!(report.shutdown_clean);
    Ok(())
}
