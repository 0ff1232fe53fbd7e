//! Promise: a supervision tree under chaos stays whole, and every message
//! sent into it is handled or accounted for.
//!
//! The tree has three levels: a `root` supervisor, three mid supervisors
//! (one-for-one over workers with unbounded mailboxes; one-for-all over
//! bounded ones with restart backoff; rest-for-one over bounded ones), and
//! four workers under each mid. Four sender tasks send `DEFAULT_MESSAGES`
//! messages, one in `ASK_EVERY` an ask, to workers picked by a seeded PRNG,
//! which also poisons one message in `POISON_EVERY`: the worker handling it
//! panics. Each mid may restart
//! within an hour exactly as often as poison messages are planned for its
//! subtree, so a mid that counts each crash once never reaches its limit.
//! The last twentieth of the messages goes around the shutdown, half before
//! it began and half after; and one worker panics while it stops, with a
//! full mailbox behind it (see `LastAct`).
//!
//! At the end:
//! - every message was settled exactly once (a ledger entry per message,
//!   written once): handled, lost with the handler that panicked on it,
//!   returned to its sender (`SendError`, `AskError::Closed`), or dropped
//!   unhandled. Dropped messages are counted by the message's own `Drop`;
//!   that count must equal `System::dead_letters()` and the sum of the
//!   `count` fields of the "dead letters" tracing events;
//! - each worker received each sender's messages in the order sent, across
//!   its restarts;
//! - every ask got its reply, or `NoReply` for a message that panicked its
//!   worker or was dropped, never a timeout;
//! - after the load, the tree is whole: `System::snapshot` shows the same
//!   actors (worker ids survive restarts) in the same places, all running;
//!   root and the mids never restarted; the workers' restart counts fit
//!   their strategy and their panics; tracing saw no give-up, no stuck
//!   child, and restarts of workers only, as many as the snapshot counts;
//! - the shutdown was clean (nothing killed), and the runtime's alive-task
//!   count and the heap (net bytes, counted by a global allocator) are back
//!   to where they were before the tree was built.
//!
//! A small round runs first to warm the runtime, its threads and tracing;
//! the memory is measured over the second round.
//!
//! Environment:
//! - `CHAOS_SOAK_MESSAGES`: how many messages the measured round sends
//!   (default 1,000,000; a debug build takes a few seconds on 2 cores).
//!   Raise it for a longer soak, e.g. `CHAOS_SOAK_MESSAGES=20000000 cargo
//!   test --release -p actor-core --test reliability_chaos_soak`.
//! - `CHAOS_SOAK_SEED`: the seed (default `DEFAULT_SEED`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::print_stderr)]

mod common;

use std::alloc::System as SystemAllocator;
use std::ops::Range;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use actor_core::prelude::*;
use actor_core::supervision::{Backoff, ChildInfo, ChildSpec, ChildState, Intensity, Strategy, Supervisor};
use actor_core::{ActorInfo, ActorState, Snapshot};
use common::alive::{alive_tasks, settle_alive_tasks};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use tokio::sync::{Barrier, Notify, oneshot};
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context as LayerContext, SubscriberExt};

#[global_allocator]
static GLOBAL: &StatsAlloc<SystemAllocator> = &INSTRUMENTED_SYSTEM;

/// Messages in the measured round, unless `CHAOS_SOAK_MESSAGES` says otherwise.
const DEFAULT_MESSAGES: u64 = 1_000_000;
/// The seed, unless `CHAOS_SOAK_SEED` says otherwise.
const DEFAULT_SEED: u64 = 0x05EE_D0FC_4A05;
/// Messages in the warm-up round.
const WARM_UP_MESSAGES: u64 = 20_000;
/// Of the messages, this fraction (1/n) is sent around the shutdown.
const TAIL_DIVISOR: u64 = 20;
const SENDERS: usize = 4;
const MIDS: usize = 3;
const WORKERS_PER_MID: usize = 4;
const WORKERS: usize = MIDS * WORKERS_PER_MID;
/// The mids: name, strategy, workers' mailbox, workers' backoff. Small
/// bounded mailboxes make senders wait for room often. Under the group
/// strategies a worker also crashes while its siblings' group restart is
/// stopping it (this soak found such a worker reported stuck and dropped;
/// see `supervision_crash_during_group_restart`).
const MID_CONFIG: [(&str, Strategy, MailboxKind, bool); MIDS] = [
    ("unbounded", Strategy::OneForOne, MailboxKind::Unbounded, false),
    (
        "backoff",
        Strategy::OneForAll,
        MailboxKind::Bounded(CAPACITY),
        true,
    ),
    (
        "bounded",
        Strategy::RestForOne,
        MailboxKind::Bounded(CAPACITY),
        false,
    ),
];
/// A bounded worker mailbox.
const CAPACITY: usize = 64;
/// One message in this many makes its worker panic.
const POISON_EVERY: u64 = 2_000;
/// One message in this many is an ask.
const ASK_EVERY: u64 = 256;
/// Far beyond the soak's own duration: an ask timing out is a failure.
const ASK_DEADLINE: Duration = Duration::from_secs(120);
/// How long a wait for the tree may take before the test fails (a hang
/// guard, not a timing assertion).
const PATIENCE: Duration = Duration::from_secs(600);
/// Net heap growth tolerated over the measured round.
const MEMORY_SLACK: i64 = 64 * 1024;

