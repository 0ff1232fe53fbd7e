//! Promise: random sequences of spawn / tell / try_tell / ask / panic /
//! error / stop / kill (idle or mid-handler) / restart / ask-with-timeout /
//! broadcast / remove_child / supervisor stop and kill / system shutdown
//! behave exactly as a small reference model of the documented semantics
//! says, and a failing sequence shrinks to a minimal one.
//!
//! The model ([`Model`]) knows which actors are alive, what each instance
//! has handled in which order, what every `tell` and `ask` returns (`Ok`, a
//! reply, or the typed error that gives the message back, `NoReply`,
//! `Timeout`, `InvalidTimeout`), each exit reason, what a supervisor does on
//! each exit (restart types, the three strategies, the restart intensity
//! window counted as OTP does, giving up), that a restarted child starts from
//! fresh state with its mailbox kept, how many messages became dead letters,
//! how much virtual time passed, and who is still in the registry, in a
//! group and unreported to a monitor (one `Down` per final exit, none per
//! restart).
//!
//! Each case runs on its own current-thread runtime with the paused clock.
//! Every operation is settled before the next: the test waits for expected
//! exits, for the supervisor to report the expected children, then asks
//! every actor for its state, so each outcome is exact. Operations that
//! queue several messages at once (a crash followed by tells, tells followed
//! by a kill) do so without yielding, so the actor sees them all queued.
//!
//! 384 cases by default with a fixed seed (the same cases on every run);
//! `PROPTEST_CASES=5000` explores more, `PROPTEST_RNG_SEED=n` others.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::VecDeque;
use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};
use std::task::Poll;
use std::time::Duration;

use actor_core::group::Group;
use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, ChildState, Intensity, Restart, Strategy, Supervisor};
use actor_core::{ShutdownReport, SupervisorError};
use proptest::prelude::*;
use proptest::strategy::Strategy as _;
use proptest::test_runner::{Config as ProptestConfig, RngSeed};
use tokio::sync::oneshot;
use tokio::time::Instant;

/// Cases run by default (each is a whole random sequence).
const DEFAULT_CASES: u32 = 384;
/// The default seed, so that a plain run is the same on every machine.
const DEFAULT_SEED: u64 = 0x5eed_0009;
/// At most this many actors per case (spawns beyond are skipped).
const MAX_SLOTS: usize = 8;
/// The mailbox of odd slots: small enough for `try_tell` to find it full,
/// large enough for every burst the other ops queue.
const SMALL_MAILBOX: usize = 3;
/// How long any wait may take (virtual time) before the case fails.
const PATIENCE: Duration = Duration::from_secs(3600);
/// How many times the supervisor is asked before its children must match.
const POLLS: usize = 200;

// ----- the actor under test ----------------------------------------------------

enum Msg {
    Push(u32),
    Get(ReplyPort<(u32, Vec<u32>)>),
    Panic,
    Fail,
    PanicInAsk(ReplyPort<()>),
    Ignore(ReplyPort<()>),
    Slow {
        ms: u64,
        mark: u32,
        reply: ReplyPort<()>,
    },
    Block {
        started: oneshot::Sender<()>,
        reply: ReplyPort<()>,
    },
}

/// What a returned message was, as the model writes it.
fn describe(msg: &Msg) -> String {
    match msg {
        Msg::Push(n) => format!("push {n}"),
        Msg::Get(_) => "get".into(),
        Msg::Panic => "panic".into(),
        Msg::Fail => "fail".into(),
        Msg::PanicInAsk(_) => "panic-in-ask".into(),
        Msg::Ignore(_) => "ignore".into(),
        Msg::Slow { mark, .. } => format!("slow {mark}"),
        Msg::Block { .. } => "block".into(),
    }
}

/// One instance: which one it is (1 for the first) and what it handled.
struct Probe {
    generation: u32,
    handled: Vec<u32>,
}

impl Actor for Probe {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Push(n) => self.handled.push(n),
            Msg::Get(reply) => {
                let _ = reply.send((self.generation, self.handled.clone()));
            }
            Msg::Panic => panic!("model: panic"),
            Msg::Fail => return Err("model: fail".into()),
            Msg::PanicInAsk(_reply) => panic!("model: panic in ask"),
            Msg::Ignore(reply) => drop(reply),
            Msg::Slow { ms, mark, reply } => {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                self.handled.push(mark);
                let _ = reply.send(());
            }
            Msg::Block { started, reply } => {
                let _ = started.send(());
                std::future::pending::<()>().await;
                drop(reply);
            }
        }
        Ok(())
    }
}

