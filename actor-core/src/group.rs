//! Groups: named, typed sets of actors to broadcast to (Erlang's `pg`).
//!
//! A [`Group<T>`] is a set of members that each accept a `T`: any
//! [`Recipient<T>`](crate::Recipient), or any [`ActorRef<A>`](crate::ActorRef) whose message converts from `T`
//! (see [`Receives`]). Membership is typed once, at [`join`](Group::join), so
//! a broadcast never downcasts. Make an anonymous group with [`Group::new`]
//! and share it by cloning, or get one by name from the system's
//! [`Groups`] (`system.groups()`, or `ctx.system().groups()` in an actor).
//! A [`Topic`](crate::pubsub::Topic) is the same thing seen from the
//! publish/subscribe side.
//!
//! # The rules
//!
//! - **Join and leave.** [`join`](Group::join) adds an actor at most once (a
//!   second join is a no-op returning `false`); [`leave`](Group::leave)
//!   removes it. After `leave` returns, no broadcast *started later* reaches
//!   the actor.
//! - **On stop.** An actor leaves every group when it ends, whatever the
//!   reason, before anyone learns of the exit (before
//!   [`wait_for_stop`](crate::ActorRef::wait_for_stop) returns and monitors
//!   get their [`Down`](crate::Down)). A supervised child that is restarted
//!   keeps its [`ActorRef`](crate::ActorRef) and so stays a member: only its final exit counts.
//! - **No keep-alive.** Groups hold their members weakly: an actor whose last
//!   [`ActorRef`](crate::ActorRef) and [`Recipient`](crate::Recipient) are dropped stops as usual, and leaves.
//! - **Broadcast.** The member list is read once, when
//!   [`broadcast`](Group::broadcast) or [`try_broadcast`](Group::try_broadcast)
//!   is *called*: actors that join later do not get the message, actors that
//!   leave later may still get it. Members are then served one after the
//!   other, in join order, each getting a clone of the message (the last one
//!   gets the original). The [`BroadcastReport`] counts who got it; a member
//!   whose mailbox is closed (stopping or stopped) does not count.
//!   - [`broadcast`](Group::broadcast) waits for room in each bounded mailbox
//!     in turn, like [`tell`](crate::ActorRef::tell): nothing is lost to a
//!     full mailbox, but one slow member holds up the members after it.
//!   - [`try_broadcast`](Group::try_broadcast) never waits, like
//!     [`try_tell`](crate::ActorRef::try_tell): a member whose mailbox is full
//!     is skipped and counted in [`BroadcastReport::full`].
//! - **Order.** A member receives the broadcasts of one sender in the order
//!   that sender made them, provided each `broadcast` is awaited before the
//!   next one starts (each `try_broadcast` returns before the next). Between
//!   different senders there is no common order.
//! - **Cost.** Delivering to a member costs what a `tell` costs plus one
//!   weak-reference upgrade: no allocation beyond cloning your message.
//!   Joining and leaving copy the member list only while a broadcast is
//!   reading it.
//!
//! Named groups live as long as their system, even when empty: use a small,
//! fixed set of names (roles, topics), not one per request.
//!
//! # Example
//!
//! ```
//! use actor_core::prelude::*;
//!
//! #[derive(Clone)]
//! struct Flush;
//!
//! enum CacheMsg {
//!     Flush,
//!     Size(ReplyPort<usize>),
//! }
//! impl From<Flush> for CacheMsg {
//!     fn from(_: Flush) -> Self {
//!         CacheMsg::Flush
//!     }
//! }
//!
//! struct Cache(Vec<u8>);
//! impl Actor for Cache {
//!     type Msg = CacheMsg;
//!     async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
//!         ctx.system().groups().group::<Flush>("caches")?.join(&ctx.myself());
//!         Ok(())
//!     }
//!     async fn handle(&mut self, msg: CacheMsg, _: &mut Context<Self>) -> Result<(), BoxError> {
//!         match msg {
//!             CacheMsg::Flush => self.0.clear(),
//!             CacheMsg::Size(reply) => {
//!                 let _ = reply.send(self.0.len());
//!             }
//!         }
//!         Ok(())
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let system = System::new();
//! let a = system.spawn(Cache(vec![1, 2])).await?;
//! let b = system.spawn(Cache(vec![3])).await?;
//!
//! let caches = system.groups().group::<Flush>("caches")?;
//! assert_eq!(caches.broadcast(Flush).await.delivered, 2);
//! assert_eq!(a.ask(CacheMsg::Size).await? + b.ask(CacheMsg::Size).await?, 0);
//!
//! b.stop();
//! b.wait_for_stop().await;
//! assert_eq!(caches.members(), [a.id()]); // b left when it stopped
//! # Ok(())
//! # }
//! ```

