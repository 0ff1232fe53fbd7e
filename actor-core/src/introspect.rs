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
    pub(crate) fn of(root: &Children) -> Snapshot {
        Snapshot {
            roots: children_of(root),
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
    /// "uptime_ms":..,"children":[..]}]}`.
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

fn children_of(children: &Children) -> Vec<ActorInfo> {
    let list: Vec<Arc<dyn Control>> = children.lock().map.values().cloned().collect();
    list.iter().filter_map(|child| info(&**child)).collect()
}

fn info(actor: &dyn Control) -> Option<ActorInfo> {
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
        children: children_of(&core.children),
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
                writeln!(
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
            ",\"mailbox_len\":{},\"messages\":{},\"restarts\":{},\"uptime_ms\":{},\"children\":",
            actor.mailbox_len,
            actor.messages,
            actor.restarts,
            actor.uptime.as_millis()
        );
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
