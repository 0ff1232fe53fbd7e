//! `Gated`: an actor that records the numbers it is sent and can be parked
//! inside a handler, so that its mailbox fills up while the test watches;
//! for the pool tests on routing and backpressure.
//!
//! [`hold`] parks it and returns the gate: dropping the sender (or sending
//! on it) lets the actor go on with its queue.
//!
//! ```ignore
//! let gate = hold(&pool.workers()[0]).await;
//! pool.workers()[0].tell(Msg::Item(1)).await.unwrap(); // queued behind the hold
//! drop(gate);
//! assert_eq!(pool.workers()[0].ask(Msg::Seen).await.unwrap(), [1]);
//! ```

use actor_core::prelude::*;
use tokio::sync::oneshot;

/// What a [`Gated`] is told.
pub enum Msg {
    /// Signals `entered`, then blocks the worker until `gate` opens.
    Hold {
        /// Told once the handler is running.
        entered: oneshot::Sender<()>,
        /// The handler returns when this resolves (sent or dropped).
        gate: oneshot::Receiver<()>,
    },
    /// Recorded, in arrival order.
    Item(u32),
    /// Replies with the items recorded so far.
    Seen(ReplyPort<Vec<u32>>),
}

/// Records the `Item`s it handles; parks on `Hold`.
#[derive(Default)]
pub struct Gated {
    seen: Vec<u32>,
}

impl Actor for Gated {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Hold { entered, gate } => {
                let _ = entered.send(());
                let _ = gate.await;
            }
            Msg::Item(n) => self.seen.push(n),
            Msg::Seen(reply) => {
                let _ = reply.send(self.seen.clone());
            }
        }
        Ok(())
    }
}

/// Parks `worker` inside a handler and returns once it is there; the
/// returned sender releases it.
pub async fn hold(worker: &ActorRef<Gated>) -> oneshot::Sender<()> {
    let (entered_tx, entered) = oneshot::channel();
    let (gate, gate_rx) = oneshot::channel();
    worker
        .tell(Msg::Hold {
            entered: entered_tx,
            gate: gate_rx,
        })
        .await
        .unwrap();
    entered.await.unwrap();
    gate
}
