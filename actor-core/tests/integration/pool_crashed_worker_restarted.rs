//! Promise: pool workers are supervised. A worker that fails is restarted
//! under the same handle with its mailbox intact: only the message it was
//! handling is lost, the messages queued behind it are handled by the new
//! instance, and the pool keeps routing to it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use actor_core::pool::Pool;
use actor_core::prelude::*;
use tokio::sync::oneshot;

enum Msg {
    /// Signals `entered`, then blocks the worker until `gate` opens.
    Hold {
        entered: oneshot::Sender<()>,
        gate: oneshot::Receiver<()>,
    },
    Item(u32),
    Crash,
    Sync(ReplyPort<()>),
}

/// Logs what it handles to a log that outlives its instances.
struct Worker {
    index: usize,
    log: Arc<Mutex<Vec<(usize, u32)>>>,
}

impl Actor for Worker {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Hold { entered, gate } => {
                let _ = entered.send(());
                let _ = gate.await;
            }
            Msg::Item(n) => self.log.lock().unwrap().push((self.index, n)),
            Msg::Crash => return Err("asked to crash".into()),
            Msg::Sync(reply) => {
                let _ = reply.send(());
            }
        }
        Ok(())
    }
}

#[tokio::test]
async fn a_failed_worker_comes_back_with_its_queue() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let factory_log = Arc::clone(&log);
    let system = System::new();
    let pool = Pool::builder(2, move |index| Worker {
        index,
        log: Arc::clone(&factory_log),
    })
    .name("workers")
    .mailbox(MailboxKind::Bounded(8))
    .spawn(&system)
    .await
    .unwrap();
    let worker_0 = pool.workers()[0].clone();

    // Worker 0 is parked; behind it: the crash, then two items.
    let (entered_tx, entered) = oneshot::channel();
    let (gate, gate_rx) = oneshot::channel::<()>();
    worker_0
        .tell(Msg::Hold {
            entered: entered_tx,
            gate: gate_rx,
        })
        .await
        .unwrap();
    entered.await.unwrap();
    worker_0.tell(Msg::Crash).await.unwrap();
    worker_0.tell(Msg::Item(1)).await.unwrap();
    worker_0.tell(Msg::Item(2)).await.unwrap();
    drop(gate);

    // The pool keeps working, round-robin over both workers.
    for n in 10..20 {
        pool.tell(Msg::Item(n)).await.unwrap();
    }
    for worker in pool.workers() {
        worker.ask(Msg::Sync).await.unwrap();
    }

    let mut handled = log.lock().unwrap().clone();
    handled.sort_unstable();
    let mut expected = vec![(0, 1), (0, 2)];
    expected.extend((10..20).map(|n| ((n % 2) as usize, n)));
    expected.sort_unstable();
    assert_eq!(
        handled, expected,
        "everything but the crashing message was handled"
    );

    let children = pool.supervisor().children().await.unwrap();
    let restarts: Vec<_> = children.iter().map(|c| (c.name.as_str(), c.restarts)).collect();
    assert_eq!(restarts, [("workers-0", 1), ("workers-1", 0)]);
    assert_eq!(children[0].id, worker_0.id(), "same worker, same handle");
    assert_eq!(pool.workers()[0], worker_0);
    assert!(pool.is_alive());
    assert_eq!(system.dead_letters(), 0);
    system.shutdown().await;
}
