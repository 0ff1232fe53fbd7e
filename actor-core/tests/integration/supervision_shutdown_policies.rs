//! Promise: a supervisor stops each child by that child's `Shutdown`
//! policy, whether for good (`remove_child`, the supervisor's own stop) or
//! for a sibling's restart. `Timeout(t)`: a child ignoring the stop is
//! killed exactly `t` later (no `stopped` call, reason `Killed`);
//! `BrutalKill`: killed at once, even when idle; `Infinity`: the supervisor
//! waits as long as the child takes, and the child stops gracefully.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, Shutdown, Strategy, Supervisor};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

type Log = Arc<Mutex<Vec<String>>>;

enum Msg {
    /// Signals `entered`, then awaits `gate` (or forever, if it never opens).
    Hang(oneshot::Sender<()>, oneshot::Receiver<()>),
    Crash,
}

struct Worker {
    name: &'static str,
    log: Log,
    starts: mpsc::UnboundedSender<(&'static str, Instant)>,
}

impl Actor for Worker {
    type Msg = Msg;

    async fn started(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.starts.send((self.name, Instant::now()))?;
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Hang(entered, gate) => {
                let _ = entered.send(());
                let _ = gate.await;
                Ok(())
            }
            Msg::Crash => Err("boom".into()),
        }
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        self.log
            .lock()
            .unwrap()
            .push(format!("stop {} ({reason})", self.name));
    }
}

struct Fixture {
    system: System,
    sup: ActorRef<Supervisor>,
    log: Log,
    starts: mpsc::UnboundedReceiver<(&'static str, Instant)>,
}

/// A one-for-all supervisor over `crashy` and `stubborn` (with `policy`).
async fn fixture(policy: Shutdown) -> Fixture {
    let log = Log::default();
    let (tx, mut starts) = mpsc::unbounded_channel();
    let spec = |name: &'static str| {
        let (log, starts) = (Arc::clone(&log), tx.clone());
        ChildSpec::new(name, move || Worker {
            name,
            log: Arc::clone(&log),
            starts: starts.clone(),
        })
    };
    let sup = Supervisor::builder()
        .strategy(Strategy::OneForAll)
        .child(spec("crashy"))
        .child(spec("stubborn").shutdown(policy))
        .build()
        .unwrap();
    let system = System::new();
    let sup = system.spawn(sup).await.unwrap();
    for _ in 0..2 {
        starts.recv().await.unwrap();
    }
    Fixture {
        system,
        sup,
        log,
        starts,
    }
}

impl Fixture {
    async fn child(&self, name: &str) -> ActorRef<Worker> {
        self.sup.child(name).await.unwrap()
    }

    /// Makes `stubborn` hang in a handler; dropping the sender opens the gate.
    async fn hang(&self) -> oneshot::Sender<()> {
        let (entered_tx, entered) = oneshot::channel();
        let (gate, gate_rx) = oneshot::channel();
        let stubborn = self.child("stubborn").await;
        stubborn.tell(Msg::Hang(entered_tx, gate_rx)).await.unwrap();
        entered.await.unwrap();
        gate
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

#[tokio::test(start_paused = true)]
async fn remove_child_kills_a_stubborn_child_exactly_at_its_timeout() {
    let f = fixture(Shutdown::Timeout(Duration::from_secs(2))).await;
    let stubborn = f.child("stubborn").await;
    let _gate = f.hang().await;

    let start = Instant::now();
    f.sup.remove_child("stubborn").await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    assert!(matches!(stubborn.wait_for_stop().await, ExitReason::Killed));
    assert!(f.log().is_empty(), "no `stopped` after a kill");
    assert_eq!(f.sup.children().await.unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_child_that_stops_in_time_is_not_killed() {
    let f = fixture(Shutdown::Timeout(Duration::from_secs(2))).await;
    let stubborn = f.child("stubborn").await;
    let gate = f.hang().await;

    let start = Instant::now();
    let opener = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        drop(gate);
    });
    f.sup.remove_child("stubborn").await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    opener.await.unwrap();
    assert!(matches!(stubborn.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(f.log(), ["stop stubborn (shutdown)"]);
}

#[tokio::test(start_paused = true)]
async fn brutal_kill_kills_at_once_even_an_idle_child() {
    let f = fixture(Shutdown::BrutalKill).await;
    let stubborn = f.child("stubborn").await;

    let start = Instant::now();
    f.sup.remove_child("stubborn").await.unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert!(matches!(stubborn.wait_for_stop().await, ExitReason::Killed));
    assert!(f.log().is_empty(), "not asked to stop: no `stopped`");
}

/// Crashes `crashy`: one-for-all stops `stubborn` (hanging) by its policy,
/// then restarts both. Returns when `stubborn` started again.
async fn restart_around_a_hang(f: &mut Fixture) -> Duration {
    let gate = f.hang().await;
    let start = Instant::now();
    let crashy = f.child("crashy").await;
    crashy.tell(Msg::Crash).await.unwrap();
    // A gate that opens after an hour.
    let opener = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        drop(gate);
    });
    let mut restarted = Vec::new();
    while restarted.len() < 2 {
        restarted.push(f.starts.recv().await.unwrap());
    }
    assert_eq!(
        restarted.iter().map(|(name, _)| *name).collect::<Vec<_>>(),
        ["crashy", "stubborn"]
    );
    opener.abort();
    restarted[1].1 - start
}

#[tokio::test(start_paused = true)]
async fn a_sibling_restart_stops_by_the_same_policy() {
    let mut f = fixture(Shutdown::Timeout(Duration::from_secs(2))).await;
    assert_eq!(restart_around_a_hang(&mut f).await, Duration::from_secs(2));
    assert_eq!(f.log(), ["stop crashy (failed: boom)"], "killed: no `stopped`");

    let mut f = fixture(Shutdown::BrutalKill).await;
    assert_eq!(restart_around_a_hang(&mut f).await, Duration::ZERO);
    assert_eq!(f.log(), ["stop crashy (failed: boom)"]);
}

#[tokio::test(start_paused = true)]
async fn infinity_waits_as_long_as_the_child_takes() {
    let mut f = fixture(Shutdown::Infinity).await;
    assert_eq!(restart_around_a_hang(&mut f).await, Duration::from_secs(3600));
    assert_eq!(
        f.log(),
        ["stop crashy (failed: boom)", "stop stubborn (shutdown)"],
        "stopped gracefully, never killed"
    );
    assert!(f.system.shutdown().await.is_clean());
}

#[tokio::test(start_paused = true)]
async fn the_supervisors_own_stop_applies_each_childs_policy() {
    let f = fixture(Shutdown::Timeout(Duration::from_secs(2))).await;
    let stubborn = f.child("stubborn").await;
    let _gate = f.hang().await;

    let start = Instant::now();
    let report = f.system.shutdown().await;
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    assert_eq!(report.killed, [stubborn.id()]);
    assert!(matches!(stubborn.wait_for_stop().await, ExitReason::Killed));
    assert!(matches!(f.sup.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(f.log(), ["stop crashy (shutdown)"]);
}
