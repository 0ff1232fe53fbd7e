//! Stuck handlers: what each actor publishes about the message it is
//! handling, and the per-system watchdog that reads it (see the
//! [introspect guide](crate::introspect#stuck-handlers) for what users see).
//!
//! # Cost on the per-message path
//!
//! A handler starts when `recv` returns its message and ends when the actor
//! asks for the next one (the default loop and loop actors alike). At each
//! start the actor stores one word into its own [`Activity`]: the number of
//! messages it has taken so far and the index of the message's kind in a
//! small per-actor table; at each end it clears the kind. Both are plain
//! stores to a word that only the actor writes and that sits two cache lines
//! away from anything senders read (see [`Core`]'s layout); the index is
//! found by pointer comparison against the kinds it has seen. Nothing is
//! allocated, locked or read from the clock per message: the table
//! allocates a small block the first time an actor sees a third kind (a
//! fifth, ...), takes no lock, and the clock is only read by the watchdog.
//!
//! # The watchdog
//!
//! One tokio task per [`System`](crate::System), started with its first
//! top-level actor, wakes every quarter of the threshold (on the runtime's
//! clock, so paused-clock tests drive it) and walks the tree like a
//! snapshot. It remembers, off the hot path, when it first saw each actor
//! busy with one message (the word identifies the message: the count moves
//! on with every message). A message still running a threshold later is
//! reported once; a later message is a new one. So a handler is reported
//! after it has run between one threshold and a threshold plus a quarter,
//! and the time reported is a lower bound.
//!
//! The watchdog holds only a weak reference to its system. It ends when the
//! system shuts down, when the last top-level actor has left (the next
//! top-level spawn starts a new one), or when its runtime goes away.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::{Instant, Interval, MissedTickBehavior};

use crate::id::ActorId;
use crate::introspect::StuckHandler;
use crate::mailbox::envelope::SentAt;
use crate::runtime::cell::{Children, Control, Core};
use crate::system::SystemInner;

/// The tracing target of stuck-handler reports.
pub(crate) const STUCK_TARGET: &str = "actor_core::stuck";

/// Low bits of an activity word: the kind's index + 1, or 0 when idle. The
/// high bits count the messages taken.
const KIND_BITS: u32 = 16;
const KIND_MASK: u64 = (1 << KIND_BITS) - 1;
/// Kinds per block of the kind table.
const BLOCK: usize = 2;
/// Kinds remembered per actor at most; later ones show as [`OTHER_KIND`].
pub(crate) const MAX_KINDS: usize = 64;
/// The index of every kind past [`MAX_KINDS`].
pub(crate) const OTHER_INDEX: usize = MAX_KINDS;
/// How a kind past [`MAX_KINDS`] is named.
pub(crate) const OTHER_KIND: &str = "(other)";

/// What an actor publishes about the handler it runs: written by the actor
/// alone, read by the watchdog and snapshots. The word comes first
/// (`repr(C)`): [`Core`] places it two cache lines away from what senders
/// read.
#[repr(C)]
pub(crate) struct Activity {
    /// Messages taken << [`KIND_BITS`] | (kind index + 1, or 0 when idle).
    word: AtomicU64,
    /// The kinds seen, by index: the first block in place, later ones
    /// chained (allocated the first time an actor sees a third kind, a
    /// fifth...). Only the actor fills slots; readers need no lock.
    kinds: KindBlock,
}

/// [`BLOCK`] kinds and the next block.
struct KindBlock {
    slots: [OnceLock<&'static str>; BLOCK],
    next: OnceLock<Box<KindBlock>>,
}

impl KindBlock {
    fn new() -> KindBlock {
        KindBlock {
            slots: std::array::from_fn(|_| OnceLock::new()),
            next: OnceLock::new(),
        }
    }
}

impl Activity {
    pub(crate) fn new() -> Activity {
        Activity {
            word: AtomicU64::new(0),
            kinds: KindBlock::new(),
        }
    }

    /// The word, if a handler is running.
    fn busy_word(&self) -> Option<u64> {
        let word = self.word.load(Ordering::Acquire);
        (word & KIND_MASK != 0).then_some(word)
    }

    /// The kind a busy word names.
    fn kind_of(&self, word: u64) -> &'static str {
        let index = usize::try_from(word & KIND_MASK).map_or(OTHER_INDEX, |k| k.saturating_sub(1));
        let mut block = &self.kinds;
        for _ in 0..index / BLOCK {
            match block.next.get() {
                Some(next) => block = next,
                None => return OTHER_KIND,
            }
        }
        block.slots[index % BLOCK].get().copied().unwrap_or(OTHER_KIND)
    }

