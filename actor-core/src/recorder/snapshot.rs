//! What a [`TrafficRecorder`](super::TrafficRecorder) knows at one moment:
//! plain owned data, taken under the lock and exported outside it.

use super::histogram::Histogram;

/// A copy of the recorded graph (see
/// [`TrafficRecorder::snapshot`](super::TrafficRecorder::snapshot)).
///
/// Actors are listed in the order the recorder first heard of them, edges
/// in the order their first message started, so a deterministic run gives
/// identical exports.
///
/// # Examples
///
/// ```
/// let snapshot = actor_core::recorder::TrafficRecorder::new().snapshot();
/// assert!(snapshot.actors.is_empty());
/// assert_eq!(snapshot.messages, 0);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Every actor recorded.
    pub actors: Vec<ActorNode>,
    /// Every (sender, receiver, kind) with at least one handled message.
    pub edges: Vec<Edge>,
    /// The first messages, in the order their handlers started, up to the
    /// recorder's sequence capacity.
    pub sequence: Vec<Message>,
    /// Messages handled in all.
    pub messages: u64,
    /// What did not fit.
    pub dropped: Dropped,
}

/// One actor.
///
/// # Examples
///
/// ```
/// use actor_core::recorder::ActorNode;
///
/// let node = ActorNode { key: "a0".into(), type_name: "my_app::Cache".into(), ..Default::default() };
/// assert_eq!(node.label(), "Cache");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActorNode {
    /// Its key in the exports: `a0`, `a1`, ... in the order first heard of.
    pub key: String,
    /// Its [`ActorId`](crate::ActorId), as displayed (`<0.7>`).
    pub id: String,
    /// Its name, empty if it has none.
    pub name: String,
    /// Its Rust type, with the module path.
    pub type_name: String,
    /// Its parent's id, if it has a parent actor and the recorder saw it spawn.
    pub parent: Option<String>,
    /// Its parent's key, if the parent is recorded too.
    pub parent_key: Option<String>,
    /// The exit reason, once it stopped.
    pub stopped: Option<String>,
}

impl ActorNode {
    /// Its name, or the last segment of its type when it has none.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::recorder::ActorNode;
    ///
    /// let named = ActorNode { name: "cache".into(), type_name: "app::Cache".into(), ..Default::default() };
    /// assert_eq!(named.label(), "cache");
    /// ```
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            self.short_type()
        } else {
            &self.name
        }
    }

    /// The last path segment of its type, generics kept
    /// (`app::Pool<app::Job>` gives `Pool<app::Job>`).
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::recorder::ActorNode;
    ///
    /// let node = ActorNode { type_name: "app::workers::Parser".into(), ..Default::default() };
    /// assert_eq!(node.short_type(), "Parser");
    /// ```
    pub fn short_type(&self) -> &str {
        let path = self.type_name.split('<').next().unwrap_or_default();
        let start = path.rfind("::").map_or(0, |i| i + 2);
        &self.type_name[start..]
    }
}

/// Messages of one kind from one sender to one receiver, aggregated.
///
/// # Examples
///
/// ```
/// use actor_core::recorder::{Edge, Histogram};
///
/// let mut handling = Histogram::new();
/// handling.record(12);
/// let edge = Edge {
///     from: "ext".into(),
///     to: "a0".into(),
///     kind: "get".into(),
///     count: 1,
///     queue_wait: Histogram::new(),
///     handling,
/// };
/// assert_eq!(edge.handling.percentiles().max, 12);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The sender's key, or [`EXTERNAL`](super::EXTERNAL).
    pub from: String,
    /// The receiver's key.
    pub to: String,
    /// The message kind ([`Actor::message_kind`](crate::Actor::message_kind)).
    pub kind: String,
    /// Messages handled.
    pub count: u64,
    /// Time from send to handler start, in microseconds.
    pub queue_wait: Histogram,
    /// Time from handler start to handler end, in microseconds.
    pub handling: Histogram,
}

/// One message of the sequence view.
///
/// # Examples
///
/// ```
/// use actor_core::recorder::Message;
///
/// let m = Message { from: "a0".into(), to: "a1".into(), kind: "get".into(), queue_wait_us: Some(3), handling_us: None };
/// assert!(m.handling_us.is_none()); // still being handled
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    /// The sender's key, or [`EXTERNAL`](super::EXTERNAL).
    pub from: String,
    /// The receiver's key.
    pub to: String,
    /// The message kind.
    pub kind: String,
    /// Time from send to handler start, if known.
    pub queue_wait_us: Option<u64>,
    /// Handling time, once the handler finished.
    pub handling_us: Option<u64>,
}

/// What the recorder counted but did not store, to keep its memory bounded.
///
/// # Examples
///
/// ```
/// let dropped = actor_core::recorder::Dropped::default();
/// assert_eq!(dropped.messages, 0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dropped {
    /// Handled messages left out of the sequence view (past its capacity,
    /// or with an actor or edge that did not fit).
    pub messages: u64,
    /// Actors first heard of after the actor cap was reached.
    pub actors: u64,
    /// Edges first seen after the edge cap was reached.
    pub edges: u64,
}
