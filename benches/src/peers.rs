//! The peer frameworks (actix, ractor, kameo, xtra) are not in the suite
//! yet: every list here is empty.

use crate::scenarios::{Entrant, ask, backlog, fan_in, ring, spawn, tell};

pub(crate) fn tell(_: tell::Mailbox) -> Vec<Entrant<tell::Params, tell::Outcome>> {
    Vec::new()
}

pub(crate) fn ask() -> Vec<Entrant<ask::Params, ask::Outcome>> {
    Vec::new()
}

pub(crate) fn spawn() -> Vec<Entrant<spawn::Params, spawn::Outcome>> {
    Vec::new()
}

pub(crate) fn ring() -> Vec<Entrant<ring::Params, ring::Outcome>> {
    Vec::new()
}

pub(crate) fn fan_in() -> Vec<Entrant<fan_in::Params, fan_in::Outcome>> {
    Vec::new()
}

pub(crate) fn backlog() -> Vec<Entrant<backlog::Params, backlog::Outcome>> {
    Vec::new()
}