    /// A handler starts on a message of `kind` (called by the actor only).
    #[inline]
    pub(crate) fn begin(&self, kind: &'static str) -> usize {
        let index = self.index_of(kind);
        // Only the actor writes the word: its own last store.
        let taken = (self.word.load(Ordering::Relaxed) >> KIND_BITS).wrapping_add(1);
        // `index` is at most `OTHER_INDEX`, far below the kind bits' range.
        let word = (taken << KIND_BITS) | (index as u64 + 1);
        // Release: a watchdog that sees the word sees the kind's slot.
        self.word.store(word, Ordering::Release);
        index
    }

    /// The running handler, if any, has finished (called by the actor
    /// only). Whether one was running.
    #[inline]
    pub(crate) fn end(&self) -> bool {
        let word = self.word.load(Ordering::Relaxed);
        if word & KIND_MASK == 0 {
            return false;
        }
        self.word.store(word & !KIND_MASK, Ordering::Relaxed);
        true
    }

    /// `kind`'s index in the table, added on first sight.
    #[inline]
    fn index_of(&self, kind: &'static str) -> usize {
        let mut block = &self.kinds;
        let mut base = 0;
        loop {
            for (offset, slot) in block.slots.iter().enumerate() {
                // Only the actor fills slots: an empty one is its to fill.
                if same(slot.get_or_init(|| kind), kind) {
                    return base + offset;
                }
            }
            base += BLOCK;
            if base >= MAX_KINDS {
                return OTHER_INDEX;
            }
            block = block.next.get_or_init(|| Box::new(KindBlock::new()));
        }
    }
}

/// Whether two kinds are the same: the same string (the usual case, one
/// comparison) or equal text (a literal duplicated across codegen units).
#[inline]
fn same(a: &'static str, b: &'static str) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

/// What the actor's [`Context`](crate::Context) keeps about its running
/// handler: nothing, unless the `metrics` feature wants handles and times.
pub(crate) struct Handling {
    /// Per-kind metric handles and the running handler's start (boxed: the
    /// context lives in the actor's task, whose size is paid per actor).
    #[cfg(feature = "metrics")]
    metrics: Option<Box<crate::introspect::metrics::HandlerMetrics>>,
}

impl Handling {
    pub(crate) fn new() -> Handling {
        Handling {
            #[cfg(feature = "metrics")]
            metrics: None,
        }
    }

    /// A handler starts on a message of `kind`.
    #[inline]
    pub(crate) fn begin(&mut self, core: &Core, kind: &'static str, sent_at: SentAt) {
        let index = core.activity.begin(kind);
        #[cfg(feature = "metrics")]
        crate::introspect::metrics::HandlerMetrics::begin(&mut self.metrics, core, index, kind, sent_at);
        #[cfg(not(feature = "metrics"))]
        let _ = (index, sent_at);
    }

    /// `recv` returned no message at once (it waits, or the mailbox closed).
    #[inline]
    pub(crate) fn no_message(&mut self) {
        #[cfg(feature = "metrics")]
        if let Some(metrics) = &mut self.metrics {
            metrics.waited();
        }
    }

    /// The running handler, if any, has finished.
    #[inline]
    pub(crate) fn end(&mut self, core: &Core) {
        let ended = core.activity.end();
        #[cfg(feature = "metrics")]
        if ended && let Some(metrics) = &mut self.metrics {
            metrics.end();
        }
        #[cfg(not(feature = "metrics"))]
        let _ = ended;
    }
}

/// A system's watchdog: its settings and what it has seen.
pub(crate) struct Watchdog {
    /// The threshold in nanoseconds; 0 when detection is off.
    threshold: AtomicU64,
    /// A watchdog task is running (or starting).
    running: AtomicBool,
    /// Wakes the task early: shutdown, an empty tree, a new threshold.
    wake: Arc<Notify>,
    /// The runtime had no time driver: no watchdog for this system.
    no_timers: AtomicBool,
    /// Busy actors as last seen.
    seen: Mutex<HashMap<ActorId, Seen>>,
}

/// One actor seen busy with one message.
struct Seen {
    word: u64,
    /// The first check that saw it.
    since: Instant,
    /// Set once reported.
    reported: Option<Reported>,
}

/// What a report said, to say it again when the handler finishes.
struct Reported {
    id: ActorId,
    name: Option<Arc<str>>,
    type_name: &'static str,
    kind: &'static str,
}