impl From<u32> for Msg {
    fn from(n: u32) -> Self {
        Msg::Push(n)
    }
}

/// Monitors every probe and records each `Down` it gets.
enum WatchMsg {
    Watch(ActorRef<Probe>),
    Down(Down),
    Seen(ReplyPort<Vec<(u64, String)>>),
}

impl From<Down> for WatchMsg {
    fn from(down: Down) -> Self {
        WatchMsg::Down(down)
    }
}

#[derive(Default)]
struct Watcher {
    downs: Vec<(u64, String)>,
}

impl Actor for Watcher {
    type Msg = WatchMsg;

    async fn handle(&mut self, msg: WatchMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            WatchMsg::Watch(target) => {
                ctx.monitor(&target);
            }
            WatchMsg::Down(down) => self.downs.push((down.id.seq(), down.reason.to_string())),
            WatchMsg::Seen(reply) => {
                let mut downs = self.downs.clone();
                downs.sort();
                let _ = reply.send(downs);
            }
        }
        Ok(())
    }
}

/// Keeps the deliberate `model:` panics out of the test output.
fn quiet_model_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let text = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
            if !text.is_some_and(|t| t.starts_with("model:")) {
                previous(info);
            }
        }));
    });
}

// ----- operations -----------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    TopLevel,
    Child(Restart),
}

#[derive(Clone, Copy, Debug)]
enum Crash {
    Panic,
    Fail,
    PanicInAsk,
}

/// One step. `slot` picks an existing actor (modulo how many there are).
#[derive(Clone, Debug)]
enum Op {
    Spawn(Kind),
    Tell {
        slot: usize,
        n: u32,
    },
    /// `try_tell` of each value without yielding (odd slots hold 3).
    TryTellBurst {
        slot: usize,
        values: Vec<u32>,
    },
    /// A broadcast to the group every actor joined at spawn.
    Publish {
        n: u32,
    },
    Ask {
        slot: usize,
    },
    /// A handler that sleeps `slow_ms`, asked with a `timeout_ms` timeout.
    AskSlow {
        slot: usize,
        timeout_ms: u64,
        slow_ms: u64,
        mark: u32,
    },
    /// `ask_timeout` with zero (or `Duration::MAX`).
    AskInvalid {
        slot: usize,
        zero: bool,
    },
    /// A request the actor drops unanswered.
    Ignore {
        slot: usize,
    },
    /// The actor crashes while `then` waits queued behind the crash.
    Crash {
        slot: usize,
        how: Crash,
        then: Vec<u32>,
    },
    /// `stop`, then tells that must be refused.
    Stop {
        slot: usize,
        then: Vec<u32>,
    },
    /// Tells queued, then `kill` before the actor runs.
    Kill {
        slot: usize,
        queued: Vec<u32>,
    },
    /// `kill` while the actor is inside a handler an ask waits on.
    KillBusy {
        slot: usize,
    },
    Advance {
        ms: u64,
    },
    /// `remove_child` of the actor's name (not a child: `NoSuchChild`).
    RemoveChild {
        slot: usize,
    },
    StopSupervisor,
    KillSupervisor,
    Shutdown,
}

#[derive(Clone, Debug)]
struct Case {
    strategy: Strategy,
    max_restarts: u32,
    period_ms: u64,
    initial: Vec<Kind>,
    ops: Vec<Op>,
}

fn kind() -> impl proptest::strategy::Strategy<Value = Kind> {
    prop_oneof![
        2 => Just(Kind::TopLevel),
        2 => Just(Kind::Child(Restart::Permanent)),
        1 => Just(Kind::Child(Restart::Transient)),
        1 => Just(Kind::Child(Restart::Temporary)),
    ]
}

fn values() -> impl proptest::strategy::Strategy<Value = Vec<u32>> {
    prop::collection::vec(0u32..100, 0..3)
}

