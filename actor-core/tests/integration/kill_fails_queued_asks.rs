//! Promise: `kill` aborts the running handler where it stands (even one that
//! would await forever), skips the queue — queued asks fail at once with
//! `AskError::NoReply`, queued tells become counted dead letters — does not
//! call `stopped`, and ends the actor with `ExitReason::Killed`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actor_core::prelude::*;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

const ASKS: u32 = 5;
const TELLS: u32 = 7;

enum Msg {
    /// Awaits forever; `dropped` fires when the handler future is dropped.
    Hang {
        entered: oneshot::Sender<()>,
        dropped: oneshot::Sender<()>,
    },
    Ask(u32, ReplyPort<u32>),
    Tell(u32),
}

/// Fires its sender when dropped: proof that a handler future was aborted.
struct DropSignal(Option<oneshot::Sender<()>>);

impl Drop for DropSignal {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let _ = tx.send(());
        }
    }
}

struct Victim {
    handled: mpsc::UnboundedSender<u32>,
    stopped: Option<oneshot::Sender<ExitReason>>,
}

impl Actor for Victim {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Hang { entered, dropped } => {
                let _signal = DropSignal(Some(dropped));
                entered.send(()).unwrap();
                std::future::pending::<()>().await;
                self.handled.send(u32::MAX)?; // never reached
            }
            Msg::Ask(n, reply) => {
                self.handled.send(n)?;
                let _ = reply.send(n);
            }
            Msg::Tell(n) => self.handled.send(n)?,
        }
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        if let Some(tx) = self.stopped.take() {
            let _ = tx.send(reason.clone());
        }
    }
}

struct Setup {
    victim: ActorRef<Victim>,
    handled: mpsc::UnboundedReceiver<u32>,
    stopped: oneshot::Receiver<ExitReason>,
    dropped: oneshot::Receiver<()>,
    asks: Vec<JoinHandle<Result<u32, AskError<Msg>>>>,
}

/// Spawns the victim, parks it in a handler that awaits forever, and queues
/// `ASKS` asks (each from its own task) and `TELLS` tells behind it.
async fn hang_with_queue(system: &System) -> Setup {
    let (handled_tx, handled) = mpsc::unbounded_channel();
    let (stopped_tx, stopped) = oneshot::channel();
    let victim = Victim {
        handled: handled_tx,
        stopped: Some(stopped_tx),
    };
    let victim = system.spawn(victim).await.unwrap();
    let (entered_tx, entered) = oneshot::channel();
    let (dropped_tx, dropped) = oneshot::channel();
    let hang = Msg::Hang {
        entered: entered_tx,
        dropped: dropped_tx,
    };
    victim.tell(hang).await.unwrap();
    entered.await.unwrap();

    let asks: Vec<_> = (0..ASKS)
        .map(|n| {
            let victim = victim.clone();
            tokio::spawn(async move { victim.ask(|reply| Msg::Ask(n, reply)).await })
        })
        .collect();
    for n in 0..TELLS {
        victim.tell(Msg::Tell(100 + n)).await.unwrap();
    }
    let queued = (ASKS + TELLS) as usize;
    for _ in 0..1_000 {
        if victim.mailbox_len() == queued {
            break;
        }
        tokio::task::yield_now().await;
    }
    assert_eq!(victim.mailbox_len(), queued, "asks and tells must be queued");
    Setup {
        victim,
        handled,
        stopped,
        dropped,
        asks,
    }
}

/// Checks everything a kill promises, given the setup above.
async fn assert_killed(system: &System, setup: Setup) {
    let Setup {
        victim,
        mut handled,
        stopped,
        dropped,
        asks,
    } = setup;
    let before = Instant::now();
    for ask in asks {
        assert!(matches!(ask.await.unwrap(), Err(AskError::NoReply)));
    }
    // Paused clock: had any ask waited for its 5 s timeout, time would have moved.
    assert_eq!(Instant::now(), before, "queued asks must fail at once");

    assert!(matches!(victim.wait_for_stop().await, ExitReason::Killed));
    dropped
        .await
        .expect("the hanging handler future was dropped (aborted)");
    // Every queued message was dropped unhandled: the tells and the asks.
    assert_eq!(system.dead_letters(), u64::from(ASKS + TELLS));
    drop(victim);
    // The actor is gone: its `stopped` sender was dropped without a call.
    assert!(stopped.await.is_err(), "`stopped` must not run after a kill");
    assert_eq!(handled.recv().await, None, "no queued message may be handled");
}

#[tokio::test(start_paused = true)]
async fn kill_aborts_the_handler_fails_queued_asks_and_counts_dead_letters() {
    let system = System::new();
    let setup = hang_with_queue(&system).await;
    setup.victim.kill();
    assert_killed(&system, setup).await;
}

#[tokio::test(start_paused = true)]
async fn kill_overrides_a_graceful_stop_that_is_stuck_in_a_handler() {
    let system = System::new();
    let setup = hang_with_queue(&system).await;
    setup.victim.stop();
    tokio::task::yield_now().await;
    // The stop waits for the handler, which never returns: still running.
    assert!(setup.victim.exit_reason().is_none());
    setup.victim.kill();
    assert_killed(&system, setup).await;
}
