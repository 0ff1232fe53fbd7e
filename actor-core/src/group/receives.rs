//! [`Receives`]: the handles that can join a group.

use std::sync::Arc;

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::deliver::Deliver;
use crate::recipient::Recipient;

/// A handle that can join a [`Group<T>`](crate::group::Group) (or subscribe to a
/// [`Topic<T>`](crate::pubsub::Topic)): a [`Recipient<T>`], or an
/// [`ActorRef<A>`] whose message type converts from `T`.
///
/// Sealed: implemented only by this crate's handles.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::group::{Group, Receives};
///
/// fn enlist(group: &Group<u32>, member: &impl Receives<u32>) {
///     group.join(member);
/// }
/// # struct Sink;
/// # impl Actor for Sink {
/// #     type Msg = u64;
/// #     async fn handle(&mut self, _: u64, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let system = System::new();
/// let sink = system.spawn(Sink).await?; // takes u64, and u32 converts into u64
/// let group = Group::<u32>::new();
/// enlist(&group, &sink);
/// enlist(&group, &sink.recipient::<u32>()); // the same actor: already a member
/// assert_eq!(group.len(), 1);
/// # Ok(())
/// # }
/// ```
pub trait Receives<T: 'static>: sealed::Sealed<T> {}

pub(super) mod sealed {
    use std::fmt;
    use std::sync::Arc;

    use crate::deliver::Deliver;

    pub trait Sealed<T: 'static> {
        /// The actor's cell, as a `T` target (not counted as a sender).
        fn target(&self) -> Target<T>;
    }

    /// An actor's cell as a `T` target; opaque outside the crate.
    pub struct Target<T: 'static>(pub(crate) Arc<dyn Deliver<T>>);

    impl<T: 'static> fmt::Debug for Target<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_tuple("Target").field(&self.0.core().id).finish()
        }
    }
}

impl<A: Actor, T: Into<A::Msg> + Send + 'static> sealed::Sealed<T> for ActorRef<A> {
    fn target(&self) -> sealed::Target<T> {
        sealed::Target(Arc::clone(&self.cell) as Arc<dyn Deliver<T>>)
    }
}

impl<A: Actor, T: Into<A::Msg> + Send + 'static> Receives<T> for ActorRef<A> {}

impl<T: Send + 'static> sealed::Sealed<T> for Recipient<T> {
    fn target(&self) -> sealed::Target<T> {
        sealed::Target(Arc::clone(Recipient::target(self)))
    }
}

impl<T: Send + 'static> Receives<T> for Recipient<T> {}
