//! The state an actor shares with its handles: identity, mailbox, exit
//! reason and children.

use std::collections::BTreeMap;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering, fence};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError, Weak};

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::exit::ExitReason;
use crate::id::ActorId;
use crate::introspect::stuck::Activity;
use crate::mailbox::queue::{KILL, Mailbox, STOP_NORMAL, STOP_SHUTDOWN};
use crate::monitor::{ExitHook, Relations, Signal, notify_relations};
use crate::supervision::Shutdown;
use crate::system::SystemInner;

/// Everything about an actor that does not depend on its message type.
///
/// Laid out in a fixed order (`repr(C)`, like [`Cell`]) to keep the
/// actor's per-message stores off the cache lines senders read: senders read
/// `id` on every send (and the mailbox after the core), the actor stores
/// into `activity` per message, and at least 128 bytes of fields neither
/// touches per message sit on each side of it (a cache line and its
/// prefetch pair; checked by a test below). This costs no padding, unlike a
/// 128-byte-aligned field, which made every actor's cell 128-aligned: about
/// 600 bytes more per actor with glibc.
#[repr(C)]
pub(crate) struct Core {
    // ----- read by senders and handles --------------------------------
    pub(crate) id: ActorId,
    pub(crate) name: Option<Arc<str>>,
    pub(crate) type_name: &'static str,
    pub(crate) shutdown: Shutdown,
    pub(crate) parent: Parent,
    pub(crate) system: Arc<SystemInner>,
    // ----- touched at spawn, exit, monitor, link: not per message -------
    pub(crate) children: Children,
    exit: OnceLock<ExitReason>,
    relations: Mutex<Relations>,
    // ----- written by the actor per message ----------------------------
    /// The handler it runs, for stuck detection (see
    /// [`stuck`](crate::introspect::stuck)): its first word is the one
    /// stored per message, the kind table after it is written rarely.
    pub(crate) activity: Activity,
    // ----- not per message, before the mailbox --------------------------
    exited: Notify,
    /// The reason the current instance ends with, when the runtime decided
    /// it: a linked exit's reason (with a kill), or a supervisor giving up.
    exit_cause: Mutex<Option<ExitReason>>,
    /// When the actor was created, for its uptime.
    pub(crate) created_at: Instant,
    /// Restarts so far (supervised actors).
    restarts: AtomicU32,
    /// A supervised actor between two instances (its supervisor holds its
    /// context).
    dormant: AtomicBool,
    /// The actor called [`Context::recv`](crate::Context::recv) itself: it
    /// may take messages while an ask of its is pending, so its asks are not
    /// edges of the waits-for graph (see [`waits`](crate::runtime::waits)).
    loop_actor: AtomicBool,
}

/// Where an actor hangs in the tree.
pub(crate) enum Parent {
    /// A top-level actor, owned by its system.
    Root,
    /// A child of another actor.
    Actor(Weak<dyn Control>),
}

/// An actor's (or the system root's) children, keyed by start order.
pub(crate) struct Children {
    inner: Mutex<ChildMap>,
}

pub(crate) struct ChildMap {
    /// No new children once the owner is stopping.
    pub(crate) closed: bool,
    pub(crate) map: BTreeMap<u64, Arc<dyn Control>>,
}

