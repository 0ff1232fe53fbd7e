//! Which actor is running on this thread right now.
//!
//! Set by the guard around every poll of an actor's code, so that `ask` can
//! refuse an actor asking itself and `tell` can refuse an actor waiting on its
//! own full mailbox.

use std::cell::Cell;

use crate::id::ActorId;

thread_local! {
    static CURRENT: Cell<Option<ActorId>> = const { Cell::new(None) };
}

/// The actor whose code is being polled on this thread, if any.
pub(crate) fn current_actor() -> Option<ActorId> {
    CURRENT.with(Cell::get)
}

/// Marks `id` as the running actor until dropped, then restores the previous
/// one (an actor's `started` may run inside its spawner's poll).
pub(crate) struct Enter(Option<ActorId>);

impl Enter {
    pub(crate) fn new(id: ActorId) -> Enter {
        Enter(CURRENT.with(|c| c.replace(Some(id))))
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.0));
    }
}
