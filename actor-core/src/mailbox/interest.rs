//! Whether per-message spans can be on at all: one cached byte, so that a
//! send and a receive cost a load and a compare when nobody listens.
//!
//! `tracing` caches, per callsite, whether any subscriber could ever want it
//! (its *interest*), and rebuilds that cache whenever a subscriber is
//! installed or a filter is reloaded. Its macros read the cache, but only
//! after reading the global level hint, and through a call: measured with
//! callgrind, the two checks a message crosses (the sender's
//! [`Trace::capture`](super::envelope::Trace::capture) and the actor's
//! handle span) cost about 17 instructions per tell once a subscriber is
//! installed with the actor targets filtered off, a tenth of the tell path.
//!
//! So actor-core registers a callsite of its own, with the metadata of the
//! `actor.handle` span, and `tracing` tells it its interest on every
//! rebuild, like any other callsite. [`handle_spans_possible`] reads that
//! answer: `false` means no subscriber (global or scoped, on any thread)
//! wants `actor.handle` spans, and the message path skips tracing entirely.
//! `true` is only "maybe": the real `tracing` checks then run as before and
//! decide per thread, so a thread-scoped subscriber is never missed.

use std::sync::atomic::{AtomicU8, Ordering};

use tracing::callsite::{Callsite, Identifier};
use tracing::field::FieldSet;
use tracing::level_filters::STATIC_MAX_LEVEL;
use tracing::metadata::Kind;
use tracing::subscriber::Interest;
use tracing::{Level, Metadata};

use super::envelope::HANDLE_TARGET;

/// Not registered with `tracing` yet.
const UNREGISTERED: u8 = 0;
/// No subscriber wants `actor.handle` spans.
const NEVER: u8 = 1;
/// Some subscriber may want them: ask `tracing`.
const MAYBE: u8 = 2;
/// One thread is registering the callsite right now.
const REGISTERING: u8 = 3;

static STATE: AtomicU8 = AtomicU8::new(UNREGISTERED);

/// The callsite standing for every `actor.handle` span: it never creates
/// one, it only hears `tracing`'s verdict on them.
struct HandleCallsite;

static HANDLE_CALLSITE: HandleCallsite = HandleCallsite;

/// The same name, target, level and fields as the span
/// [`Context::handle_span`](crate::Context::handle_span) makes, so that a
/// filter answers for this callsite what it would answer for the span.
static HANDLE_METADATA: Metadata<'static> = Metadata::new(
    "actor.handle",
    HANDLE_TARGET,
    Level::DEBUG,
    Some(file!()),
    Some(line!()),
    Some(module_path!()),
    FieldSet::new(
        &[
            "actor.id",
            "actor.name",
            "actor.type",
            "msg.kind",
            "queue_wait_us",
        ],
        Identifier(&HANDLE_CALLSITE),
    ),
    Kind::SPAN,
);

impl Callsite for HandleCallsite {
    fn set_interest(&self, interest: Interest) {
        let state = if interest.is_never() { NEVER } else { MAYBE };
        STATE.store(state, Ordering::Release);
    }

    fn metadata(&self) -> &Metadata<'_> {
        &HANDLE_METADATA
    }
}

/// Whether any subscriber may want per-message spans. `false` is certain
/// (skip all tracing for this message); `true` means "ask `tracing`".
/// Constant `false` when `tracing`'s static max level compiles DEBUG out.
#[inline(always)]
pub(crate) fn handle_spans_possible() -> bool {
    if Level::DEBUG > STATIC_MAX_LEVEL {
        return false;
    }
    match STATE.load(Ordering::Relaxed) {
        NEVER => false,
        MAYBE => true,
        _ => register(),
    }
}

/// The first check in the process: registers the callsite, which makes
/// `tracing` compute its interest now and after every later change.
#[cold]
#[inline(never)]
fn register() -> bool {
    if STATE
        .compare_exchange(UNREGISTERED, REGISTERING, Ordering::AcqRel, Ordering::Acquire)
        .is_ok()
    {
        // Calls `set_interest` before it returns, and again on every rebuild.
        tracing::callsite::register(&HANDLE_CALLSITE);
    }
    // Another thread may still be registering: "maybe" is always safe.
    STATE.load(Ordering::Acquire) != NEVER
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscriber_that_wants_everything_makes_spans_possible() {
        // Whatever ran before in this process, installing a subscriber
        // rebuilds the interest cache, and this one wants every callsite.
        // (That a filter turns the flag off is checked in its own process:
        // other tests' subscribers here would make the answer "maybe".)
        let all = tracing_subscriber::registry();
        tracing::subscriber::with_default(all, || assert!(handle_spans_possible()));
    }
}