fn op() -> impl proptest::strategy::Strategy<Value = Op> {
    let slot = || 0..MAX_SLOTS;
    let crash = prop_oneof![Just(Crash::Panic), Just(Crash::Fail), Just(Crash::PanicInAsk)];
    prop_oneof![
        5 => kind().prop_map(Op::Spawn),
        12 => (slot(), 0u32..100).prop_map(|(slot, n)| Op::Tell { slot, n }),
        4 => slot().prop_map(|slot| Op::Ask { slot }),
        2 => (slot(), prop::collection::vec(0u32..100, 1..6)).prop_map(|(slot, values)| Op::TryTellBurst { slot, values }),
        2 => (0u32..100).prop_map(|n| Op::Publish { n }),
        4 => (slot(), prop::sample::select(vec![100u64, 1_000, 3_000]), prop::sample::select(vec![200u64, 1_500]), 100u32..200)
            .prop_map(|(slot, timeout_ms, slow_ms, mark)| Op::AskSlow { slot, timeout_ms, slow_ms, mark }),
        1 => (slot(), any::<bool>()).prop_map(|(slot, zero)| Op::AskInvalid { slot, zero }),
        2 => slot().prop_map(|slot| Op::Ignore { slot }),
        8 => (slot(), crash, values()).prop_map(|(slot, how, then)| Op::Crash { slot, how, then }),
        4 => (slot(), values()).prop_map(|(slot, then)| Op::Stop { slot, then }),
        4 => (slot(), values()).prop_map(|(slot, queued)| Op::Kill { slot, queued }),
        2 => slot().prop_map(|slot| Op::KillBusy { slot }),
        4 => prop::sample::select(vec![500u64, 1_000, 2_500]).prop_map(|ms| Op::Advance { ms }),
        2 => slot().prop_map(|slot| Op::RemoveChild { slot }),
        1 => Just(Op::StopSupervisor),
        1 => Just(Op::KillSupervisor),
        1 => Just(Op::Shutdown),
    ]
}

fn case() -> impl proptest::strategy::Strategy<Value = Case> {
    let strategy = prop_oneof![
        Just(Strategy::OneForOne),
        Just(Strategy::OneForAll),
        Just(Strategy::RestForOne)
    ];
    (
        strategy,
        0u32..=3,
        prop::sample::select(vec![1_000u64, 2_000, 5_000]),
        prop::collection::vec(kind(), 0..=4),
        prop::collection::vec(op(), 1..40),
    )
        .prop_map(|(strategy, max_restarts, period_ms, initial, ops)| Case {
            strategy,
            max_restarts,
            period_ms,
            initial,
            ops,
        })
}

// ----- the reference model ------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Exit {
    Normal,
    Shutdown,
    Killed,
    Failed,
    Panicked(&'static str),
}

impl Exit {
    fn is_clean(&self) -> bool {
        matches!(self, Exit::Normal | Exit::Shutdown)
    }
}

impl fmt::Display for Exit {
    /// As `ExitReason` displays itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exit::Normal => f.write_str("normal"),
            Exit::Shutdown => f.write_str("shutdown"),
            Exit::Killed => f.write_str("killed"),
            Exit::Failed => f.write_str("failed: model: fail"),
            Exit::Panicked(message) => write!(f, "panicked: {message}"),
        }
    }
}

#[derive(Debug)]
struct ActorModel {
    id: ActorId,
    kind: Kind,
    name: String,
    exit: Option<Exit>,
    generation: u32,
    handled: Vec<u32>,
    restarts: u32,
}

impl ActorModel {
    fn alive(&self) -> bool {
        self.exit.is_none()
    }
}

#[derive(Debug)]
struct SupervisorModel {
    exit: Option<Exit>,
    strategy: Strategy,
    max_restarts: u32,
    period_ms: u64,
    /// Restart times in the intensity window.
    window: VecDeque<u64>,
    /// Children in start order: slot and whether it ended for good
    /// (a transient child after a clean exit; its spec is kept).
    children: Vec<(usize, bool)>,
}

#[derive(Debug)]
struct Model {
    now_ms: u64,
    shut_down: bool,
    dead_letters: u64,
    actors: Vec<ActorModel>,
    sup: SupervisorModel,
}

impl Model {
    /// The actor in `slot` ended with `reason`, `queued` still in its
    /// mailbox: unsupervised it is gone; supervised, its supervisor decides.
    fn ended(&mut self, slot: usize, reason: Exit, queued: &[u32]) {
        match self.actors[slot].kind {
            Kind::TopLevel => self.gone(slot, reason, queued),
            Kind::Child(restart) => self.child_ended(slot, restart, reason, queued),
        }
    }

    /// Ends an actor for good: what was queued becomes dead letters.
    fn gone(&mut self, slot: usize, reason: Exit, queued: &[u32]) {
        self.actors[slot].exit = Some(reason);
        self.dead_letters += queued.len() as u64;
    }

