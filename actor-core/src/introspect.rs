//! Live introspection: a snapshot of the running actor tree.
//!
//! [`System::snapshot`](crate::System::snapshot) walks the tree from the top-level actors down and
//! records, for each live actor, its id, name, type, state (running,
//! restarting, stopping), mailbox length, messages handed to it so far,
//! restarts and uptime. It takes each actor's children lock and mailbox lock
//! once, briefly, and never waits for an actor, so it is cheap enough to call
//! every second on a large system (see the README's performance notes for the
//! figure on 100,000 actors). Print it as an indented tree ([`Snapshot`]'s
//! `Display`, like `pstree`) or serialise it with [`Snapshot::to_json`].
//!
//! Counts are read without stopping anything: a snapshot is a consistent view
//! of each actor, not of the whole system at one instant.
//!
//! # Stuck handlers
//!
//! A handler runs from the moment `recv` returns its message until the actor
//! asks for the next one (the default receive loop and loop actors alike).
//! One that has run longer than the system's threshold
//! ([`DEFAULT_STUCK_AFTER`], 10 s; set with
//! [`System::stuck_after`](crate::System::stuck_after), turned off with
//! [`System::without_stuck_detection`](crate::System::without_stuck_detection))
//! is reported once, at WARN on the `actor_core::stuck` target, with
//! `actor.id`, `actor.name`, `actor.type`, `msg.kind` and `elapsed`; while
//! it runs, snapshots show it ([`ActorInfo::stuck`], and `STUCK in <kind>`
//! in the tree). The same message is never reported twice; the next message
//! that gets stuck is. When a reported handler finishes, an INFO event
//! (`handler unstuck after ..`) says so.
//!
//! One watchdog task per system does this, waking every quarter of the
//! threshold on tokio's clock (paused-clock tests drive it): a handler is
//! reported after running between one threshold and a threshold plus a
//! quarter, and `elapsed` is a lower bound. The receive loop only stores a
//! word per message into memory of its own: no allocation, lock or clock
//! read per message. The watchdog ends with the system's shutdown (or when
//! its last top-level actor is gone) and keeps nothing alive.
//!
//! A handler that blocks its thread (a busy loop, blocking I/O) is found
//! too, on a multi-thread runtime: the watchdog runs on another worker. On a
//! current-thread runtime a thread-blocking handler blocks the watchdog with
//! everything else, and is only reported once it yields, if it still runs.
//! On a runtime built without its time driver there is no watchdog (tokio's
//! panic message about it is printed once, and one WARN says detection is
//! off); actors run as ever.
//!
//! ```
//! use std::time::Duration;
//! use actor_core::prelude::*;
//! use tokio::sync::oneshot;
//!
//! struct Waiter;
//! impl Actor for Waiter {
//!     type Msg = oneshot::Receiver<()>;
//!     fn message_kind(_: &Self::Msg) -> &'static str {
//!         "wait"
//!     }
//!     async fn handle(&mut self, gate: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
//!         let _ = gate.await; // waits as long as the gate stays shut
//!         Ok(())
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let system = System::new().stuck_after(Duration::from_secs(1));
//! let waiter = system.spawn(Waiter).await?;
//! let (open, gate) = oneshot::channel();
//! waiter.tell(gate).await?;
//! tokio::time::sleep(Duration::from_secs(2)).await; // a warning is logged
//! let stuck = system.snapshot().find(waiter.id()).and_then(|a| a.stuck);
//! assert_eq!(stuck.map(|s| s.kind), Some("wait"));
//! let _ = open.send(());
//! # system.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # Metrics
//!
//! With the `metrics` cargo feature, `actor_core::introspect::metrics`
//! records per-actor metrics through the `metrics` facade crate (messages
//! handled by kind, handling and queue-wait times, mailbox depth, restarts,
//! dead letters, actors started and stopped, stuck handlers) for whatever
//! exporter the application installs; its guide lists them.
//!
//! # Example
//!
//! ```
//! use actor_core::prelude::*;
//!
//! struct Idle;
//! impl Actor for Idle {
//!     type Msg = ();
//!     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let system = System::new();
//! let idle = system.spawn_with(Idle, SpawnOptions::new().name("idle")).await?;
//! idle.tell(()).await?;
//! let snapshot = system.snapshot();
//! assert_eq!(snapshot.actor_count(), 1);
//! assert_eq!(snapshot.roots[0].name.as_deref(), Some("idle"));
//! println!("{snapshot}");
//! assert!(snapshot.to_json().starts_with("{\"actors\":["));
//! # Ok(())
//! # }
//! ```

use std::fmt::{self, Write as _};
use std::sync::Arc;
use std::time::Duration;

use crate::id::ActorId;
use crate::runtime::cell::{Children, Control};
use crate::system::SystemInner;

