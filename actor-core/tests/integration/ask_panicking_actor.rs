//! Promise: a handler that panics mid-request never leaves an asker hanging.
//! The ask fails with `NoReply` at once (no time passes on the paused clock),
//! so do the asks queued behind it; the actor exits with
//! `ExitReason::Panicked` carrying the panic text; and other actors carry on.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::time::Duration;

use actor_core::prelude::*;
use tokio::sync::oneshot;
use tokio::time::Instant;

enum Msg {
    /// Panics while holding the reply port.
    Explode(u32, ReplyPort<u32>),
    Double(u32, ReplyPort<u32>),
    /// Signals `entered`, then blocks until the gate opens.
    Hold(oneshot::Sender<()>, oneshot::Receiver<()>),
}

struct Fragile;

impl Actor for Fragile {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Explode(n, reply) => {
                tokio::task::yield_now().await; // mid-request: past an await point
                let _unanswered = reply; // still held when the panic unwinds
                panic!("boom while handling request {n}");
            }
            Msg::Double(n, reply) => {
                let _ = reply.send(n * 2);
            }
            Msg::Hold(entered, gate) => {
                let _ = entered.send(());
                let _ = gate.await;
            }
        }
        Ok(())
    }
}

fn assert_panicked_with(reason: ExitReason, text: &str) {
    match reason {
        ExitReason::Panicked(message) => assert!(message.contains(text), "panic message: {message}"),
        other => panic!("expected Panicked, got {other}"),
    }
}

#[tokio::test(start_paused = true)]
async fn ask_to_panicking_handler_returns_no_reply_at_once() {
    let system = System::new();
    let fragile = system.spawn(Fragile).await.unwrap();
    let bystander = system.spawn(Fragile).await.unwrap();

    let start = Instant::now();
    let err = fragile.ask(|reply| Msg::Explode(7, reply)).await.unwrap_err();
    assert!(matches!(err, AskError::NoReply), "{err:?}");
    assert_eq!(start.elapsed(), Duration::ZERO, "no waiting for the timeout");

    assert_panicked_with(fragile.wait_for_stop().await, "boom while handling request 7");
    assert!(!fragile.is_alive());
    // The panic stayed inside its actor.
    assert_eq!(bystander.ask(|reply| Msg::Double(21, reply)).await.unwrap(), 42);
    assert!(bystander.exit_reason().is_none());
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn asks_queued_behind_the_panic_fail_at_once_too() {
    let system = System::new();
    let fragile = system.spawn(Fragile).await.unwrap();
    let (entered_tx, entered_rx) = oneshot::channel();
    let (gate_tx, gate_rx) = oneshot::channel();
    fragile.tell(Msg::Hold(entered_tx, gate_rx)).await.unwrap();
    entered_rx.await.unwrap();

    // Queue the fatal request, then more requests behind it, each its own asker.
    let mut asks = Vec::new();
    for n in [1, 2, 3, 4] {
        let asker = fragile.clone();
        let make = move |reply| match n {
            1 => Msg::Explode(n, reply),
            _ => Msg::Double(n, reply),
        };
        asks.push(tokio::spawn(async move { asker.ask(make).await }));
        while fragile.mailbox_len() < asks.len() {
            tokio::task::yield_now().await;
        }
    }

    let start = Instant::now();
    gate_tx.send(()).unwrap();
    for ask in asks {
        let err = ask.await.unwrap().unwrap_err();
        assert!(matches!(err, AskError::NoReply), "{err:?}");
    }
    assert_eq!(start.elapsed(), Duration::ZERO, "every asker learns at once");
    assert_panicked_with(fragile.wait_for_stop().await, "boom while handling request 1");
    assert_eq!(
        system.dead_letters(),
        3,
        "the requests behind the panic were dropped"
    );
    system.shutdown().await;
}
