//! The `blocking_worker` example: a crunch on a dedicated thread leaves the
//! runtime free (the ponger keeps answering); the same crunch as a task on
//! a one-thread runtime silences the ponger until it is done.

use std::time::Duration;

use actor_core::BoxError;

#[allow(dead_code)] // its `main`: the test calls `run`
#[path = "../../../examples/blocking_worker.rs"]
mod example;

/// Far beyond what the example takes; a hang fails instead of blocking CI.
const TIMEOUT: Duration = Duration::from_secs(15);

// A current-thread runtime, as the example's `main`: the contrast needs the
// task cruncher to share the ponger's only thread.
#[tokio::test(flavor = "current_thread")]
async fn the_ponger_answers_beside_a_dedicated_thread_not_beside_a_blocking_task() -> Result<(), BoxError> {
    let report = tokio::time::timeout(TIMEOUT, example::run()).await??;
    let (dedicated, task) = (&report.dedicated, &report.task);
    assert_eq!(dedicated.crunched.steps, task.crunched.steps);
    assert_eq!(dedicated.crunched.thread, "actor-cruncher");
    assert_ne!(task.crunched.thread, "actor-cruncher");

    // Pinged every millisecond, the ponger kept answering through the whole
    // crunch. (Wide margins: a loaded machine delays threads by milliseconds.)
    assert!(dedicated.pongs >= 10, "{dedicated:?}");
    assert!(
        dedicated.longest_silence < dedicated.crunched.busy / 2,
        "{dedicated:?}"
    );
    // The blocking task held the only thread: no answer while it ran.
    assert!(task.longest_silence >= task.crunched.busy, "{task:?}");
    Ok(())
}