mod directory;
mod receives;

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use crate::deliver::{Deliver, SendFuture};
use crate::error::{SendError, TrySendError};
use crate::id::ActorId;

pub use self::directory::Groups;
pub use self::receives::Receives;

/// What a broadcast did: how many members got the message, and why the
/// others did not.
///
/// # Examples
///
/// ```
/// use actor_core::group::{BroadcastReport, Group};
///
/// let empty = Group::<u32>::new();
/// let report: BroadcastReport = empty.try_broadcast(7);
/// assert_eq!((report.delivered, report.full, report.closed), (0, 0, 0));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BroadcastReport {
    /// Members whose mailbox accepted the message.
    pub delivered: usize,
    /// Members skipped because their bounded mailbox was full: with
    /// [`try_broadcast`](Group::try_broadcast), any such member; with
    /// [`broadcast`](Group::broadcast), only the broadcasting actor itself,
    /// when it is a member and its own mailbox is full (waiting would
    /// deadlock).
    pub full: usize,
    /// Members that no longer take messages (stopping or stopped).
    pub closed: usize,
}

impl BroadcastReport {
    fn count_send<T>(&mut self, result: Result<(), SendError<T>>) {
        match result {
            Ok(()) => self.delivered += 1,
            Err(SendError::Closed(_)) => self.closed += 1,
            Err(SendError::WouldDeadlock(_)) => self.full += 1,
        }
    }

    fn count_try_send<T>(&mut self, result: Result<(), TrySendError<T>>) {
        match result {
            Ok(()) => self.delivered += 1,
            Err(TrySendError::Full(_)) => self.full += 1,
            Err(TrySendError::Closed(_)) => self.closed += 1,
        }
    }
}

/// A typed set of actors that accept a `T`. Cheap to clone; all clones are
/// the same group. See the [module docs](crate::group) for the rules.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::group::Group;
/// # struct Sink;
/// # impl Actor for Sink {
/// #     type Msg = String;
/// #     async fn handle(&mut self, _: String, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// # }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let group = Group::<String>::new();
/// for _ in 0..3 {
///     group.join(&system.spawn(Sink).await?);
/// }
/// // The spawned handles were dropped, so those actors are stopping: a
/// // group does not keep its members alive.
/// assert_eq!(group.broadcast("hello".to_string()).await.delivered, 0);
/// # Ok(())
/// # }
/// ```
pub struct Group<T: 'static> {
    shared: Arc<Shared<T>>,
}

struct Shared<T: 'static> {
    name: Option<Box<str>>,
    state: Mutex<State<T>>,
}

struct State<T: 'static> {
    /// In join order. Copied on write while a broadcast holds a snapshot.
    members: Arc<Vec<Member<T>>>,
    /// The ids in `members`.
    ids: HashSet<ActorId>,
    /// Actors whose exit hook for this group is installed (members, and
    /// actors that left but have not ended): one hook per actor and group.
    hooked: HashSet<ActorId>,
}

