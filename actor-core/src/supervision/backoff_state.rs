//! One child's place in its backoff sequence.

use std::time::Duration;

use tokio::time::Instant;

use crate::supervision::spec::Backoff;

pub(crate) struct BackoffState {
    attempts: u32,
    last_start: Option<Instant>,
    /// xorshift64 state for the random factor (no dependency needed for a
    /// jitter source).
    seed: u64,
}

impl BackoffState {
    pub(crate) fn new(seed: u64) -> BackoffState {
        BackoffState {
            attempts: 0,
            last_start: None,
            seed: seed | 1,
        }
    }

    /// Marks the child as (re)started at `now`.
    pub(crate) fn started(&mut self, now: Instant) {
        self.last_start = Some(now);
    }

    /// The delay before the next restart, after a failure at `now`.
    pub(crate) fn next_delay(&mut self, backoff: &Backoff, now: Instant) -> Duration {
        let quiet = self
            .last_start
            .is_some_and(|start| now.saturating_duration_since(start) >= backoff.reset_after);
        if quiet {
            self.attempts = 0;
        }
        self.attempts = self.attempts.saturating_add(1);
        backoff.delay(self.attempts, self.random())
    }

    fn random(&mut self) -> f64 {
        let mut x = self.seed;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.seed = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_to_the_cap_then_resets_after_quiet() {
        let backoff = Backoff::new(Duration::from_secs(3), Duration::from_secs(30));
        let mut state = BackoffState::new(7);
        let mut now = Instant::now();
        let mut delays = Vec::new();
        for _ in 0..5 {
            let delay = state.next_delay(&backoff, now);
            delays.push(delay.as_secs());
            now += delay;
            state.started(now);
        }
        assert_eq!(delays, [3, 6, 12, 24, 30]);
        now += backoff.reset_after;
        assert_eq!(state.next_delay(&backoff, now), Duration::from_secs(3));
    }

    #[test]
    fn random_factor_only_lengthens() {
        let backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(10)).random_factor(0.5);
        let mut state = BackoffState::new(42);
        let delay = state.next_delay(&backoff, Instant::now());
        assert!(delay >= Duration::from_secs(1) && delay <= Duration::from_millis(1_500));
    }
}
