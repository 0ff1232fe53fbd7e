use actor_core::prelude::*;

pub struct Source;

#[actor]
impl Source {
    #[handler]
    pub fn numbers(&self) -> impl Iterator<Item = u8> {
        0..3
    }
}

fn main() {}
