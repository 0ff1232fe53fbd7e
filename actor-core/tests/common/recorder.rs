//! `Recorder`: an actor that records the `u32`s it is sent and hands back
//! the record, for the group and topic tests that check who got what.
//!
//! It takes a `u32` through `From`, so a `Group<u32>` or `Topic<u32>` can
//! reach it through a `Recipient<u32>`; [`Msg::Log`] asks for everything
//! recorded so far, in arrival order.
//!
//! ```ignore
//! let recorder = system.spawn(Recorder::default()).await.unwrap();
//! group.join(&recorder);
//! group.broadcast(1).await;
//! assert_eq!(recorder.ask(Msg::Log).await.unwrap(), [1]);
//! ```

use actor_core::prelude::*;

/// What a [`Recorder`] is told.
pub enum Msg {
    /// Recorded.
    Note(u32),
    /// Replies with a copy of the record (which is kept).
    Log(ReplyPort<Vec<u32>>),
}

impl From<u32> for Msg {
    fn from(n: u32) -> Self {
        Msg::Note(n)
    }
}

/// Records every [`Msg::Note`] in arrival order.
#[derive(Default)]
pub struct Recorder(Vec<u32>);

impl Actor for Recorder {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Note(n) => self.0.push(n),
            Msg::Log(reply) => {
                let _ = reply.send(self.0.clone());
            }
        }
        Ok(())
    }
}
