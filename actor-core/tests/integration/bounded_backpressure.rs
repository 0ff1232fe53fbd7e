//! Promise: a bounded mailbox pushes back. A `tell` to a full mailbox waits
//! until the actor takes a message; blocked senders go through in the order
//! they started waiting; a blocked sender that gives up does not steal the
//! wake-up of the one behind it; and the mailbox never holds more than its
//! capacity.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context as TaskContext, Poll, Wake, Waker};

use actor_core::prelude::*;
use tokio::sync::oneshot;

enum Msg {
    /// Signals `entered`, then blocks the actor until `gate` opens.
    Hold {
        entered: oneshot::Sender<()>,
        gate: oneshot::Receiver<()>,
    },
    Item(u32),
    /// The items seen, and the largest mailbox length seen from inside.
    Get(ReplyPort<(Vec<u32>, usize)>),
}

#[derive(Default)]
struct Gated {
    seen: Vec<u32>,
    max_len: usize,
}

impl Actor for Gated {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.max_len = self.max_len.max(ctx.mailbox_len());
        match msg {
            Msg::Hold { entered, gate } => {
                let _ = entered.send(());
                let _ = gate.await;
            }
            Msg::Item(n) => self.seen.push(n),
            Msg::Get(reply) => {
                let _ = reply.send((self.seen.clone(), self.max_len));
            }
        }
        Ok(())
    }
}

async fn spawn_bounded(system: &System, capacity: usize) -> ActorRef<Gated> {
    let options = SpawnOptions::new().mailbox(MailboxKind::Bounded(capacity));
    system.spawn_with(Gated::default(), options).await.unwrap()
}

/// Parks the actor inside a handler; the returned sender opens the gate.
async fn hold(actor: &ActorRef<Gated>) -> oneshot::Sender<()> {
    let (entered_tx, entered_rx) = oneshot::channel();
    let (gate_tx, gate_rx) = oneshot::channel();
    actor
        .tell(Msg::Hold {
            entered: entered_tx,
            gate: gate_rx,
        })
        .await
        .unwrap();
    entered_rx.await.unwrap();
    gate_tx
}

