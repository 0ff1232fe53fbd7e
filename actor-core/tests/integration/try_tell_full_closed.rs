//! Promise: a message that cannot be delivered comes back to the sender.
//! `try_tell` gives it back as `Full` on a full bounded mailbox and as
//! `Closed` once the actor stops; `tell` and `ask` give it back as `Closed`;
//! and a `tell` blocked on a full mailbox is released with `Closed` (and its
//! message) as soon as the actor stops or is killed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use actor_core::prelude::*;
use tokio::sync::oneshot;

enum Msg {
    Text(&'static str),
    /// Blocks the actor until the gate opens (or the actor is killed).
    Hold(oneshot::Sender<()>, oneshot::Receiver<()>),
    Get(ReplyPort<Vec<&'static str>>),
}

#[derive(Default)]
struct Notes(Vec<&'static str>);

impl Actor for Notes {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Text(text) => self.0.push(text),
            Msg::Hold(entered, gate) => {
                let _ = entered.send(());
                let _ = gate.await;
            }
            Msg::Get(reply) => {
                let _ = reply.send(self.0.clone());
            }
        }
        Ok(())
    }
}

async fn spawn_bounded(system: &System, capacity: usize) -> ActorRef<Notes> {
    let options = SpawnOptions::new().mailbox(MailboxKind::Bounded(capacity));
    system.spawn_with(Notes::default(), options).await.unwrap()
}

impl From<&'static str> for Msg {
    fn from(text: &'static str) -> Self {
        Msg::Text(text)
    }
}

fn text_of(msg: Msg) -> &'static str {
    match msg {
        Msg::Text(text) => text,
        _ => panic!("a different message came back"),
    }
}

#[tokio::test]
async fn try_tell_to_full_mailbox_gives_the_message_back() {
    let system = System::new();
    let notes = spawn_bounded(&system, 1).await;
    // Single-threaded runtime: the actor has not run, so the first fills it.
    notes.try_tell(Msg::Text("first")).unwrap();
    match notes.try_tell(Msg::Text("second")) {
        Err(TrySendError::Full(msg)) => assert_eq!(text_of(msg), "second"),
        other => panic!("expected Full, got {other:?}"),
    }
    assert_eq!(notes.mailbox_len(), 1);
    let recipient: Recipient<&'static str> = notes.recipient();
    assert_eq!(
        recipient.try_tell("via recipient"),
        Err(TrySendError::Full("via recipient"))
    );
    drop(recipient);
    // Once the actor takes the first, there is room again.
    assert_eq!(notes.ask(Msg::Get).await.unwrap(), vec!["first"]);
    notes.try_tell(Msg::Text("third")).unwrap();
    system.shutdown().await;
}

#[tokio::test]
async fn every_send_after_stop_gives_the_message_back() {
    let system = System::new();
    let notes = spawn_bounded(&system, 8).await;
    notes.stop();
    // Closed at once, while the actor may still be finishing its queue...
    assert!(!notes.is_alive());
    match notes.try_tell(Msg::Text("stopping")) {
        Err(TrySendError::Closed(msg)) => assert_eq!(text_of(msg), "stopping"),
        other => panic!("expected Closed, got {other:?}"),
    }
    assert!(matches!(notes.wait_for_stop().await, ExitReason::Normal));

    // ...and after it has stopped.
    match notes.try_tell(Msg::Text("try")) {
        Err(TrySendError::Closed(msg)) => assert_eq!(text_of(msg), "try"),
        other => panic!("expected Closed, got {other:?}"),
    }
    match notes.tell(Msg::Text("tell")).await {
        Err(SendError::Closed(msg)) => assert_eq!(text_of(msg), "tell"),
        other => panic!("expected Closed, got {other:?}"),
    }
    match notes.ask(Msg::Get).await {
        Err(AskError::Closed(Msg::Get(_))) => {}
        other => panic!("expected Closed with the request, got {other:?}"),
    }
    // A Recipient gives back what it was given, before any conversion.
    let recipient: Recipient<&'static str> = notes.recipient();
    assert_eq!(recipient.try_tell("r1"), Err(TrySendError::Closed("r1")));
    assert_eq!(recipient.tell("r2").await, Err(SendError::Closed("r2")));
    assert_eq!(
        system.dead_letters(),
        0,
        "nothing was accepted, so nothing was lost"
    );
}

/// Fills a bounded(1) mailbox behind a held actor and blocks a `tell` on it.
async fn blocked_tell(
    system: &System,
) -> (
    ActorRef<Notes>,
    oneshot::Sender<()>,
    tokio::task::JoinHandle<Result<(), SendError<Msg>>>,
) {
    let notes = spawn_bounded(system, 1).await;
    let (entered_tx, entered_rx) = oneshot::channel();
    let (gate_tx, gate_rx) = oneshot::channel();
    notes.tell(Msg::Hold(entered_tx, gate_rx)).await.unwrap();
    entered_rx.await.unwrap();
    notes.try_tell(Msg::Text("queued")).unwrap();

    let sender = notes.clone();
    let blocked = tokio::spawn(async move { sender.tell(Msg::Text("blocked")).await });
    for _ in 0..8 {
        tokio::task::yield_now().await;
    }
    assert!(!blocked.is_finished());
    (notes, gate_tx, blocked)
}

#[tokio::test]
async fn blocked_tell_is_released_with_its_message_on_stop() {
    let system = System::new();
    let (notes, gate, blocked) = blocked_tell(&system).await;

    notes.stop();
    // Released by the stop itself, while the actor is still held.
    match blocked.await.unwrap() {
        Err(SendError::Closed(msg)) => assert_eq!(text_of(msg), "blocked"),
        other => panic!("expected Closed, got {other:?}"),
    }
    assert!(notes.exit_reason().is_none());

    gate.send(()).unwrap();
    assert!(matches!(notes.wait_for_stop().await, ExitReason::Normal));
    assert_eq!(
        system.dead_letters(),
        0,
        "the queued message was handled, not dropped"
    );
}

#[tokio::test]
async fn blocked_tell_is_released_with_its_message_on_kill() {
    let system = System::new();
    let (notes, _gate, blocked) = blocked_tell(&system).await;

    notes.kill();
    match blocked.await.unwrap() {
        Err(SendError::Closed(msg)) => assert_eq!(text_of(msg), "blocked"),
        other => panic!("expected Closed, got {other:?}"),
    }
    assert!(matches!(notes.wait_for_stop().await, ExitReason::Killed));
    assert_eq!(
        system.dead_letters(),
        1,
        "the queued message became a dead letter"
    );
}
