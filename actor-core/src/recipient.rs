//! [`Recipient`]: a handle for one message type, whatever the actor.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::actor_ref::DEFAULT_ASK_TIMEOUT;
use crate::deliver::{AskFuture, Deliver, SendFuture};
use crate::error::TrySendError;
use crate::id::ActorId;
use crate::reply::ReplyPort;

/// A type-erased handle that accepts messages of type `T`, delivered to any
/// actor whose message type can be built from `T` (`T: Into<A::Msg>`).
///
/// Made with [`ActorRef::recipient`](crate::ActorRef::recipient). Like an
/// `ActorRef`, it keeps the actor's mailbox open, and a message that cannot
/// be delivered comes back in the error. The conversion into the actor's
/// message runs only when the message is accepted.
///
/// # Examples
///
/// A pipeline stage that only knows "somewhere to send `u64`s":
///
/// ```
/// use actor_core::prelude::*;
///
/// async fn produce(out: Recipient<u64>) -> Result<(), SendError<u64>> {
///     for n in 0..3 {
///         out.tell(n).await?;
///     }
///     Ok(())
/// }
///
/// enum SumMsg {
///     Add(u64),
///     Get(ReplyPort<u64>),
/// }
/// impl From<u64> for SumMsg {
///     fn from(n: u64) -> Self {
///         SumMsg::Add(n)
///     }
/// }
///
/// struct Sum(u64);
/// impl Actor for Sum {
///     type Msg = SumMsg;
///     async fn handle(&mut self, msg: SumMsg, _: &mut Context<Self>) -> Result<(), BoxError> {
///         match msg {
///             SumMsg::Add(n) => self.0 += n,
///             SumMsg::Get(reply) => {
///                 let _ = reply.send(self.0);
///             }
///         }
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let sum = system.spawn(Sum(0)).await?;
/// produce(sum.recipient()).await?;
/// assert_eq!(sum.ask(SumMsg::Get).await?, 3);
/// # Ok(())
/// # }
/// ```
pub struct Recipient<T: 'static> {
    target: Arc<dyn Deliver<T>>,
}

impl<T: Send + 'static> Recipient<T> {
    pub(crate) fn new(target: Arc<dyn Deliver<T>>) -> Self {
        target.add_sender();
        Recipient { target }
    }

    /// The actor behind this handle, without counting as a sender: groups
    /// keep it weakly so that they never keep an actor alive.
    pub(crate) fn target(&self) -> &Arc<dyn Deliver<T>> {
        &self.target
    }

    /// The id of the actor behind this handle.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sink = system.spawn(Sink).await?;
    /// let r: Recipient<u32> = sink.recipient();
    /// assert_eq!(r.id(), sink.id());
    /// # Ok(())
    /// # }
    /// ```
    pub fn id(&self) -> ActorId {
        self.target.core().id
    }

    /// Sends `msg`, waiting for room in a bounded mailbox. See
    /// [`ActorRef::tell`](crate::ActorRef::tell).
    ///
    /// # Errors
    ///
    /// [`SendError`](crate::SendError), with the message.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sink = system.spawn(Sink).await?;
    /// sink.recipient::<u32>().tell(7).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn tell(&self, msg: T) -> SendFuture<'_, T> {
        SendFuture::new(&*self.target, msg)
    }

    /// Sends `msg` if there is room now. See
    /// [`ActorRef::try_tell`](crate::ActorRef::try_tell).
    ///
    /// # Errors
    ///
    /// [`TrySendError`](crate::TrySendError), with the message.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sink = system.spawn(Sink).await?;
    /// sink.recipient::<u32>().try_tell(7)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_tell(&self, msg: T) -> Result<(), TrySendError<T>> {
        self.target.try_deliver(msg)
    }

    /// Asks with a request of type `T`, waiting at most
    /// [`DEFAULT_ASK_TIMEOUT`]. See [`ActorRef::ask`](crate::ActorRef::ask).
    ///
    /// # Errors
    ///
    /// [`AskError`](crate::AskError).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// struct Query(ReplyPort<u8>);
    /// # enum Msg { Query(ReplyPort<u8>) }
    /// # impl From<Query> for Msg { fn from(q: Query) -> Self { Msg::Query(q.0) } }
    /// # struct Db;
    /// # impl Actor for Db {
    /// #     type Msg = Msg;
    /// #     async fn handle(&mut self, Msg::Query(reply): Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
    /// #         let _ = reply.send(1);
    /// #         Ok(())
    /// #     }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let db = system.spawn(Db).await?;
    /// let queries: Recipient<Query> = db.recipient();
    /// assert_eq!(queries.ask(Query).await?, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn ask<R>(&self, make: impl FnOnce(ReplyPort<R>) -> T) -> AskFuture<'_, T, R> {
        AskFuture::new(&*self.target, make, DEFAULT_ASK_TIMEOUT)
    }

    /// [`ask`](Recipient::ask) with its own timeout.
    ///
    /// # Errors
    ///
    /// [`AskError`](crate::AskError), including [`AskError::InvalidTimeout`](crate::AskError::InvalidTimeout).
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use actor_core::prelude::*;
    /// # struct Db;
    /// # impl Actor for Db {
    /// #     type Msg = ReplyPort<u8>;
    /// #     async fn handle(&mut self, reply: ReplyPort<u8>, _: &mut Context<Self>) -> Result<(), BoxError> {
    /// #         let _ = reply.send(1);
    /// #         Ok(())
    /// #     }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let db = system.spawn(Db).await?;
    /// let r: Recipient<ReplyPort<u8>> = db.recipient();
    /// assert_eq!(r.ask_timeout(|reply| reply, Duration::from_secs(1)).await?, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn ask_timeout<R>(
        &self,
        make: impl FnOnce(ReplyPort<R>) -> T,
        timeout: Duration,
    ) -> AskFuture<'_, T, R> {
        AskFuture::new(&*self.target, make, timeout)
    }

    /// Messages accepted by the actor and not yet handled.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sink = system.spawn(Sink).await?;
    /// let r: Recipient<u32> = sink.recipient();
    /// assert_eq!(r.mailbox_len(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn mailbox_len(&self) -> usize {
        self.target.mailbox_len()
    }
}

impl<T: 'static> Clone for Recipient<T> {
    fn clone(&self) -> Self {
        self.target.add_sender();
        Recipient {
            target: Arc::clone(&self.target),
        }
    }
}

impl<T: 'static> Drop for Recipient<T> {
    fn drop(&mut self) {
        self.target.remove_sender();
    }
}

impl<T: 'static> fmt::Debug for Recipient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recipient")
            .field("id", &self.target.core().id)
            .field("message", &std::any::type_name::<T>())
            .finish()
    }
}