/// Lets every other task on this single-threaded runtime run a few times.
async fn settle() {
    for _ in 0..8 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn tell_to_full_mailbox_waits_for_the_actor() {
    let system = System::new();
    let actor = spawn_bounded(&system, 2).await;
    let gate = hold(&actor).await;
    actor.try_tell(Msg::Item(0)).unwrap();
    actor.try_tell(Msg::Item(1)).unwrap();
    assert_eq!(actor.mailbox_len(), 2);

    let sender = actor.clone();
    let blocked = tokio::spawn(async move { sender.tell(Msg::Item(2)).await.is_ok() });
    settle().await;
    assert!(!blocked.is_finished(), "tell must wait while the mailbox is full");
    assert_eq!(actor.mailbox_len(), 2);

    gate.send(()).unwrap();
    assert!(blocked.await.unwrap(), "tell completes once the actor makes room");
    let (seen, max_len) = actor.ask(Msg::Get).await.unwrap();
    assert_eq!(seen, vec![0, 1, 2]);
    assert!(max_len <= 2);
    system.shutdown().await;
}

#[tokio::test]
async fn blocked_senders_are_released_in_fifo_order() {
    let system = System::new();
    let actor = spawn_bounded(&system, 1).await;
    let gate = hold(&actor).await;
    actor.try_tell(Msg::Item(0)).unwrap();

    let mut blocked = Vec::new();
    for n in 1..=6 {
        let sender = actor.clone();
        blocked.push(tokio::spawn(
            async move { sender.tell(Msg::Item(n)).await.is_ok() },
        ));
        settle().await; // sender `n` is now in line, behind sender `n - 1`
    }
    assert!(blocked.iter().all(|task| !task.is_finished()));

    gate.send(()).unwrap();
    for task in blocked {
        assert!(task.await.unwrap());
    }
    let (seen, _) = actor.ask(Msg::Get).await.unwrap();
    assert_eq!(seen, vec![0, 1, 2, 3, 4, 5, 6]);
    system.shutdown().await;
}

/// Records whether it was woken.
#[derive(Default)]
struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Flag {
    fn take(&self) -> bool {
        self.0.swap(false, Ordering::SeqCst)
    }
}

type PendingTell<'a> = Pin<Box<dyn Future<Output = Result<(), SendError<Msg>>> + 'a>>;

fn poll_once(fut: &mut PendingTell<'_>, flag: &Arc<Flag>) -> Poll<Result<(), SendError<Msg>>> {
    let waker = Waker::from(Arc::clone(flag));
    fut.as_mut().poll(&mut TaskContext::from_waker(&waker))
}

// The senders below are polled by hand, so the test decides exactly when each
// one registers, is woken and is dropped.

#[tokio::test]
async fn cancelled_waiter_hands_its_wake_up_to_the_next() {
    let system = System::new();
    let actor = spawn_bounded(&system, 1).await;
    let gate = hold(&actor).await;
    actor.try_tell(Msg::Item(0)).unwrap();

    let (flag_a, flag_b) = (Arc::new(Flag::default()), Arc::new(Flag::default()));
    let mut a: PendingTell<'_> = Box::pin(actor.tell(Msg::Item(1)));
    let mut b: PendingTell<'_> = Box::pin(actor.tell(Msg::Item(2)));
    assert!(poll_once(&mut a, &flag_a).is_pending());
    assert!(poll_once(&mut b, &flag_b).is_pending());

    // The actor takes item 0: one slot frees, and A (first in line) is woken.
    gate.send(()).unwrap();
    while !flag_a.0.load(Ordering::SeqCst) {
        tokio::task::yield_now().await;
    }
    assert!(!flag_b.take(), "only the first in line is woken for one slot");

    // A gives up before using its slot: B must get the wake-up instead.
    drop(a);
    assert!(flag_b.take(), "a cancelled, woken waiter passes its wake-up on");
    assert!(poll_once(&mut b, &flag_b).is_ready());
    drop(b);

    let (seen, _) = actor.ask(Msg::Get).await.unwrap();
    assert_eq!(seen, vec![0, 2], "the cancelled message is not delivered");
    system.shutdown().await;
}

#[tokio::test]
async fn cancelled_queued_waiter_leaves_the_line() {
    let system = System::new();
    let actor = spawn_bounded(&system, 1).await;
    let gate = hold(&actor).await;
    actor.try_tell(Msg::Item(0)).unwrap();

    let (flag_a, flag_b) = (Arc::new(Flag::default()), Arc::new(Flag::default()));
    let mut a: PendingTell<'_> = Box::pin(actor.tell(Msg::Item(1)));
    let mut b: PendingTell<'_> = Box::pin(actor.tell(Msg::Item(2)));
    assert!(poll_once(&mut a, &flag_a).is_pending());
    assert!(poll_once(&mut b, &flag_b).is_pending());
    // A gives up while still waiting (not yet woken): B is now first.
    drop(a);

    gate.send(()).unwrap();
    while !flag_b.take() {
        tokio::task::yield_now().await;
    }
    assert!(poll_once(&mut b, &flag_b).is_ready());
    drop(b);

    let (seen, _) = actor.ask(Msg::Get).await.unwrap();
    assert_eq!(seen, vec![0, 2]);
    system.shutdown().await;
}

#[tokio::test]
async fn mailbox_never_holds_more_than_its_capacity() {
    const CAPACITY: usize = 4;
    let system = System::new();
    let actor = spawn_bounded(&system, CAPACITY).await;
    let gate = hold(&actor).await;

    let senders: Vec<_> = (0..10u32)
        .map(|s| {
            let sender = actor.clone();
            tokio::spawn(async move {
                for i in 0..50 {
                    sender.tell(Msg::Item(s * 1000 + i)).await.unwrap();
                }
            })
        })
        .collect();
    settle().await;
    assert_eq!(actor.mailbox_len(), CAPACITY, "full, and no further");
    assert!(matches!(
        actor.try_tell(Msg::Item(u32::MAX)),
        Err(TrySendError::Full(_))
    ));

    gate.send(()).unwrap();
    let mut max_seen = 0;
    while !senders.iter().all(|task| task.is_finished()) {
        max_seen = max_seen.max(actor.mailbox_len());
        tokio::task::yield_now().await;
    }
    for task in senders {
        task.await.unwrap();
    }
    let (seen, max_inside) = actor.ask(Msg::Get).await.unwrap();
    assert_eq!(seen.len(), 500);
    assert!(max_seen <= CAPACITY, "outside view: {max_seen} > {CAPACITY}");
    assert!(max_inside <= CAPACITY, "inside view: {max_inside} > {CAPACITY}");
    system.shutdown().await;
}