// ----- the ledger: one entry per message, written once -------------------

const UNSETTLED: u8 = 0;
const HANDLED: u8 = 1;
const PANICKED: u8 = 2;
const RETURNED: u8 = 3;
const DROPPED: u8 = 4;

struct Ledger {
    states: Box<[AtomicU8]>,
    /// Messages settled so far, all rounds.
    settled: AtomicU64,
    /// Attempts to settle a message a second time (must stay 0).
    twice: AtomicU64,
    /// `settled` value at which `reached` is notified.
    wake_at: AtomicU64,
    reached: Notify,
}

static LEDGER: OnceLock<Ledger> = OnceLock::new();

fn ledger() -> &'static Ledger {
    LEDGER.get().expect("ledger set up before any message")
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    unsettled: u64,
    handled: u64,
    panicked: u64,
    returned: u64,
    dropped: u64,
}

impl Ledger {
    fn new(messages: u64) -> Ledger {
        Ledger {
            states: (0..messages).map(|_| AtomicU8::new(UNSETTLED)).collect(),
            settled: AtomicU64::new(0),
            twice: AtomicU64::new(0),
            wake_at: AtomicU64::new(u64::MAX),
            reached: Notify::new(),
        }
    }

    fn settle(&self, seq: u64, outcome: u8) {
        let entry = &self.states[usize::try_from(seq).unwrap()];
        if entry
            .compare_exchange(UNSETTLED, outcome, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            self.twice.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let settled = self.settled.fetch_add(1, Ordering::AcqRel) + 1;
        if settled == self.wake_at.load(Ordering::Acquire) {
            self.reached.notify_one();
        }
    }

    fn state(&self, seq: u64) -> u8 {
        self.states[usize::try_from(seq).unwrap()].load(Ordering::Acquire)
    }

    /// Waits until `target` messages (all rounds) are settled.
    async fn wait_settled(&self, target: u64) {
        self.wake_at.store(target, Ordering::Release);
        let wait = async {
            while self.settled.load(Ordering::Acquire) < target {
                self.reached.notified().await;
            }
        };
        let waited = tokio::time::timeout(PATIENCE, wait).await;
        let settled = self.settled.load(Ordering::Acquire);
        assert!(waited.is_ok(), "only {settled} of {target} messages ever settled");
    }

    fn count(&self, seqs: Range<u64>) -> Counts {
        let mut counts = Counts::default();
        for seq in seqs {
            match self.state(seq) {
                UNSETTLED => counts.unsettled += 1,
                HANDLED => counts.handled += 1,
                PANICKED => counts.panicked += 1,
                RETURNED => counts.returned += 1,
                _ => counts.dropped += 1,
            }
        }
        counts
    }
}

/// A message; its ledger entry is written exactly once, by whoever ends it.
struct Job {
    seq: u64,
    /// The sender task (`SENDERS` for the test's own task).
    from: usize,
    poison: bool,
    reply: Option<ReplyPort<u64>>,
    open: bool,
}

impl Job {
    fn new(seq: u64, from: usize, poison: bool) -> Job {
        Job {
            seq,
            from,
            poison,
            reply: None,
            open: true,
        }
    }

