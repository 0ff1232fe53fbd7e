//! `Idle`: an actor that does nothing with its messages, for tests that
//! only need a live actor to name, register, monitor or drop.
//!
//! ```ignore
//! let idle = system.spawn(Idle).await.unwrap();
//! registry.register("db", &idle).unwrap();
//! ```

use actor_core::prelude::*;

/// Takes `()` and ignores it; runs until it is stopped or its last handle
/// is dropped.
pub struct Idle;

impl Actor for Idle {
    type Msg = ();

    async fn handle(&mut self, (): (), _: &mut Context<Self>) -> Result<(), BoxError> {
        Ok(())
    }
}
