//! The waits-for graph of asks between actors: how an ask cycle is found
//! before it deadlocks.
//!
//! # The rule
//!
//! An actor that asks another from inside a handler (or from `started` or
//! `stopped`) cannot take its next message until the reply comes: it is
//! *blocked on* the actor it asked. Each such ask records one edge,
//! `asker -> target`, for as long as it waits. Before an ask is sent, the
//! edges are followed from its target; if they lead back to the asker, the
//! ask would close a cycle in which every actor waits for the next one, and
//! it fails at once with [`AskError::Deadlock`](crate::AskError::Deadlock)
//! instead of running into its timeout. Nothing is sent.
//!
//! Only blocked askers record edges: a loop actor that calls
//! [`Context::recv`](crate::Context::recv) itself may take messages while its
//! ask is pending (in a `select!`), so its asks are not treated as blocking
//! and can never be reported as part of a cycle. Asks from outside any actor
//! (a `main`, a test, a plain tokio task) record nothing either.
//!
//! # Cost
//!
//! An ask from outside an actor pays one thread-local read (the same one the
//! self-ask check needs). An ask from a blocked actor adds an insert into a
//! shard of a process-wide table, a walk of the edges from the target (one
//! shard lock per hop, never two at once) and a removal when the ask ends:
//! no allocation once the table has grown to the number of concurrent asks.
//! The benchmark suite measures it (`cargo run --release -p benches --
//! --scenario actor-ask`).
//!
//! # Races
//!
//! Two actors asking each other at the same moment each insert their own
//! edge before walking, under the shards' locks, so at least one of them sees
//! the other's edge: at least one of the two asks fails (possibly both),
//! never neither.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::{LazyLock, Mutex, PoisonError};

use crate::id::ActorId;

/// Shards of the table; a power of two.
const SHARDS: usize = 64;

/// Hops followed at most: a longer chain is cut off (not reported).
const MAX_HOPS: usize = 4096;

type Shard = Mutex<HashMap<ActorId, ActorId, BuildIdHasher>>;

/// Hashes ids for the table: they are unique sequence numbers already, so a
/// multiply spreads them well enough, at a fraction of SipHash's cost (which
/// was most of the table's cost on the ask path).
#[derive(Clone, Copy, Default)]
struct BuildIdHasher;

impl BuildHasher for BuildIdHasher {
    type Hasher = IdHasher;

    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        // Fibonacci hashing mixes every bit into the high half; folding it
        // down mixes the low bits too (a shard's ids share their low bits,
        // and the table picks buckets by the low bits).
        let hash = self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        hash ^ (hash >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = self.0.rotate_left(32) ^ u64::from(n);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = self.0.rotate_left(32) ^ n;
    }
}

/// `asker -> target` for every blocked ask in the process.
static WAITS: LazyLock<Box<[Shard]>> = LazyLock::new(|| {
    (0..SHARDS)
        .map(|_| Mutex::new(HashMap::with_hasher(BuildIdHasher)))
        .collect()
});

fn shard(id: ActorId) -> &'static Shard {
    // Ids are sequence numbers: consecutive actors land in different shards.
    let index = usize::try_from(id.seq() % SHARDS as u64).unwrap_or(0);
    &WAITS[index]
}

fn lock(id: ActorId) -> std::sync::MutexGuard<'static, HashMap<ActorId, ActorId, BuildIdHasher>> {
    shard(id).lock().unwrap_or_else(PoisonError::into_inner)
}

/// The actor `id` is blocked on, if any.
fn blocked_on(id: ActorId) -> Option<ActorId> {
    lock(id).get(&id).copied()
}

/// One recorded `asker -> target` edge, removed when dropped (the ask ended,
/// was cancelled, or its actor was killed or panicked mid-ask).
#[derive(Debug)]
pub(crate) struct WaitEdge {
    asker: ActorId,
}

impl Drop for WaitEdge {
    fn drop(&mut self) {
        lock(self.asker).remove(&self.asker);
    }
}

/// Records that `asker` is about to block on `target`, unless `target`
/// already waits (directly or through others) for `asker`: then nothing is
/// recorded and the cycle is returned, `asker` first and last.
pub(crate) fn block_on(asker: ActorId, target: ActorId) -> Result<WaitEdge, Vec<ActorId>> {
    lock(asker).insert(asker, target);
    let edge = WaitEdge { asker };
    let mut at = target;
    for _ in 0..MAX_HOPS {
        match blocked_on(at) {
            Some(next) if next == asker => {
                drop(edge);
                return Err(cycle_from(asker, target));
            }
            Some(next) => at = next,
            None => return Ok(edge),
        }
    }
    Ok(edge)
}

/// The cycle `asker -> target -> ... -> asker`, read again for the error
/// message (cold path: only after a cycle was found). Edges may have changed
/// since; the walk stops where the chain breaks.
fn cycle_from(asker: ActorId, target: ActorId) -> Vec<ActorId> {
    let mut cycle = vec![asker, target];
    let mut at = target;
    while cycle.len() <= MAX_HOPS {
        match blocked_on(at) {
            Some(next) if next == asker => break,
            Some(next) => {
                cycle.push(next);
                at = next;
            }
            None => break,
        }
    }
    cycle.push(asker);
    cycle
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn ids<const N: usize>() -> [ActorId; N] {
        std::array::from_fn(|_| ActorId::next_local())
    }

    #[test]
    fn a_chain_is_fine_and_closing_it_is_a_cycle() {
        let [a, b, c] = ids();
        let ab = block_on(a, b).unwrap();
        let bc = block_on(b, c).unwrap();
        assert_eq!(block_on(c, a).unwrap_err(), vec![c, a, b, c]);
        // The failed ask left no edge behind: c is not blocked.
        assert_eq!(blocked_on(c), None);
        drop(ab);
        // With a no longer waiting, c may ask a.
        let ca = block_on(c, a).unwrap();
        drop((bc, ca));
        for actor in [a, b, c] {
            assert_eq!(blocked_on(actor), None);
        }
    }

    #[test]
    fn two_actors_asking_each_other() {
        let [a, b] = ids();
        let ab = block_on(a, b).unwrap();
        assert_eq!(block_on(b, a).unwrap_err(), vec![b, a, b]);
        drop(ab);
    }
}
