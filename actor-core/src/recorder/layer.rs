//! The `tracing_subscriber::Layer`: turns `actor.handle` spans and lifecycle
//! events into calls on the shared [`State`].
//!
//! Per message: `on_new_span` reads the span's fields into a [`HandleSpan`]
//! kept in the span's extensions; `on_follows_from` finds the sending actor
//! (the nearest `actor.handle` span in the cause's scope); the first
//! `on_enter` places the message on its edge and in the sequence; `on_close`
//! records the timings.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

use super::snapshot::Snapshot;
use super::state::{ActorEntry, Limits, Slot, State};

const HANDLE_TARGET: &str = "actor_core::handle";
const LIFECYCLE_TARGET: &str = "actor_core::lifecycle";

/// Records actor traffic from the framework's spans and events; clone it
/// freely, every clone shares one recording.
///
/// See the [module docs](super) for what it records and how to install it.
///
/// # Examples
///
/// ```
/// use actor_core::recorder::TrafficRecorder;
/// use tracing_subscriber::layer::SubscriberExt;
/// use tracing_subscriber::Layer;
///
/// let recorder = TrafficRecorder::new();
/// let subscriber = tracing_subscriber::registry()
///     .with(recorder.clone().with_filter(TrafficRecorder::filter()));
/// # drop(subscriber);
/// assert_eq!(recorder.snapshot().messages, 0);
/// ```
#[derive(Clone)]
pub struct TrafficRecorder {
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for TrafficRecorder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("TrafficRecorder")
            .field("approx_bytes", &state.approx_bytes())
            .finish_non_exhaustive()
    }
}

impl Default for TrafficRecorder {
    fn default() -> Self {
        Self::new()
    }
}

impl TrafficRecorder {
    /// A recorder with the default limits (see [`RecorderBuilder`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let recorder = actor_core::recorder::TrafficRecorder::new();
    /// assert!(recorder.snapshot().edges.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// A builder to change how much the recorder keeps.
    ///
    /// # Examples
    ///
    /// ```
    /// let recorder = actor_core::recorder::TrafficRecorder::builder()
    ///     .sequence_capacity(20)
    ///     .build();
    /// # drop(recorder);
    /// ```
    pub fn builder() -> RecorderBuilder {
        RecorderBuilder {
            limits: Limits {
                sequence_capacity: RecorderBuilder::DEFAULT_SEQUENCE_CAPACITY,
                max_actors: RecorderBuilder::DEFAULT_MAX_ACTORS,
                max_edges: RecorderBuilder::DEFAULT_MAX_EDGES,
            },
        }
    }

    /// The per-layer filter the recorder needs: `actor_core::handle` and
    /// `actor_core::lifecycle` at DEBUG, nothing else. Use it with
    /// [`Layer::with_filter`] so that your other layers keep their own
    /// filters (an `EnvFilter` at INFO, say).
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::recorder::TrafficRecorder;
    /// use tracing_subscriber::layer::SubscriberExt;
    /// use tracing_subscriber::Layer;
    ///
    /// let recorder = TrafficRecorder::new();
    /// let subscriber = tracing_subscriber::registry()
    ///     .with(recorder.clone().with_filter(TrafficRecorder::filter()));
    /// # drop(subscriber);
    /// ```
    pub fn filter() -> Targets {
        Targets::new()
            .with_target(HANDLE_TARGET, Level::DEBUG)
            .with_target(LIFECYCLE_TARGET, Level::DEBUG)
    }

    /// A copy of everything recorded so far.
    ///
    /// # Examples
    ///
    /// ```
    /// let recorder = actor_core::recorder::TrafficRecorder::new();
    /// assert_eq!(recorder.snapshot().dropped.messages, 0);
    /// ```
    pub fn snapshot(&self) -> Snapshot {
        self.lock().snapshot()
    }

