use actor_core::prelude::*;

pub struct Counter;

#[actor]
impl Counter {
    #[handler]
    pub fn make(n: u32) -> u32 {
        n
    }
}

fn main() {}