    fn settle(&mut self, outcome: u8) {
        self.open = false;
        ledger().settle(self.seq, outcome);
    }
}

impl Drop for Job {
    /// Dropped without being handled or given back: a dead letter.
    fn drop(&mut self) {
        if self.open {
            self.settle(DROPPED);
        }
    }
}

// ----- the actors ------------------------------------------------------------

enum WorkerMsg {
    Job(Job),
    /// Answered by the worker's current instance.
    Ping(ReplyPort<()>),
    /// Signals `entered`, then holds the worker until `open` is sent or dropped.
    Gate {
        entered: oneshot::Sender<()>,
        open: oneshot::Receiver<()>,
    },
}

/// Per round, per worker (whatever its instance): panics, and the last
/// message (+ 1) received from each sender.
struct Shared {
    panics: [AtomicU64; WORKERS],
    last_seen: [[AtomicU64; SENDERS + 1]; WORKERS],
    out_of_order: AtomicU64,
}

impl Shared {
    fn new() -> Shared {
        Shared {
            panics: std::array::from_fn(|_| AtomicU64::new(0)),
            last_seen: std::array::from_fn(|_| std::array::from_fn(|_| AtomicU64::new(0))),
            out_of_order: AtomicU64::new(0),
        }
    }

    /// Each sender's messages must reach a worker in the order sent.
    fn received(&self, worker: usize, job: &Job) {
        let before = self.last_seen[worker][job.from].swap(job.seq + 1, Ordering::Relaxed);
        if before > job.seq {
            self.out_of_order.fetch_add(1, Ordering::Relaxed);
        }
    }
}

struct Worker {
    index: usize,
    shared: Arc<Shared>,
}

impl Actor for Worker {
    type Msg = WorkerMsg;

    async fn handle(&mut self, msg: WorkerMsg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            WorkerMsg::Job(mut job) if job.poison => {
                self.shared.received(self.index, &job);
                self.shared.panics[self.index].fetch_add(1, Ordering::Relaxed);
                job.settle(PANICKED);
                // The job (and an asker's reply port) drops while unwinding.
                panic!("chaos: planned panic");
            }
            WorkerMsg::Job(mut job) => {
                self.shared.received(self.index, &job);
                job.settle(HANDLED);
                if let Some(reply) = job.reply.take() {
                    let _ = reply.send(job.seq);
                }
            }
            WorkerMsg::Ping(reply) => {
                let _ = reply.send(());
            }
            WorkerMsg::Gate { entered, open } => {
                let _ = entered.send(());
                let _ = open.await;
            }
        }
        Ok(())
    }
}

fn worker_name(index: usize) -> String {
    format!("w{index}")
}

/// Mid supervisor `m`, allowed `limit` restarts within an hour.
fn mid(m: usize, limit: u32, shared: &Arc<Shared>) -> Supervisor {
    let (_, strategy, mailbox, backoff) = MID_CONFIG[m];
    let mut builder = Supervisor::builder()
        .strategy(strategy)
        .intensity(Intensity::new(limit, Duration::from_secs(3600)));
    for w in 0..WORKERS_PER_MID {
        let index = m * WORKERS_PER_MID + w;
        let shared = Arc::clone(shared);
        let mut spec = ChildSpec::new(worker_name(index), move || Worker {
            index,
            shared: Arc::clone(&shared),
        })
        .mailbox(mailbox);
        if backoff {
            spec = spec.backoff(Backoff::new(Duration::from_millis(1), Duration::from_millis(4)));
        }
        builder = builder.child(spec);
    }
    builder.build().unwrap()
}

/// Root (OTP's default intensity: a mid giving up would show as its restart)
/// over the mids.
fn tree(limits: [u32; MIDS], shared: &Arc<Shared>) -> Supervisor {
    let mut root = Supervisor::builder();
    for (m, (name, ..)) in MID_CONFIG.iter().enumerate() {
        let shared = Arc::clone(shared);
        let limit = limits[m];
        root = root.child(ChildSpec::new(*name, move || mid(m, limit, &shared)));
    }
    root.build().unwrap()
}

// ----- the plan: who sends what, seeded ---------------------------------------

/// splitmix64 (Steele, Lea, Flood 2014).
#[derive(Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// What one message is: its worker, whether it is poison, whether it is asked.
struct Pick {
    worker: usize,
    poison: bool,
    ask: bool,
}

