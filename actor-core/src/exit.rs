//! Why an actor ended.
//!
//! Every actor ends with exactly one [`ExitReason`], published to everyone
//! waiting on [`ActorRef::wait_for_stop`](crate::ActorRef::wait_for_stop) and
//! passed to [`Actor::stopped`](crate::Actor::stopped). The vocabulary is
//! Erlang/OTP's: `normal` and `shutdown` are clean exits; everything else is
//! abnormal (a supervisor restarts a `transient` child only after those).

use std::fmt;
use std::sync::Arc;

use crate::error::BoxError;

/// Why an actor stopped.
///
/// Cheap to clone (errors and panic messages are shared), so it can be handed
/// to any number of watchers.
///
/// | reason | how it happens | clean? |
/// |---|---|---|
/// | `Normal` | `ActorRef::stop`, `Context::stop`, `run` returned `Ok`, every `ActorRef` dropped | yes |
/// | `Shutdown` | stopped by its parent or by `System::shutdown` | yes |
/// | `Killed` | `ActorRef::kill`, or a stop that ran past its timeout | no |
/// | `Failed` | `started`, a handler or `run` returned an error | no |
/// | `Panicked` | a hook, a handler or `run` panicked | no |
///
/// # Examples
///
/// ```
/// use actor_core::ExitReason;
///
/// assert!(ExitReason::Normal.is_clean());
/// assert!(ExitReason::Shutdown.is_clean());
/// assert!(!ExitReason::Killed.is_clean());
/// let failed = ExitReason::failed("disk full");
/// assert_eq!(failed.to_string(), "failed: disk full");
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ExitReason {
    /// The actor finished its work and stopped gracefully.
    Normal,
    /// The actor was stopped gracefully by its parent or its system.
    Shutdown,
    /// The actor was killed: its running handler was aborted and its queue skipped.
    Killed,
    /// A hook, handler or `run` returned this error.
    Failed(Arc<dyn std::error::Error + Send + Sync + 'static>),
    /// A hook, handler or `run` panicked with this message.
    Panicked(Arc<str>),
}

impl ExitReason {
    /// An exit reason carrying `error`.
    ///
    /// # Examples
    ///
    /// ```
    /// let reason = actor_core::ExitReason::failed("bad input");
    /// assert!(!reason.is_clean());
    /// ```
    pub fn failed(error: impl Into<BoxError>) -> ExitReason {
        ExitReason::Failed(Arc::from(error.into()))
    }

    /// Whether this is a clean exit (`Normal` or `Shutdown`), the two reasons
    /// after which OTP does not restart a `transient` child.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(actor_core::ExitReason::Normal.is_clean());
    /// ```
    pub fn is_clean(&self) -> bool {
        matches!(self, ExitReason::Normal | ExitReason::Shutdown)
    }
}

impl fmt::Display for ExitReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExitReason::Normal => f.write_str("normal"),
            ExitReason::Shutdown => f.write_str("shutdown"),
            ExitReason::Killed => f.write_str("killed"),
            ExitReason::Failed(error) => write!(f, "failed: {error}"),
            ExitReason::Panicked(message) => write!(f, "panicked: {message}"),
        }
    }
}
