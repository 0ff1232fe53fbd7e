//! Per-actor metrics through the [`metrics`](https://docs.rs/metrics) facade
//! (the `metrics` cargo feature), ready for any exporter: Prometheus, StatsD,
//! OpenTelemetry...
//!
//! actor-core only records; the application installs a recorder (an
//! exporter) once, at start, and may call [`describe`] to give each metric
//! its help text and unit. Without a recorder every recording is a no-op.
//! Without the feature none of this code exists and the receive loop is the
//! same as ever.
//!
//! # The metrics
//!
//! | name | type | labels | what |
//! |---|---|---|---|
//! | [`MESSAGES_HANDLED`] | counter | type, name, kind | messages whose handler finished (returned, failed, panicked or was killed) |
//! | [`HANDLING_SECONDS`] | histogram | type, name, kind | time from `recv` returning the message until the actor asked for the next one |
//! | [`QUEUE_WAIT_SECONDS`] | histogram | type, name, kind | time from the send (the message entering the mailbox) until the handler started; not for signals and source items, which nobody sent |
//! | [`MAILBOX_DEPTH`] | gauge | type, name | messages waiting, summed over the actors with these labels, sampled by the watchdog |
//! | [`RESTARTS`] | counter | type, name | restarts by a supervisor |
//! | [`DEAD_LETTERS`] | counter | type, name | messages dropped unhandled when the actor ended |
//! | [`STARTED`] | counter | type, name | actors whose `started` hook succeeded (once per actor, not per restart) |
//! | [`STOPPED`] | counter | type, name, reason | started actors that ended, by reason (`normal`, `shutdown`, `killed`, `failed`, `panicked`) |
//! | [`STUCK_HANDLERS`] | counter | type, name, kind | [stuck handlers](crate::introspect#stuck-handlers) reported |
//!
//! # Labels
//!
//! Bounded by design: `actor_type` (the actor's Rust type), `actor_name` (the
//! name given at spawn; unnamed actors have no `actor_name` label, never
//! their id, so a pool of 10,000 unnamed workers is one series per kind), and
//! `kind` ([`Actor::message_kind`](crate::Actor::message_kind): the handler's
//! name with `#[actor]`). Actors sharing labels share series: counters and
//! histograms add up, the mailbox gauge is their sum.
//!
//! # Cost
//!
//! Handles are registered once per actor and kind (the first time an actor
//! handles a kind) and kept in its context: no registry lookup per message.
//! Per message the feature adds a clock read on the send side (for the
//! queue wait), one on the actor's (two when the actor waited for the
//! message), a counter increment and two histogram records, and makes each
//! queued message 16 bytes bigger, even with no recorder installed: enable
//! the feature where the metrics are wanted (figures in the README's
//! Performance section). The mailbox gauge is sampled by the system's watchdog
//! (every quarter of the [stuck threshold](crate::System::stuck_after), or
//! every second with stuck detection off), never per send.
//!
//! # Example
//!
//! With a recorder that keeps everything in memory
//! ([`metrics-util`](https://docs.rs/metrics-util)'s `DebuggingRecorder`;
//! `metrics-exporter-prometheus` renders the same for Prometheus):
//!
//! ```
//! use actor_core::introspect::metrics::MESSAGES_HANDLED;
//! use actor_core::prelude::*;
//! use metrics_util::debugging::{DebugValue, DebuggingRecorder};
//!
//! struct Echo;
//! impl Actor for Echo {
//!     type Msg = ReplyPort<u32>;
//!     fn message_kind(_: &Self::Msg) -> &'static str {
//!         "echo"
//!     }
//!     async fn handle(&mut self, reply: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
//!         let _ = reply.send(7);
//!         Ok(())
//!     }
//! }
//!
//! let recorder = DebuggingRecorder::new();
//! let snapshotter = recorder.snapshotter();
//! metrics::with_local_recorder(&recorder, || {
//!     let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
//!     runtime.block_on(async {
//!         let system = System::new();
//!         let echo = system.spawn_with(Echo, SpawnOptions::new().name("echo")).await.unwrap();
//!         assert_eq!(echo.ask(|reply| reply).await.unwrap(), 7);
//!         system.shutdown().await;
//!     });
//! });
//! let handled = snapshotter.snapshot().into_vec().into_iter().find_map(|(key, _, _, value)| {
//!     (key.key().name() == MESSAGES_HANDLED).then_some(value)
//! });
//! assert_eq!(handled, Some(DebugValue::Counter(1)));
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use metrics::{Counter, Gauge, Histogram, Label, Unit};
use tokio::time::Instant;

use crate::exit::ExitReason;
use crate::introspect::stuck::{OTHER_INDEX, OTHER_KIND};
use crate::mailbox::envelope::SentAt;
use crate::runtime::cell::{Control, Core};