impl Pick {
    fn next(rng: &mut SplitMix64) -> Pick {
        let r = rng.next();
        Pick {
            worker: (r % WORKERS as u64) as usize,
            poison: (r >> 16).is_multiple_of(POISON_EVERY),
            ask: (r >> 40).is_multiple_of(ASK_EVERY),
        }
    }
}

/// One round: message numbers from `base`, `messages` of them split
/// between the senders (each sender's last `1/TAIL_DIVISOR` goes around the
/// shutdown), then the last act's.
struct Plan {
    seed: u64,
    base: u64,
    messages: u64,
}

impl Plan {
    /// The last act (see `LastAct`): a poison message, tells and an ask
    /// that fill a mailbox, and one more message.
    fn last_act(&self) -> Range<u64> {
        let start = self.base + self.messages;
        start..start + CAPACITY as u64 + 1
    }

    fn end(&self) -> u64 {
        self.last_act().end
    }

    fn sender_range(&self, sender: usize) -> Range<u64> {
        let per = self.messages / SENDERS as u64;
        let start = self.base + per * sender as u64;
        let end = if sender + 1 == SENDERS {
            self.base + self.messages
        } else {
            start + per
        };
        start..end
    }

    /// Sender `sender`'s messages before the shutdown, the tail's first half
    /// (before), and its second half (after the shutdown began).
    fn phases(&self, sender: usize) -> [Range<u64>; 3] {
        let range = self.sender_range(sender);
        let tail = (range.end - range.start) / TAIL_DIVISOR;
        let tail_start = range.end - tail;
        let middle = tail_start + tail / 2;
        [range.start..tail_start, tail_start..middle, middle..range.end]
    }

    fn main_messages(&self) -> u64 {
        (0..SENDERS)
            .map(|s| self.phases(s)[0].end - self.phases(s)[0].start)
            .sum()
    }

