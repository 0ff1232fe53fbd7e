use actor_core::prelude::*;

pub struct Machine;

#[actor]
impl Machine {
    #[handler]
    pub fn stop(&mut self) {}
}

fn main() {}
