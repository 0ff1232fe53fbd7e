//! Promise: every ask ends, with a value or a typed error, by its deadline
//! at the latest — and at once, not at the deadline, when the request can no
//! longer be answered: the actor holding it stops, panics or is killed, the
//! system shuts down under it (the ask ends when the actor's stop timeout
//! runs out and it is killed, if that comes first). Only an actor that is alive and simply does not
//! answer, or a mailbox that never makes room, lets the deadline run out, and
//! then exactly at the deadline. Restarts are in
//! supervision_mailbox_survives_restart.rs; self-asks and ask cycles in
//! self_ask.rs and ask_cycle_deadlock.rs.
//!
//! Every case runs on the paused clock and checks the virtual time the ask
//! took, so "at once" and "at the deadline" are exact.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use actor_core::prelude::*;
use tokio::sync::oneshot;
use tokio::time::Instant;

/// The deadline of every ask here: far beyond anything that should happen.
const DEADLINE: Duration = Duration::from_secs(60);

enum Msg {
    /// Keeps the reply port without answering; signals `held`.
    Hold(ReplyPort<u32>, Option<oneshot::Sender<()>>),
    /// Panics while holding the reply port.
    Panic(ReplyPort<u32>),
    /// Returns an error while holding the reply port.
    Fail(ReplyPort<u32>),
    /// Awaits forever while holding the reply port; signals `entered`.
    Hang(ReplyPort<u32>, oneshot::Sender<()>),
    /// Stops itself (gracefully) while holding the reply port.
    StopSelf(ReplyPort<u32>),
    /// Answers `n`.
    Echo(u32, ReplyPort<u32>),
    /// Needs no answer.
    Note,
}

#[derive(Default)]
struct Holder {
    held: Vec<ReplyPort<u32>>,
}

impl Actor for Holder {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Hold(reply, held) => {
                self.held.push(reply);
                if let Some(held) = held {
                    let _ = held.send(());
                }
            }
            Msg::Panic(_reply) => panic!("boom"),
            Msg::Fail(_reply) => return Err("refused".into()),
            Msg::Hang(_reply, entered) => {
                let _ = entered.send(());
                std::future::pending::<()>().await;
            }
            Msg::StopSelf(reply) => {
                self.held.push(reply);
                ctx.stop();
            }
            Msg::Echo(n, reply) => {
                let _ = reply.send(n);
            }
            Msg::Note => {}
        }
        Ok(())
    }
}

/// Asks `holder` with `make`, returning the result and the virtual time the
/// ask took.
async fn timed_ask(
    holder: &ActorRef<Holder>,
    make: impl FnOnce(ReplyPort<u32>) -> Msg,
) -> (Result<u32, AskError<()>>, Duration) {
    let start = Instant::now();
    let result = holder.ask_timeout(make, DEADLINE).await;
    (result.map_err(AskError::discard_message), start.elapsed())
}

