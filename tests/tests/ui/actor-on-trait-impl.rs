use actor_core::prelude::*;

pub struct Counter;

#[actor]
impl Default for Counter {
    fn default() -> Self {
        Counter
    }
}

fn main() {}
