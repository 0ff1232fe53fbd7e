//! Promise: a graceful stop refuses new messages at once, yet every message
//! already queued is handled, then `stopped` runs with `ExitReason::Normal`
//! and `wait_for_stop` returns `Normal`. This holds for a stop from a handle,
//! for `Context::stop` from inside a handler, and for a loop actor, whose
//! `ctx.recv()` returns `None` only after the queue is empty.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use actor_core::prelude::*;
use tokio::sync::{mpsc, oneshot};

/// How many messages wait behind the gate.
const QUEUED: u32 = 50;

#[derive(Debug, PartialEq)]
enum Event {
    Handled(u32),
    RecvNone,
    Stopped(String),
}

enum Msg {
    /// Holds the actor until the gate opens, so later messages queue up.
    Gate {
        entered: oneshot::Sender<()>,
        open: oneshot::Receiver<()>,
    },
    /// Calls `ctx.stop()` itself, says so, then waits to be released.
    StopSelf {
        requested: oneshot::Sender<()>,
        release: oneshot::Receiver<()>,
    },
    Item(u32),
}

async fn handle_msg<A: Actor>(log: &mpsc::UnboundedSender<Event>, msg: Msg, ctx: &mut Context<A>) {
    match msg {
        Msg::Gate { entered, open } => {
            entered.send(()).unwrap();
            open.await.unwrap();
        }
        Msg::StopSelf { requested, release } => {
            ctx.stop();
            requested.send(()).unwrap();
            release.await.unwrap();
        }
        Msg::Item(n) => log.send(Event::Handled(n)).unwrap(),
    }
}

/// A handler actor: the framework owns the receive loop.
struct Recorder {
    log: mpsc::UnboundedSender<Event>,
}

impl Actor for Recorder {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        handle_msg(&self.log, msg, ctx).await;
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        self.log.send(Event::Stopped(reason.to_string())).unwrap();
    }
}

/// A loop actor: selects over its mailbox and a timer.
struct Looper {
    log: mpsc::UnboundedSender<Event>,
}

impl Actor for Looper {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        handle_msg(&self.log, msg, ctx).await;
        Ok(())
    }

    async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let mut tick = tokio::time::interval(Duration::from_millis(10));
        loop {
            tokio::select! {
                msg = ctx.recv() => match msg {
                    Some(msg) => self.handle(msg, ctx).await?,
                    None => {
                        self.log.send(Event::RecvNone)?;
                        return Ok(());
                    }
                },
                _ = tick.tick() => {}
            }
        }
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        self.log.send(Event::Stopped(reason.to_string())).unwrap();
    }
}

/// Sends the gate, waits until the actor holds it, then queues `QUEUED` items.
async fn hold_and_queue<A: Actor<Msg = Msg>>(actor: &ActorRef<A>) -> oneshot::Sender<()> {
    let (entered_tx, entered) = oneshot::channel();
    let (open, open_rx) = oneshot::channel();
    actor
        .tell(Msg::Gate {
            entered: entered_tx,
            open: open_rx,
        })
        .await
        .unwrap();
    entered.await.unwrap();
    for n in 0..QUEUED {
        actor.tell(Msg::Item(n)).await.unwrap();
    }
    assert_eq!(
        actor.mailbox_len(),
        QUEUED as usize,
        "items must be queued, not handled"
    );
    open
}

/// Everything the actor logged; ends when the actor (and its log sender) is dropped.
async fn collect(mut events: mpsc::UnboundedReceiver<Event>) -> Vec<Event> {
    let mut all = Vec::new();
    while let Some(event) = events.recv().await {
        all.push(event);
    }
    all
}

fn expected(tail: &[&str]) -> Vec<Event> {
    let mut all: Vec<Event> = (0..QUEUED).map(Event::Handled).collect();
    for item in tail {
        all.push(match *item {
            "recv none" => Event::RecvNone,
            reason => Event::Stopped(reason.to_string()),
        });
    }
    all
}

fn assert_refuses<A: Actor<Msg = Msg>>(actor: &ActorRef<A>) {
    assert!(!actor.is_alive());
    assert!(matches!(
        actor.try_tell(Msg::Item(999)),
        Err(TrySendError::Closed(Msg::Item(999)))
    ));
}

#[tokio::test]
async fn stop_from_a_handle_refuses_new_messages_and_handles_the_queued_ones() {
    let system = System::new();
    let (log, events) = mpsc::unbounded_channel();
    let actor = system.spawn(Recorder { log }).await.unwrap();
    let open = hold_and_queue(&actor).await;

    actor.stop();
    // Refused at once, message given back, while the queue is still full.
    assert!(matches!(
        actor.tell(Msg::Item(1000)).await,
        Err(SendError::Closed(Msg::Item(1000)))
    ));
    assert_refuses(&actor);
    assert!(matches!(
        actor.ask(|_: ReplyPort<()>| Msg::Item(1001)).await,
        Err(AskError::Closed(Msg::Item(1001)))
    ));
    assert_eq!(actor.mailbox_len(), QUEUED as usize);

    open.send(()).unwrap();
    assert!(matches!(actor.wait_for_stop().await, ExitReason::Normal));
    assert!(matches!(actor.exit_reason(), Some(ExitReason::Normal)));
    drop(actor);
    assert_eq!(collect(events).await, expected(&["normal"]));
    assert_eq!(system.dead_letters(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn context_stop_inside_a_handler_drains_the_queue_too() {
    let system = System::new();
    let (log, events) = mpsc::unbounded_channel();
    let actor = system.spawn(Recorder { log }).await.unwrap();
    let (entered_tx, entered) = oneshot::channel();
    let (open, open_rx) = oneshot::channel();
    let (requested_tx, requested) = oneshot::channel();
    let (release, release_rx) = oneshot::channel();
    let gate = Msg::Gate {
        entered: entered_tx,
        open: open_rx,
    };
    actor.tell(gate).await.unwrap();
    entered.await.unwrap();
    // Queue: the self-stop first, then the items behind it.
    let stop_self = Msg::StopSelf {
        requested: requested_tx,
        release: release_rx,
    };
    actor.tell(stop_self).await.unwrap();
    for n in 0..QUEUED {
        actor.tell(Msg::Item(n)).await.unwrap();
    }
    open.send(()).unwrap();

    requested.await.unwrap();
    // `ctx.stop()` closed the mailbox at once: new messages are refused...
    assert!(matches!(
        actor.tell(Msg::Item(1000)).await,
        Err(SendError::Closed(Msg::Item(1000)))
    ));
    assert_refuses(&actor);
    // ...but the ones queued behind the stop request are still there.
    assert_eq!(actor.mailbox_len(), QUEUED as usize);

    release.send(()).unwrap();
    assert!(matches!(actor.wait_for_stop().await, ExitReason::Normal));
    drop(actor);
    assert_eq!(collect(events).await, expected(&["normal"]));
    assert_eq!(system.dead_letters(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_loop_actor_sees_recv_return_none_after_the_queued_messages() {
    let system = System::new();
    let (log, events) = mpsc::unbounded_channel();
    let actor = system.spawn(Looper { log }).await.unwrap();
    // Let the timer branch win a few times first: it must not disturb the mailbox.
    tokio::time::sleep(Duration::from_millis(35)).await;
    let open = hold_and_queue(&actor).await;

    actor.stop();
    assert_refuses(&actor);
    open.send(()).unwrap();

    assert!(matches!(actor.wait_for_stop().await, ExitReason::Normal));
    drop(actor);
    assert_eq!(collect(events).await, expected(&["recv none", "normal"]));
    assert_eq!(system.dead_letters(), 0);
}
