//! `Worker`: a supervised child that writes its lifecycle into a [`Log`]
//! and crashes when told to, for the supervision tests that check which
//! children a strategy stops and restarts, and in what order.
//!
//! Each instance logs `"start {name}"` when it has started and
//! `"stop {name} ({reason})"` when it stops, so a test reads a restart round
//! as a list of entries. [`Msg::Crash`] ends the instance with
//! `failed: boom`; [`Msg::Handled`] tells whether the handle still reaches
//! the same instance (its count) or a fresh one (1 again).
//!
//! ```ignore
//! let log = Log::default();
//! let sup = Supervisor::builder().child(worker("a", &log)).build().unwrap();
//! let sup = System::new().spawn(sup).await.unwrap();
//! let a: ActorRef<Worker> = sup.child("a").await.unwrap();
//! a.tell(Msg::Crash).await.unwrap();
//! log.wait_len(3).await; // start a, stop a (failed: boom), start a
//! ```

use actor_core::prelude::*;
use actor_core::supervision::ChildSpec;

use super::Log;

/// What a [`Worker`] is told.
pub enum Msg {
    /// Fails the handler with `"boom"`: the instance stops with
    /// `failed: boom`.
    Crash,
    /// Replies with how many messages this instance has handled, this one
    /// included.
    Handled(ReplyPort<u32>),
}

/// Logs `"start {name}"` and `"stop {name} ({reason})"`; see the module
/// docs.
pub struct Worker {
    name: &'static str,
    log: Log,
    handled: u32,
}

impl Actor for Worker {
    type Msg = Msg;

    async fn started(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.log.push(format!("start {}", self.name));
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.handled += 1;
        match msg {
            Msg::Crash => Err("boom".into()),
            Msg::Handled(reply) => {
                let _ = reply.send(self.handled);
                Ok(())
            }
        }
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        self.log.push(format!("stop {} ({reason})", self.name));
    }
}

/// A child spec named `name` whose every instance is a fresh [`Worker`]
/// logging into `log`.
pub fn worker(name: &'static str, log: &Log) -> ChildSpec<Worker> {
    let log = log.clone();
    ChildSpec::new(name, move || Worker {
        name,
        log: log.clone(),
        handled: 0,
    })
}