    fn rng(&self, sender: usize) -> SplitMix64 {
        SplitMix64(self.seed ^ (sender as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    /// Poison messages planned for each mid's workers, over the whole round.
    fn poison_per_mid(&self) -> [u32; MIDS] {
        let mut per_mid = [0u32; MIDS];
        for sender in 0..SENDERS {
            let mut rng = self.rng(sender);
            for _ in self.sender_range(sender) {
                let pick = Pick::next(&mut rng);
                if pick.poison {
                    per_mid[pick.worker / WORKERS_PER_MID] += 1;
                }
            }
        }
        per_mid[MIDS - 1] += 1; // the last act's
        per_mid
    }
}

// ----- senders -----------------------------------------------------------------

#[derive(Default)]
struct Tally {
    asks: u64,
    answered: u64,
    no_reply: u64,
    asks_returned: u64,
    returned: u64,
    failures: Vec<String>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.asks += other.asks;
        self.answered += other.answered;
        self.no_reply += other.no_reply;
        self.asks_returned += other.asks_returned;
        self.returned += other.returned;
        self.failures.extend(other.failures);
    }

    fn give_back(&mut self, msg: WorkerMsg) {
        if let WorkerMsg::Job(mut job) = msg {
            job.settle(RETURNED);
            self.returned += 1;
        }
    }
}

async fn send(
    workers: &[ActorRef<Worker>],
    from: usize,
    seqs: Range<u64>,
    rng: &mut SplitMix64,
    tally: &mut Tally,
) {
    for seq in seqs {
        let pick = Pick::next(rng);
        let worker = &workers[pick.worker];
        let mut job = Job::new(seq, from, pick.poison);
        if !pick.ask {
            if let Err(error) = worker.tell(WorkerMsg::Job(job)).await {
                tally.give_back(error.into_inner());
            }
            continue;
        }
        tally.asks += 1;
        let asked = worker.ask_timeout(
            |reply| {
                job.reply = Some(reply);
                WorkerMsg::Job(job)
            },
            ASK_DEADLINE,
        );
        match asked.await {
            Ok(answer) => {
                tally.answered += 1;
                if answer != seq || ledger().state(seq) != HANDLED {
                    tally.failures.push(format!("ask {seq}: answered {answer}"));
                }
            }
            Err(AskError::NoReply) => {
                tally.no_reply += 1;
                if !matches!(ledger().state(seq), PANICKED | DROPPED) {
                    let state = ledger().state(seq);
                    tally.failures.push(format!("ask {seq}: no reply, state {state}"));
                }
            }
            Err(AskError::Closed(msg)) => {
                tally.asks_returned += 1;
                tally.give_back(msg);
            }
            Err(other) => tally.failures.push(format!("ask {seq}: {other}")),
        }
    }
}

// ----- tracing: what the framework reports ------------------------------------

#[derive(Default)]
struct Capture {
    dead_letters: AtomicU64,
    panicked: AtomicU64,
    gave_up: AtomicU64,
    stuck: AtomicU64,
    killed: AtomicU64,
    /// `actor.id` of every "child restarted" event.
    restarted: Mutex<Vec<String>>,
}

impl Capture {
    fn reset(&self) {
        for counter in [
            &self.dead_letters,
            &self.panicked,
            &self.gave_up,
            &self.stuck,
            &self.killed,
        ] {
            counter.store(0, Ordering::Relaxed);
        }
        self.take_restarted();
    }

    fn take_restarted(&self) -> Vec<String> {
        std::mem::take(&mut *self.restarted.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[derive(Default)]
struct Fields {
    message: String,
    id: String,
    count: u64,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => self.message = format!("{value:?}"),
            "actor.id" => self.id = format!("{value:?}"),
            _ => {}
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "count" {
            self.count = value;
        }
    }
}

struct CaptureLayer(Arc<Capture>);

fn captured(metadata: &Metadata<'_>) -> bool {
    metadata.is_event()
        && matches!(
            metadata.target(),
            "actor_core::lifecycle" | "actor_core::supervision"
        )
}

impl<S: Subscriber> Layer<S> for CaptureLayer {
    /// Events of the two targets only: per-message spans stay disabled.
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if captured(metadata) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>, _ctx: LayerContext<'_, S>) -> bool {
        captured(metadata)
    }

    fn on_event(&self, event: &Event<'_>, _ctx: LayerContext<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let capture = &self.0;
        let counter = match fields.message.as_str() {
            "dead letters: messages dropped unhandled" => {
                capture.dead_letters.fetch_add(fields.count, Ordering::Relaxed);
                return;
            }
            "child restarted" => {
                let mut restarted = capture.restarted.lock().unwrap_or_else(PoisonError::into_inner);
                restarted.push(fields.id);
                return;
            }
            "actor panicked" => &capture.panicked,
            m if m.starts_with("supervisor gave up") => &capture.gave_up,
            m if m.contains("stuck") => &capture.stuck,
            "actor did not stop in time and was killed" => &capture.killed,
            _ => return,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Keeps the planned panics off stderr; any other panic is reported as usual.
fn silence_planned_panics() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let planned = info
            .payload()
            .downcast_ref::<&str>()
            .is_some_and(|text| text.starts_with("chaos:"));
        if !planned {
            report(info);
        }
    }));
}

// ----- the tree as the snapshot shows it ----------------------------------------

/// (depth, id, name, state, restarts) of every actor, depth first.
type Row = (usize, ActorId, Option<String>, ActorState, u32);

fn rows(snapshot: &Snapshot) -> Vec<Row> {
    fn walk(actors: &[ActorInfo], depth: usize, out: &mut Vec<Row>) {
        for actor in actors {
            out.push((depth, actor.id, actor.name.clone(), actor.state, actor.restarts));
            walk(&actor.children, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(&snapshot.roots, 0, &mut out);
    out
}

fn places(rows: &[Row]) -> Vec<(usize, ActorId, Option<String>)> {
    rows.iter()
        .map(|(depth, id, name, _, _)| (*depth, *id, name.clone()))
        .collect()
}

/// Checks mid `m`'s children after the load: all running, in order, with
/// restart counts that fit the strategy. `panics` are the workers' panics.
fn check_restarts(m: usize, children: &[ChildInfo], panics: &[u64]) {
    let (mid, strategy, ..) = MID_CONFIG[m];
    let names: Vec<String> = (0..WORKERS_PER_MID)
        .map(|w| worker_name(m * WORKERS_PER_MID + w))
        .collect();
    let seen: Vec<&str> = children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(seen, names, "{}: children in start order", mid);
    assert!(
        children.iter().all(|c| c.state == ChildState::Running),
        "{}: {children:?}",
        mid
    );
    let restarts: Vec<u64> = children.iter().map(|c| u64::from(c.restarts)).collect();
    // A worker is restarted after each of its own panics, and after those of
    // the siblings whose restart takes it along (at most once per crash).
    for (k, (&restarted, &panicked)) in restarts.iter().zip(panics).enumerate() {
        let takes_along: u64 = match strategy {
            Strategy::OneForOne => panicked,
            Strategy::OneForAll => panics.iter().sum(),
            Strategy::RestForOne => panics[..=k].iter().sum(),
        };
        assert!(
            (panicked..=takes_along).contains(&restarted),
            "{} w{k}: {restarted} restarts after {panicked} panics (at most {takes_along}); all: {restarts:?} after {panics:?}",
            mid
        );
    }
    if strategy == Strategy::OneForAll {
        assert!(
            restarts.iter().all(|r| *r == restarts[0]),
            "{}: all restarted together: {restarts:?}",
            mid
        );
    }
}

/// Yields until `done()` holds, a bounded number of times.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..1_000_000 {
        if done() {
            return;
        }
        tokio::task::yield_now().await;
    }
    assert!(done(), "never saw {what}");
}

/// The last act, staged on the worker that is stopped first at shutdown
/// (the last-started worker of the last-started mid): the worker is held in
/// a handler while a poison message, tells and an ask fill its mailbox
/// behind it. One more tell then waits for room, until the shutdown closes
/// the mailbox and gives it back: now the worker is released, panics on
/// the poison with its mailbox closed, and what is queued behind the poison
/// becomes dead letters, whatever the chaos did before.
struct LastAct {
    open: oneshot::Sender<()>,
    asker: tokio::task::JoinHandle<Result<u64, AskError<()>>>,
    /// The one more tell's message.
    extra: u64,
}

async fn stage_last_act(last: &ActorRef<Worker>, seqs: Range<u64>) -> LastAct {
    let (entered_tx, entered) = oneshot::channel();
    let (open, open_rx) = oneshot::channel();
    let gate = WorkerMsg::Gate {
        entered: entered_tx,
        open: open_rx,
    };
    last.tell(gate).await.unwrap();
    let (poison, asked, extra) = (seqs.start, seqs.end - 2, seqs.end - 1);
    last.tell(WorkerMsg::Job(Job::new(poison, SENDERS, true)))
        .await
        .unwrap();
    for seq in poison + 1..asked {
        last.tell(WorkerMsg::Job(Job::new(seq, SENDERS, false)))
            .await
            .unwrap();
    }
    let asker = tokio::spawn({
        let last = last.clone();
        async move {
            let mut job = Job::new(asked, SENDERS, false);
            let ask = |reply| {
                job.reply = Some(reply);
                WorkerMsg::Job(job)
            };
            last.ask_timeout(ask, ASK_DEADLINE)
                .await
                .map_err(AskError::discard_message)
        }
    });
    entered.await.unwrap();
    until("a full mailbox", || last.mailbox_len() == CAPACITY).await;
    LastAct { open, asker, extra }
}

// ----- one round -----------------------------------------------------------------

struct Figures {
    counts: Counts,
    asks: u64,
    restarts: u64,
    dead_letters: u64,
}

async fn soak(plan: &Plan, capture: &Capture) -> Figures {
    let tasks_before = alive_tasks();
    capture.reset();
    let shared = Arc::new(Shared::new());
    let system = System::new();
    let root = system
        .spawn_with(
            tree(plan.poison_per_mid(), &shared),
            SpawnOptions::new().name("root"),
        )
        .await
        .unwrap();
    let mut mids: Vec<ActorRef<Supervisor>> = Vec::new();
    let mut workers: Vec<ActorRef<Worker>> = Vec::new();
    for (m, (name, ..)) in MID_CONFIG.iter().enumerate() {
        let mid: ActorRef<Supervisor> = root.child(name).await.unwrap();
        for w in 0..WORKERS_PER_MID {
            let name = worker_name(m * WORKERS_PER_MID + w);
            workers.push(mid.child(&name).await.unwrap());
        }
        mids.push(mid);
    }
    let workers: Arc<[ActorRef<Worker>]> = workers.into();
    let before = rows(&system.snapshot());
    assert_eq!(before.len(), 1 + MIDS + WORKERS, "{before:?}");

    // The load, with workers panicking under it.
    let mut senders = Vec::new();
    for sender in 0..SENDERS {
        let workers = Arc::clone(&workers);
        let main = plan.phases(sender)[0].clone();
        let mut rng = plan.rng(sender);
        senders.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            send(&workers, sender, main, &mut rng, &mut tally).await;
            (rng, tally)
        }));
    }
    let mut rngs = Vec::new();
    let mut tally = Tally::default();
    for sender in senders {
        let (rng, sent) = sender.await.unwrap();
        rngs.push(rng);
        tally.add(sent);
    }
    assert!(tally.failures.is_empty(), "{:?}", tally.failures);
    assert_eq!(tally.returned, 0, "no message refused while the tree was up");
    ledger().wait_settled(plan.base + plan.main_messages()).await;