impl Watchdog {
    pub(crate) fn new(threshold: Option<Duration>) -> Watchdog {
        Watchdog {
            threshold: AtomicU64::new(threshold.map_or(0, nanos)),
            running: AtomicBool::new(false),
            wake: Arc::new(Notify::new()),
            no_timers: AtomicBool::new(false),
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// The threshold, or `None` when detection is off.
    pub(crate) fn threshold(&self) -> Option<Duration> {
        match self.threshold.load(Ordering::Relaxed) {
            0 => None,
            n => Some(Duration::from_nanos(n)),
        }
    }

    /// Sets the threshold (`None`: off) and wakes a running task to pick it
    /// up.
    pub(crate) fn set_threshold(&self, threshold: Option<Duration>) {
        self.threshold
            .store(threshold.map_or(0, nanos), Ordering::Relaxed);
        if self.running.load(Ordering::SeqCst) {
            self.wake();
        }
    }

    /// Wakes the task (if any) for an early check.
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }

    /// Whether a watchdog has work: stuck detection, or metrics to sample.
    fn wanted(&self) -> bool {
        (self.threshold().is_some() || cfg!(feature = "metrics")) && !self.no_timers.load(Ordering::Relaxed)
    }

    /// How often the task checks.
    fn period(&self) -> Duration {
        match self.threshold() {
            Some(threshold) => (threshold / 4).max(MIN_PERIOD),
            None => SAMPLE_PERIOD,
        }
    }

    fn seen(&self) -> MutexGuard<'_, HashMap<ActorId, Seen>> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The shortest check period (thresholds under 4 ms check every millisecond).
const MIN_PERIOD: Duration = Duration::from_millis(1);
/// The check period with stuck detection off, when only metrics are sampled.
const SAMPLE_PERIOD: Duration = Duration::from_secs(1);

fn nanos(threshold: Duration) -> u64 {
    u64::try_from(threshold.as_nanos()).unwrap_or(u64::MAX).max(1)
}

/// Starts `system`'s watchdog on the current runtime, unless it runs, has
/// nothing to do, or there is no runtime. Called after each top-level spawn.
pub(crate) fn ensure_running(system: &Arc<SystemInner>) {
    let dog = &system.watchdog;
    // After the spawner's insert into the root (under its lock): either the
    // task sees the new actor before it leaves, or this sees it gone.
    if !dog.wanted() || dog.running.load(Ordering::SeqCst) {
        return;
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    if dog
        .running
        .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        return;
    }
    let armed = Armed {
        system: Arc::downgrade(system),
        armed: true,
    };
    let period = dog.period();
    // tokio panics when the runtime was built without its time driver: the
    // watchdog then stays off for this system (the runtime's panic hook
    // still prints tokio's message once).
    let Ok(ticks) = std::panic::catch_unwind(|| ticker(period)) else {
        dog.no_timers.store(true, Ordering::Relaxed);
        tracing::warn!(
            target: STUCK_TARGET,
            "stuck-handler detection is off: the tokio runtime has no time driver (enable_time)"
        );
        return; // `armed` clears `running`
    };
    drop(runtime.spawn(watch(armed, period, ticks, Arc::clone(&dog.wake))));
}

/// Clears `running` if the task is dropped by its runtime (not when it
/// returns: it settles the flag itself then).
struct Armed {
    system: Weak<SystemInner>,
    armed: bool,
}

impl Drop for Armed {
    fn drop(&mut self) {
        if self.armed
            && let Some(system) = self.system.upgrade()
        {
            system.watchdog.running.store(false, Ordering::SeqCst);
        }
    }
}

fn ticker(period: Duration) -> Interval {
    let mut ticks = tokio::time::interval_at(Instant::now() + period, period);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    ticks
}

/// The watchdog task (see the module docs).
///
/// `armed` is an argument, so the flag is cleared even if the runtime drops
/// the task before its first poll.
async fn watch(mut armed: Armed, mut period: Duration, mut ticks: Interval, wake: Arc<Notify>) {
    let system = Weak::clone(&armed.system);
    #[cfg(feature = "metrics")]
    let mut depths = crate::introspect::metrics::DepthGauges::default();
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = wake.notified() => {}
        }
        let Some(system) = system.upgrade() else {
            armed.armed = false;
            return;
        };
        let dog = &system.watchdog;
        if system.is_shut_down() {
            dog.seen().clear();
            armed.armed = false;
            return;
        }
        if system.root.len() == 0 || !dog.wanted() {
            dog.seen().clear();
            dog.running.store(false, Ordering::SeqCst);
            // A top-level spawn that still saw `running` set shows in the
            // root now; keep watching then, unless it started a watchdog.
            let keep = system.root.len() > 0
                && dog.wanted()
                && dog
                    .running
                    .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok();
            if !keep {
                armed.armed = false;
                return;
            }
        }
        check(
            &system,
            Instant::now(),
            #[cfg(feature = "metrics")]
            &mut depths,
        );
        let wanted = dog.period();
        if wanted != period {
            period = wanted;
            ticks = ticker(period);
        }
    }
}

