//! The restart-intensity window, counted exactly as OTP's `add_restart/1`:
//! add the new restart, drop those older than the period (the window is
//! inclusive), accept if no more than `max_restarts` remain.

use std::collections::VecDeque;

use tokio::time::Instant;

use crate::supervision::spec::Intensity;

pub(crate) struct RestartWindow {
    limit: Intensity,
    restarts: VecDeque<Instant>,
}

impl RestartWindow {
    pub(crate) fn new(limit: Intensity) -> RestartWindow {
        RestartWindow {
            limit,
            restarts: VecDeque::new(),
        }
    }

    /// Records a restart at `now`; `false` means the limit is exceeded and
    /// the supervisor must give up.
    pub(crate) fn add(&mut self, now: Instant) -> bool {
        self.restarts.push_back(now);
        while let Some(&oldest) = self.restarts.front() {
            if now.saturating_duration_since(oldest) > self.limit.period {
                self.restarts.pop_front();
            } else {
                break;
            }
        }
        self.restarts.len() <= self.limit.max_restarts as usize
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn three_in_five_seconds_gives_up_on_the_fourth() {
        let start = Instant::now();
        let mut window = RestartWindow::new(Intensity::new(3, Duration::from_secs(5)));
        for i in 0..3 {
            assert!(window.add(start + Duration::from_secs(i)));
        }
        assert!(!window.add(start + Duration::from_secs(4)));
    }

    #[test]
    fn restarts_fall_out_of_the_window() {
        let start = Instant::now();
        let mut window = RestartWindow::new(Intensity::new(1, Duration::from_secs(5)));
        assert!(window.add(start));
        assert!(window.add(start + Duration::from_millis(5_001)));
        assert!(!window.add(start + Duration::from_millis(10_001)));
    }

    #[test]
    fn zero_gives_up_at_once() {
        let mut window = RestartWindow::new(Intensity::new(0, Duration::from_secs(5)));
        assert!(!window.add(Instant::now()));
    }
}
