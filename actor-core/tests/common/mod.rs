//! Helpers shared by the supervision tests (a module, not a test target).
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

pub mod alive;

use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

/// How long a wait may take before the test fails (virtual time: tests run
/// on tokio's paused clock).
pub const PATIENCE: Duration = Duration::from_secs(24 * 60 * 60);

/// Written from `started` and `stopped`; tests wait on it.
#[derive(Clone, Default)]
pub struct Log {
    entries: Arc<Mutex<Vec<String>>>,
    changed: Arc<Notify>,
}

impl Log {
    pub fn push(&self, entry: String) {
        self.entries.lock().unwrap().push(entry);
        self.changed.notify_waiters();
    }

    /// Takes everything logged so far.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.entries.lock().unwrap())
    }

    /// Everything logged so far, left in place.
    pub fn snapshot(&self) -> Vec<String> {
        self.entries.lock().unwrap().clone()
    }

    /// How many times `entry` was logged.
    pub fn count(&self, entry: &str) -> usize {
        self.entries
            .lock()
            .unwrap()
            .iter()
            .filter(|e| *e == entry)
            .count()
    }

    /// Waits until `n` entries are logged.
    pub async fn wait_len(&self, n: usize) {
        self.wait_until(|entries| entries.len() >= n, || format!("{n} entries"))
            .await;
    }

    /// Waits until `entry` has been logged `times` times.
    pub async fn wait_count(&self, entry: &str, times: usize) {
        self.wait_until(
            |entries| entries.iter().filter(|e| *e == entry).count() >= times,
            || format!("{entry:?} {times} times"),
        )
        .await;
    }

    async fn wait_until(&self, done: impl Fn(&[String]) -> bool, what: impl Fn() -> String) {
        let wait = async {
            loop {
                let mut notified = pin!(self.changed.notified());
                notified.as_mut().enable();
                if done(&self.entries.lock().unwrap()) {
                    return;
                }
                notified.await;
            }
        };
        let waited = tokio::time::timeout(PATIENCE, wait).await;
        assert!(
            waited.is_ok(),
            "never saw {}: {:?}",
            what(),
            self.entries.lock().unwrap()
        );
    }
}
