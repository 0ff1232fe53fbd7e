//! What the mailbox holds: a message and, when someone traces actor
//! traffic, where and when it was sent.
//!
//! The trace is taken only when the `actor_core::handle` target is enabled at
//! DEBUG for the current subscriber: with no subscriber, or with that target
//! filtered off, a message carries one empty pointer and nothing is
//! allocated or read from the clock (see [`interest`](super::interest) for
//! how that is decided in one load).

use tokio::time::Instant;
use tracing::{Level, Span};

use super::interest::handle_spans_possible;

/// The tracing target of per-message spans.
pub(crate) const HANDLE_TARGET: &str = "actor_core::handle";

pub(crate) struct Envelope<M> {
    pub(crate) msg: M,
    pub(crate) trace: Option<Box<Trace>>,
    pub(crate) sent_at: SentAt,
}

/// When a message was sent, for the queue-wait metric: with the `metrics`
/// feature, one clock read per send (taken before the mailbox lock);
/// without it, nothing at all (a zero-sized value).
#[derive(Clone, Copy, Default)]
pub(crate) struct SentAt {
    /// `None` for messages nobody sent: signals and source items.
    #[cfg(feature = "metrics")]
    at: Option<Instant>,
}

impl SentAt {
    /// Now, if the `metrics` feature keeps send times.
    #[inline(always)]
    pub(crate) fn now() -> SentAt {
        SentAt {
            #[cfg(feature = "metrics")]
            at: Some(Instant::now()),
        }
    }

    /// The send time, if one was taken.
    #[cfg(feature = "metrics")]
    pub(crate) fn instant(self) -> Option<Instant> {
        self.at
    }
}

/// Where and when a message was sent.
pub(crate) struct Trace {
    pub(crate) sent_at: Instant,
    /// The sender's span, which the handler span follows from.
    pub(crate) cause: Span,
}

impl Trace {
    /// A trace of the current send, if per-message spans are enabled. The
    /// check is inlined into every send: when no subscriber wants the spans
    /// it is one load and a compare ([`handle_spans_possible`]); taking the
    /// trace is the cold path.
    #[inline(always)]
    pub(crate) fn capture() -> Option<Box<Trace>> {
        if handle_spans_possible() && tracing::enabled!(target: HANDLE_TARGET, Level::DEBUG) {
            Some(Trace::take())
        } else {
            None
        }
    }

    #[cold]
    #[inline(never)]
    fn take() -> Box<Trace> {
        Box::new(Trace {
            sent_at: Instant::now(),
            cause: Span::current(),
        })
    }
}