impl Children {
    pub(crate) fn new() -> Children {
        Children {
            inner: Mutex::new(ChildMap {
                closed: false,
                map: BTreeMap::new(),
            }),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, ChildMap> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a child; `false` if the owner is stopping.
    pub(crate) fn insert(&self, child: Arc<dyn Control>) -> bool {
        let mut children = self.lock();
        if children.closed {
            return false;
        }
        children.map.insert(child.core().id.seq(), child);
        true
    }

    pub(crate) fn remove(&self, id: ActorId) {
        let removed = self.lock().map.remove(&id.seq());
        drop(removed);
    }

    /// Closes the set and takes the last-started child, if any.
    pub(crate) fn close_and_pop_last(&self) -> Option<Arc<dyn Control>> {
        let mut children = self.lock();
        children.closed = true;
        children.map.pop_last().map(|(_, child)| child)
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().map.len()
    }

    /// Takes new children again (a supervised actor's next instance).
    pub(crate) fn reopen(&self) {
        self.lock().closed = false;
    }
}

impl Core {
    pub(crate) fn new(
        id: ActorId,
        name: Option<Arc<str>>,
        type_name: &'static str,
        shutdown: Shutdown,
        parent: Parent,
        system: Arc<SystemInner>,
    ) -> Core {
        Core {
            id,
            name,
            type_name,
            shutdown,
            parent,
            system,
            children: Children::new(),
            exit: OnceLock::new(),
            exited: Notify::new(),
            relations: Mutex::new(Relations::default()),
            exit_cause: Mutex::new(None),
            dormant: AtomicBool::new(false),
            restarts: AtomicU32::new(0),
            loop_actor: AtomicBool::new(false),
            created_at: Instant::now(),
            activity: Activity::new(),
        }
    }

    /// The actor's monitors and links.
    pub(crate) fn relations(&self) -> MutexGuard<'_, Relations> {
        self.relations.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks the actor dormant (between instances) or not; a full fence
    /// orders it against the stop bit (see `supervision::child`).
    pub(crate) fn set_dormant(&self, dormant: bool) {
        self.dormant.store(dormant, Ordering::SeqCst);
        fence(Ordering::SeqCst);
    }

    pub(crate) fn is_dormant(&self) -> bool {
        fence(Ordering::SeqCst);
        self.dormant.load(Ordering::SeqCst)
    }

    /// Marks the actor as one that runs its own receive loop.
    pub(crate) fn mark_loop_actor(&self) {
        self.loop_actor.store(true, Ordering::Relaxed);
    }

    /// Whether the actor runs its own receive loop.
    pub(crate) fn is_loop_actor(&self) -> bool {
        self.loop_actor.load(Ordering::Relaxed)
    }

    pub(crate) fn count_restart(&self) {
        self.restarts.fetch_add(1, Ordering::Relaxed);
        #[cfg(feature = "metrics")]
        crate::introspect::metrics::count_restart(self);
    }

    pub(crate) fn restarts(&self) -> u32 {
        self.restarts.load(Ordering::Relaxed)
    }

    /// Sets the reason the current instance ends with.
    pub(crate) fn set_exit_cause(&self, reason: ExitReason) {
        *self.exit_cause.lock().unwrap_or_else(PoisonError::into_inner) = Some(reason);
    }

    /// Takes the reason set by [`set_exit_cause`](Core::set_exit_cause), if any.
    pub(crate) fn take_exit_cause(&self) -> Option<ExitReason> {
        self.exit_cause
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// The exit reason, once the actor has exited.
    pub(crate) fn exit_reason(&self) -> Option<ExitReason> {
        self.exit.get().cloned()
    }

    /// Publishes the exit reason (first call wins), wakes every waiter and
    /// notifies monitors and links.
    pub(crate) fn set_exit(&self, reason: ExitReason) {
        // Take who to tell under the lock (later monitors and links then see
        // the actor ended), tell them outside it, and only then wake the
        // waiters: whoever returns from `wait_for_stop` finds the notices
        // already queued. The exit hooks run first, so whoever learns of the
        // exit (a `Down`, a link, `wait_for_stop`) finds the actor gone from
        // the registry and its groups: it can register a replacement under
        // the same name at once.
        let Some((watchers, links, hooks)) = self.relations().end(&reason) else {
            return; // already ended
        };
        for hook in hooks {
            hook(self.id, &reason);
        }
        notify_relations(self.id, &reason, watchers, links);
        let _ = self.exit.set(reason);
        self.exited.notify_waiters();
    }

    /// Runs `hook` when the actor ends (at once if it already has), before
    /// its monitors, links and `wait_for_stop` waiters hear of the exit.
    /// The hook must not block; it runs on the ending actor's task.
    pub(crate) fn on_exit(&self, hook: ExitHook) {
        let added = self.relations().add_hook(hook);
        if let Err((hook, reason)) = added {
            hook(self.id, &reason);
        }
    }

    /// Waits until the actor has exited and returns why.
    pub(crate) async fn wait_exit(&self) -> ExitReason {
        loop {
            let mut notified = pin!(self.exited.notified());
            // Register before looking, so a concurrent `set_exit` is not missed.
            notified.as_mut().enable();
            if let Some(reason) = self.exit.get() {
                return reason.clone();
            }
            notified.await;
        }
    }

    /// The name to show in logs: the given name, or the id.
    pub(crate) fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }
}

/// Type-erased control over an actor, used by its parent and its system.
pub(crate) trait Control: Send + Sync + 'static {
    fn core(&self) -> &Core;
    /// Graceful stop with the given `STOP_*` bit.
    fn request_stop(&self, bit: u8);
    /// Ends a supervised actor's current instance, keeping its mailbox.
    fn request_restart(&self);
    fn kill(&self);
    /// Kills with a reason (a linked actor's exit).
    fn kill_with(&self, reason: ExitReason);
    /// Queues a signal on the control lane.
    fn signal(&self, signal: Signal) -> bool;
    fn traps_exits(&self) -> bool;
    fn mailbox_len(&self) -> usize;
    /// Mailbox messages handed to the actor so far.
    fn messages_taken(&self) -> u64;
    /// Whether a stop was requested (it may still be handling its queue).
    fn is_stopping(&self) -> bool;
}

/// An actor's shared cell: its core and its mailbox, in this order (see
/// [`Core`]'s layout).
#[repr(C)]
pub(crate) struct Cell<M> {
    pub(crate) core: Core,
    pub(crate) mailbox: Mailbox<M>,
}

impl<M: Send + 'static> Control for Cell<M> {
    fn core(&self) -> &Core {
        &self.core
    }

