//! Promise: a supervisor configuration that cannot work is refused up front
//! with a typed error, before any child is built — by `build` for static
//! children and by `start_child` at run time: a zero (or over one day)
//! shutdown timeout, a `Bounded(0)` mailbox, a backoff that is not
//! `0 < min <= max <= one day` with a finite random factor in `0..=10`,
//! duplicate names, and a zero (or over one day) intensity period. The
//! limits themselves are accepted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::common::idle::Idle as Worker;
use actor_core::prelude::*;
use actor_core::supervision::{Backoff, ChildSpec, Intensity, Shutdown, Supervisor};
use actor_core::{MAX_TIMEOUT, SupervisorError};

/// A spec whose factory counts the actors it builds.
fn counted(name: &str, builds: &Arc<AtomicU32>) -> ChildSpec<Worker> {
    let builds = Arc::clone(builds);
    ChildSpec::new(name, move || {
        builds.fetch_add(1, Ordering::SeqCst);
        Worker
    })
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn backoff(min: Duration, max: Duration, factor: f64) -> Backoff {
    Backoff::new(min, max).random_factor(factor)
}

/// Each bad spec, with why it is bad.
fn bad_specs(builds: &Arc<AtomicU32>) -> Vec<(&'static str, ChildSpec<Worker>)> {
    let w = || counted("w", builds);
    let over = MAX_TIMEOUT + Duration::from_nanos(1);
    vec![
        (
            "zero shutdown timeout",
            w().shutdown(Shutdown::Timeout(Duration::ZERO)),
        ),
        ("shutdown over a day", w().shutdown(Shutdown::Timeout(over))),
        ("zero-capacity mailbox", w().mailbox(MailboxKind::Bounded(0))),
        (
            "zero backoff min",
            w().backoff(backoff(Duration::ZERO, secs(1), 0.0)),
        ),
        ("backoff min > max", w().backoff(backoff(secs(2), secs(1), 0.0))),
        ("backoff max over a day", w().backoff(backoff(secs(1), over, 0.0))),
        (
            "NaN random factor",
            w().backoff(backoff(secs(1), secs(2), f64::NAN)),
        ),
        (
            "infinite random factor",
            w().backoff(backoff(secs(1), secs(2), f64::INFINITY)),
        ),
        (
            "negative random factor",
            w().backoff(backoff(secs(1), secs(2), -0.1)),
        ),
        (
            "random factor over 10",
            w().backoff(backoff(secs(1), secs(2), 10.5)),
        ),
    ]
}

fn is_invalid_spec_for_w<T>(result: &Result<T, SupervisorError>) -> bool {
    matches!(result, Err(SupervisorError::InvalidSpec { child, .. }) if child == "w")
}

#[tokio::test]
async fn bad_child_specs_are_refused_by_build() {
    let builds = Arc::new(AtomicU32::new(0));
    for (why, spec) in bad_specs(&builds) {
        let built = Supervisor::builder().child(spec).build();
        assert!(is_invalid_spec_for_w(&built), "{why}: {built:?}");
    }
    assert_eq!(builds.load(Ordering::SeqCst), 0, "no child was built");
}

#[tokio::test]
async fn bad_child_specs_are_refused_by_start_child() {
    let builds = Arc::new(AtomicU32::new(0));
    let system = System::new();
    let sup = system
        .spawn(Supervisor::builder().build().unwrap())
        .await
        .unwrap();
    for (why, spec) in bad_specs(&builds) {
        let started = sup.start_child(spec).await;
        assert!(is_invalid_spec_for_w(&started), "{why}: {started:?}");
    }
    assert_eq!(builds.load(Ordering::SeqCst), 0, "no child was built");
    assert!(sup.children().await.unwrap().is_empty());
    assert!(system.shutdown().await.is_clean());
}

#[tokio::test]
async fn duplicate_names_are_refused() {
    let builds = Arc::new(AtomicU32::new(0));
    let built = Supervisor::builder()
        .child(counted("a", &builds))
        .child(counted("b", &builds))
        .child(counted("a", &builds))
        .build();
    assert!(matches!(built, Err(SupervisorError::DuplicateChild(name)) if name == "a"));
    assert_eq!(builds.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_zero_or_overlong_intensity_period_is_refused() {
    for period in [Duration::ZERO, MAX_TIMEOUT + Duration::from_nanos(1)] {
        let built = Supervisor::builder().intensity(Intensity::new(3, period)).build();
        assert!(
            matches!(built, Err(SupervisorError::InvalidIntensity)),
            "{period:?}: {built:?}"
        );
    }
}

// Paused: the 1 ns stop timeout must not race the child's stop in real time.
#[tokio::test(start_paused = true)]
async fn the_limits_themselves_are_accepted() {
    let builds = Arc::new(AtomicU32::new(0));
    let system = System::new();
    let sup = Supervisor::builder()
        .intensity(Intensity::new(0, MAX_TIMEOUT))
        .child(counted("smallest", &builds).mailbox(MailboxKind::Bounded(1)))
        .child(counted("longest", &builds).shutdown(Shutdown::Timeout(MAX_TIMEOUT)))
        .child(counted("shortest", &builds).shutdown(Shutdown::Timeout(Duration::from_nanos(1))))
        .child(counted("flat", &builds).backoff(backoff(MAX_TIMEOUT, MAX_TIMEOUT, 0.0)))
        .child(counted("jittery", &builds).backoff(backoff(Duration::from_nanos(1), secs(1), 10.0)))
        .child(counted("waits", &builds).shutdown(Shutdown::Infinity))
        .child(counted("brutal", &builds).shutdown(Shutdown::BrutalKill))
        .build()
        .unwrap();
    let sup = system.spawn(sup).await.unwrap();
    assert_eq!(sup.children().await.unwrap().len(), 7);
    assert_eq!(builds.load(Ordering::SeqCst), 7);
    let smallest: ActorRef<Worker> = sup.child("smallest").await.unwrap();
    assert_eq!(smallest.capacity(), Some(1));
    assert!(system.shutdown().await.is_clean());
}
