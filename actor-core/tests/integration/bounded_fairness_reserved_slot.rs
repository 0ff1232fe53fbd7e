//! Regression: a slot freed in a full bounded mailbox is reserved for the
//! blocked sender it wakes. A newcomer's `try_tell` between the wake-up and
//! the woken sender's next poll gets `Full` instead of taking the slot, and a
//! woken sender that gives up passes the reserved slot to the next in line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    Handled(ReplyPort<Vec<u32>>),
}

#[derive(Default)]
struct Gated {
    handled: Vec<u32>,
}

impl Actor for Gated {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Hold { entered, gate } => {
                let _ = entered.send(());
                let _ = gate.await;
            }
            Msg::Item(n) => self.handled.push(n),
            Msg::Handled(reply) => {
                let _ = reply.send(self.handled.clone());
            }
        }
        Ok(())
    }
}

/// Counts its wake-ups.
#[derive(Default)]
struct Wakes(AtomicUsize);

impl Wake for Wakes {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl Wakes {
    fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

type PendingTell<'a> = Pin<Box<dyn Future<Output = Result<(), SendError<Msg>>> + 'a>>;

fn poll_once(tell: &mut PendingTell<'_>, wakes: &Arc<Wakes>) -> Poll<Result<(), SendError<Msg>>> {
    let waker = Waker::from(Arc::clone(wakes));
    tell.as_mut().poll(&mut TaskContext::from_waker(&waker))
}

/// A Bounded(1) actor parked in a handler, its one slot taken by `Item(0)`;
/// the returned sender opens the gate.
async fn full_and_parked(system: &System) -> (ActorRef<Gated>, oneshot::Sender<()>) {
    let options = SpawnOptions::new().mailbox(MailboxKind::Bounded(1));
    let actor = system.spawn_with(Gated::default(), options).await.unwrap();
    let (entered, entered_rx) = oneshot::channel();
    let (gate_tx, gate) = oneshot::channel();
    actor.tell(Msg::Hold { entered, gate }).await.unwrap();
    entered_rx.await.unwrap();
    actor.try_tell(Msg::Item(0)).unwrap();
    (actor, gate_tx)
}

/// Lets the actor run until `wakes` has fired (a bounded number of turns:
/// this runtime has one thread, so a few are plenty).
async fn until_woken(wakes: &Wakes) {
    for _ in 0..100 {
        if wakes.count() > 0 {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!("the blocked sender was never woken");
}

fn assert_full(actor: &ActorRef<Gated>, n: u32) {
    let refused = actor.try_tell(Msg::Item(n));
    assert!(
        matches!(refused, Err(TrySendError::Full(Msg::Item(m))) if m == n),
        "a newcomer must not take the slot reserved for the woken sender"
    );
}

#[tokio::test]
async fn newcomer_cannot_take_the_slot_of_a_woken_sender() {
    let system = System::new();
    let (actor, gate) = full_and_parked(&system).await;
    let wakes = Arc::new(Wakes::default());
    let mut blocked: PendingTell<'_> = Box::pin(actor.tell(Msg::Item(1)));
    assert!(poll_once(&mut blocked, &wakes).is_pending(), "first in line");

    // The actor takes Item(0): the freed slot is reserved, its sender woken.
    gate.send(()).unwrap();
    until_woken(&wakes).await;
    assert_eq!(wakes.count(), 1);
    assert_full(&actor, 99);

    assert!(matches!(poll_once(&mut blocked, &wakes), Poll::Ready(Ok(()))));
    drop(blocked);
    assert_eq!(actor.ask(Msg::Handled).await.unwrap(), [0, 1]);
    system.shutdown().await;
}

#[tokio::test]
async fn a_dropped_woken_sender_passes_the_reserved_slot_on() {
    let system = System::new();
    let (actor, gate) = full_and_parked(&system).await;
    let (wakes_a, wakes_b) = (Arc::new(Wakes::default()), Arc::new(Wakes::default()));
    let mut a: PendingTell<'_> = Box::pin(actor.tell(Msg::Item(1)));
    let mut b: PendingTell<'_> = Box::pin(actor.tell(Msg::Item(2)));
    assert!(poll_once(&mut a, &wakes_a).is_pending());
    assert!(poll_once(&mut b, &wakes_b).is_pending());

    gate.send(()).unwrap();
    until_woken(&wakes_a).await;
    assert_eq!(wakes_b.count(), 0, "one slot wakes only the first in line");
    assert_full(&actor, 99);

    // A gives up after being woken: its reserved slot goes to B, not to a
    // newcomer.
    drop(a);
    assert_eq!(wakes_b.count(), 1);
    assert_full(&actor, 98);
    assert!(matches!(poll_once(&mut b, &wakes_b), Poll::Ready(Ok(()))));
    drop(b);
    assert_eq!(actor.ask(Msg::Handled).await.unwrap(), [0, 2]);
    system.shutdown().await;
}