    /// OTP's decision on a child's exit (see `actor_core::supervision`).
    fn child_ended(&mut self, slot: usize, restart: Restart, reason: Exit, queued: &[u32]) {
        let position = self
            .sup
            .children
            .iter()
            .position(|&(s, _)| s == slot)
            .expect("a child");
        match restart {
            Restart::Temporary => {
                self.sup.children.remove(position);
                return self.gone(slot, reason, queued);
            }
            Restart::Transient if reason.is_clean() => {
                self.sup.children[position].1 = true;
                return self.gone(slot, reason, queued);
            }
            Restart::Permanent | Restart::Transient => {}
        }
        let now = self.now_ms;
        self.sup.window.push_back(now);
        let period = self.sup.period_ms;
        self.sup.window.retain(|&t| now - t <= period);
        if self.sup.window.len() > self.sup.max_restarts as usize {
            // Give up: the others stop cleanly, the one that ended keeps its
            // reason, and the supervisor escalates with `Shutdown`.
            for (other, ended) in std::mem::take(&mut self.sup.children) {
                if other == slot {
                    self.gone(slot, reason.clone(), queued);
                } else if !ended {
                    self.gone(other, Exit::Shutdown, &[]);
                }
            }
            self.sup.exit = Some(Exit::Shutdown);
            return;
        }
        let group: Vec<usize> = match self.sup.strategy {
            Strategy::OneForOne => vec![slot],
            Strategy::OneForAll => self.running_children_from(0),
            Strategy::RestForOne => self.running_children_from(position),
        };
        for &other in &group {
            if other != slot && self.actors[other].kind == Kind::Child(Restart::Temporary) {
                self.sup.children.retain(|&(s, _)| s != other);
                self.gone(other, Exit::Shutdown, &[]);
            }
        }
        for other in group {
            if !self.sup.children.iter().any(|&(s, _)| s == other) {
                continue;
            }
            let actor = &mut self.actors[other];
            actor.generation += 1;
            actor.restarts += 1;
            // The mailbox survives the restart: the new instance gets the queue.
            actor.handled = if other == slot {
                queued.to_vec()
            } else {
                Vec::new()
            };
        }
    }

    fn running_children_from(&self, position: usize) -> Vec<usize> {
        self.sup.children[position..]
            .iter()
            .filter(|&&(_, ended)| !ended)
            .map(|&(s, _)| s)
            .collect()
    }

    /// The supervisor ended with `reason`; its running children with `children`.
    fn supervisor_ended(&mut self, reason: Exit, children: Exit) {
        if self.sup.exit.is_some() {
            return;
        }
        for (slot, ended) in std::mem::take(&mut self.sup.children) {
            if !ended {
                self.gone(slot, children.clone(), &[]);
            }
        }
        self.sup.exit = Some(reason);
    }

    /// What `children()` must report, as text.
    fn children_report(&self) -> Vec<String> {
        self.sup
            .children
            .iter()
            .map(|&(slot, ended)| {
                let actor = &self.actors[slot];
                let Kind::Child(restart) = actor.kind else {
                    unreachable!("only children are supervised")
                };
                let state = if ended {
                    ChildState::Ended
                } else {
                    ChildState::Running
                };
                format!("{} {state:?} {restart:?} restarts={}", actor.name, actor.restarts)
            })
            .collect()
    }
}

// ----- outcomes as text -------------------------------------------------------------------

fn sent(result: Result<(), SendError<Msg>>) -> String {
    match result {
        Ok(()) => "ok".into(),
        Err(SendError::Closed(msg)) => format!("closed({})", describe(&msg)),
        Err(SendError::WouldDeadlock(msg)) => format!("would-deadlock({})", describe(&msg)),
    }
}

fn asked<R: fmt::Debug>(result: Result<R, AskError<Msg>>) -> String {
    match result {
        Ok(value) => format!("reply({value:?})"),
        Err(AskError::Closed(msg)) => format!("closed({})", describe(&msg)),
        Err(AskError::NoReply) => "no-reply".into(),
        Err(AskError::Timeout(d)) => format!("timeout({d:?})"),
        Err(AskError::InvalidTimeout(d)) => format!("invalid-timeout({d:?})"),
        Err(other) => format!("unexpected({other:?})"),
    }
}

fn closed_or(alive: bool, ok: &str, msg: &str) -> String {
    if alive {
        ok.to_string()
    } else {
        format!("closed({msg})")
    }
}

// ----- running a case -----------------------------------------------------------------------

struct World {
    system: System,
    sup: ActorRef<Supervisor>,
    watcher: ActorRef<Watcher>,
    group: Group<u32>,
    actors: Vec<ActorRef<Probe>>,
    start: Instant,
    model: Model,
}

/// Fails the case with what was expected and what happened.
fn expect(step: &str, expected: &[String], got: &[String]) -> Result<(), String> {
    if expected == got {
        Ok(())
    } else {
        Err(format!("{step}: expected {expected:?}, got {got:?}"))
    }
}

