//! Counting the runtime's alive tasks, for the leak checks of the
//! reliability tests.
//!
//! An actor's task ends just after it publishes its exit, so a count read
//! right after a shutdown may still include tasks that are finishing: the
//! helpers yield a bounded number of times for it to settle, never sleep.

use tokio::runtime::Handle;

/// Tasks alive on the current runtime (spawned and not yet finished; the
/// future given to `block_on` is not one of them).
pub fn alive_tasks() -> usize {
    Handle::current().metrics().num_alive_tasks()
}

/// Yields until the current runtime's alive-task count is back to
/// `baseline`, at most a million times; returns the last count seen.
pub async fn settle_alive_tasks(baseline: usize) -> usize {
    for _ in 0..1_000_000 {
        if alive_tasks() <= baseline {
            break;
        }
        tokio::task::yield_now().await;
    }
    alive_tasks()
}
