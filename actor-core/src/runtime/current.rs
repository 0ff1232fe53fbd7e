//! Which actor is running on this thread right now.
//!
//! Set by the guard around every poll of an actor's code, so that `ask` can
//! refuse an actor asking itself and `tell` can refuse an actor waiting on its
//! own full mailbox.

use std::cell::Cell;

use crate::id::ActorId;

/// The running actor, and whether an ask it makes blocks it (see
/// [`waits`](crate::runtime::waits)).
#[derive(Clone, Copy)]
struct Running {
    id: ActorId,
    blocks_on_ask: bool,
}

thread_local! {
    static CURRENT: Cell<Option<Running>> = const { Cell::new(None) };
}

/// The actor whose code is being polled on this thread, if any.
pub(crate) fn current_actor() -> Option<ActorId> {
    CURRENT.with(Cell::get).map(|running| running.id)
}

/// The running actor, if it is one that cannot take messages while it waits
/// for a reply (a handler actor; not a loop actor that calls `recv` itself).
pub(crate) fn current_blocking_actor() -> Option<ActorId> {
    CURRENT
        .with(Cell::get)
        .and_then(|running| running.blocks_on_ask.then_some(running.id))
}

/// The running actor turned out to be a loop actor (it called `recv`
/// itself): from now on its asks do not block it.
pub(crate) fn running_is_loop_actor() {
    CURRENT.with(|c| {
        if let Some(running) = c.get() {
            c.set(Some(Running {
                blocks_on_ask: false,
                ..running
            }));
        }
    });
}

/// Marks `id` as the running actor until dropped, then restores the previous
/// one (an actor's `started` may run inside its spawner's poll).
pub(crate) struct Enter(Option<Running>);

impl Enter {
    pub(crate) fn new(id: ActorId, blocks_on_ask: bool) -> Enter {
        Enter(CURRENT.with(|c| c.replace(Some(Running { id, blocks_on_ask }))))
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.0));
    }
}