async fn within<F: Future>(what: &str, fut: F) -> Result<F::Output, String> {
    tokio::time::timeout(PATIENCE, fut)
        .await
        .map_err(|_| format!("{what}: still waiting after {PATIENCE:?}"))
}

impl World {
    async fn new(case: &Case) -> World {
        let system = System::new();
        let sup = Supervisor::builder()
            .strategy(case.strategy)
            .intensity(Intensity::new(
                case.max_restarts,
                Duration::from_millis(case.period_ms),
            ))
            .build()
            .unwrap();
        let sup = system.spawn(sup).await.unwrap();
        let watcher = system.spawn(Watcher::default()).await.unwrap();
        World {
            system,
            sup,
            watcher,
            group: Group::new(),
            actors: Vec::new(),
            start: Instant::now(),
            model: Model {
                now_ms: 0,
                shut_down: false,
                dead_letters: 0,
                actors: Vec::new(),
                sup: SupervisorModel {
                    exit: None,
                    strategy: case.strategy,
                    max_restarts: case.max_restarts,
                    period_ms: case.period_ms,
                    window: VecDeque::new(),
                    children: Vec::new(),
                },
            },
        }
    }

    /// The actor an op's `slot` picks, if there is any actor.
    fn pick(&self, slot: usize) -> Option<usize> {
        (!self.actors.is_empty()).then(|| slot % self.actors.len())
    }

    async fn spawn(&mut self, kind: Kind) -> Result<(), String> {
        if self.actors.len() >= MAX_SLOTS {
            return Ok(());
        }
        let slot = self.actors.len();
        let name = format!("c{slot}");
        let mailbox = if slot % 2 == 1 {
            MailboxKind::Bounded(SMALL_MAILBOX)
        } else {
            MailboxKind::default()
        };
        let (expected, result) = match kind {
            Kind::TopLevel => {
                let expected = if self.model.shut_down {
                    "spawn-error(SystemShutDown)"
                } else {
                    "ok"
                };
                let probe = Probe {
                    generation: 1,
                    handled: Vec::new(),
                };
                let options = SpawnOptions::new().mailbox(mailbox);
                let result = self
                    .system
                    .spawn_with(probe, options)
                    .await
                    .map_err(|e| format!("spawn-error({e:?})"));
                (expected, result)
            }
            Kind::Child(restart) => {
                let expected = if self.model.sup.exit.is_some() {
                    "unreachable(closed)"
                } else {
                    "ok"
                };
                let instances = Arc::new(AtomicU32::new(0));
                let spec = ChildSpec::new(name.as_str(), move || Probe {
                    generation: instances.fetch_add(1, Ordering::SeqCst) + 1,
                    handled: Vec::new(),
                })
                .restart(restart)
                .mailbox(mailbox);
                let result = self.sup.start_child(spec).await.map_err(|e| match e {
                    SupervisorError::Unreachable(AskError::Closed(())) => "unreachable(closed)".to_string(),
                    other => format!("{other:?}"),
                });
                (expected, result)
            }
        };
        let got = match result {
            Ok(actor) => {
                self.system.registry().register(&name, &actor).unwrap();
                assert!(self.group.join(&actor));
                self.watcher.tell(WatchMsg::Watch(actor.clone())).await.unwrap();
                self.model.actors.push(ActorModel {
                    id: actor.id(),
                    kind,
                    name,
                    exit: None,
                    generation: 1,
                    handled: Vec::new(),
                    restarts: 0,
                });
                self.actors.push(actor);
                if let Kind::Child(_) = kind {
                    self.model.sup.children.push((slot, false));
                }
                "ok".to_string()
            }
            Err(error) => error,
        };
        expect("spawn", &[expected.to_string()], &[got])
    }