/// Every actor of the tree under `root`, parents before children.
fn walk(root: &Children, mut visit: impl FnMut(&Arc<dyn Control>)) {
    let mut stack: Vec<Arc<dyn Control>> = root.lock().map.values().cloned().collect();
    while let Some(actor) = stack.pop() {
        visit(&actor);
        stack.extend(actor.core().children.lock().map.values().cloned());
    }
}

/// One check: samples what metrics want, then reports the handlers that
/// have been running on one message for the threshold, once each.
fn check(
    system: &SystemInner,
    now: Instant,
    #[cfg(feature = "metrics")] depths: &mut crate::introspect::metrics::DepthGauges,
) {
    let threshold = system.watchdog.threshold();
    let mut busy = Vec::new();
    walk(&system.root, |actor| {
        #[cfg(feature = "metrics")]
        depths.add(&**actor);
        if threshold.is_some()
            && let Some(word) = actor.core().activity.busy_word()
        {
            busy.push((Arc::clone(actor), word));
        }
    });
    #[cfg(feature = "metrics")]
    depths.publish();
    let mut seen = system.watchdog.seen();
    let Some(threshold) = threshold else {
        seen.clear();
        return;
    };
    let mut next = HashMap::with_capacity(busy.len());
    for (actor, word) in busy {
        let core = actor.core();
        let mut entry = match seen.remove(&core.id) {
            Some(entry) if entry.word == word => entry,
            other => {
                if let Some(old) = other {
                    old.finished(now);
                }
                Seen {
                    word,
                    since: now,
                    reported: None,
                }
            }
        };
        let running_for = now.saturating_duration_since(entry.since);
        if entry.reported.is_none() && running_for >= threshold {
            let kind = core.activity.kind_of(word);
            report_stuck(core, kind, running_for);
            entry.reported = Some(Reported {
                id: core.id,
                name: core.name.clone(),
                type_name: core.type_name,
                kind,
            });
        }
        next.insert(core.id, entry);
    }
    for (_, old) in seen.drain() {
        old.finished(now);
    }
    *seen = next;
}

fn report_stuck(core: &Core, kind: &'static str, running_for: Duration) {
    tracing::warn!(
        target: STUCK_TARGET,
        {
            actor.id = %core.id,
            actor.name = core.display_name(),
            actor.r#type = core.type_name,
            msg.kind = kind,
            elapsed = ?running_for,
        },
        "handler stuck: running for {running_for:?} without finishing"
    );
    #[cfg(feature = "metrics")]
    crate::introspect::metrics::count_stuck(core, kind);
}

impl Seen {
    /// The message is no longer running (or its actor is gone): a reported
    /// one says so.
    fn finished(self, now: Instant) {
        if let Some(reported) = self.reported {
            let elapsed = now.saturating_duration_since(self.since);
            tracing::info!(
                target: STUCK_TARGET,
                {
                    actor.id = %reported.id,
                    actor.name = reported.name.as_deref().unwrap_or(""),
                    actor.r#type = reported.type_name,
                    msg.kind = reported.kind,
                    elapsed = ?elapsed,
                },
                "handler unstuck after {elapsed:?}"
            );
        }
    }
}

/// What a snapshot shows of stuck handlers: the watchdog's view, locked for
/// the snapshot's walk.
pub(crate) struct StuckView<'a> {
    seen: MutexGuard<'a, HashMap<ActorId, Seen>>,
    now: Instant,
}

impl<'a> StuckView<'a> {
    pub(crate) fn of(system: &'a SystemInner) -> StuckView<'a> {
        StuckView {
            seen: system.watchdog.seen(),
            now: Instant::now(),
        }
    }

    /// The actor's stuck handler, if the watchdog reported the message it
    /// is still running.
    pub(crate) fn stuck(&self, core: &Core) -> Option<StuckHandler> {
        let word = core.activity.busy_word()?;
        let entry = self.seen.get(&core.id).filter(|entry| entry.word == word)?;
        let reported = entry.reported.as_ref()?;
        Some(StuckHandler {
            kind: reported.kind,
            running_for: self.now.saturating_duration_since(entry.since),
        })
    }
}
