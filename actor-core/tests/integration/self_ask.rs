//! Promise: an actor cannot deadlock on itself. Asking itself fails with
//! `SelfAsk` at once (no timeout runs out on the paused clock), through an
//! `ActorRef` or a `Recipient`; telling itself works while its mailbox has
//! room, and fails with `WouldDeadlock` (message given back) when its own
//! bounded mailbox is full, instead of waiting forever. The same holds for an
//! actor on a dedicated thread.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use actor_core::prelude::*;
use tokio::time::Instant;

enum Msg {
    Ping(ReplyPort<()>),
    /// Asks itself (as an `ActorRef`, then as a `Recipient`); replies with
    /// both results and the time they took.
    AskSelf(ReplyPort<(String, String, Duration)>),
    /// Tells itself `Note(1..=3)`; replies with how each tell went.
    TellSelf(ReplyPort<Vec<String>>),
    Note(u32),
    Notes(ReplyPort<Vec<u32>>),
}

#[derive(Default)]
struct Narcissus {
    notes: Vec<u32>,
}

impl Actor for Narcissus {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Ping(reply) => {
                let _ = reply.send(());
            }
            Msg::AskSelf(reply) => {
                let start = Instant::now();
                let by_ref = ctx.myself().ask(Msg::Ping).await;
                let by_recipient = ctx.myself().recipient::<Msg>().ask(Msg::Ping).await;
                let elapsed = start.elapsed();
                let _ = reply.send((format!("{by_ref:?}"), format!("{by_recipient:?}"), elapsed));
            }
            Msg::TellSelf(reply) => {
                let myself = ctx.myself();
                let mut outcomes = Vec::new();
                for n in 1..=3 {
                    outcomes.push(match myself.tell(Msg::Note(n)).await {
                        Ok(()) => "ok".to_string(),
                        Err(SendError::WouldDeadlock(Msg::Note(back))) => format!("would deadlock: {back}"),
                        Err(other) => format!("{other:?}"),
                    });
                }
                let _ = reply.send(outcomes);
            }
            Msg::Note(n) => self.notes.push(n),
            Msg::Notes(reply) => {
                let _ = reply.send(self.notes.clone());
            }
        }
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn self_ask_fails_at_once() {
    let system = System::new();
    let actor = system.spawn(Narcissus::default()).await.unwrap();

    let start = Instant::now();
    let (by_ref, by_recipient, inside) = actor.ask(Msg::AskSelf).await.unwrap();
    assert_eq!(by_ref, "Err(SelfAsk)");
    assert_eq!(by_recipient, "Err(SelfAsk)");
    assert_eq!(inside, Duration::ZERO);
    assert_eq!(start.elapsed(), Duration::ZERO, "no timeout ran out");
    // The refused self-asks were not enqueued, and the actor is fine.
    assert_eq!(actor.mailbox_len(), 0);
    actor.ask(Msg::Ping).await.unwrap();
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn self_tell_to_full_own_mailbox_would_deadlock() {
    let system = System::new();
    let options = SpawnOptions::new().mailbox(MailboxKind::Bounded(2));
    let actor = system.spawn_with(Narcissus::default(), options).await.unwrap();

    let start = Instant::now();
    // While `TellSelf` runs its mailbox is empty: two notes fit, the third does not.
    let outcomes = actor.ask(Msg::TellSelf).await.unwrap();
    assert_eq!(outcomes, vec!["ok", "ok", "would deadlock: 3"]);
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(actor.ask(Msg::Notes).await.unwrap(), vec![1, 2]);
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn self_tell_with_room_is_delivered() {
    let system = System::new();
    let actor = system.spawn(Narcissus::default()).await.unwrap(); // default capacity 1024
    let outcomes = actor.ask(Msg::TellSelf).await.unwrap();
    assert_eq!(outcomes, vec!["ok", "ok", "ok"]);
    assert_eq!(actor.ask(Msg::Notes).await.unwrap(), vec![1, 2, 3]);
    system.shutdown().await;
}

// Not on the paused clock: the actor answers from its own thread, and a paused
// test runtime would jump to the ask deadline while waiting for it.
#[tokio::test]
async fn self_ask_on_a_dedicated_thread_fails_too() {
    let system = System::new();
    let options = SpawnOptions::new()
        .executor(Executor::DedicatedThread)
        .mailbox(MailboxKind::Bounded(2));
    let actor = system.spawn_with(Narcissus::default(), options).await.unwrap();
    let (by_ref, by_recipient, _) = actor.ask(Msg::AskSelf).await.unwrap();
    assert_eq!(
        (by_ref.as_str(), by_recipient.as_str()),
        ("Err(SelfAsk)", "Err(SelfAsk)")
    );
    let outcomes = actor.ask(Msg::TellSelf).await.unwrap();
    assert_eq!(outcomes, vec!["ok", "ok", "would deadlock: 3"]);
    system.shutdown().await;
}
