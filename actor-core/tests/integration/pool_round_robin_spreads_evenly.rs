//! Promise: round-robin routing sends the i-th message to worker i mod n, so
//! n workers get equal shares, and clones of one `PoolRef` share the turn.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actor_core::pool::{Pool, Routing};
use actor_core::prelude::*;

enum Msg {
    Item(u32),
    Seen(ReplyPort<Vec<u32>>),
}

#[derive(Default)]
struct Tally {
    seen: Vec<u32>,
}

impl Actor for Tally {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Item(n) => self.seen.push(n),
            Msg::Seen(reply) => {
                let _ = reply.send(self.seen.clone());
            }
        }
        Ok(())
    }
}

#[tokio::test]
async fn each_worker_gets_every_nth_message() {
    const WORKERS: usize = 3;
    const MESSAGES: u32 = 300;
    let system = System::new();
    let pool = Pool::builder(WORKERS, |_| Tally::default())
        .routing(Routing::RoundRobin)
        .mailbox(MailboxKind::Bounded(8))
        .spawn(&system)
        .await
        .unwrap();
    let clone = pool.clone();

    for n in 0..MESSAGES {
        // Alternate between the two handles: they share one turn counter.
        let sender = if n % 2 == 0 { &pool } else { &clone };
        sender.tell(Msg::Item(n)).await.unwrap();
    }

    for (index, worker) in pool.workers().iter().enumerate() {
        let seen = worker.ask(Msg::Seen).await.unwrap();
        let expected: Vec<u32> = (0..MESSAGES).filter(|n| *n as usize % WORKERS == index).collect();
        assert_eq!(seen.len(), MESSAGES as usize / WORKERS, "worker {index}");
        assert_eq!(
            seen, expected,
            "worker {index} gets messages {index}, {index}+3, … in order"
        );
    }
    system.shutdown().await;
}
