//! Helpers shared by the tests (a module, not a test target): declared by
//! `tests/integration/main.rs` for the integration binary and by
//! `tests/reliability_chaos_soak.rs`.
//!
//! Here: [`Log`], a log of strings that tests wait on, and [`PATIENCE`].
//! A test actor lives here when several test files need the very same one;
//! one that differs in a detail a test relies on stays in its file.
//!
//! - [`alive`]: counting the runtime's alive tasks, for leak checks.
//! - [`gated`]: `Gated`, records numbers and parks on request (pool tests).
//! - [`idle`]: `Idle`, a live actor that ignores its messages.
//! - [`recorder`]: `Recorder`, records the `u32`s a group or topic sends it.
//! - [`stubborn`]: `Stubborn`, ignores its stop as told (shutdown tests).
//! - [`worker`]: `Worker`, a supervised child that logs its starts and stops
//!   into a [`Log`] and crashes on request (supervision tests).
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

pub mod alive;
pub mod gated;
pub mod idle;
pub mod recorder;
pub mod stubborn;
pub mod worker;

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

    /// Waits until `entry` has been logged `times` times, forever if it
    /// never is: for racing against another event (in `select!`) under a
    /// timeout of the caller's own, which then says what went wrong.
    pub async fn wait_count_forever(&self, entry: &str, times: usize) {
        self.until(|entries| entries.iter().filter(|e| *e == entry).count() >= times)
            .await;
    }

    async fn wait_until(&self, done: impl Fn(&[String]) -> bool, what: impl Fn() -> String) {
        let waited = tokio::time::timeout(PATIENCE, self.until(&done)).await;
        assert!(
            waited.is_ok(),
            "never saw {}: {:?}",
            what(),
            self.entries.lock().unwrap()
        );
    }

    /// Waits, without a limit, until `done` holds for the entries.
    async fn until(&self, done: impl Fn(&[String]) -> bool) {
        loop {
            let mut notified = pin!(self.changed.notified());
            notified.as_mut().enable();
            if done(&self.entries.lock().unwrap()) {
                return;
            }
            notified.await;
        }
    }
}
