//! What a supervisor is told: its strategy and restart intensity, and one
//! spec per child (how to build it, when to restart it, how to stop it).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::actor::Actor;
use crate::mailbox::MailboxKind;

/// Which children a supervisor restarts when one fails (OTP's strategies).
///
/// # Examples
///
/// ```
/// use actor_core::supervision::Strategy;
///
/// assert_eq!(Strategy::default(), Strategy::OneForOne);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Strategy {
    /// Restart only the child that ended.
    #[default]
    OneForOne,
    /// Stop all the other children (in reverse start order), then restart
    /// them all in start order. Counts as one restart.
    OneForAll,
    /// Stop the children started after the one that ended (in reverse
    /// order), then restart it and them in start order. Counts as one restart.
    RestForOne,
}

/// When a child is restarted (OTP's restart types).
///
/// | exit reason | `Permanent` | `Transient` | `Temporary` |
/// |---|---|---|---|
/// | `Normal`, `Shutdown` | restarted | not restarted, spec kept | removed |
/// | `Failed`, `Panicked`, `Killed` | restarted | restarted | removed |
///
/// # Examples
///
/// ```
/// use actor_core::supervision::Restart;
///
/// assert_eq!(Restart::default(), Restart::Permanent);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Restart {
    /// Always restarted, whatever the exit reason.
    #[default]
    Permanent,
    /// Restarted only after an abnormal exit (error, panic, kill).
    Transient,
    /// Never restarted; its spec is removed when it ends, also when it was
    /// stopped as a sibling's casualty.
    Temporary,
}

/// How a supervisor stops a child (OTP's shutdown values).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use actor_core::supervision::Shutdown;
///
/// assert_eq!(Shutdown::default(), Shutdown::Timeout(Duration::from_secs(5)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shutdown {
    /// Kill at once, without a graceful stop.
    BrutalKill,
    /// Ask for a graceful stop, then kill after this long.
    Timeout(Duration),
    /// Ask for a graceful stop and wait as long as it takes (OTP's default
    /// for supervisors).
    Infinity,
}

impl Default for Shutdown {
    fn default() -> Self {
        Shutdown::Timeout(crate::DEFAULT_STOP_TIMEOUT)
    }
}

/// Restart intensity: at most `max_restarts` restarts within `period`; the
/// restart that would exceed it makes the supervisor give up instead.
///
/// Counted as OTP does: the new restart is added, restarts older than
/// `period` fall out (a restart exactly `period` old still counts), and if
/// more than `max_restarts` remain the supervisor gives up. Unlike OTP, which
/// rounds time to whole seconds, the window is measured exactly. With 3 in 5 s, three crashes are restarted and a fourth within
/// 5 s ends the supervisor; with 0, the first crash does.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use actor_core::supervision::Intensity;
///
/// let otp_default = Intensity::default();
/// assert_eq!(otp_default, Intensity::new(1, Duration::from_secs(5)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Intensity {
    /// Restarts allowed within `period`.
    pub max_restarts: u32,
    /// The sliding window.
    pub period: Duration,
}

impl Intensity {
    /// `max_restarts` within `period`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let i = actor_core::supervision::Intensity::new(3, Duration::from_secs(5));
    /// assert_eq!(i.max_restarts, 3);
    /// ```
    pub const fn new(max_restarts: u32, period: Duration) -> Intensity {
        Intensity { max_restarts, period }
    }
}

impl Default for Intensity {
    /// OTP's default: 1 restart in 5 seconds.
    fn default() -> Self {
        Intensity::new(1, Duration::from_secs(5))
    }
}

