//! Promise: a broadcast reports who got the message. `try_broadcast` never
//! waits: a member whose bounded mailbox is full is skipped and counted as
//! full, one that is stopping as closed. `broadcast` waits for room instead,
//! so the full member gets the message once it makes room; the closed one
//! never counts. The member list is the one at the call.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::pin::pin;
use std::time::Duration;

use actor_core::prelude::*;
use actor_core::{BroadcastReport, Group};
use tokio::sync::oneshot;

enum Msg {
    Note(u32),
    /// Signals `entered`, then waits for `gate`.
    Block(oneshot::Sender<()>, oneshot::Receiver<()>),
    Log(ReplyPort<Vec<u32>>),
}

impl From<u32> for Msg {
    fn from(n: u32) -> Self {
        Msg::Note(n)
    }
}

#[derive(Default)]
struct Recorder(Vec<u32>);

impl Actor for Recorder {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Note(n) => self.0.push(n),
            Msg::Block(entered, gate) => {
                let _ = entered.send(());
                let _ = gate.await;
            }
            Msg::Log(reply) => {
                let _ = reply.send(self.0.clone());
            }
        }
        Ok(())
    }
}

/// Spawns a recorder with `mailbox`, blocked in a handler; dropping the
/// returned sender releases it.
async fn blocked(system: &System, mailbox: MailboxKind) -> (ActorRef<Recorder>, oneshot::Sender<()>) {
    let recorder = system
        .spawn_with(Recorder::default(), SpawnOptions::new().mailbox(mailbox))
        .await
        .unwrap();
    let (entered_tx, entered) = oneshot::channel();
    let (gate, gate_rx) = oneshot::channel();
    recorder.tell(Msg::Block(entered_tx, gate_rx)).await.unwrap();
    entered.await.unwrap();
    (recorder, gate)
}

fn counts(report: BroadcastReport) -> (usize, usize, usize) {
    (report.delivered, report.full, report.closed)
}

#[tokio::test(start_paused = true)]
async fn try_broadcast_skips_full_and_closed_members_and_broadcast_waits_for_room() {
    let system = System::new();
    let open = system.spawn(Recorder::default()).await.unwrap();
    let (full, full_gate) = blocked(&system, MailboxKind::Bounded(1)).await;
    full.tell(Msg::Note(0)).await.unwrap(); // its one slot is taken
    let (stopping, _stopping_gate) = blocked(&system, MailboxKind::Bounded(8)).await;
    stopping.stop(); // closed to new messages, still running its handler

    let group = Group::<u32>::new();
    for member in [&open, &full, &stopping] {
        group.join(member);
    }

    assert_eq!(counts(group.try_broadcast(1)), (1, 1, 1));

    let mut waiting = pin!(group.broadcast(2));
    // Members joining after the call are not part of this broadcast.
    let late = system.spawn(Recorder::default()).await.unwrap();
    group.join(&late);
    assert!(
        tokio::time::timeout(Duration::from_secs(60), &mut waiting)
            .await
            .is_err(),
        "waits for room in the full mailbox"
    );
    drop(full_gate); // the full member handles its queue, making room
    assert_eq!(counts(waiting.await), (2, 0, 1));

    assert_eq!(open.ask(Msg::Log).await.unwrap(), [1, 2]);
    assert_eq!(
        full.ask(Msg::Log).await.unwrap(),
        [0, 2],
        "skipped by try, reached by broadcast"
    );
    assert_eq!(late.ask(Msg::Log).await.unwrap(), Vec::<u32>::new());
}

#[tokio::test]
async fn an_empty_group_delivers_to_nobody() {
    let group = Group::<u32>::new();
    assert_eq!(counts(group.broadcast(1).await), (0, 0, 0));
    assert_eq!(counts(group.try_broadcast(1)), (0, 0, 0));
}