#[cfg(feature = "metrics")]
pub mod metrics;
pub(crate) mod stuck;

use stuck::StuckView;

/// The default stuck-handler threshold: a handler running longer than this
/// on one message is reported (see [stuck handlers](self#stuck-handlers)).
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::introspect::DEFAULT_STUCK_AFTER.as_secs(), 10);
/// ```
pub const DEFAULT_STUCK_AFTER: Duration = Duration::from_secs(10);

/// A handler the watchdog found running on one message for longer than the
/// system's threshold (see [stuck handlers](self#stuck-handlers)).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use actor_core::prelude::*;
///
/// struct Spinner;
/// impl Actor for Spinner {
///     type Msg = ();
///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> {
///         std::future::pending::<()>().await; // never finishes
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new().stuck_after(Duration::from_secs(4));
/// let spinner = system.spawn(Spinner).await?;
/// spinner.tell(()).await?;
/// tokio::time::sleep(Duration::from_secs(6)).await;
/// let info = system.snapshot();
/// let stuck = info.find(spinner.id()).and_then(|a| a.stuck).expect("reported");
/// assert_eq!(stuck.kind, "()");
/// assert!(stuck.running_for >= Duration::from_secs(4));
/// # system.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct StuckHandler {
    /// The message's kind ([`Actor::message_kind`](crate::Actor::message_kind)).
    pub kind: &'static str,
    /// How long it has run, at least (measured from the watchdog's first
    /// sight of it, up to a quarter of the threshold after it started).
    pub running_for: Duration,
}

/// What an actor is doing, as far as a snapshot can tell.
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::ActorState::Running.to_string(), "running");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActorState {
    /// Running its receive loop.
    Running,
    /// Supervised, between two instances (its restart is pending).
    Restarting,
    /// A stop or kill was requested; it is finishing.
    Stopping,
}

impl fmt::Display for ActorState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ActorState::Running => "running",
            ActorState::Restarting => "restarting",
            ActorState::Stopping => "stopping",
        })
    }
}

/// One actor in a [`Snapshot`], with its children.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::ActorState;
///
/// struct Idle;
/// impl Actor for Idle {
///     type Msg = ();
///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let idle = system.spawn_with(Idle, SpawnOptions::new().name("idle")).await?;
/// let snapshot = system.snapshot();
/// let info = snapshot.find(idle.id()).expect("alive");
/// assert_eq!((info.name.as_deref(), info.state, info.restarts), (Some("idle"), ActorState::Running, 0));
/// assert!(info.children.is_empty());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActorInfo {
    /// Its id.
    pub id: ActorId,
    /// Its name, if it has one.
    pub name: Option<String>,
    /// Its actor type (full path).
    pub actor_type: &'static str,
    /// Running, restarting or stopping.
    pub state: ActorState,
    /// Messages waiting in its mailbox.
    pub mailbox_len: usize,
    /// Mailbox messages handed to it so far.
    pub messages: u64,
    /// Times its supervisor restarted it.
    pub restarts: u32,
    /// Time since it was spawned.
    pub uptime: Duration,
    /// The handler it is stuck in, if the watchdog reported the message it
    /// is still handling.
    pub stuck: Option<StuckHandler>,
    /// Its live children, in start order.
    pub children: Vec<ActorInfo>,
}

/// The actor tree of a system at one moment (see the [module
/// docs](crate::introspect)).
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::ActorState;
///
/// struct Idle;
/// impl Actor for Idle {
///     type Msg = ();
///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let idle = system.spawn_with(Idle, SpawnOptions::new().name("idle")).await?;
/// let snapshot = system.snapshot();
/// let info = snapshot.find(idle.id()).expect("alive");
/// assert_eq!((info.name.as_deref(), info.state, info.restarts), (Some("idle"), ActorState::Running, 0));
/// assert!(info.children.is_empty());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Snapshot {
    /// The top-level actors, in start order.
    pub roots: Vec<ActorInfo>,
}

impl Snapshot {
    pub(crate) fn of(system: &SystemInner) -> Snapshot {
        let stuck = StuckView::of(system);
        Snapshot {
            roots: children_of(&system.root, &stuck),
        }
    }

    /// How many actors the snapshot holds.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(actor_core::System::new().snapshot().actor_count(), 0);
    /// ```
    pub fn actor_count(&self) -> usize {
        fn count(actors: &[ActorInfo]) -> usize {
            actors.iter().map(|a| 1 + count(&a.children)).sum()
        }
        count(&self.roots)
    }

