//! Actor identities.
//!
//! An [`ActorId`] names one actor for its whole life. It is two numbers: the
//! [`NodeId`] of the process (node) the actor runs on, and a sequence number
//! unique within that node. Today every actor is local (node `0`); the node
//! part is there so that remote actors (on the roadmap) can be named by the same
//! type without changing any signature.
//!
//! Ids print like Erlang pids, `<node.seq>`, and order by start: within one
//! node, an actor started later has a larger id.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// The node (process or host) an actor lives on.
///
/// `NodeId::LOCAL` (`0`) is this process. Other values are reserved for remote
/// nodes.
///
/// # Examples
///
/// ```
/// use actor_core::NodeId;
///
/// assert_eq!(NodeId::LOCAL.get(), 0);
/// assert_eq!(NodeId::LOCAL.to_string(), "0");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(u32);

impl NodeId {
    /// The node of this process.
    pub const LOCAL: NodeId = NodeId(0);

    /// The node's number.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(actor_core::NodeId::LOCAL.get(), 0);
    /// ```
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The unique, printable identity of an actor.
///
/// Cheap to copy (16 bytes), usable as a map key, and ordered by start within a
/// node. Printed as `<node.seq>`, like an Erlang pid.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
///
/// struct Idle;
/// impl Actor for Idle {
///     type Msg = ();
///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> {
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let a = system.spawn(Idle).await?;
/// let b = system.spawn(Idle).await?;
/// assert_ne!(a.id(), b.id());
/// assert!(a.id() < b.id()); // started earlier
/// assert!(a.id().is_local());
/// assert!(a.id().to_string().starts_with("<0."));
/// # system.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorId {
    node: NodeId,
    seq: u64,
}

/// Sequence numbers are process-wide so that ids stay unique across several
/// `System`s in one process.
static NEXT_SEQ: AtomicU64 = AtomicU64::new(1);

impl ActorId {
    /// A fresh id on this node.
    pub(crate) fn next_local() -> ActorId {
        ActorId {
            node: NodeId::LOCAL,
            seq: NEXT_SEQ.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The node this actor runs on.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Idle;
    /// # impl Actor for Idle {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let a = system.spawn(Idle).await?;
    /// assert_eq!(a.id().node(), NodeId::LOCAL);
    /// # Ok(())
    /// # }
    /// ```
    pub const fn node(self) -> NodeId {
        self.node
    }

    /// The sequence number, unique within the node.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Idle;
    /// # impl Actor for Idle {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let a = system.spawn(Idle).await?;
    /// assert_eq!(a.id().to_string(), format!("<0.{}>", a.id().seq()));
    /// # Ok(())
    /// # }
    /// ```
    pub const fn seq(self) -> u64 {
        self.seq
    }

    /// Whether the actor runs in this process.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Idle;
    /// # impl Actor for Idle {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let system = System::new();
    /// let a = system.spawn(Idle).await?;
    /// assert!(a.id().is_local());
    /// # Ok(())
    /// # }
    /// ```
    pub const fn is_local(self) -> bool {
        self.node.0 == NodeId::LOCAL.0
    }
}

impl fmt::Display for ActorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}.{}>", self.node, self.seq)
    }
}