    // Quiet: each worker's current instance answers, so every restart so
    // far is done and reported.
    for worker in workers.iter() {
        worker.ask_timeout(WorkerMsg::Ping, ASK_DEADLINE).await.unwrap();
    }
    let panics: Vec<u64> = shared.panics.iter().map(|p| p.load(Ordering::Relaxed)).collect();
    for (m, mid) in mids.iter().enumerate() {
        let children = mid.children().await.unwrap();
        let range = m * WORKERS_PER_MID..(m + 1) * WORKERS_PER_MID;
        check_restarts(m, &children, &panics[range]);
    }
    let root_children = root.children().await.unwrap();
    assert!(
        root_children
            .iter()
            .all(|c| c.state == ChildState::Running && c.restarts == 0),
        "no mid gave up: {root_children:?}"
    );

    let after = rows(&system.snapshot());
    assert_eq!(
        places(&after),
        places(&before),
        "the tree is whole:\n{}",
        system.snapshot()
    );
    assert!(after.iter().all(|row| row.3 == ActorState::Running), "{after:?}");
    assert!(
        after.iter().filter(|row| row.0 < 2).all(|row| row.4 == 0),
        "root and mids never restarted: {after:?}"
    );
    let restarts: u64 = after.iter().map(|row| u64::from(row.4)).sum();
    let restarted = capture.take_restarted();
    assert_eq!(restarted.len() as u64, restarts, "one restart event per restart");
    let worker_ids: Vec<String> = workers.iter().map(|w| w.id().to_string()).collect();
    assert!(
        restarted.iter().all(|id| worker_ids.contains(id)),
        "only workers restarted: {restarted:?}"
    );
    assert_eq!(
        capture.gave_up.load(Ordering::Relaxed),
        0,
        "no supervisor gave up"
    );
    assert_eq!(capture.stuck.load(Ordering::Relaxed), 0, "nothing stuck");