    /// The actor with this id, anywhere in the tree.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Idle;
    /// # impl Actor for Idle { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let idle = system.spawn(Idle).await?;
    /// let snapshot = system.snapshot();
    /// assert_eq!(snapshot.find(idle.id()).map(|a| a.state), Some(actor_core::ActorState::Running));
    /// # Ok(())
    /// # }
    /// ```
    pub fn find(&self, id: ActorId) -> Option<&ActorInfo> {
        fn find_in(actors: &[ActorInfo], id: ActorId) -> Option<&ActorInfo> {
            actors.iter().find_map(|a| {
                if a.id == id {
                    Some(a)
                } else {
                    find_in(&a.children, id)
                }
            })
        }
        find_in(&self.roots, id)
    }

    /// The snapshot as JSON: `{"actors":[{"id":"<0.1>","name":..,"type":..,
    /// "state":..,"mailbox_len":..,"messages":..,"restarts":..,
    /// "uptime_ms":..,"stuck":null,"children":[..]}]}`, where `stuck` is
    /// `{"kind":..,"running_for_ms":..}` for a [stuck handler](StuckHandler).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(actor_core::System::new().snapshot().to_json(), r#"{"actors":[]}"#);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"actors\":");
        json_list(&mut out, &self.roots);
        out.push('}');
        out
    }
}

fn children_of(children: &Children, stuck: &StuckView<'_>) -> Vec<ActorInfo> {
    let list: Vec<Arc<dyn Control>> = children.lock().map.values().cloned().collect();
    list.iter().filter_map(|child| info(&**child, stuck)).collect()
}

fn info(actor: &dyn Control, stuck: &StuckView<'_>) -> Option<ActorInfo> {
    let core = actor.core();
    if core.exit_reason().is_some() {
        return None;
    }
    let state = if core.is_dormant() {
        ActorState::Restarting
    } else if actor.is_stopping() {
        ActorState::Stopping
    } else {
        ActorState::Running
    };
    Some(ActorInfo {
        id: core.id,
        name: core.name.as_deref().map(str::to_string),
        actor_type: core.type_name,
        state,
        mailbox_len: actor.mailbox_len(),
        messages: actor.messages_taken(),
        restarts: core.restarts(),
        uptime: core.created_at.elapsed(),
        stuck: stuck.stuck(core),
        children: children_of(&core.children, stuck),
    })
}

/// The last path segment of a type name, generics kept (`a::b::Foo<c::Bar>`
/// gives `Foo<c::Bar>`).
fn short_type(name: &str) -> &str {
    let base_end = name.find('<').unwrap_or(name.len());
    let start = name[..base_end].rfind("::").map_or(0, |i| i + 2);
    &name[start..]
}

impl fmt::Display for Snapshot {
    /// An indented tree, one actor per line, like `pstree`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn write_level(f: &mut fmt::Formatter<'_>, actors: &[ActorInfo], prefix: &str) -> fmt::Result {
            for (i, actor) in actors.iter().enumerate() {
                let last = i + 1 == actors.len();
                let branch = if last { "└─ " } else { "├─ " };
                write!(
                    f,
                    "{prefix}{branch}{} {} ({}) {}, {} queued, {} msgs, {} restarts, up {:.1?}",
                    actor.id,
                    actor.name.as_deref().unwrap_or("-"),
                    short_type(actor.actor_type),
                    actor.state,
                    actor.mailbox_len,
                    actor.messages,
                    actor.restarts,
                    actor.uptime,
                )?;
                if let Some(stuck) = &actor.stuck {
                    write!(f, ", STUCK in {} for {:.1?}", stuck.kind, stuck.running_for)?;
                }
                writeln!(f)?;
                let deeper = format!("{prefix}{}", if last { "   " } else { "│  " });
                write_level(f, &actor.children, &deeper)?;
            }
            Ok(())
        }
        if self.roots.is_empty() {
            return writeln!(f, "(no actors)");
        }
        write_level(f, &self.roots, "")
    }
}

fn json_list(out: &mut String, actors: &[ActorInfo]) {
    out.push('[');
    for (i, actor) in actors.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        json_string(out, &actor.id.to_string());
        out.push_str(",\"name\":");
        match &actor.name {
            Some(name) => json_string(out, name),
            None => out.push_str("null"),
        }
        out.push_str(",\"type\":");
        json_string(out, actor.actor_type);
        out.push_str(",\"state\":");
        json_string(out, &actor.state.to_string());
        let _ = write!(
            out,
            ",\"mailbox_len\":{},\"messages\":{},\"restarts\":{},\"uptime_ms\":{},\"stuck\":",
            actor.mailbox_len,
            actor.messages,
            actor.restarts,
            actor.uptime.as_millis()
        );
        match &actor.stuck {
            Some(stuck) => {
                out.push_str("{\"kind\":");
                json_string(out, stuck.kind);
                let _ = write!(out, ",\"running_for_ms\":{}}}", stuck.running_for.as_millis());
            }
            None => out.push_str("null"),
        }
        out.push_str(",\"children\":");
        json_list(out, &actor.children);
        out.push('}');
    }
    out.push(']');
}

fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