/// Counter: messages whose handler finished, by actor and kind.
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::introspect::metrics::MESSAGES_HANDLED, "actor_messages_handled_total");
/// ```
pub const MESSAGES_HANDLED: &str = "actor_messages_handled_total";

/// Histogram (seconds): how long handlers ran, by actor and kind.
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::introspect::metrics::HANDLING_SECONDS, "actor_handling_seconds");
/// ```
pub const HANDLING_SECONDS: &str = "actor_handling_seconds";

/// Histogram (seconds): how long traced messages waited in the mailbox, by
/// actor and kind (see [queue wait](self#queue-wait)).
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::introspect::metrics::QUEUE_WAIT_SECONDS, "actor_queue_wait_seconds");
/// ```
pub const QUEUE_WAIT_SECONDS: &str = "actor_queue_wait_seconds";

/// Gauge: messages waiting in the mailboxes of the actors with these
/// labels, sampled by the watchdog.
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::introspect::metrics::MAILBOX_DEPTH, "actor_mailbox_depth");
/// ```
pub const MAILBOX_DEPTH: &str = "actor_mailbox_depth";

/// Counter: restarts by a supervisor.
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::introspect::metrics::RESTARTS, "actor_restarts_total");
/// ```
pub const RESTARTS: &str = "actor_restarts_total";

/// Counter: messages dropped unhandled when their actor ended.
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::introspect::metrics::DEAD_LETTERS, "actor_dead_letters_total");
/// ```
pub const DEAD_LETTERS: &str = "actor_dead_letters_total";

/// Counter: actors whose `started` hook succeeded (restarts not included).
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::introspect::metrics::STARTED, "actor_started_total");
/// ```
pub const STARTED: &str = "actor_started_total";

/// Counter: started actors that ended, with a `reason` label.
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::introspect::metrics::STOPPED, "actor_stopped_total");
/// ```
pub const STOPPED: &str = "actor_stopped_total";

/// Counter: stuck handlers reported, by actor and kind.
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::introspect::metrics::STUCK_HANDLERS, "actor_stuck_handlers_total");
/// ```
pub const STUCK_HANDLERS: &str = "actor_stuck_handlers_total";

/// Gives every metric above its unit and help text, for the recorder
/// installed now (exporters print them, e.g. Prometheus' `# HELP`). Call it
/// once after installing the recorder; recording works without it.
///
/// # Examples
///
/// ```
/// let recorder = metrics_util::debugging::DebuggingRecorder::new();
/// let snapshotter = recorder.snapshotter();
/// metrics::with_local_recorder(&recorder, actor_core::introspect::metrics::describe);
/// assert!(snapshotter.snapshot().into_vec().is_empty(), "described, nothing recorded yet");
/// ```
pub fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!(MESSAGES_HANDLED, Unit::Count, "Messages whose handler finished");
    describe_histogram!(
        HANDLING_SECONDS,
        Unit::Seconds,
        "Time a handler ran on one message"
    );
    describe_histogram!(
        QUEUE_WAIT_SECONDS,
        Unit::Seconds,
        "Time a traced message waited in the mailbox"
    );
    describe_gauge!(MAILBOX_DEPTH, Unit::Count, "Messages waiting in mailboxes");
    describe_counter!(RESTARTS, Unit::Count, "Restarts by a supervisor");
    describe_counter!(DEAD_LETTERS, Unit::Count, "Messages dropped unhandled");
    describe_counter!(STARTED, Unit::Count, "Actors started");
    describe_counter!(STOPPED, Unit::Count, "Started actors that ended, by reason");
    describe_counter!(STUCK_HANDLERS, Unit::Count, "Stuck handlers reported");
}

/// `actor_type` and, for a named actor, `actor_name`.
fn actor_labels(core: &Core) -> Vec<Label> {
    let mut labels = Vec::with_capacity(3);
    labels.push(Label::new("actor_type", core.type_name));
    if let Some(name) = &core.name {
        labels.push(Label::new("actor_name", Arc::clone(name)));
    }
    labels
}

fn with_kind(mut labels: Vec<Label>, kind: &'static str) -> Vec<Label> {
    labels.push(Label::new("kind", kind));
    labels
}

/// One kind's handles, registered the first time the actor handles it.
struct KindMetrics {
    handled: Counter,
    handling: Histogram,
    queue_wait: Histogram,
}

/// An actor's per-kind handles and its running handler's start, kept (boxed)
/// in its context.
pub(crate) struct HandlerMetrics {
    labels: Vec<Label>,
    /// By kind index.
    kinds: Vec<Option<KindMetrics>>,
    /// The running handler: its kind index and start.
    running: Option<(usize, Instant)>,
    /// When the last handler ended, if the actor has not waited since: the
    /// next handler's start, so back-to-back messages cost one clock read
    /// each, not two.
    ended_at: Option<Instant>,
}

