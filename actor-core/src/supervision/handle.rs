//! Talking to a supervisor: the requests behind the helpers on
//! `ActorRef<Supervisor>`, and what they report about children.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::actor::Actor;
use crate::actor_ref::{ActorRef, DEFAULT_ASK_TIMEOUT};
use crate::error::MAX_TIMEOUT;
use crate::error::SupervisorError;
use crate::id::ActorId;
use crate::reply::ReplyPort;
use crate::supervision::child::ErasedSpec;
use crate::supervision::spec::{ChildSpec, Restart};
use crate::supervision::supervisor::Supervisor;

/// The state of one child, as reported by [`ActorRef::children`].
///
/// # Examples
///
/// ```
/// use actor_core::supervision::ChildState;
/// assert_ne!(ChildState::Running, ChildState::Restarting);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChildState {
    /// An instance is running.
    Running,
    /// Its last instance ended and a restart is pending (backoff).
    Restarting,
    /// Ended for good (a transient child after a clean exit).
    Ended,
}

/// One child, as reported by [`ActorRef::children`].
///
/// # Examples
///
/// ```
/// # use actor_core::prelude::*;
/// # use actor_core::supervision::{ChildSpec, ChildState, Supervisor};
/// # #[derive(Default)] struct W;
/// # impl Actor for W { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let system = System::new();
/// let sup = system.spawn(Supervisor::builder().child(ChildSpec::new("w", W::default)).build()?).await?;
/// let info = &sup.children().await?[0];
/// assert_eq!((info.name.as_str(), info.state, info.restarts), ("w", ChildState::Running, 0));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChildInfo {
    /// The name from its spec.
    pub name: String,
    /// Its id (kept across restarts).
    pub id: ActorId,
    /// Its actor type.
    pub actor_type: &'static str,
    /// Its restart type.
    pub restart: Restart,
    /// Running, restarting or ended.
    pub state: ChildState,
    /// How many times it was restarted.
    pub restarts: u32,
}

/// A request to a supervisor; use the helpers on `ActorRef<Supervisor>`
/// ([`child`](ActorRef::child), [`start_child`](ActorRef::start_child),
/// [`remove_child`](ActorRef::remove_child), [`children`](ActorRef::children)),
/// which build it.
///
/// # Examples
///
/// ```
/// # use actor_core::prelude::*;
/// # use actor_core::supervision::{ChildSpec, Supervisor};
/// # #[derive(Default)] struct W;
/// # impl Actor for W { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let system = System::new();
/// let sup = system.spawn(Supervisor::builder().build()?).await?;
/// let w: ActorRef<W> = sup.start_child(ChildSpec::new("w", W::default)).await?;
/// assert_eq!(sup.child::<W>("w").await?, w);
/// # Ok(())
/// # }
/// ```
pub struct SupervisorMsg(pub(crate) Request);

/// A child's typed handle, erased, with its actor type name.
pub(crate) type Handle = (Arc<dyn Any + Send + Sync>, &'static str);

pub(crate) enum Request {
    Child {
        name: String,
        reply: ReplyPort<Option<Handle>>,
    },
    StartChild {
        spec: Box<dyn ErasedSpec>,
        reply: ReplyPort<Result<Handle, SupervisorError>>,
    },
    RemoveChild {
        name: String,
        reply: ReplyPort<Result<(), SupervisorError>>,
    },
    Children {
        reply: ReplyPort<Vec<ChildInfo>>,
    },
}

impl fmt::Debug for SupervisorMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.0 {
            Request::Child { .. } => "Child",
            Request::StartChild { .. } => "StartChild",
            Request::RemoveChild { .. } => "RemoveChild",
            Request::Children { .. } => "Children",
        };
        f.debug_tuple("SupervisorMsg").field(&kind).finish()
    }
}

impl ActorRef<Supervisor> {
    async fn request<R>(&self, make: impl FnOnce(ReplyPort<R>) -> Request) -> Result<R, SupervisorError> {
        self.request_within(make, DEFAULT_ASK_TIMEOUT).await
    }

    /// Starting and removing a child take as long as its `started` hook or
    /// its shutdown policy (OTP's `terminate_child` waits without limit):
    /// these requests wait up to [`MAX_TIMEOUT`] rather than the default ask
    /// timeout.
    async fn request_within<R>(
        &self,
        make: impl FnOnce(ReplyPort<R>) -> Request,
        timeout: Duration,
    ) -> Result<R, SupervisorError> {
        self.ask_timeout(|reply| SupervisorMsg(make(reply)), timeout)
            .await
            .map_err(|e| SupervisorError::Unreachable(e.discard_message()))
    }

