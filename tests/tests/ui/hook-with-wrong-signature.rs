use actor_core::prelude::*;

pub struct Worker;

#[actor]
impl Worker {
    async fn started(&mut self) -> Result<(), BoxError> {
        Ok(())
    }

    #[handler]
    pub fn work(&mut self) {}
}

fn main() {}
