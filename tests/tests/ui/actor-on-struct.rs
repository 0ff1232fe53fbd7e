use actor_core::prelude::*;

#[actor]
pub struct Counter {
    total: u64,
}

fn main() {}
