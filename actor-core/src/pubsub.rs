//! Publish/subscribe: a [`Topic<T>`] delivers every message published on it
//! to its subscribers.
//!
//! A topic is a [`Group<T>`](crate::group::Group) seen from the publishing
//! side, with the group's rules (typed, weak, left on stop; see
//! [`group`](crate::group)). Make one with [`Topic::new`] and share it by
//! cloning, or get one by name with
//! [`Groups::topic`](crate::group::Groups::topic) (`system.groups().topic(..)`;
//! a topic and a group of the same name and message type are the same set).
//!
//! # The guarantees
//!
//! - **Only what comes after.** A subscriber gets the messages whose
//!   [`publish`](Topic::publish) (or [`try_publish`](Topic::try_publish)) is
//!   *called* after its [`subscribe`](Topic::subscribe) returned, and none
//!   published before. A publish that was called before, even one still
//!   delivering, does not reach it. Once it has received one message from a
//!   publisher, it receives all of that publisher's later ones (until it
//!   unsubscribes or stops).
//! - **In publish order.** Each subscriber receives one publisher's messages
//!   in the order they were published, provided the publisher awaits each
//!   `publish` before starting the next: a publish puts its message in every
//!   subscriber's mailbox before it returns, and mailboxes are FIFO.
//!   Messages from different publishers interleave; each publisher's own
//!   order holds within the interleaving.
//! - **Backpressure or loss, your choice.** [`publish`](Topic::publish) waits
//!   for room in each full bounded mailbox, so the slowest subscriber paces
//!   the publisher and nothing is lost. [`try_publish`](Topic::try_publish)
//!   never waits and skips subscribers that are full, reporting them; what
//!   such a subscriber does get is still in order.
//! - **On stop.** A stopped subscriber is unsubscribed before anyone learns
//!   of its exit; an unsubscribed one gets no message published later.
//!   Subscribing never keeps an actor alive.
//!
//! # Example
//!
//! ```
//! use actor_core::prelude::*;
//! use actor_core::pubsub::Topic;
//!
//! #[derive(Clone, Debug, PartialEq)]
//! struct Price(u32);
//!
//! enum TickerMsg {
//!     Price(Price),
//!     Seen(ReplyPort<Vec<u32>>),
//! }
//! impl From<Price> for TickerMsg {
//!     fn from(price: Price) -> Self {
//!         TickerMsg::Price(price)
//!     }
//! }
//!
//! #[derive(Default)]
//! struct Ticker(Vec<u32>);
//! impl Actor for Ticker {
//!     type Msg = TickerMsg;
//!     async fn handle(&mut self, msg: TickerMsg, _: &mut Context<Self>) -> Result<(), BoxError> {
//!         match msg {
//!             TickerMsg::Price(Price(p)) => self.0.push(p),
//!             TickerMsg::Seen(reply) => {
//!                 let _ = reply.send(self.0.clone());
//!             }
//!         }
//!         Ok(())
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let system = System::new();
//! let prices: Topic<Price> = system.groups().topic("prices")?;
//! let early = system.spawn(Ticker::default()).await?;
//! let late = system.spawn(Ticker::default()).await?;
//!
//! prices.subscribe(&early);
//! prices.publish(Price(1)).await;
//! prices.subscribe(&late);
//! prices.publish(Price(2)).await;
//! prices.publish(Price(3)).await;
//!
//! assert_eq!(early.ask(TickerMsg::Seen).await?, [1, 2, 3]);
//! assert_eq!(late.ask(TickerMsg::Seen).await?, [2, 3]); // only what came after
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::future::Future;

use crate::error::GroupError;
use crate::group::{BroadcastReport, Group, Groups, Receives};
use crate::id::ActorId;

/// A publish/subscribe channel for messages of type `T`. Cheap to clone; all
/// clones are the same topic. See the [module docs](crate::pubsub) for the
/// guarantees.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::pubsub::Topic;
/// # struct Log;
/// # impl Actor for Log {
/// #     type Msg = String;
/// #     async fn handle(&mut self, _: String, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// # }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let events = Topic::<String>::new();
/// let log = system.spawn(Log).await?;
/// events.subscribe(&log.recipient());
/// assert_eq!(events.publish("started".to_string()).await.delivered, 1);
/// # Ok(())
/// # }
/// ```
pub struct Topic<T: 'static> {
    group: Group<T>,
}

