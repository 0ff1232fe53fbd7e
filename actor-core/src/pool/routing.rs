//! Routing: which worker a message goes to. Pure functions over the worker
//! list, no allocation, no lock.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::actor::Actor;
use crate::actor_ref::ActorRef;

/// How a pool picks a worker for [`tell`](crate::pool::PoolRef::tell),
/// [`try_tell`](crate::pool::PoolRef::try_tell) and
/// [`ask`](crate::pool::PoolRef::ask).
///
/// Keyed routing is not a mode but a call:
/// [`tell_keyed`](crate::pool::PoolRef::tell_keyed) and
/// [`ask_keyed`](crate::pool::PoolRef::ask_keyed) work on every pool,
/// whatever its routing (see [the module docs](crate::pool) for what they
/// promise).
///
/// # Examples
///
/// ```
/// use actor_core::pool::Routing;
///
/// assert_eq!(Routing::default(), Routing::RoundRobin);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Routing {
    /// Workers in turn, 0, 1, …, n-1, 0, … (shared by every clone of the
    /// pool's handle): even spread for even work. One atomic increment per
    /// message.
    #[default]
    RoundRobin,
    /// The worker with the fewest queued messages (Akka's smallest-mailbox
    /// router), ties broken in turn. Reads every worker's queue length, so it
    /// costs O(workers) per message. The message a worker is handling is not
    /// queued: a worker busy with one long message and an idle one both look
    /// empty.
    LeastLoaded,
}

/// Picks the next worker by `routing`; `next` is the pool's shared turn
/// counter.
pub(super) fn pick<A: Actor>(routing: Routing, workers: &[ActorRef<A>], next: &AtomicUsize) -> usize {
    let n = workers.len();
    let turn = next.fetch_add(1, Ordering::Relaxed) % n;
    match routing {
        Routing::RoundRobin => turn,
        Routing::LeastLoaded => {
            // Start the scan at the turn, so equal loads take turns too.
            let mut best = turn;
            let mut best_len = workers[turn].mailbox_len();
            for offset in 1..n {
                if best_len == 0 {
                    break;
                }
                let i = (turn + offset) % n;
                let len = workers[i].mailbox_len();
                if len < best_len {
                    best = i;
                    best_len = len;
                }
            }
            best
        }
    }
}

/// The worker for `key` among `workers` workers: SipHash with fixed keys
/// (std's `DefaultHasher::new()`, the same in every run of one build), then
/// jump consistent hashing.
pub(super) fn worker_for_key<K: Hash + ?Sized>(key: &K, workers: usize) -> usize {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    jump_hash(hasher.finish(), workers)
}

/// Jump consistent hash (Lamping and Veach, 2014): maps `key` to a bucket in
/// `0..buckets` so that going from n to n+1 buckets moves only 1/(n+1) of
/// the keys, with no table to store.
fn jump_hash(mut key: u64, buckets: usize) -> usize {
    let buckets = buckets as i64;
    let mut bucket: i64 = -1;
    let mut next: i64 = 0;
    while next < buckets {
        bucket = next;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        next = ((bucket + 1) as f64 * ((1u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    bucket.max(0) as usize
}

#[cfg(test)]
mod tests {
    use super::{jump_hash, worker_for_key};

    #[test]
    fn jump_hash_stays_in_range_and_moves_few_keys() {
        let keys = 10_000u64;
        let mut moved = 0;
        for key in 0..keys {
            let hash = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let before = jump_hash(hash, 8);
            let after = jump_hash(hash, 9);
            assert!(before < 8 && after < 9);
            if before != after {
                assert_eq!(after, 8, "a key only ever moves to the new bucket");
                moved += 1;
            }
        }
        // About 1/9 of the keys move.
        assert!((800..1_450).contains(&moved), "{moved}");
    }

    #[test]
    fn one_bucket_takes_everything() {
        assert_eq!(jump_hash(u64::MAX, 1), 0);
        assert_eq!(worker_for_key("anything", 1), 0);
    }

    #[test]
    fn the_same_key_gives_the_same_worker() {
        for key in 0..1_000u32 {
            assert_eq!(worker_for_key(&key, 7), worker_for_key(&key, 7));
        }
        assert_eq!(
            worker_for_key("user-42", 5),
            worker_for_key(&String::from("user-42"), 5)
        );
    }
}
