//! Resident memory of this process, from the kernel (and the machine's load,
//! which says how much to trust a run).
//!
//! `/proc/self/smaps_rollup` is exact (the kernel walks the page tables when
//! it is read); `/proc/self/status`'s `VmRSS` is the fallback (a cached
//! counter, off by up to a few hundred KiB, which is a few bytes per actor at
//! 10^5 actors). Resident memory counts what the allocator really took from
//! the system, its own overhead included, and needs no allocator hook (the
//! workspace forbids `unsafe`, and a counting allocator would slow every
//! entrant's allocations down).
//!
//! Counting allocations is opt-in: with the cargo feature
//! `count-allocations`, the process's global allocator is `stats_alloc`'s
//! (safe to install: the `unsafe` is in that crate, as in actor-core's own
//! allocation tests) and [`allocations`] reads its counter; scenario 8 then
//! reports allocations per message. Without the feature nothing is hooked.

use crate::env::Error;

/// Bytes of this process resident in RAM right now.
pub(crate) fn resident_bytes() -> Result<u64, Error> {
    if let Ok(rollup) = std::fs::read_to_string("/proc/self/smaps_rollup")
        && let Some(kib) = field_kib(&rollup, "Rss:")
    {
        return Ok(kib * 1024);
    }
    let status = std::fs::read_to_string("/proc/self/status")?;
    field_kib(&status, "VmRSS:")
        .map(|kib| kib * 1024)
        .ok_or_else(|| "no Rss in /proc/self/smaps_rollup nor VmRSS in /proc/self/status".into())
}

/// The value of a `Name:   1234 kB` line.
fn field_kib(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|line| line.starts_with(name))?;
    line[name.len()..].split_whitespace().next()?.parse().ok()
}

/// The 1-minute load average (`/proc/loadavg`), to show how busy the
/// machine was while it measured; `None` where there is no such file.
pub(crate) fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Every allocation of this process so far (allocations plus
/// reallocations, from every thread), or `None` when the binary was built
/// without the `count-allocations` feature.
pub(crate) fn allocations() -> Option<u64> {
    #[cfg(feature = "count-allocations")]
    {
        let stats = COUNTING.stats();
        u64::try_from(stats.allocations + stats.reallocations).ok()
    }
    #[cfg(not(feature = "count-allocations"))]
    {
        None
    }
}

/// The counting allocator (feature `count-allocations`).
#[cfg(feature = "count-allocations")]
#[global_allocator]
static COUNTING: &stats_alloc::StatsAlloc<std::alloc::System> = &stats_alloc::INSTRUMENTED_SYSTEM;