    /// An estimate of the bytes the recording holds (its tables and
    /// strings, not the allocator's overhead). It depends on the number of
    /// actors and edges, never on the number of messages.
    ///
    /// # Examples
    ///
    /// ```
    /// let recorder = actor_core::recorder::TrafficRecorder::new();
    /// assert!(recorder.approx_bytes() > 0);
    /// ```
    pub fn approx_bytes(&self) -> usize {
        self.lock().approx_bytes()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent counters behind.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Sets a [`TrafficRecorder`]'s limits.
///
/// # Examples
///
/// ```
/// use actor_core::recorder::TrafficRecorder;
///
/// let recorder = TrafficRecorder::builder()
///     .sequence_capacity(100)
///     .max_actors(1_000)
///     .max_edges(1_000)
///     .build();
/// # drop(recorder);
/// ```
#[derive(Debug, Clone)]
pub struct RecorderBuilder {
    limits: Limits,
}

impl RecorderBuilder {
    /// Messages kept for the sequence view by default.
    pub const DEFAULT_SEQUENCE_CAPACITY: usize = 1_000;
    /// Actors kept by default.
    pub const DEFAULT_MAX_ACTORS: usize = 10_000;
    /// Edges kept by default.
    pub const DEFAULT_MAX_EDGES: usize = 10_000;

    /// How many of the first messages the sequence view keeps.
    ///
    /// # Examples
    ///
    /// ```
    /// let builder = actor_core::recorder::TrafficRecorder::builder().sequence_capacity(0);
    /// # drop(builder);
    /// ```
    #[must_use]
    pub fn sequence_capacity(mut self, messages: usize) -> Self {
        self.limits.sequence_capacity = messages;
        self
    }

    /// How many actors are recorded; later ones are only counted.
    ///
    /// # Examples
    ///
    /// ```
    /// let builder = actor_core::recorder::TrafficRecorder::builder().max_actors(10);
    /// # drop(builder);
    /// ```
    #[must_use]
    pub fn max_actors(mut self, actors: usize) -> Self {
        self.limits.max_actors = actors;
        self
    }

    /// How many edges are recorded; messages on later ones are only counted.
    ///
    /// # Examples
    ///
    /// ```
    /// let builder = actor_core::recorder::TrafficRecorder::builder().max_edges(10);
    /// # drop(builder);
    /// ```
    #[must_use]
    pub fn max_edges(mut self, edges: usize) -> Self {
        self.limits.max_edges = edges;
        self
    }

    /// The recorder.
    ///
    /// # Examples
    ///
    /// ```
    /// let recorder = actor_core::recorder::TrafficRecorder::builder().build();
    /// # drop(recorder);
    /// ```
    pub fn build(self) -> TrafficRecorder {
        TrafficRecorder {
            state: Arc::new(Mutex::new(State::new(self.limits))),
        }
    }
}

/// What an `actor.handle` span carries until it closes.
struct HandleSpan {
    actor: String,
    name: String,
    type_name: String,
    kind: String,
    queue_wait_us: Option<u64>,
    /// The sending actor's id, if the cause was an actor's handler.
    sender: Option<String>,
    opened: Instant,
    /// Set at the first enter: when handling started and where it is recorded.
    started: Option<(Instant, Option<Slot>)>,
}

impl HandleSpan {
    fn begin(&self, state: &mut State) -> Option<Slot> {
        let entry = || ActorEntry {
            id: self.actor.clone(),
            name: self.name.clone(),
            type_name: self.type_name.clone(),
            parent: None,
            stopped: None,
        };
        let to = state.actor(&self.actor, entry)?;
        let from = match &self.sender {
            // A sender we never heard of (spawned before we were installed
            // and never handled anything since) gets a bare entry.
            Some(sender) => Some(state.actor(sender, || ActorEntry {
                id: sender.clone(),
                name: String::new(),
                type_name: String::new(),
                parent: None,
                stopped: None,
            })?),
            None => None,
        };
        state.begin(from, to, &self.kind)
    }
}

impl Visit for HandleSpan {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "actor.name" => value.clone_into(&mut self.name),
            "actor.type" => value.clone_into(&mut self.type_name),
            "msg.kind" => value.clone_into(&mut self.kind),
            "actor.id" => value.clone_into(&mut self.actor),
            _ => {}
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "queue_wait_us" {
            self.queue_wait_us = Some(value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "actor.id" {
            self.actor = format!("{value:?}");
        }
    }
}

/// The fields of a lifecycle event.
#[derive(Default)]
struct LifecycleEvent {
    message: String,
    entry: ActorEntry,
    reason: String,
}

impl Visit for LifecycleEvent {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "actor.name" => value.clone_into(&mut self.entry.name),
            "actor.type" => value.clone_into(&mut self.entry.type_name),
            _ => self.record_debug(field, &value),
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        match field.name() {
            "message" => self.message = format!("{value:?}"),
            "actor.id" => self.entry.id = format!("{value:?}"),
            "actor.parent" => self.entry.parent = Some(format!("{value:?}")),
            "reason" => self.reason = format!("{value:?}"),
            _ => {}
        }
    }
}

impl<S> Layer<S> for TrafficRecorder
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let meta = attrs.metadata();
        if meta.name() != "actor.handle" || meta.target() != HANDLE_TARGET {
            return;
        }
        let Some(span) = ctx.span(id) else { return };
        let mut handle = HandleSpan {
            actor: String::new(),
            name: String::new(),
            type_name: String::new(),
            kind: String::new(),
            queue_wait_us: None,
            sender: None,
            opened: Instant::now(),
            started: None,
        };
        attrs.record(&mut handle);
        span.extensions_mut().insert(handle);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(handle) = span.extensions_mut().get_mut::<HandleSpan>()
        {
            values.record(handle);
        }
    }

    fn on_follows_from(&self, id: &Id, cause: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        if span.extensions().get::<HandleSpan>().is_none() {
            return;
        }
        // The nearest actor handler around the cause: the sender's own
        // `actor.handle` span, or one of its ancestors if the sender was in
        // a child span of its handler.
        let sender = ctx.span(cause).and_then(|cause| {
            cause
                .scope()
                .find_map(|s| s.extensions().get::<HandleSpan>().map(|h| h.actor.clone()))
        });
        if let Some(handle) = span.extensions_mut().get_mut::<HandleSpan>()
            && handle.sender.is_none()
        {
            handle.sender = sender;
        }
    }

    fn on_enter(&self, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut extensions = span.extensions_mut();
        let Some(handle) = extensions.get_mut::<HandleSpan>() else {
            return;
        };
        if handle.started.is_none() {
            let slot = handle.begin(&mut self.lock());
            handle.started = Some((Instant::now(), slot));
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let Some(handle) = span.extensions_mut().remove::<HandleSpan>() else {
            return;
        };
        let mut state = self.lock();
        let (started, slot) = match handle.started {
            Some(started) => started,
            None => (handle.opened, handle.begin(&mut state)),
        };
        let handling_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        match slot {
            Some(slot) => state.finish(slot, handle.queue_wait_us, handling_us),
            None => state.finish_untracked(),
        }
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().target() != LIFECYCLE_TARGET {
            return;
        }
        let mut fields = LifecycleEvent::default();
        event.record(&mut fields);
        match fields.message.as_str() {
            "actor spawned" if !fields.entry.id.is_empty() => self.lock().spawned(fields.entry),
            "actor stopped" if !fields.entry.id.is_empty() => {
                self.lock().stopped(&fields.entry.id, fields.reason);
            }
            _ => {}
        }
    }
}