impl HandlerMetrics {
    /// A handler starts on a message of `kind` (index `index`).
    #[inline]
    pub(crate) fn begin(
        slot: &mut Option<Box<HandlerMetrics>>,
        core: &Core,
        index: usize,
        kind: &'static str,
        sent_at: SentAt,
    ) {
        let this = slot.get_or_insert_with(|| {
            Box::new(HandlerMetrics {
                labels: actor_labels(core),
                kinds: Vec::new(),
                running: None,
                ended_at: None,
            })
        });
        let now = this.ended_at.take().unwrap_or_else(Instant::now);
        let handles = this.handles(index, kind);
        if let Some(sent_at) = sent_at.instant() {
            handles.queue_wait.record(now.saturating_duration_since(sent_at));
        }
        this.running = Some((index, now));
    }

    /// `recv` found no message at once: the next start needs its own clock
    /// read.
    #[inline]
    pub(crate) fn waited(&mut self) {
        self.ended_at = None;
    }

    /// The running handler finished.
    #[inline]
    pub(crate) fn end(&mut self) {
        if let Some((index, started)) = self.running.take()
            && let Some(Some(handles)) = self.kinds.get(index)
        {
            let now = Instant::now();
            handles.handled.increment(1);
            handles.handling.record(now.saturating_duration_since(started));
            self.ended_at = Some(now);
        }
    }

    fn handles(&mut self, index: usize, kind: &'static str) -> &KindMetrics {
        if self.kinds.len() <= index {
            self.kinds.resize_with(index + 1, || None);
        }
        let labels = &self.labels;
        self.kinds[index].get_or_insert_with(|| {
            let kind = if index == OTHER_INDEX { OTHER_KIND } else { kind };
            let labels = with_kind(labels.clone(), kind);
            KindMetrics {
                handled: metrics::counter!(MESSAGES_HANDLED, labels.clone()),
                handling: metrics::histogram!(HANDLING_SECONDS, labels.clone()),
                queue_wait: metrics::histogram!(QUEUE_WAIT_SECONDS, labels),
            }
        })
    }
}

/// The actor's `started` hook succeeded (counted for its first instance).
pub(crate) fn count_started(core: &Core) {
    if core.restarts() == 0 {
        metrics::counter!(STARTED, actor_labels(core)).increment(1);
    }
}

/// A started actor ended with `reason`.
pub(crate) fn count_stopped(core: &Core, reason: &ExitReason) {
    let reason = match reason {
        ExitReason::Normal => "normal",
        ExitReason::Shutdown => "shutdown",
        ExitReason::Killed => "killed",
        ExitReason::Failed(_) => "failed",
        ExitReason::Panicked(_) => "panicked",
    };
    let mut labels = actor_labels(core);
    labels.push(Label::new("reason", reason));
    metrics::counter!(STOPPED, labels).increment(1);
}

/// A supervisor restarted the actor.
pub(crate) fn count_restart(core: &Core) {
    metrics::counter!(RESTARTS, actor_labels(core)).increment(1);
}

/// `count` messages were dropped unhandled.
pub(crate) fn count_dead_letters(core: &Core, count: u64) {
    metrics::counter!(DEAD_LETTERS, actor_labels(core)).increment(count);
}

/// The watchdog reported a stuck handler.
pub(crate) fn count_stuck(core: &Core, kind: &'static str) {
    metrics::counter!(STUCK_HANDLERS, with_kind(actor_labels(core), kind)).increment(1);
}

/// The mailbox gauges, summed per label set at each watchdog check. Owned by
/// the watchdog task: one registry lookup per label set, ever.
#[derive(Default)]
pub(crate) struct DepthGauges {
    groups: HashMap<(&'static str, Option<Arc<str>>), Group>,
}

struct Group {
    gauge: Gauge,
    depth: usize,
    seen: bool,
}

impl DepthGauges {
    /// Counts one actor's mailbox in this check.
    pub(crate) fn add(&mut self, actor: &dyn Control) {
        let core = actor.core();
        let key = (core.type_name, core.name.clone());
        let group = self.groups.entry(key).or_insert_with(|| Group {
            gauge: metrics::gauge!(MAILBOX_DEPTH, actor_labels(core)),
            depth: 0,
            seen: false,
        });
        group.depth += actor.mailbox_len();
        group.seen = true;
    }

    /// Sets every gauge to this check's sum; a label set with no actor left
    /// goes to zero and is forgotten.
    pub(crate) fn publish(&mut self) {
        self.groups.retain(|_, group| {
            // Precision loss only past 2^52 queued messages.
            #[allow(clippy::cast_precision_loss)]
            group.gauge.set(group.depth as f64);
            let keep = group.seen;
            group.depth = 0;
            group.seen = false;
            keep
        });
    }
}
