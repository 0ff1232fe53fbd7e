use actor_core::prelude::*;

pub struct Counter;

#[actor]
impl Counter {
    #[handler]
    pub fn add(&mut self, n: u64) {
        let _ = n;
    }

    #[handler]
    pub fn add(&mut self, n: u32) {
        let _ = n;
    }
}

fn main() {}