    /// Runs one op against the framework and the model, comparing every
    /// result it returns.
    async fn apply(&mut self, op: &Op) -> Result<(), String> {
        let target = match op {
            Op::Spawn(kind) => return self.spawn(*kind).await,
            Op::Advance { ms } => {
                tokio::time::sleep(Duration::from_millis(*ms)).await;
                self.model.now_ms += ms;
                return Ok(());
            }
            Op::StopSupervisor => {
                self.sup.stop();
                self.model.supervisor_ended(Exit::Normal, Exit::Shutdown);
                return Ok(());
            }
            Op::KillSupervisor => {
                self.sup.kill();
                self.model.supervisor_ended(Exit::Killed, Exit::Killed);
                return Ok(());
            }
            Op::Shutdown => return self.shutdown().await,
            Op::Publish { n } => return self.publish(*n).await,
            Op::Tell { slot, .. }
            | Op::TryTellBurst { slot, .. }
            | Op::Ask { slot }
            | Op::AskSlow { slot, .. }
            | Op::AskInvalid { slot, .. }
            | Op::Ignore { slot }
            | Op::Crash { slot, .. }
            | Op::Stop { slot, .. }
            | Op::Kill { slot, .. }
            | Op::KillBusy { slot }
            | Op::RemoveChild { slot } => *slot,
        };
        let Some(slot) = self.pick(target) else {
            return Ok(()); // no actor yet: nothing to do
        };
        let actor = self.actors[slot].clone();
        let alive = self.model.actors[slot].alive();
        let mut expected = Vec::new();
        let mut got = Vec::new();
        match op {
            Op::Tell { n, .. } => {
                expected.push(closed_or(alive, "ok", &format!("push {n}")));
                got.push(sent(actor.tell(Msg::Push(*n)).await));
                if alive {
                    self.model.actors[slot].handled.push(*n);
                }
            }
            Op::TryTellBurst { values, .. } => {
                let room = if slot % 2 == 1 { SMALL_MAILBOX } else { usize::MAX };
                for (i, &n) in values.iter().enumerate() {
                    expected.push(match (alive, i < room) {
                        (false, _) => format!("closed(push {n})"),
                        (true, true) => "ok".into(),
                        (true, false) => format!("full(push {n})"),
                    });
                    got.push(match actor.try_tell(Msg::Push(n)) {
                        Ok(()) => "ok".into(),
                        Err(TrySendError::Full(msg)) => format!("full({})", describe(&msg)),
                        Err(TrySendError::Closed(msg)) => format!("closed({})", describe(&msg)),
                    });
                    if alive && i < room {
                        self.model.actors[slot].handled.push(n);
                    }
                }
            }
            Op::Ask { .. } => {
                let model = &self.model.actors[slot];
                let reply = format!("reply({:?})", (model.generation, &model.handled));
                expected.push(closed_or(alive, &reply, "get"));
                got.push(asked(actor.ask(Msg::Get).await));
            }
            Op::AskSlow {
                timeout_ms,
                slow_ms,
                mark,
                ..
            } => {
                let timeout = Duration::from_millis(*timeout_ms);
                let answer = if slow_ms < timeout_ms {
                    "reply(())".to_string()
                } else {
                    format!("timeout({timeout:?})")
                };
                expected.push(closed_or(alive, &answer, &format!("slow {mark}")));
                let (ms, mark) = (*slow_ms, *mark);
                let result = actor
                    .ask_timeout(|reply| Msg::Slow { ms, mark, reply }, timeout)
                    .await;
                got.push(asked(result));
                if alive {
                    // The handler finishes after a timeout too; the settling
                    // ask waits for it.
                    self.model.actors[slot].handled.push(mark);
                    self.model.now_ms += slow_ms;
                }
            }
            Op::AskInvalid { zero, .. } => {
                let timeout = if *zero { Duration::ZERO } else { Duration::MAX };
                expected.push(format!("invalid-timeout({timeout:?})"));
                got.push(asked(actor.ask_timeout(Msg::Get, timeout).await));
            }
            Op::Ignore { .. } => {
                expected.push(closed_or(alive, "no-reply", "ignore"));
                got.push(asked(actor.ask(Msg::Ignore).await));
            }
            Op::Crash { how, then, .. } => {
                let tell_then = |expected: &mut Vec<String>| {
                    for n in then {
                        expected.push(closed_or(alive, "ok", &format!("push {n}")));
                    }
                };
                let reason = match how {
                    Crash::PanicInAsk => {
                        expected.push(closed_or(alive, "no-reply", "panic-in-ask"));
                        tell_then(&mut expected);
                        let mut ask = pin!(actor.ask(Msg::PanicInAsk));
                        // One poll queues the request; the tells go behind it.
                        let early = poll_fn(|cx| {
                            Poll::Ready(match ask.as_mut().poll(cx) {
                                Poll::Ready(result) => Some(asked(result)),
                                Poll::Pending => None,
                            })
                        })
                        .await;
                        let mut tells = Vec::new();
                        for &n in then {
                            tells.push(sent(actor.tell(Msg::Push(n)).await));
                        }
                        got.push(match early {
                            Some(result) => result,
                            None => asked(ask.await),
                        });
                        got.extend(tells);
                        Exit::Panicked("model: panic in ask")
                    }
                    Crash::Panic | Crash::Fail => {
                        let (msg, reason) = match how {
                            Crash::Panic => (Msg::Panic, Exit::Panicked("model: panic")),
                            _ => (Msg::Fail, Exit::Failed),
                        };
                        expected.push(closed_or(alive, "ok", &describe(&msg)));
                        tell_then(&mut expected);
                        got.push(sent(actor.tell(msg).await));
                        for &n in then {
                            got.push(sent(actor.tell(Msg::Push(n)).await));
                        }
                        reason
                    }
                };
                if alive {
                    self.model.ended(slot, reason, then);
                }
            }
            Op::Stop { then, .. } => {
                actor.stop();
                for &n in then {
                    expected.push(format!("closed(push {n})"));
                    got.push(sent(actor.tell(Msg::Push(n)).await));
                }
                if alive {
                    self.model.ended(slot, Exit::Normal, &[]);
                }
            }
            Op::Kill { queued, .. } => {
                for &n in queued {
                    expected.push(closed_or(alive, "ok", &format!("push {n}")));
                    got.push(sent(actor.tell(Msg::Push(n)).await));
                }
                actor.kill();
                if alive {
                    self.model.ended(slot, Exit::Killed, queued);
                }
            }
            Op::KillBusy { .. } => {
                expected.push(closed_or(alive, "no-reply", "block"));
                let (started, running) = oneshot::channel();
                let mut ask = pin!(actor.ask(|reply| Msg::Block { started, reply }));
                let finished = tokio::select! {
                    biased;
                    result = &mut ask => Some(asked(result)),
                    _ = running => None,
                };
                let result = match finished {
                    Some(result) => result,
                    None => {
                        actor.kill();
                        asked(ask.await)
                    }
                };
                got.push(result);
                if alive {
                    self.model.ended(slot, Exit::Killed, &[]);
                }
            }
            Op::RemoveChild { .. } => {
                let name = self.model.actors[slot].name.clone();
                let position = self.model.sup.children.iter().position(|&(s, _)| s == slot);
                expected.push(match (&self.model.sup.exit, position) {
                    (Some(_), _) => "unreachable(closed)".into(),
                    (None, None) => "no-such-child".into(),
                    (None, Some(_)) => "ok".into(),
                });
                got.push(match self.sup.remove_child(&name).await {
                    Ok(()) => "ok".into(),
                    Err(SupervisorError::NoSuchChild(_)) => "no-such-child".into(),
                    Err(SupervisorError::Unreachable(AskError::Closed(()))) => "unreachable(closed)".into(),
                    Err(other) => format!("{other:?}"),
                });
                if let (None, Some(position)) = (&self.model.sup.exit, position) {
                    let (_, ended) = self.model.sup.children.remove(position);
                    if !ended {
                        self.model.gone(slot, Exit::Shutdown, &[]);
                    }
                }
            }
            Op::Spawn(_)
            | Op::Advance { .. }
            | Op::StopSupervisor
            | Op::KillSupervisor
            | Op::Shutdown
            | Op::Publish { .. } => {
                unreachable!("handled above")
            }
        }
        expect("results", &expected, &got)
    }

