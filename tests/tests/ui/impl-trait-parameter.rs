use actor_core::prelude::*;

pub struct Printer;

#[actor]
impl Printer {
    #[handler]
    pub fn print(&self, value: impl std::fmt::Display + Send + 'static) -> String {
        value.to_string()
    }
}

fn main() {}
