use actor_core::prelude::*;

pub struct Users;

#[actor]
impl Users {
    #[handler]
    pub fn fetch_user(&self) {}

    #[handler]
    #[allow(non_snake_case)]
    pub fn fetchUser(&self) {}
}

fn main() {}