#[tokio::test(start_paused = true)]
async fn a_held_ask_ends_at_once_when_its_actor_stops() {
    let system = System::new();
    let holder = system.spawn(Holder::default()).await.unwrap();
    let asker = {
        let holder = holder.clone();
        tokio::spawn(async move { timed_ask(&holder, |r| Msg::Hold(r, None)).await })
    };
    // Let the request be taken and held, then stop the holder: `stopped`
    // drops its state, and the held port with it.
    let echoed = holder.ask(|r| Msg::Echo(7, r)).await.unwrap();
    assert_eq!(echoed, 7);
    holder.stop();
    let (result, took) = asker.await.unwrap();
    assert_eq!(result, Err(AskError::NoReply));
    assert_eq!(took, Duration::ZERO);
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn an_ask_ends_at_once_when_its_handler_panics_or_fails_and_so_do_the_queued_ones() {
    for fail in [true, false] {
        let system = System::new();
        let holder = system.spawn(Holder::default()).await.unwrap();
        // Queue a failing request and two asks behind it, then let it run.
        let failing = {
            let holder = holder.clone();
            tokio::spawn(async move {
                timed_ask(&holder, |r| if fail { Msg::Fail(r) } else { Msg::Panic(r) }).await
            })
        };
        let queued: Vec<_> = (0..2)
            .map(|n| {
                let holder = holder.clone();
                tokio::spawn(async move { timed_ask(&holder, |r| Msg::Echo(n, r)).await })
            })
            .collect();
        let (result, took) = failing.await.unwrap();
        assert_eq!(result, Err(AskError::NoReply));
        assert_eq!(took, Duration::ZERO);
        for asker in queued {
            let (result, took) = asker.await.unwrap();
            // Sent before or after the failure: dropped unhandled (NoReply)
            // or refused at the closed mailbox (Closed); never a hang.
            assert!(
                matches!(result, Err(AskError::NoReply | AskError::Closed(()))),
                "{result:?}"
            );
            assert_eq!(took, Duration::ZERO);
        }
        let reason = holder.wait_for_stop().await;
        if fail {
            assert_eq!(reason.to_string(), "failed: refused");
        } else {
            assert!(matches!(reason, ExitReason::Panicked(_)), "{reason}");
        }
        system.shutdown().await;
    }
}

#[tokio::test(start_paused = true)]
async fn an_ask_ends_at_once_when_its_actor_is_killed_mid_handler() {
    let system = System::new();
    let holder = system.spawn(Holder::default()).await.unwrap();
    let (entered_tx, entered) = oneshot::channel();
    let asker = {
        let holder = holder.clone();
        tokio::spawn(async move { timed_ask(&holder, |r| Msg::Hang(r, entered_tx)).await })
    };
    entered.await.unwrap();
    holder.kill();
    let (result, took) = asker.await.unwrap();
    assert_eq!(result, Err(AskError::NoReply));
    assert_eq!(took, Duration::ZERO);
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn an_actor_stopping_itself_with_the_port_in_hand_ends_the_ask() {
    let system = System::new();
    let holder = system.spawn(Holder::default()).await.unwrap();
    let (result, took) = timed_ask(&holder, Msg::StopSelf).await;
    assert_eq!(result, Err(AskError::NoReply));
    assert_eq!(took, Duration::ZERO);
    assert!(holder.wait_for_stop().await.is_clean());
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_shutdown_ends_asks_to_a_stuck_actor_when_its_stop_timeout_runs_out() {
    let stop_timeout = Duration::from_secs(2);
    let system = System::new();
    let holder = system
        .spawn_with(Holder::default(), SpawnOptions::new().stop_timeout(stop_timeout))
        .await
        .unwrap();
    let (entered_tx, entered) = oneshot::channel();
    let asker = {
        let holder = holder.clone();
        tokio::spawn(async move { timed_ask(&holder, |r| Msg::Hang(r, entered_tx)).await })
    };
    entered.await.unwrap();
    let shutdown_started = Instant::now();
    let report = system.shutdown().await;
    assert_eq!(shutdown_started.elapsed(), stop_timeout);
    assert_eq!(report.killed, vec![holder.id()]);
    let (result, took) = asker.await.unwrap();
    assert_eq!(result, Err(AskError::NoReply));
    assert_eq!(
        took, stop_timeout,
        "ended by the kill, long before its own deadline"
    );
    // After the shutdown, asks are refused at once.
    let (result, took) = timed_ask(&holder, |r| Msg::Echo(1, r)).await;
    assert_eq!(result, Err(AskError::Closed(())));
    assert_eq!(took, Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn an_alive_actor_that_never_answers_lets_the_deadline_run_out_exactly() {
    let system = System::new();
    let holder = system.spawn(Holder::default()).await.unwrap();
    let start = Instant::now();
    let result = holder
        .ask_timeout(|r| Msg::Hold(r, None), Duration::from_millis(1500))
        .await;
    assert_eq!(
        result.map_err(AskError::discard_message),
        Err(AskError::Timeout(Duration::from_millis(1500)))
    );
    assert_eq!(start.elapsed(), Duration::from_millis(1500));
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_full_mailbox_that_never_makes_room_lets_the_deadline_run_out_exactly() {
    let system = System::new();
    let holder = system
        .spawn_with(
            Holder::default(),
            SpawnOptions::new().mailbox(MailboxKind::Bounded(1)),
        )
        .await
        .unwrap();
    // The holder hangs in a handler; one more message fills its mailbox.
    let (entered_tx, entered) = oneshot::channel();
    let hanging = {
        let holder = holder.clone();
        tokio::spawn(async move { timed_ask(&holder, |r| Msg::Hang(r, entered_tx)).await })
    };
    entered.await.unwrap();
    holder.try_tell(Msg::Note).unwrap();
    let start = Instant::now();
    let result = holder
        .ask_timeout(|r| Msg::Echo(1, r), Duration::from_secs(3))
        .await;
    assert_eq!(
        result.map_err(AskError::discard_message),
        Err(AskError::Timeout(Duration::from_secs(3)))
    );
    assert_eq!(start.elapsed(), Duration::from_secs(3));
    holder.kill();
    let (result, _) = hanging.await.unwrap();
    assert_eq!(result, Err(AskError::NoReply));
    system.shutdown().await;
}