struct Member<T: 'static> {
    id: ActorId,
    target: Weak<dyn Deliver<T>>,
}

impl<T: 'static> Clone for Member<T> {
    fn clone(&self) -> Self {
        Member {
            id: self.id,
            target: Weak::clone(&self.target),
        }
    }
}

impl<T: 'static> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Removes `id`; with `ended`, also forgets its hook. Whether it was a
    /// member.
    fn remove(&self, id: ActorId, ended: bool) -> bool {
        let mut state = self.lock();
        if ended {
            state.hooked.remove(&id);
        }
        if !state.ids.remove(&id) {
            return false;
        }
        Arc::make_mut(&mut state.members).retain(|member| member.id != id);
        true
    }
}

impl<T: Send + 'static> Group<T> {
    /// A new, empty group that belongs to no [`Groups`] directory.
    ///
    /// # Examples
    ///
    /// ```
    /// let group = actor_core::group::Group::<u32>::new();
    /// assert!(group.is_empty() && group.name().is_none());
    /// ```
    pub fn new() -> Group<T> {
        Group::with_name(None)
    }

    pub(crate) fn with_name(name: Option<Box<str>>) -> Group<T> {
        Group {
            shared: Arc::new(Shared {
                name,
                state: Mutex::new(State {
                    members: Arc::new(Vec::new()),
                    ids: HashSet::new(),
                    hooked: HashSet::new(),
                }),
            }),
        }
    }

    /// The group's name, if it came from [`Groups`].
    ///
    /// # Examples
    ///
    /// ```
    /// let system = actor_core::System::new();
    /// let group = system.groups().group::<u32>("workers")?;
    /// assert_eq!(group.name(), Some("workers"));
    /// # Ok::<(), actor_core::error::GroupError>(())
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.shared.name.as_deref()
    }

    /// Adds the actor behind `member` to the group, until it
    /// [leaves](Group::leave) or ends. Returns `false` if it already was a
    /// member. An actor that has already ended is removed again at once.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::group::Group;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sink = system.spawn(Sink).await?;
    /// let group = Group::<u32>::new();
    /// assert!(group.join(&sink));
    /// assert!(!group.join(&sink)); // already in
    /// assert!(group.contains(sink.id()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn join(&self, member: &impl Receives<T>) -> bool {
        let receives::sealed::Target(target) = member.target();
        let id = target.core().id;
        let needs_hook = {
            let mut state = self.shared.lock();
            if !state.ids.insert(id) {
                return false;
            }
            Arc::make_mut(&mut state.members).push(Member {
                id,
                target: Arc::downgrade(&target),
            });
            state.hooked.insert(id)
        };
        if needs_hook {
            // Outside the lock: an actor that already ended runs the hook at
            // once, and the hook takes the lock.
            let shared = Arc::downgrade(&self.shared);
            target.core().on_exit(Box::new(move |id, _| {
                if let Some(shared) = shared.upgrade() {
                    shared.remove(id, true);
                }
            }));
        }
        true
    }

    /// Removes the actor `id` from the group. Returns `false` if it was not
    /// a member. Broadcasts started after this returns do not reach it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::group::Group;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sink = system.spawn(Sink).await?;
    /// let group = Group::<u32>::new();
    /// group.join(&sink);
    /// assert!(group.leave(sink.id()));
    /// assert_eq!(group.try_broadcast(1).delivered, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn leave(&self, id: ActorId) -> bool {
        self.shared.remove(id, false)
    }

    /// Whether the actor `id` is a member.
    ///
    /// # Examples
    ///
    /// See [`join`](Group::join).
    pub fn contains(&self, id: ActorId) -> bool {
        self.shared.lock().ids.contains(&id)
    }

    /// The members' ids, in join order. A member that is stopping is listed
    /// until it has ended.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::group::Group;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let (a, b) = (system.spawn(Sink).await?, system.spawn(Sink).await?);
    /// let group = Group::<u32>::new();
    /// group.join(&b);
    /// group.join(&a);
    /// assert_eq!(group.members(), [b.id(), a.id()]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn members(&self) -> Vec<ActorId> {
        self.shared
            .lock()
            .members
            .iter()
            .map(|member| member.id)
            .collect()
    }

    /// How many members the group has.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(actor_core::group::Group::<u32>::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.shared.lock().ids.len()
    }

    /// Whether the group has no members.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(actor_core::group::Group::<u32>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.shared.lock().ids.is_empty()
    }

    fn snapshot(&self) -> Arc<Vec<Member<T>>> {
        Arc::clone(&self.shared.lock().members)
    }

    /// Sends `msg` to every member, waiting for room in full bounded
    /// mailboxes, and reports how many got it.
    ///
    /// The member list is read now, when `broadcast` is called, not when the
    /// future is first polled. The future does not borrow the group, so it
    /// can be spawned.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future part way leaves the members served so far with
    /// the message and the others without it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::group::Group;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let (a, b) = (system.spawn(Sink).await?, system.spawn(Sink).await?);
    /// let group = Group::<u32>::new();
    /// group.join(&a);
    /// group.join(&b);
    /// b.stop();
    /// let report = group.broadcast(7).await;
    /// assert_eq!((report.delivered, report.closed), (1, 1));
    /// # Ok(())
    /// # }
    /// ```
    pub fn broadcast(&self, msg: T) -> impl Future<Output = BroadcastReport> + Send + use<T>
    where
        T: Clone,
    {
        let members = self.snapshot();
        async move {
            let mut report = BroadcastReport::default();
            if let Some((last, rest)) = members.split_last() {
                for member in rest {
                    report.count_send(tell(member, msg.clone()).await);
                }
                report.count_send(tell(last, msg).await);
            }
            report
        }
    }

    /// Sends `msg` to every member that has room for it now, and reports how
    /// many got it; never waits.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::group::Group;
    /// # struct Sink;
    /// # impl Actor for Sink {
    /// #     type Msg = u32;
    /// #     async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let tiny = system.spawn_with(Sink, SpawnOptions::new().mailbox(MailboxKind::Bounded(1))).await?;
    /// let group = Group::<u32>::new();
    /// group.join(&tiny);
    /// assert_eq!(group.try_broadcast(1).delivered, 1);
    /// assert_eq!(group.try_broadcast(2).full, 1); // tiny has not run yet: its one slot is taken
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_broadcast(&self, msg: T) -> BroadcastReport
    where
        T: Clone,
    {
        let members = self.snapshot();
        let mut report = BroadcastReport::default();
        if let Some((last, rest)) = members.split_last() {
            for member in rest {
                report.count_try_send(try_tell(member, msg.clone()));
            }
            report.count_try_send(try_tell(last, msg));
        }
        report
    }
}

/// One member's share of a broadcast.
async fn tell<T: 'static>(member: &Member<T>, msg: T) -> Result<(), SendError<T>> {
    match member.target.upgrade() {
        Some(target) => SendFuture::new(&*target, msg).await,
        None => Err(SendError::Closed(msg)),
    }
}

/// One member's share of a try-broadcast.
fn try_tell<T: 'static>(member: &Member<T>, msg: T) -> Result<(), TrySendError<T>> {
    match member.target.upgrade() {
        Some(target) => target.try_deliver(msg),
        None => Err(TrySendError::Closed(msg)),
    }
}

impl<T: Send + 'static> Default for Group<T> {
    fn default() -> Self {
        Group::new()
    }
}

impl<T: 'static> Clone for Group<T> {
    fn clone(&self) -> Self {
        Group {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T: 'static> fmt::Debug for Group<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Group")
            .field("name", &self.shared.name)
            .field("message", &std::any::type_name::<T>())
            .field("members", &self.shared.lock().ids.len())
            .finish()
    }
}