    async fn publish(&mut self, n: u32) -> Result<(), String> {
        let alive = self.model.actors.iter().filter(|a| a.alive()).count();
        let report = self.group.broadcast(n).await;
        let got = format!(
            "delivered={} full={} closed={}",
            report.delivered, report.full, report.closed
        );
        expect("publish", &[format!("delivered={alive} full=0 closed=0")], &[got])?;
        for actor in self.model.actors.iter_mut().filter(|a| a.alive()) {
            actor.handled.push(n);
        }
        Ok(())
    }

    async fn shutdown(&mut self) -> Result<(), String> {
        let running: Vec<ActorId> = self
            .actors
            .iter()
            .zip(&self.model.actors)
            .filter(|(_, model)| model.alive())
            .map(|(actor, _)| actor.id())
            .chain(self.model.sup.exit.is_none().then(|| self.sup.id()))
            .chain((!self.model.shut_down).then(|| self.watcher.id()))
            .collect();
        let report: ShutdownReport = within("shutdown", self.system.shutdown()).await?;
        if !report.stuck.is_empty() || report.killed.iter().any(|id| running.contains(id)) {
            return Err(format!("shutdown of idle actors was not clean: {report:?}"));
        }
        self.model.shut_down = true;
        self.model.supervisor_ended(Exit::Shutdown, Exit::Shutdown);
        for slot in 0..self.model.actors.len() {
            if self.model.actors[slot].alive() {
                self.model.gone(slot, Exit::Shutdown, &[]);
            }
        }
        Ok(())
    }

