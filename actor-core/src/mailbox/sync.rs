//! The synchronisation primitives the mailbox queue is built on.
//!
//! Plain re-exports of `std::sync` in every normal build (zero cost). Under
//! `RUSTFLAGS="--cfg loom"` the crate's unit tests swap in
//! [loom](https://docs.rs/loom)'s model-checked twins, so the `loom_tests` of
//! [`queue`](super::queue) explore every interleaving of the lock and the
//! atomics. loom is a dev-dependency, so only the test build (`cfg(test)`)
//! uses it; the down/exit conversions (`OnceLock`, set once) stay on `std`.
//!
//! One seam is not a re-export: [`handshake_fence`]. The no-lost-wake-up
//! handshake between a blocking sender and the actor (module docs of
//! [`queue`](super::queue)) relies on the single total order of `SeqCst`
//! accesses: "store mine, then load theirs" on both sides, so at least one
//! side sees the other. loom models `SeqCst` accesses as `AcqRel` only and
//! would report that handshake as a lost wake-up that cannot happen (loom's
//! README, "Limitations"); it does model `fence(SeqCst)`, which gives the
//! same guarantee for this pattern. So both sides call `handshake_fence`
//! between their store and their load: nothing in a normal build, a
//! `SeqCst` fence under loom.

#[cfg(not(all(test, loom)))]
pub(crate) use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize};
#[cfg(not(all(test, loom)))]
pub(crate) use std::sync::{Mutex, MutexGuard};

#[cfg(all(test, loom))]
pub(crate) use loom::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize};
#[cfg(all(test, loom))]
pub(crate) use loom::sync::{Mutex, MutexGuard};

/// Between the `SeqCst` store and the `SeqCst` load of the sender/actor
/// handshake: nothing here, since those accesses are already totally
/// ordered (see the module docs).
#[cfg(not(all(test, loom)))]
#[inline(always)]
pub(crate) fn handshake_fence() {}

/// Under loom: a `SeqCst` fence, the form of the handshake's total order
/// that loom models.
#[cfg(all(test, loom))]
pub(crate) fn handshake_fence() {
    loom::sync::atomic::fence(std::sync::atomic::Ordering::SeqCst);
}
