use actor_core::prelude::*;

pub struct Printer;

#[actor]
impl Printer {
    #[handler]
    pub fn print<T: std::fmt::Display>(&self, value: T) -> String {
        value.to_string()
    }
}

fn main() {}
