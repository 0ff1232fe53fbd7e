use actor_core::prelude::*;

pub struct Greeter;

#[actor]
impl Greeter {
    #[handler]
    pub fn greet(&self, name: &str) -> String {
        format!("hello, {name}")
    }
}

fn main() {}
