use actor_core::prelude::*;

pub struct Counter;

#[actor]
impl Counter {
    #[handler]
    pub fn consume(self) {}
}

fn main() {}