    // The tail: half sent before the shutdown, half after it began.
    let half = Arc::new(Barrier::new(SENDERS + 1));
    let go = Arc::new(Barrier::new(SENDERS + 1));
    let mut senders = Vec::new();
    for (sender, mut rng) in rngs.into_iter().enumerate() {
        let workers = Arc::clone(&workers);
        let [_, before_shutdown, after_shutdown] = plan.phases(sender);
        let (half, go) = (Arc::clone(&half), Arc::clone(&go));
        senders.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            send(&workers, sender, before_shutdown, &mut rng, &mut tally).await;
            half.wait().await;
            go.wait().await;
            send(&workers, sender, after_shutdown, &mut rng, &mut tally).await;
            tally
        }));
    }
    half.wait().await;
    let last = &workers[WORKERS - 1];
    let act = stage_last_act(last, plan.last_act()).await;
    let shutdown = tokio::spawn({
        let system = system.clone();
        async move { system.shutdown().await }
    });
    let waiting = last.tell(WorkerMsg::Job(Job::new(act.extra, SENDERS, false)));
    match tokio::time::timeout(PATIENCE, waiting)
        .await
        .expect("the shutdown closes it")
    {
        Err(SendError::Closed(msg)) => tally.give_back(msg),
        other => panic!("a full mailbox took a message: {other:?}"),
    }
    drop(act.open);
    go.wait().await;
    let report = tokio::time::timeout(PATIENCE, shutdown)
        .await
        .expect("shutdown ends")
        .unwrap();
    for sender in senders {
        tally.add(sender.await.unwrap());
    }
    assert!(tally.failures.is_empty(), "{:?}", tally.failures);
    assert!(report.is_clean(), "nothing needed a kill: {report:?}");
    assert_eq!(capture.killed.load(Ordering::Relaxed), 0);
    assert!(matches!(root.exit_reason(), Some(ExitReason::Shutdown)));
    for mid in &mids {
        assert!(matches!(mid.exit_reason(), Some(ExitReason::Shutdown)));
    }
    assert!(workers.iter().all(|w| w.exit_reason().is_some()));
    assert!(matches!(last.exit_reason(), Some(ExitReason::Panicked(_))));
    assert!(matches!(act.asker.await.unwrap(), Err(AskError::NoReply)));
    let staged = plan.last_act();
    assert_eq!(ledger().state(staged.start), PANICKED);
    assert_eq!(ledger().state(act.extra), RETURNED);
    assert!(
        (staged.start + 1..act.extra).all(|seq| ledger().state(seq) == DROPPED),
        "queued behind the panic of a stopping worker: dead letters"
    );
    assert_eq!(system.top_level_count(), 0);

    // Every message settled once, and the framework's counts agree.
    let counts = ledger().count(plan.base..plan.end());
    assert_eq!(counts.unsettled, 0, "messages lost without a trace: {counts:?}");
    assert_eq!(
        ledger().twice.load(Ordering::Relaxed),
        0,
        "no message settled twice"
    );
    let out_of_order = shared.out_of_order.load(Ordering::Relaxed);
    assert_eq!(out_of_order, 0, "FIFO per sender and worker, across restarts");
    assert_eq!(counts.returned, tally.returned, "{counts:?}");
    let panicked: u64 = shared.panics.iter().map(|p| p.load(Ordering::Relaxed)).sum();
    assert_eq!(counts.panicked, panicked, "{counts:?}");
    assert_eq!(
        capture.panicked.load(Ordering::Relaxed),
        panicked,
        "one event per panic"
    );
    let dead_letters = system.dead_letters();
    assert_eq!(
        counts.dropped, dead_letters,
        "dropped messages are counted dead letters"
    );
    assert_eq!(
        capture.dead_letters.load(Ordering::Relaxed),
        dead_letters,
        "and traced"
    );
    assert_eq!(
        counts.handled + counts.panicked + counts.returned + counts.dropped,
        plan.end() - plan.base
    );
    assert_eq!(
        tally.asks,
        tally.answered + tally.no_reply + tally.asks_returned,
        "every ask ended with a reply, `NoReply` or its message back"
    );

    drop((root, mids, workers, system));
    let tasks_after = settle_alive_tasks(tasks_before).await;
    assert_eq!(tasks_after, tasks_before, "no task left behind");
    capture.take_restarted();
    Figures {
        asks: tally.asks,
        restarts,
        dead_letters,
        counts,
    }
}

