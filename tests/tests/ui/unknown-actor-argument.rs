use actor_core::prelude::*;

pub struct Counter;

#[actor(mailbox = 16)]
impl Counter {
    #[handler]
    pub fn add(&mut self, n: u64) {
        let _ = n;
    }
}

fn main() {}
