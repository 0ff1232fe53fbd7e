//! Supervision: OTP's supervisors, with the rules written down.
//!
//! A [`Supervisor`] is an actor that starts children from [`ChildSpec`]s and
//! restarts them when they end, following Erlang/OTP's `supervisor`
//! semantics (see `OTP-SEMANTICS` in the repository's shared notes):
//!
//! - **Strategies** ([`Strategy`]): one-for-one; one-for-all (stop the others
//!   in reverse start order, restart all in start order, counted as one
//!   restart); rest-for-one (the same for the children started after the one
//!   that ended). A child of the group that ends by itself while the group
//!   is being stopped (it crashes before its turn, say) is taken as stopped:
//!   it is neither killed nor reported stuck, and it restarts with the
//!   group, in start order, mailbox kept. Its crash belongs to that round,
//!   which still counts as one restart toward the intensity and one in each
//!   child's [`ChildInfo::restarts`]. This is OTP's rule: stopping a child
//!   that is already dead takes its pending `'EXIT'` (`unlink_flush/2`) and
//!   reports it as a shutdown error, adding no restart. A crash of a new
//!   instance, after the round, is a new restart.
//! - **Restart types** ([`Restart`]): permanent children are always
//!   restarted; transient ones only after an abnormal exit (error, panic,
//!   kill); temporary ones never, and their spec is removed, also when they
//!   were stopped as a sibling's casualty.
//! - **Intensity** ([`Intensity`], default 1 restart in 5 s as in OTP): the
//!   restart that would exceed it makes the supervisor give up: it stops its
//!   remaining children in reverse start order and exits with
//!   [`ExitReason::Shutdown`](crate::ExitReason::Shutdown), so its own
//!   supervisor decides (escalation). A failed restart counts as a restart.
//! - **Backoff** ([`Backoff`], per child): delays doubling from `min` to
//!   `max`, reset after a quiet period; messages keep queueing meanwhile.
//! - **Shutdown** ([`Shutdown`], per child): graceful stop then kill after a
//!   timeout, immediate kill, or wait forever. A child that never yields
//!   cannot be interrupted in Rust: it is reported stuck, and the stop still
//!   returns.
//! - **Start**: children start in order; if child *k* fails to start,
//!   children 1..k-1 are stopped in reverse order and spawning the
//!   supervisor fails with an error naming child *k* and the reason.
//!
//! # Where we differ from OTP, and why
//!
//! The intensity window is measured exactly, not in OTP's whole seconds.
//! [`ActorRef::start_child`](crate::ActorRef::start_child) and
//! [`remove_child`](crate::ActorRef::remove_child) wait up to
//! [`MAX_TIMEOUT`](crate::MAX_TIMEOUT) (a child's start or shutdown policy may
//! take long; OTP waits without limit), the other helpers the default ask
//! timeout.
//!
//! A restarted child **keeps its [`ActorRef`](crate::ActorRef) and its
//! mailbox** (Akka's rule, not OTP's new pid): handles held elsewhere stay
//! valid, and messages queued when it failed are handled by the new instance.
//! The message being handled when it failed is not redelivered; its asker
//! gets [`AskError::NoReply`](crate::AskError::NoReply) at once. Each restart
//! builds fresh state from the spec's factory. Watchers of the child (and
//! [`ActorRef::wait_for_stop`](crate::ActorRef::wait_for_stop)) see only its
//! final exit, as with Akka's `watch`; restarts are reported through
//! tracing (`actor_core::supervision` target).
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use actor_core::prelude::*;
//! use actor_core::supervision::{ChildSpec, Intensity, Strategy, Supervisor};
//!
//! #[derive(Default)]
//! struct Flaky {
//!     handled: u32,
//! }
//! impl Actor for Flaky {
//!     type Msg = (bool, ReplyPort<u32>);
//!     async fn handle(&mut self, (crash, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
//!         if crash {
//!             return Err("asked to crash".into());
//!         }
//!         self.handled += 1;
//!         let _ = reply.send(self.handled);
//!         Ok(())
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let system = System::new();
//! let supervisor = Supervisor::builder()
//!     .strategy(Strategy::OneForOne)
//!     .intensity(Intensity::new(3, Duration::from_secs(5)))
//!     .child(ChildSpec::new("flaky", Flaky::default))
//!     .build()?;
//! let supervisor = system.spawn(supervisor).await?;
//! let flaky: ActorRef<Flaky> = supervisor.child("flaky").await?;
//!
//! assert_eq!(flaky.ask(|r| (false, r)).await?, 1);
//! assert!(matches!(flaky.ask(|r| (true, r)).await, Err(AskError::NoReply))); // crashes
//! assert_eq!(flaky.ask(|r| (false, r)).await?, 1); // same handle, fresh state
//! system.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod backoff_state;
mod builder;
mod child;
mod handle;
mod intensity;
mod spec;
mod supervisor;

pub use self::builder::SupervisorBuilder;
pub use self::handle::{ChildInfo, ChildState, SupervisorMsg};
pub use self::spec::{Backoff, ChildSpec, Intensity, Restart, Shutdown, Strategy};
pub use self::supervisor::Supervisor;
