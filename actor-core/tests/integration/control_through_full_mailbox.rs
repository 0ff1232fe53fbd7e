//! Promise: stop and kill travel on the control lane, so they take effect even
//! when the bounded mailbox is completely full and senders are blocked on it.
//! A stop hands every blocked sender its message back (`Closed`) at once and
//! still handles the queued messages; a kill handles none of them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actor_core::prelude::*;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

const CAPACITY: u32 = 4;
const BLOCKED: u32 = 3;

#[derive(Debug, PartialEq)]
enum Event {
    Handled(u32),
    Stopped(String),
}

enum Msg {
    Gate {
        entered: oneshot::Sender<()>,
        open: oneshot::Receiver<()>,
    },
    Item(u32),
}

struct Worker {
    log: mpsc::UnboundedSender<Event>,
}

impl Actor for Worker {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Gate { entered, open } => {
                entered.send(()).unwrap();
                open.await?;
            }
            Msg::Item(n) => self.log.send(Event::Handled(n))?,
        }
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        self.log.send(Event::Stopped(reason.to_string())).unwrap();
    }
}

struct Jammed {
    worker: ActorRef<Worker>,
    events: mpsc::UnboundedReceiver<Event>,
    open: oneshot::Sender<()>,
    blocked: Vec<JoinHandle<Result<(), SendError<Msg>>>>,
}

/// A worker held in a handler, its mailbox full, and `BLOCKED` senders
/// waiting for room.
async fn jam(system: &System) -> Jammed {
    let (log, events) = mpsc::unbounded_channel();
    let options = SpawnOptions::new().mailbox(MailboxKind::Bounded(CAPACITY as usize));
    let worker = system.spawn_with(Worker { log }, options).await.unwrap();
    let (entered_tx, entered) = oneshot::channel();
    let (open, open_rx) = oneshot::channel();
    let gate = Msg::Gate {
        entered: entered_tx,
        open: open_rx,
    };
    worker.tell(gate).await.unwrap();
    entered.await.unwrap();
    for n in 0..CAPACITY {
        worker.try_tell(Msg::Item(n)).unwrap();
    }
    assert!(worker.try_tell(Msg::Item(99)).unwrap_err().is_full());

    let blocked: Vec<_> = (0..BLOCKED)
        .map(|n| {
            let worker = worker.clone();
            tokio::spawn(async move { worker.tell(Msg::Item(100 + n)).await })
        })
        .collect();
    // Current-thread runtime: each yield lets every spawned sender run once.
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(
        blocked.iter().all(|b| !b.is_finished()),
        "senders must be blocked"
    );
    assert_eq!(worker.mailbox_len(), CAPACITY as usize);
    Jammed {
        worker,
        events,
        open,
        blocked,
    }
}

async fn collect(mut events: mpsc::UnboundedReceiver<Event>) -> Vec<Event> {
    let mut all = Vec::new();
    while let Some(event) = events.recv().await {
        all.push(event);
    }
    all
}

/// Each blocked sender got exactly its own message back as `Closed`.
async fn assert_blocked_senders_refused(blocked: Vec<JoinHandle<Result<(), SendError<Msg>>>>) {
    for (n, sender) in (0..BLOCKED).zip(blocked) {
        match sender.await.unwrap() {
            Err(SendError::Closed(Msg::Item(m))) => assert_eq!(m, 100 + n),
            _ => unreachable!("blocked sender {n} must get Closed with its message"),
        }
    }
}

#[tokio::test]
async fn stop_gets_through_a_full_mailbox_and_still_handles_the_queue() {
    let system = System::new();
    let Jammed {
        worker,
        events,
        open,
        blocked,
    } = jam(&system).await;

    worker.stop();
    assert!(!worker.is_alive());
    // The actor is still held in its handler: the blocked senders are
    // answered by the stop itself, not by the actor making room.
    assert_blocked_senders_refused(blocked).await;
    assert_eq!(worker.mailbox_len(), CAPACITY as usize);
    assert!(worker.exit_reason().is_none());

    open.send(()).unwrap();
    assert!(matches!(worker.wait_for_stop().await, ExitReason::Normal));
    drop(worker);
    let mut want: Vec<Event> = (0..CAPACITY).map(Event::Handled).collect();
    want.push(Event::Stopped("normal".to_string()));
    assert_eq!(collect(events).await, want);
    assert_eq!(system.dead_letters(), 0);
}

#[tokio::test]
async fn kill_gets_through_a_full_mailbox_and_handles_nothing_queued() {
    let system = System::new();
    let Jammed {
        worker,
        events,
        open,
        blocked,
    } = jam(&system).await;

    worker.kill();
    // Free the handler too: had the kill waited behind the user lane, the
    // actor would now go on to the queued messages.
    let _ = open.send(());
    assert!(matches!(worker.wait_for_stop().await, ExitReason::Killed));
    assert_blocked_senders_refused(blocked).await;
    assert_eq!(worker.mailbox_len(), 0);
    assert_eq!(system.dead_letters(), u64::from(CAPACITY));
    drop(worker);
    assert_eq!(collect(events).await, [], "nothing handled, no `stopped`");
}

#[tokio::test]
async fn kill_before_the_actor_ever_ran_skips_a_full_mailbox() {
    let system = System::new();
    let (log, events) = mpsc::unbounded_channel();
    let options = SpawnOptions::new().mailbox(MailboxKind::Bounded(CAPACITY as usize));
    let worker = system.spawn_with(Worker { log }, options).await.unwrap();
    // Current-thread runtime: the actor's task has not been polled yet.
    for n in 0..CAPACITY {
        worker.try_tell(Msg::Item(n)).unwrap();
    }
    assert!(worker.try_tell(Msg::Item(99)).unwrap_err().is_full());
    worker.kill();
    assert!(matches!(worker.wait_for_stop().await, ExitReason::Killed));
    assert_eq!(system.dead_letters(), u64::from(CAPACITY));
    drop(worker);
    assert_eq!(collect(events).await, []);
}
