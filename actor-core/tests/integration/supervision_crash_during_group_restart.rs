//! Promise: in one-for-all and rest-for-one supervisors, a child of the group
//! that crashes while the supervisor is stopping the group for a restart
//! (its report set aside while the supervisor waits for a slower sibling) is
//! taken as stopped: it is neither killed nor reported stuck, and it is
//! restarted with the others, in start order, keeping its `ActorRef` and its
//! queued messages, which the new instance handles in order. Its crash
//! belongs to that round, which counts as one restart (OTP's rule: stopping
//! a child that is already dead takes its pending `'EXIT'` and adds no
//! restart): each child of the group counts one restart, and with an
//! intensity of 1 in 5 s the supervisor survives the round and gives up at
//! the next crash. No shutdown timeout is waited out (no virtual time
//! passes) and nothing becomes a dead letter.
//!
//! A report set aside the same way while the supervisor gives up is the
//! child's end too: the child is retired at once with its crash, not killed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::Log;
use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, ChildState, Intensity, Strategy, Supervisor};
use tokio::sync::oneshot;
use tokio::time::Instant;

/// The children, in start order. `x` is outside a rest-for-one group
/// started by `a`.
const NAMES: [&str; 4] = ["x", "a", "b", "c"];

enum Msg {
    Crash,
    Record(u32),
    Get(ReplyPort<Vec<u32>>),
}

/// Holds a child's next `stopped` hook: it signals `entered`, then waits
/// until `gate` is released (its sender dropped).
struct Hold {
    entered: oneshot::Sender<()>,
    gate: oneshot::Receiver<()>,
}

type Holds = Arc<Mutex<HashMap<&'static str, Hold>>>;

struct Worker {
    name: &'static str,
    log: Log,
    holds: Holds,
    seen: Vec<u32>,
}

impl Actor for Worker {
    type Msg = Msg;

    async fn started(&mut self, _: &mut Context<Self>) -> Result<(), BoxError> {
        self.log.push(format!("{} started", self.name));
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Crash => return Err("boom".into()),
            Msg::Record(n) => self.seen.push(n),
            Msg::Get(reply) => {
                let _ = reply.send(self.seen.clone());
            }
        }
        Ok(())
    }

    async fn stopped(&mut self, _: &mut Context<Self>, reason: &ExitReason) {
        let hold = self.holds.lock().unwrap().remove(self.name);
        if let Some(hold) = hold {
            let _ = hold.entered.send(());
            let _ = hold.gate.await;
        }
        // Last, with no await after it: once the test sees this entry (on
        // the test's single-threaded runtime), the instance's end has been
        // reported to the supervisor.
        self.log.push(format!("{} stopped: {reason}", self.name));
    }
}

struct Tree {
    system: System,
    sup: ActorRef<Supervisor>,
    log: Log,
    holds: Holds,
    refs: HashMap<&'static str, ActorRef<Worker>>,
}

/// A supervisor over `NAMES` allowing `max_restarts` in 5 s, all started.
async fn tree(strategy: Strategy, max_restarts: u32) -> Tree {
    let log = Log::default();
    let holds = Holds::default();
    let mut builder = Supervisor::builder()
        .strategy(strategy)
        .intensity(Intensity::new(max_restarts, Duration::from_secs(5)));
    for name in NAMES {
        let (log, holds) = (log.clone(), Arc::clone(&holds));
        builder = builder.child(ChildSpec::new(name, move || Worker {
            name,
            log: log.clone(),
            holds: Arc::clone(&holds),
            seen: Vec::new(),
        }));
    }
    let system = System::new();
    let sup = system.spawn(builder.build().unwrap()).await.unwrap();
    let mut refs = HashMap::new();
    for name in NAMES {
        refs.insert(name, sup.child::<Worker>(name).await.unwrap());
    }
    log.wait_len(NAMES.len()).await;
    assert_eq!(log.take(), ["x started", "a started", "b started", "c started"]);
    Tree {
        system,
        sup,
        log,
        holds,
        refs,
    }
}

impl Tree {
    /// Holds `name`'s next `stopped` hook: the receiver fires when the hook
    /// is entered; dropping the sender releases it.
    fn hold_stop(&self, name: &'static str) -> (oneshot::Receiver<()>, oneshot::Sender<()>) {
        let (entered_tx, entered) = oneshot::channel();
        let (gate, gate_rx) = oneshot::channel();
        self.holds.lock().unwrap().insert(
            name,
            Hold {
                entered: entered_tx,
                gate: gate_rx,
            },
        );
        (entered, gate)
    }

    /// The supervisor stops the group (or everything) last-started first,
    /// so it first waits for `c`, held in its `stopped` hook. Meanwhile `b`
    /// crashes with `Record(1)`, `Record(2)` queued behind the crash, and
    /// gets `Record(3)` once it has ended; its report reaches the supervisor
    /// before `c`'s and is set aside. Then `c` is released.
    async fn crash_b_while_c_is_stopped_after(&self, first: &str) {
        let (entered, gate) = self.hold_stop("c");
        self.refs[first].tell(Msg::Crash).await.unwrap();
        entered.await.unwrap();
        let b = &self.refs["b"];
        b.tell(Msg::Crash).await.unwrap();
        b.tell(Msg::Record(1)).await.unwrap();
        b.tell(Msg::Record(2)).await.unwrap();
        self.log.wait_count("b stopped: failed: boom", 1).await;
        b.tell(Msg::Record(3)).await.unwrap();
        assert_eq!(b.mailbox_len(), 3);
        drop(gate);
    }
}