    /// The typed handle of the child named `name` (valid across restarts).
    ///
    /// # Errors
    ///
    /// [`SupervisorError::NoSuchChild`], [`SupervisorError::WrongType`] if it
    /// runs another actor type, [`SupervisorError::Unreachable`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::supervision::{ChildSpec, Supervisor};
    /// # #[derive(Default)] struct W;
    /// # impl Actor for W { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sup = system.spawn(Supervisor::builder().child(ChildSpec::new("w", W::default)).build()?).await?;
    /// let w: ActorRef<W> = sup.child("w").await?;
    /// w.tell(()).await?;
    /// assert!(sup.child::<W>("nope").await.is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn child<A: Actor>(&self, name: &str) -> Result<ActorRef<A>, SupervisorError> {
        let owned = name.to_string();
        let found = self
            .request(|reply| Request::Child { name: owned, reply })
            .await?;
        let (handle, actual) = found.ok_or_else(|| SupervisorError::NoSuchChild(name.to_string()))?;
        handle
            .downcast_ref::<ActorRef<A>>()
            .cloned()
            .ok_or_else(|| SupervisorError::WrongType {
                name: name.to_string(),
                expected: std::any::type_name::<A>(),
                actual,
            })
    }

    /// Starts a new child at run time (OTP's `start_child`); many short-lived
    /// temporary children leave nothing behind when they end.
    ///
    /// # Errors
    ///
    /// [`SupervisorError::DuplicateChild`], [`SupervisorError::InvalidSpec`],
    /// [`SupervisorError::ChildStartFailed`], [`SupervisorError::Unreachable`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::supervision::{ChildSpec, Restart, Supervisor};
    /// # #[derive(Default)] struct Job;
    /// # impl Actor for Job { type Msg = (); async fn handle(&mut self, _: (), ctx: &mut Context<Self>) -> Result<(), BoxError> { ctx.stop(); Ok(()) } }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sup = system.spawn(Supervisor::builder().build()?).await?;
    /// let job = sup.start_child(ChildSpec::new("job-1", Job::default).restart(Restart::Temporary)).await?;
    /// job.tell(()).await?; // it stops itself after one message
    /// job.wait_for_stop().await;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start_child<A: Actor>(&self, spec: ChildSpec<A>) -> Result<ActorRef<A>, SupervisorError> {
        let name = spec.name.to_string();
        let spec: Box<dyn ErasedSpec> = Box::new(spec);
        let (handle, actual) = self
            .request_within(|reply| Request::StartChild { spec, reply }, MAX_TIMEOUT)
            .await??;
        handle
            .downcast_ref::<ActorRef<A>>()
            .cloned()
            .ok_or(SupervisorError::WrongType {
                name,
                expected: std::any::type_name::<A>(),
                actual,
            })
    }

    /// Stops the child named `name` for good (by its shutdown policy) and
    /// removes its spec.
    ///
    /// # Errors
    ///
    /// [`SupervisorError::NoSuchChild`], [`SupervisorError::Unreachable`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::supervision::{ChildSpec, Supervisor};
    /// # #[derive(Default)] struct W;
    /// # impl Actor for W { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sup = system.spawn(Supervisor::builder().child(ChildSpec::new("w", W::default)).build()?).await?;
    /// let w: ActorRef<W> = sup.child("w").await?;
    /// sup.remove_child("w").await?;
    /// assert!(matches!(w.wait_for_stop().await, ExitReason::Shutdown));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn remove_child(&self, name: &str) -> Result<(), SupervisorError> {
        let name = name.to_string();
        self.request_within(|reply| Request::RemoveChild { name, reply }, MAX_TIMEOUT)
            .await?
    }

    /// The children, in start order, with their state and restart counts.
    ///
    /// # Errors
    ///
    /// [`SupervisorError::Unreachable`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # use actor_core::supervision::Supervisor;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let sup = system.spawn(Supervisor::builder().build()?).await?;
    /// assert!(sup.children().await?.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn children(&self) -> Result<Vec<ChildInfo>, SupervisorError> {
        self.request(|reply| Request::Children { reply }).await
    }
}
