use actor_core::prelude::*;

pub struct Counter;

#[actor]
impl Counter {
    #[handler]
    pub fn add(&mut self, n: &u64) {
        let _ = n;
    }

    #[handler]
    pub fn reset(self) {}

    #[handler]
    pub fn total(&self) -> u64 {
        0
    }
}

// The valid handler is still generated, so its uses compile.
async fn use_total(counter: ActorRef<Counter>) -> Result<u64, AskError<CounterMsg>> {
    counter.total().await
}

fn main() {
    let _ = use_total;
}
