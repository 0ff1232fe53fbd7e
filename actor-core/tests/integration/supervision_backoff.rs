//! Promise: a child with a backoff is restarted after delays that double
//! from `min` up to `max` — 3, 6, 12, 24, 30 s for 3 s/30 s with no random
//! factor, measured on the paused clock from the crash to the new
//! instance's `started` — and start over at `min` once the child has run
//! for `reset_after` without failing. A random factor only lengthens each
//! delay, by at most that fraction. Meanwhile the child is listed as
//! `Restarting` and its handle keeps accepting messages, which the new
//! instance handles. A supervisor stopping while a child backs off does not
//! wait for the backoff: the child ends at once with its crash reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use actor_core::prelude::*;
use actor_core::supervision::{Backoff, ChildSpec, ChildState, Intensity, Supervisor};
use tokio::sync::mpsc;
use tokio::time::Instant;

enum Msg {
    Crash,
    Note,
    /// Messages this instance has handled, this one included.
    Handled(ReplyPort<u32>),
}

struct Worker {
    starts: mpsc::UnboundedSender<Instant>,
    handled: u32,
}

impl Actor for Worker {
    type Msg = Msg;

    async fn started(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.starts.send(Instant::now())?;
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.handled += 1;
        match msg {
            Msg::Crash => Err("boom".into()),
            Msg::Note => Ok(()),
            Msg::Handled(reply) => {
                let _ = reply.send(self.handled);
                Ok(())
            }
        }
    }
}

fn worker(name: &'static str, starts: &mpsc::UnboundedSender<Instant>) -> ChildSpec<Worker> {
    let starts = starts.clone();
    ChildSpec::new(name, move || Worker {
        starts: starts.clone(),
        handled: 0,
    })
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Many restarts allowed: only the backoff is under test.
fn lenient() -> Intensity {
    Intensity::new(1000, secs(60))
}

struct Fixture {
    sup: ActorRef<Supervisor>,
    child: ActorRef<Worker>,
    starts: mpsc::UnboundedReceiver<Instant>,
}

async fn fixture(backoff: Backoff) -> Fixture {
    let (tx, mut starts) = mpsc::unbounded_channel();
    let sup = Supervisor::builder()
        .intensity(lenient())
        .child(worker("w", &tx).backoff(backoff))
        .build()
        .unwrap();
    let sup = System::new().spawn(sup).await.unwrap();
    let child = sup.child("w").await.unwrap();
    starts.recv().await.unwrap();
    Fixture { sup, child, starts }
}

impl Fixture {
    /// Crashes the child now; returns how long until its next `started`.
    async fn crash_and_time_restart(&mut self) -> Duration {
        let crashed_at = Instant::now();
        self.child.tell(Msg::Crash).await.unwrap();
        let started_at = self.starts.recv().await.unwrap();
        started_at - crashed_at
    }
}

#[tokio::test(start_paused = true)]
async fn delays_double_from_min_to_max() {
    let mut f = fixture(Backoff::new(secs(3), secs(30))).await;
    let mut delays = Vec::new();
    for _ in 0..6 {
        delays.push(f.crash_and_time_restart().await);
    }
    assert_eq!(delays, [3, 6, 12, 24, 30, 30].map(secs));
    assert_eq!(f.sup.children().await.unwrap()[0].restarts, 6);
}

#[tokio::test(start_paused = true)]
async fn delays_start_over_after_a_quiet_period() {
    // reset_after defaults to (min + max) / 2 = 16.5 s.
    let mut f = fixture(Backoff::new(secs(3), secs(30))).await;
    assert_eq!(f.crash_and_time_restart().await, secs(3));
    assert_eq!(f.crash_and_time_restart().await, secs(6));
    tokio::time::sleep(secs(16)).await; // not quiet long enough
    assert_eq!(f.crash_and_time_restart().await, secs(12));
    tokio::time::sleep(Duration::from_millis(16_500)).await;
    assert_eq!(f.crash_and_time_restart().await, secs(3));

    // A custom quiet period.
    let custom = Backoff::new(secs(3), secs(30)).reset_after(secs(100));
    let mut f = fixture(custom).await;
    assert_eq!(f.crash_and_time_restart().await, secs(3));
    tokio::time::sleep(secs(99)).await;
    assert_eq!(f.crash_and_time_restart().await, secs(6));
    tokio::time::sleep(secs(100)).await;
    assert_eq!(f.crash_and_time_restart().await, secs(3));
}

#[tokio::test(start_paused = true)]
async fn a_random_factor_only_lengthens_each_delay() {
    let mut f = fixture(Backoff::new(secs(1), secs(8)).random_factor(0.5)).await;
    for base in [1, 2, 4, 8, 8] {
        let delay = f.crash_and_time_restart().await;
        let (low, high) = (secs(base), secs(base).mul_f64(1.5));
        assert!(
            low <= delay && delay <= high,
            "{delay:?} outside {low:?}..={high:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn while_backing_off_the_child_is_restarting_and_messages_queue() {
    let mut f = fixture(Backoff::new(secs(3), secs(30))).await;
    let crashed_at = Instant::now();
    f.child.tell(Msg::Crash).await.unwrap();
    tokio::time::sleep(secs(1)).await;

    let info = &f.sup.children().await.unwrap()[0];
    assert_eq!((info.state, info.restarts), (ChildState::Restarting, 0));
    // Accepted now, handled by the new instance once it starts at 3 s.
    f.child.tell(Msg::Note).await.unwrap();
    let handled = f.child.ask(Msg::Handled).await.unwrap();
    assert_eq!(crashed_at.elapsed(), secs(3));
    assert_eq!(f.starts.recv().await.unwrap() - crashed_at, secs(3));
    assert_eq!(handled, 2, "fresh instance: the two queued messages only");
    let info = &f.sup.children().await.unwrap()[0];
    assert_eq!((info.state, info.restarts), (ChildState::Running, 1));
}

#[tokio::test(start_paused = true)]
async fn a_stop_during_the_backoff_ends_the_child_at_once() {
    let f = fixture(Backoff::new(secs(30), secs(60))).await;
    f.child.tell(Msg::Crash).await.unwrap();
    tokio::time::sleep(secs(1)).await;

    let start = Instant::now();
    f.sup.stop();
    assert!(f.sup.wait_for_stop().await.is_clean());
    assert_eq!(start.elapsed(), Duration::ZERO, "no wait for the backoff");
    assert_eq!(f.child.wait_for_stop().await.to_string(), "failed: boom");
}