/// Exponential backoff between restarts of one child (Akka's
/// `restartWithBackoff`): the n-th consecutive restart waits
/// `min * 2^(n-1)`, capped at `max`, lengthened by up to `random_factor`
/// of itself; after `reset_after` without a failure the next restart waits
/// `min` again.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use actor_core::supervision::Backoff;
///
/// let b = Backoff::new(Duration::from_secs(3), Duration::from_secs(30));
/// assert_eq!(b.reset_after, Duration::from_millis(16_500)); // (min + max) / 2
/// assert_eq!(b.delay(1, 0.0), Duration::from_secs(3));
/// assert_eq!(b.delay(4, 0.0), Duration::from_secs(24));
/// assert_eq!(b.delay(5, 0.0), Duration::from_secs(30));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// The first delay.
    pub min: Duration,
    /// The longest delay.
    pub max: Duration,
    /// Up to this fraction of the delay is added at random (0 for none).
    pub random_factor: f64,
    /// A child that runs this long without failing starts over at `min`.
    pub reset_after: Duration,
}

impl Backoff {
    /// Delays from `min` doubling up to `max`, no randomness, reset after
    /// `(min + max) / 2` (Akka's default).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = actor_core::supervision::Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
    /// assert_eq!(b.random_factor, 0.0);
    /// ```
    pub fn new(min: Duration, max: Duration) -> Backoff {
        Backoff {
            min,
            max,
            random_factor: 0.0,
            reset_after: min.saturating_add(max) / 2,
        }
    }

    /// Sets the random factor (e.g. `0.2` for up to 20% longer).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = actor_core::supervision::Backoff::new(Duration::from_secs(1), Duration::from_secs(8))
    ///     .random_factor(0.2);
    /// assert_eq!(b.random_factor, 0.2);
    /// ```
    #[must_use]
    pub fn random_factor(mut self, factor: f64) -> Backoff {
        self.random_factor = factor;
        self
    }

    /// Sets the quiet period after which the delays start over.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = actor_core::supervision::Backoff::new(Duration::from_secs(1), Duration::from_secs(8))
    ///     .reset_after(Duration::from_secs(60));
    /// assert_eq!(b.reset_after.as_secs(), 60);
    /// ```
    #[must_use]
    pub fn reset_after(mut self, quiet: Duration) -> Backoff {
        self.reset_after = quiet;
        self
    }

    /// The delay before the `attempt`-th consecutive restart (from 1), with
    /// `random` in `[0, 1)` picking how much of the random factor applies.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let b = actor_core::supervision::Backoff::new(Duration::from_secs(3), Duration::from_secs(30));
    /// let delays: Vec<u64> = (1..=6).map(|n| b.delay(n, 0.0).as_secs()).collect();
    /// assert_eq!(delays, [3, 6, 12, 24, 30, 30]);
    /// ```
    pub fn delay(&self, attempt: u32, random: f64) -> Duration {
        let doublings = attempt.saturating_sub(1).min(62);
        let base = self
            .min
            .checked_mul(1u32 << doublings.min(31))
            .map_or(self.max, |d| d.min(self.max));
        // NaN and negative factors add nothing; one too large to represent
        // saturates (`mul_f64` would panic).
        let factor = (self.random_factor * random.clamp(0.0, 1.0)).max(0.0);
        let extra = Duration::try_from_secs_f64(base.as_secs_f64() * factor).unwrap_or(Duration::MAX);
        base.saturating_add(extra)
    }

    pub(crate) fn is_valid(&self) -> bool {
        !self.min.is_zero()
            && self.min <= self.max
            && self.max <= crate::MAX_TIMEOUT
            && self.random_factor.is_finite()
            && (0.0..=10.0).contains(&self.random_factor)
    }
}

/// How to build, restart and stop one child.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use actor_core::prelude::*;
/// use actor_core::supervision::{ChildSpec, Restart, Shutdown};
///
/// #[derive(Default)]
/// struct Cache;
/// impl Actor for Cache {
///     type Msg = ();
///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
/// }
///
/// let spec = ChildSpec::new("cache", Cache::default)
///     .restart(Restart::Transient)
///     .shutdown(Shutdown::Timeout(Duration::from_secs(1)));
/// assert_eq!(spec.name(), "cache");
/// ```
pub struct ChildSpec<A: Actor> {
    pub(crate) name: Arc<str>,
    pub(crate) factory: Arc<dyn Fn() -> A + Send + Sync>,
    pub(crate) restart: Restart,
    pub(crate) shutdown: Shutdown,
    pub(crate) backoff: Option<Backoff>,
    pub(crate) mailbox: MailboxKind,
}