impl<T: Clone + Send + 'static> Topic<T> {
    /// A new topic without subscribers, not in any [`Groups`] directory.
    ///
    /// # Examples
    ///
    /// ```
    /// let topic = actor_core::pubsub::Topic::<u32>::new();
    /// assert_eq!(topic.subscriber_count(), 0);
    /// ```
    pub fn new() -> Topic<T> {
        Topic { group: Group::new() }
    }

    /// The topic's name, if it came from [`Groups::topic`].
    ///
    /// # Examples
    ///
    /// ```
    /// let system = actor_core::System::new();
    /// let topic = system.groups().topic::<u32>("ticks")?;
    /// assert_eq!(topic.name(), Some("ticks"));
    /// # Ok::<(), actor_core::error::GroupError>(())
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.group.name()
    }

    /// Subscribes the actor behind `subscriber` (an [`ActorRef`](crate::ActorRef)
    /// whose message converts from `T`, or a [`Recipient<T>`](crate::Recipient)):
    /// it gets every message published from now on. Returns `false` if it
    /// already was subscribed.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pubsub::Topic;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u64;
    /// #     async fn handle(&mut self, _: u64, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sink = system.spawn(Sink).await?;
    /// let topic = Topic::<u32>::new(); // u32 converts into the sink's u64
    /// assert!(topic.subscribe(&sink));
    /// assert!(!topic.subscribe(&sink.recipient::<u32>())); // same actor
    /// # Ok(())
    /// # }
    /// ```
    pub fn subscribe(&self, subscriber: &impl Receives<T>) -> bool {
        self.group.join(subscriber)
    }

    /// Unsubscribes the actor `id`: no message published after this returns
    /// reaches it. Returns `false` if it was not subscribed.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pubsub::Topic;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sink = system.spawn(Sink).await?;
    /// let topic = Topic::<u32>::new();
    /// topic.subscribe(&sink);
    /// assert!(topic.unsubscribe(sink.id()));
    /// assert_eq!(topic.publish(1).await.delivered, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn unsubscribe(&self, id: ActorId) -> bool {
        self.group.leave(id)
    }

    /// Publishes `msg` to every subscriber, waiting for room in full bounded
    /// mailboxes; see [`Group::broadcast`] (the subscriber list is read when
    /// this is called).
    ///
    /// # Cancel safety
    ///
    /// Dropping the future part way leaves the subscribers served so far with
    /// the message and the others without it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pubsub::Topic;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sink = system.spawn(Sink).await?;
    /// let topic = Topic::<u32>::new();
    /// topic.subscribe(&sink);
    /// let report = topic.publish(42).await;
    /// assert_eq!(report.delivered, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn publish(&self, msg: T) -> impl Future<Output = BroadcastReport> + Send + use<T> {
        self.group.broadcast(msg)
    }

    /// Publishes `msg` to every subscriber that has room for it now; never
    /// waits. See [`Group::try_broadcast`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::pubsub::Topic;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sink = system.spawn(Sink).await?;
    /// let topic = Topic::<u32>::new();
    /// topic.subscribe(&sink);
    /// let report = topic.try_publish(42);
    /// assert_eq!((report.delivered, report.full), (1, 0));
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_publish(&self, msg: T) -> BroadcastReport {
        self.group.try_broadcast(msg)
    }

    /// The subscribers' ids, in subscription order.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(actor_core::pubsub::Topic::<u32>::new().subscribers().is_empty());
    /// ```
    pub fn subscribers(&self) -> Vec<ActorId> {
        self.group.members()
    }

    /// How many subscribers the topic has.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(actor_core::pubsub::Topic::<u32>::new().subscriber_count(), 0);
    /// ```
    pub fn subscriber_count(&self) -> usize {
        self.group.len()
    }

    /// The group of subscribers behind this topic.
    ///
    /// # Examples
    ///
    /// ```
    /// let topic = actor_core::pubsub::Topic::<u32>::new();
    /// assert!(topic.group().is_empty());
    /// ```
    pub fn group(&self) -> &Group<T> {
        &self.group
    }
}

impl<T: 'static> From<Group<T>> for Topic<T> {
    /// The group's members become the topic's subscribers (and stay in sync:
    /// it is the same set).
    fn from(group: Group<T>) -> Self {
        Topic { group }
    }
}

impl Groups {
    /// The topic called `name`: the named [group](Groups::group) of that
    /// name, seen as a topic (made empty on first use).
    ///
    /// # Errors
    ///
    /// As [`Groups::group`]: an invalid name, or a group of this name that
    /// carries another message type.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::System;
    ///
    /// let system = System::new();
    /// let ticks = system.groups().topic::<u64>("ticks")?;
    /// let same = system.groups().group::<u64>("ticks")?;
    /// assert_eq!(ticks.subscriber_count(), same.len());
    /// # Ok::<(), actor_core::error::GroupError>(())
    /// ```
    pub fn topic<T: Clone + Send + 'static>(&self, name: &str) -> Result<Topic<T>, GroupError> {
        self.group(name).map(Topic::from)
    }
}

impl<T: Clone + Send + 'static> Default for Topic<T> {
    fn default() -> Self {
        Topic::new()
    }
}

impl<T: 'static> Clone for Topic<T> {
    fn clone(&self) -> Self {
        Topic {
            group: self.group.clone(),
        }
    }
}

impl<T: 'static> fmt::Debug for Topic<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Topic").field(&self.group).finish()
    }
}
