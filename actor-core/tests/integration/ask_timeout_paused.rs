//! Promise: an ask always ends by its deadline. An actor that keeps the reply
//! port without answering makes the ask fail with `Timeout` exactly at the
//! deadline (the per-call one, or `DEFAULT_ASK_TIMEOUT`); the deadline also
//! covers waiting for room in a full mailbox; it runs from the ask's first
//! poll, like any lazy future, not from when the future was made; and a zero
//! or absurd timeout is refused up front, before anything is sent.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use actor_core::prelude::*;
use actor_core::{DEFAULT_ASK_TIMEOUT, MAX_TIMEOUT};
use tokio::sync::oneshot;
use tokio::time::Instant;

enum Msg {
    /// A request the actor keeps and never answers.
    Ignore(ReplyPort<u32>),
    /// Blocks the actor until the gate opens.
    Hold(oneshot::Receiver<()>),
    /// How many `Ignore` requests arrived.
    Count(ReplyPort<usize>),
}

#[derive(Default)]
struct Hoarder {
    kept: Vec<ReplyPort<u32>>,
}

impl Actor for Hoarder {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Ignore(reply) => self.kept.push(reply),
            Msg::Hold(gate) => {
                let _ = gate.await;
            }
            Msg::Count(reply) => {
                let _ = reply.send(self.kept.len());
            }
        }
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn the_timeout_runs_from_the_first_poll_not_from_the_call() {
    let system = System::new();
    let hoarder = system.spawn(Hoarder::default()).await.unwrap();
    let timeout = Duration::from_secs(2);

    let asking = hoarder.ask_timeout(Msg::Ignore, timeout);
    // Longer than the timeout passes before the ask is first polled.
    tokio::time::advance(Duration::from_secs(10)).await;
    let start = Instant::now();
    let err = asking.await.unwrap_err();
    assert!(matches!(err, AskError::Timeout(t) if t == timeout), "{err:?}");
    assert_eq!(start.elapsed(), timeout);
    assert_eq!(hoarder.ask(Msg::Count).await.unwrap(), 1);
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn ask_timeout_fires_exactly_at_the_deadline() {
    let system = System::new();
    let hoarder = system.spawn(Hoarder::default()).await.unwrap();
    let timeout = Duration::from_secs(2);

    let start = Instant::now();
    let err = hoarder.ask_timeout(Msg::Ignore, timeout).await.unwrap_err();
    assert!(matches!(err, AskError::Timeout(t) if t == timeout), "{err:?}");
    assert_eq!(start.elapsed(), timeout);
    // The request was delivered and kept: it timed out waiting for the reply.
    assert_eq!(hoarder.ask(Msg::Count).await.unwrap(), 1);
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn default_ask_times_out_at_default_ask_timeout() {
    let system = System::new();
    let hoarder = system.spawn(Hoarder::default()).await.unwrap();

    let start = Instant::now();
    let err = hoarder.ask(Msg::Ignore).await.unwrap_err();
    assert!(
        matches!(err, AskError::Timeout(t) if t == DEFAULT_ASK_TIMEOUT),
        "{err:?}"
    );
    assert_eq!(start.elapsed(), DEFAULT_ASK_TIMEOUT);

    // Through a Recipient too.
    let recipient: Recipient<Msg> = hoarder.recipient();
    let start = Instant::now();
    let err = recipient.ask(Msg::Ignore).await.unwrap_err();
    assert!(matches!(err, AskError::Timeout(_)), "{err:?}");
    assert_eq!(start.elapsed(), DEFAULT_ASK_TIMEOUT);
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn invalid_timeouts_are_refused_and_send_nothing() {
    let system = System::new();
    let hoarder = system.spawn(Hoarder::default()).await.unwrap();
    let recipient: Recipient<Msg> = hoarder.recipient();
    let too_long = MAX_TIMEOUT + Duration::from_nanos(1);

    let start = Instant::now();
    for bad in [Duration::ZERO, too_long, Duration::MAX] {
        let err = hoarder.ask_timeout(Msg::Ignore, bad).await.unwrap_err();
        assert!(matches!(err, AskError::InvalidTimeout(t) if t == bad), "{err:?}");
        let err = recipient.ask_timeout(Msg::Ignore, bad).await.unwrap_err();
        assert!(matches!(err, AskError::InvalidTimeout(t) if t == bad), "{err:?}");
    }
    assert_eq!(start.elapsed(), Duration::ZERO, "refused at once");
    assert_eq!(hoarder.mailbox_len(), 0);
    // The bounds themselves are valid, and the actor saw no `Ignore` at all.
    let count = hoarder.ask_timeout(Msg::Count, MAX_TIMEOUT).await;
    assert_eq!(count.unwrap(), 0);
    let count = hoarder.ask_timeout(Msg::Count, Duration::from_nanos(1)).await;
    assert_eq!(count.unwrap(), 0);
    system.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn timeout_covers_waiting_for_room_in_a_full_mailbox() {
    let system = System::new();
    let options = SpawnOptions::new().mailbox(MailboxKind::Bounded(1));
    let hoarder = system.spawn_with(Hoarder::default(), options).await.unwrap();
    let (gate_tx, gate_rx) = oneshot::channel();
    hoarder.tell(Msg::Hold(gate_rx)).await.unwrap();
    while hoarder.mailbox_len() > 0 {
        tokio::task::yield_now().await; // until the actor takes `Hold` and blocks
    }
    hoarder.try_tell(Msg::Hold(oneshot::channel().1)).unwrap(); // fills the mailbox
    assert_eq!(hoarder.mailbox_len(), 1);

    let timeout = Duration::from_secs(2);
    let start = Instant::now();
    let err = hoarder.ask_timeout(Msg::Ignore, timeout).await.unwrap_err();
    assert!(matches!(err, AskError::Timeout(t) if t == timeout), "{err:?}");
    assert_eq!(start.elapsed(), timeout);
    assert_eq!(hoarder.mailbox_len(), 1, "the timed-out request was not enqueued");

    // The abandoned place in line is gone: the next sender is not stuck behind it.
    gate_tx.send(()).unwrap();
    assert_eq!(hoarder.ask(Msg::Count).await.unwrap(), 0);
    system.shutdown().await;
}