async fn crashed_sibling_restarts_with_the_group(strategy: Strategy) {
    let t = tree(strategy, 1).await;
    let b = t.refs["b"].clone();
    let start = Instant::now();
    t.crash_b_while_c_is_stopped_after("a").await;

    let mut expected = vec![
        "a stopped: failed: boom",
        "b stopped: failed: boom",
        "c stopped: shutdown",
    ];
    let restarted: &[&str] = match strategy {
        Strategy::OneForAll => {
            expected.push("x stopped: shutdown");
            &["x", "a", "b", "c"]
        }
        _ => &["a", "b", "c"],
    };
    let starts: Vec<String> = restarted.iter().map(|n| format!("{n} started")).collect();
    expected.extend(starts.iter().map(String::as_str));
    t.log.wait_len(expected.len()).await;
    assert_eq!(
        t.log.take(),
        expected,
        "b is not stopped twice; all start in order"
    );

    // b keeps its handle and mailbox: the new instance handles its queue.
    assert_eq!(t.sup.child::<Worker>("b").await.unwrap(), b);
    assert_eq!(b.ask(Msg::Get).await.unwrap(), [1, 2, 3]);
    assert!(b.exit_reason().is_none(), "{:?}", b.exit_reason());

    let children = t.sup.children().await.unwrap();
    let names: Vec<&str> = children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, NAMES, "nothing removed");
    assert!(
        children.iter().all(|c| c.state == ChildState::Running),
        "{children:?}"
    );
    assert_eq!(children[2].id, b.id());
    let restarts: Vec<u32> = children.iter().map(|c| c.restarts).collect();
    let expected_restarts = match strategy {
        Strategy::OneForAll => [1, 1, 1, 1],
        _ => [0, 1, 1, 1],
    };
    assert_eq!(restarts, expected_restarts, "one restart per child of the round");
    assert_eq!(
        Instant::now(),
        start,
        "no shutdown timeout or kill grace waited out"
    );
    assert_eq!(t.system.dead_letters(), 0);

    // The round counted as one restart: with 1 allowed in 5 s, the
    // supervisor is still up, and the next crash (same instant) is one too
    // many.
    assert!(t.sup.is_alive());
    t.refs["c"].tell(Msg::Crash).await.unwrap();
    let gave_up = t.sup.wait_for_stop().await;
    assert!(matches!(gave_up, ExitReason::Shutdown), "gave up: {gave_up:?}");
    assert!(
        matches!(b.exit_reason(), Some(ExitReason::Shutdown)),
        "{:?}",
        b.exit_reason()
    );

    let report = t.system.shutdown().await;
    assert!(report.is_clean(), "nothing killed or stuck: {report:?}");
    assert_eq!(t.system.dead_letters(), 0);
    assert_eq!(Instant::now(), start);
}

#[tokio::test(start_paused = true)]
async fn one_for_all_restarts_a_sibling_that_crashed_during_the_round() {
    crashed_sibling_restarts_with_the_group(Strategy::OneForAll).await;
}

#[tokio::test(start_paused = true)]
async fn rest_for_one_restarts_a_sibling_that_crashed_during_the_round() {
    crashed_sibling_restarts_with_the_group(Strategy::RestForOne).await;
}

/// With no restart allowed, `a`'s crash makes the supervisor give up and
/// stop its children last-started first; `b`'s crash, set aside while it
/// waits for `c`, is `b`'s end: it is retired at once with that reason (its
/// queue becomes dead letters, as for any child stopped for good).
async fn crash_set_aside_while_giving_up_is_the_end(strategy: Strategy) {
    let t = tree(strategy, 0).await;
    let b = t.refs["b"].clone();
    let start = Instant::now();
    t.crash_b_while_c_is_stopped_after("a").await;

    let gave_up = t.sup.wait_for_stop().await;
    assert!(matches!(gave_up, ExitReason::Shutdown), "gave up: {gave_up:?}");
    assert_eq!(
        t.log.take(),
        [
            "a stopped: failed: boom",
            "b stopped: failed: boom",
            "c stopped: shutdown",
            "x stopped: shutdown",
        ]
    );
    assert_eq!(
        b.exit_reason().map(|r| r.to_string()).as_deref(),
        Some("failed: boom")
    );
    assert_eq!(t.system.dead_letters(), 3, "b's queue, dropped with it");
    assert_eq!(
        Instant::now(),
        start,
        "no shutdown timeout or kill grace waited out"
    );
    let report = t.system.shutdown().await;
    assert!(report.is_clean(), "nothing killed or stuck: {report:?}");
}

#[tokio::test(start_paused = true)]
async fn one_for_all_giving_up_takes_a_set_aside_crash_as_the_end() {
    crash_set_aside_while_giving_up_is_the_end(Strategy::OneForAll).await;
}

#[tokio::test(start_paused = true)]
async fn rest_for_one_giving_up_takes_a_set_aside_crash_as_the_end() {
    crash_set_aside_while_giving_up_is_the_end(Strategy::RestForOne).await;
}
