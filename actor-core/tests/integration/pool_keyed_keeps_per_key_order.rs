//! Promise: keyed routing is consistent. Across 100,000 messages from four
//! concurrent senders on a multi-thread runtime, every key reaches exactly
//! one worker (the one `worker_for` names), and each key's messages arrive
//! complete and in the order sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use actor_core::pool::Pool;
use actor_core::prelude::*;

const WORKERS: usize = 8;
const SENDERS: u64 = 4;
const KEYS_PER_SENDER: u64 = 16;
const MESSAGES: u64 = 100_000;

enum Msg {
    Item {
        key: u64,
        seq: u64,
    },
    /// Each key's last sequence number, and how many arrived out of order.
    Report(ReplyPort<(HashMap<u64, u64>, u64)>),
}

#[derive(Default)]
struct Checker {
    last: HashMap<u64, u64>,
    out_of_order: u64,
}

impl Actor for Checker {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Item { key, seq } => {
                let expected = self.last.get(&key).map_or(0, |last| last + 1);
                if seq != expected {
                    self.out_of_order += 1;
                }
                self.last.insert(key, seq);
            }
            Msg::Report(reply) => {
                let _ = reply.send((self.last.clone(), self.out_of_order));
            }
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_key_keeps_its_order_on_one_worker() {
    let system = System::new();
    let pool = Pool::builder(WORKERS, |_| Checker::default())
        .mailbox(MailboxKind::Bounded(32))
        .spawn(&system)
        .await
        .unwrap();

    // Sender s owns keys s*16 .. s*16+15 and numbers each key's messages 0, 1, 2, ….
    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let pool = pool.clone();
            tokio::spawn(async move {
                let mut next_seq = [0u64; KEYS_PER_SENDER as usize];
                for i in 0..MESSAGES / SENDERS {
                    let slot = (i % KEYS_PER_SENDER) as usize;
                    let key = sender * KEYS_PER_SENDER + slot as u64;
                    let seq = next_seq[slot];
                    next_seq[slot] += 1;
                    pool.tell_keyed(&key, Msg::Item { key, seq }).await.unwrap();
                }
            })
        })
        .collect();
    for sender in senders {
        sender.await.unwrap();
    }

    let mut owner: HashMap<u64, usize> = HashMap::new();
    let mut total = 0;
    for (index, worker) in pool.workers().iter().enumerate() {
        // Asked after every sender finished: behind all their messages.
        let (last, out_of_order) = worker.ask(Msg::Report).await.unwrap();
        assert_eq!(out_of_order, 0, "worker {index} saw a key out of order");
        for (key, last_seq) in last {
            assert!(
                owner.insert(key, index).is_none(),
                "key {key} reached two workers"
            );
            assert_eq!(
                pool.worker_for(&key),
                worker,
                "key {key} is on the worker named for it"
            );
            total += last_seq + 1;
        }
    }
    assert_eq!(owner.len() as u64, SENDERS * KEYS_PER_SENDER, "every key arrived");
    assert_eq!(total, MESSAGES, "no message lost");
    let used: std::collections::HashSet<_> = owner.values().collect();
    assert!(used.len() > WORKERS / 2, "keys spread over the workers: {used:?}");
    system.shutdown().await;
}