impl<A: Actor> ChildSpec<A> {
    /// A child named `name` (unique within its supervisor), built by
    /// `factory` at start and at every restart: a restart always begins from
    /// fresh state. Defaults: permanent, 5 s shutdown, no backoff, default
    /// mailbox.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Worker { retries: u32 }
    /// # impl Actor for Worker {
    /// #     type Msg = ();
    /// #     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) }
    /// # }
    /// let spec = actor_core::supervision::ChildSpec::new("worker", || Worker { retries: 3 });
    /// # let _ = spec;
    /// ```
    pub fn new(name: impl Into<Arc<str>>, factory: impl Fn() -> A + Send + Sync + 'static) -> ChildSpec<A> {
        ChildSpec {
            name: name.into(),
            factory: Arc::new(factory),
            restart: Restart::Permanent,
            shutdown: Shutdown::default(),
            backoff: None,
            mailbox: MailboxKind::default(),
        }
    }

    /// The child's name.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # #[derive(Default)] struct W;
    /// # impl Actor for W { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// assert_eq!(actor_core::supervision::ChildSpec::new("w", W::default).name(), "w");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sets the restart type.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # #[derive(Default)] struct W;
    /// # impl Actor for W { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// use actor_core::supervision::{ChildSpec, Restart};
    /// let spec = ChildSpec::new("w", W::default).restart(Restart::Temporary);
    /// # let _ = spec;
    /// ```
    #[must_use]
    pub fn restart(mut self, restart: Restart) -> Self {
        self.restart = restart;
        self
    }

    /// Sets how the child is stopped.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # #[derive(Default)] struct W;
    /// # impl Actor for W { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// use actor_core::supervision::{ChildSpec, Shutdown};
    /// let spec = ChildSpec::new("w", W::default).shutdown(Shutdown::BrutalKill);
    /// # let _ = spec;
    /// ```
    #[must_use]
    pub fn shutdown(mut self, shutdown: Shutdown) -> Self {
        self.shutdown = shutdown;
        self
    }

    /// Waits between restarts, growing exponentially (see [`Backoff`]).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # #[derive(Default)] struct W;
    /// # impl Actor for W { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// use std::time::Duration;
    /// use actor_core::supervision::{Backoff, ChildSpec};
    /// let spec = ChildSpec::new("w", W::default)
    ///     .backoff(Backoff::new(Duration::from_millis(100), Duration::from_secs(10)));
    /// # let _ = spec;
    /// ```
    #[must_use]
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = Some(backoff);
        self
    }

    /// Sets the child's mailbox (it survives restarts).
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # #[derive(Default)] struct W;
    /// # impl Actor for W { type Msg = (); async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> { Ok(()) } }
    /// let spec = actor_core::supervision::ChildSpec::new("w", W::default).mailbox(MailboxKind::Bounded(16));
    /// # let _ = spec;
    /// ```
    #[must_use]
    pub fn mailbox(mut self, mailbox: MailboxKind) -> Self {
        self.mailbox = mailbox;
        self
    }
}

impl<A: Actor> Clone for ChildSpec<A> {
    fn clone(&self) -> Self {
        ChildSpec {
            name: Arc::clone(&self.name),
            factory: Arc::clone(&self.factory),
            restart: self.restart,
            shutdown: self.shutdown,
            backoff: self.backoff,
            mailbox: self.mailbox,
        }
    }
}

impl<A: Actor> fmt::Debug for ChildSpec<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChildSpec")
            .field("name", &self.name)
            .field("type", &std::any::type_name::<A>())
            .field("restart", &self.restart)
            .field("shutdown", &self.shutdown)
            .field("backoff", &self.backoff)
            .field("mailbox", &self.mailbox)
            .finish_non_exhaustive()
    }
}
