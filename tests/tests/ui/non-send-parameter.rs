use std::rc::Rc;

use actor_core::prelude::*;

pub struct Keeper;

#[actor]
impl Keeper {
    #[handler]
    pub fn keep(&mut self, value: Rc<u32>) {
        let _ = value;
    }
}

fn main() {}
