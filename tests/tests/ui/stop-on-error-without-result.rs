use actor_core::prelude::*;

pub struct Counter;

#[actor]
impl Counter {
    #[handler(stop_on_error)]
    pub fn add(&mut self, n: u64) -> u64 {
        n
    }
}

fn main() {}
