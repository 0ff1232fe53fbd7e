use actor_core::prelude::*;

pub struct Counter;

impl Counter {
    #[handler]
    pub fn add(&mut self, n: u64) {
        let _ = n;
    }
}

fn main() {}
