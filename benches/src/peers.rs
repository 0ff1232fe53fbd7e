//! The peer frameworks, each written the way its own docs show, one file per
//! framework with its entrant for every scenario.
//!
//! Compiled only with the cargo feature `peers` (off by default, so that
//! `cargo test --workspace` and `cargo clippy --workspace` never build four
//! more actor frameworks). Without it, every list here is empty.
//!
//! | framework | version | actor runs on | tell | ask | mailbox used |
//! |---|---|---|---|---|---|
//! | actix | 0.13 | its own `actix_rt::System`: one thread for the driver and every actor | `do_send` | `send().await` | default (16; `do_send` ignores it: unbounded) |
//! | ractor | 0.16 | a task on the shared tokio runtime | `cast` | `call!` | unbounded (the only kind) |
//! | kameo | 0.22 | a task on the shared tokio runtime | `tell().await` | `ask().await` | as ours: bounded 1024 or unbounded; default (64) for spawn and ring |
//! | xtra | 0.6 | a task on the shared tokio runtime (`spawn_tokio`) | `send().detach().await` | `send().await` | as ours: bounded 1024 or unbounded |
//!
//! Every peer is built with its default cargo features (ractor's per-message
//! span propagation and kameo's tracing included): what a user gets.
//!
//! Where a peer has no way to do what a scenario asks, it sits the scenario
//! out rather than doing different work: actix and ractor have no awaitable
//! bounded tell, so they only run the unbounded tell.
//!
//! Scenario 8 (tracing cost) measures our own instrumentation and has no
//! peer entrants; neither has scenario 9 (restart latency) yet: each peer's
//! supervision (actix's `Supervised`, ractor's supervision events, kameo's
//! links) restarts on different terms, and writing each one idiomatically
//! is a task of its own. Scenario 10 has all four peers.

#[cfg(feature = "peers")]
mod actix;
#[cfg(feature = "peers")]
mod kameo;
#[cfg(feature = "peers")]
mod ractor;
#[cfg(feature = "peers")]
mod xtra;

pub(crate) use self::lists::{actor_ask, ask, backlog, fan_in, ring, spawn, tell};

/// The peers' entrants for each scenario.
#[cfg(feature = "peers")]
mod lists {
    use super::{actix, kameo, ractor, xtra};
    use crate::scenarios::{Entrant, actor_ask, ask, backlog, fan_in, ring, spawn, tell};

    /// Scenario 1 (actix and ractor: unbounded only).
    pub(crate) fn tell(mailbox: tell::Mailbox) -> Vec<Entrant<tell::Params, tell::Outcome>> {
        let mut list: Vec<Entrant<tell::Params, tell::Outcome>> =
            vec![("kameo", kameo::tell), ("xtra", xtra::tell)];
        if mailbox == tell::Mailbox::Unbounded {
            list.push(("actix", actix::tell));
            list.push(("ractor", ractor::tell));
        }
        list
    }

    /// Scenario 2.
    pub(crate) fn ask() -> Vec<Entrant<ask::Params, ask::Outcome>> {
        vec![
            ("actix", actix::ask),
            ("ractor", ractor::ask),
            ("kameo", kameo::ask),
            ("xtra", xtra::ask),
        ]
    }

    /// Scenario 3.
    pub(crate) fn spawn() -> Vec<Entrant<spawn::Params, spawn::Outcome>> {
        vec![
            ("actix", actix::spawn),
            ("ractor", ractor::spawn),
            ("kameo", kameo::spawn),
            ("xtra", xtra::spawn),
        ]
    }

    /// Scenario 4.
    pub(crate) fn ring() -> Vec<Entrant<ring::Params, ring::Outcome>> {
        vec![
            ("actix", actix::ring),
            ("ractor", ractor::ring),
            ("kameo", kameo::ring),
            ("xtra", xtra::ring),
        ]
    }

    /// Scenario 5.
    pub(crate) fn fan_in() -> Vec<Entrant<fan_in::Params, fan_in::Outcome>> {
        vec![
            ("actix", actix::fan_in),
            ("ractor", ractor::fan_in),
            ("kameo", kameo::fan_in),
            ("xtra", xtra::fan_in),
        ]
    }

    /// Scenario 6.
    pub(crate) fn backlog() -> Vec<Entrant<backlog::Params, backlog::Outcome>> {
        vec![
            ("actix", actix::backlog),
            ("ractor", ractor::backlog),
            ("kameo", kameo::backlog),
            ("xtra", xtra::backlog),
        ]
    }

    /// Scenario 10.
    pub(crate) fn actor_ask() -> Vec<Entrant<actor_ask::Params, actor_ask::Outcome>> {
        vec![
            ("actix", actix::actor_ask),
            ("ractor", ractor::actor_ask),
            ("kameo", kameo::actor_ask),
            ("xtra", xtra::actor_ask),
        ]
    }
}

/// Without the `peers` feature: no peers.
#[cfg(not(feature = "peers"))]
mod lists {
    use crate::scenarios::{Entrant, actor_ask, ask, backlog, fan_in, ring, spawn, tell};

    /// Scenario 1: none.
    pub(crate) fn tell(_: tell::Mailbox) -> Vec<Entrant<tell::Params, tell::Outcome>> {
        Vec::new()
    }

    /// Scenario 2: none.
    pub(crate) fn ask() -> Vec<Entrant<ask::Params, ask::Outcome>> {
        Vec::new()
    }

    /// Scenario 3: none.
    pub(crate) fn spawn() -> Vec<Entrant<spawn::Params, spawn::Outcome>> {
        Vec::new()
    }

    /// Scenario 4: none.
    pub(crate) fn ring() -> Vec<Entrant<ring::Params, ring::Outcome>> {
        Vec::new()
    }

    /// Scenario 5: none.
    pub(crate) fn fan_in() -> Vec<Entrant<fan_in::Params, fan_in::Outcome>> {
        Vec::new()
    }

    /// Scenario 6: none.
    pub(crate) fn backlog() -> Vec<Entrant<backlog::Params, backlog::Outcome>> {
        Vec::new()
    }

    /// Scenario 10: none.
    pub(crate) fn actor_ask() -> Vec<Entrant<actor_ask::Params, actor_ask::Outcome>> {
        Vec::new()
    }
}

/// A peer's error as ours (their error types differ in their bounds).
#[cfg(feature = "peers")]
fn failed(error: impl std::fmt::Display) -> crate::env::Error {
    error.to_string().into()
}