    /// Waits for everything the last op set in motion, then compares the
    /// whole observable state with the model.
    async fn settle_and_check(&mut self) -> Result<(), String> {
        let model = &self.model;
        match &model.sup.exit {
            Some(exit) => {
                let reason = within("supervisor exit", self.sup.wait_for_stop()).await?;
                expect("supervisor exit", &[exit.to_string()], &[reason.to_string()])?;
            }
            None => {
                let expected = model.children_report();
                let mut got = Vec::new();
                for _ in 0..POLLS {
                    got = match self.sup.children().await {
                        Ok(children) => children
                            .iter()
                            .map(|c| {
                                format!("{} {:?} {:?} restarts={}", c.name, c.state, c.restart, c.restarts)
                            })
                            .collect(),
                        Err(error) => vec![format!("{error:?}")],
                    };
                    if got == expected {
                        break;
                    }
                }
                expect("children", &expected, &got)?;
            }
        }
        for (slot, (actor, model)) in self.actors.iter().zip(&model.actors).enumerate() {
            let step = format!("actor {slot} ({})", model.name);
            match &model.exit {
                Some(exit) => {
                    let reason = within(&step, actor.wait_for_stop()).await?;
                    expect(&step, &[exit.to_string()], &[reason.to_string()])?;
                    let state = format!(
                        "{} {:?}",
                        actor.is_alive(),
                        actor.exit_reason().map(|r| r.to_string())
                    );
                    expect(&step, &[format!("false Some({:?})", exit.to_string())], &[state])?;
                    expect(
                        &step,
                        &["closed(get)".to_string()],
                        &[asked(actor.ask(Msg::Get).await)],
                    )?;
                }
                None => {
                    let state = format!("{} {:?}", actor.is_alive(), actor.exit_reason());
                    expect(&step, &["true None".to_string()], &[state])?;
                    let reply = format!("reply({:?})", (model.generation, &model.handled));
                    let got = asked(within(&step, actor.ask(Msg::Get)).await?);
                    expect(&step, &[reply], &[got])?;
                }
            }
        }
        let alive = || model.actors.iter().filter(|a| a.alive());
        let mut names: Vec<String> = alive().map(|a| a.name.clone()).collect();
        names.sort();
        expect("registry", &names, &self.system.registry().names())?;
        let members: Vec<String> = alive().map(|a| a.id.to_string()).collect();
        let got: Vec<String> = self.group.members().iter().map(ActorId::to_string).collect();
        expect("group members", &members, &got)?;
        if !model.shut_down {
            let mut downs: Vec<(u64, String)> = model
                .actors
                .iter()
                .filter_map(|a| a.exit.as_ref().map(|exit| (a.id.seq(), exit.to_string())))
                .collect();
            downs.sort();
            let got = within("watcher", self.watcher.ask(WatchMsg::Seen))
                .await?
                .map_err(|e| format!("watcher: {e:?}"))?;
            expect("down notices", &[format!("{downs:?}")], &[format!("{got:?}")])?;
        }
        let elapsed = self.start.elapsed();
        expect(
            "virtual time",
            &[format!("{:?}", Duration::from_millis(model.now_ms))],
            &[format!("{elapsed:?}")],
        )?;
        expect(
            "dead letters",
            &[model.dead_letters.to_string()],
            &[self.system.dead_letters().to_string()],
        )
    }
}

async fn run_case(case: &Case) -> Result<(), String> {
    let mut world = World::new(case).await;
    for kind in &case.initial {
        world
            .spawn(*kind)
            .await
            .map_err(|e| format!("initial spawn: {e}"))?;
    }
    world
        .settle_and_check()
        .await
        .map_err(|e| format!("after the initial spawns: {e}"))?;
    for (i, op) in case.ops.iter().enumerate() {
        let checked = match world.apply(op).await {
            Ok(()) => world.settle_and_check().await,
            Err(error) => Err(error),
        };
        checked.map_err(|e| format!("op {i} {op:?}: {e}\nmodel: {:#?}", world.model))?;
    }
    within("final shutdown", world.system.shutdown()).await?;
    Ok(())
}

fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = DEFAULT_CASES;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(DEFAULT_SEED);
    }
    // Same seed, same cases: nothing to persist.
    config.failure_persistence = None;
    config
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn framework_matches_the_model(case in case()) {
        quiet_model_panics();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        let outcome = runtime.block_on(run_case(&case));
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}