#[test]
fn a_supervision_tree_under_chaos_stays_whole_and_accounts_for_every_message() {
    let from_env = |name: &str, default: u64| {
        std::env::var(name).map_or(default, |value| {
            value
                .replace('_', "")
                .parse()
                .unwrap_or_else(|_| panic!("{name}={value} is not a number"))
        })
    };
    let messages = from_env("CHAOS_SOAK_MESSAGES", DEFAULT_MESSAGES);
    let seed = from_env("CHAOS_SOAK_SEED", DEFAULT_SEED);
    let warm_up = Plan {
        seed: seed.rotate_left(32),
        base: 0,
        messages: WARM_UP_MESSAGES,
    };
    let plan = Plan {
        seed,
        base: warm_up.end(),
        messages,
    };
    assert!(LEDGER.set(Ledger::new(plan.end())).is_ok());
    silence_planned_panics();
    let capture = Arc::new(Capture::default());
    let subscriber = tracing_subscriber::registry().with(CaptureLayer(Arc::clone(&capture)));
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    runtime.block_on(soak(&warm_up, &capture));
    let region = Region::new(GLOBAL);
    let started = std::time::Instant::now();
    let figures = runtime.block_on(soak(&plan, &capture));
    let elapsed = started.elapsed();
    let change = region.change();
    let net = change.bytes_allocated as i64 - change.bytes_deallocated as i64;
    eprintln!(
        "chaos soak, seed {seed:#x}: {messages} messages ({} asks) in {elapsed:.2?}: {:?}, {} restarts, \
         {} dead letters; heap {net:+} bytes net ({} allocations)",
        figures.asks, figures.counts, figures.restarts, figures.dead_letters, change.allocations
    );
    assert!(
        net <= MEMORY_SLACK,
        "heap grew by {net} bytes over the round (tolerated: {MEMORY_SLACK})"
    );
}