    fn request_stop(&self, bit: u8) {
        self.mailbox.request_stop(bit);
    }

    fn request_restart(&self) {
        self.mailbox.request_restart();
    }

    fn kill(&self) {
        self.mailbox.kill();
    }

    fn kill_with(&self, reason: ExitReason) {
        self.core.set_exit_cause(reason);
        self.mailbox.kill();
    }

    fn signal(&self, signal: Signal) -> bool {
        self.mailbox.push_signal(signal)
    }

    fn traps_exits(&self) -> bool {
        self.mailbox.traps_exits()
    }

    fn mailbox_len(&self) -> usize {
        self.mailbox.len()
    }

    fn messages_taken(&self) -> u64 {
        self.mailbox.taken()
    }

    fn is_stopping(&self) -> bool {
        self.mailbox.control() & (STOP_NORMAL | STOP_SHUTDOWN | KILL) != 0
    }
}

#[cfg(test)]
mod tests {
    use std::mem::{offset_of, size_of};

    use super::*;

    /// The per-message word has 128 bytes of cold fields on each side: up to
    /// `system` (senders read `id`), and up to the mailbox.
    #[test]
    fn the_activity_word_is_two_cache_lines_away_from_what_senders_read() {
        let core = offset_of!(Cell<u64>, core);
        let senders_end = core + offset_of!(Core, system) + size_of::<Arc<SystemInner>>();
        let word = core + offset_of!(Core, activity);
        let word_end = word + size_of::<u64>();
        let mailbox = offset_of!(Cell<u64>, mailbox);
        assert!(word - senders_end >= 128, "{} bytes before", word - senders_end);
        assert!(mailbox - word_end >= 128, "{} bytes after", mailbox - word_end);
    }
}
