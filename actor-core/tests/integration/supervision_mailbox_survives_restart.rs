//! Promise: a restarted child keeps its `ActorRef`, id and mailbox (Akka's
//! rule, not OTP's new pid). Messages queued behind the one that failed —
//! tells and asks alike — are handled, in order, by the new instance, which
//! starts from fresh state; the failing message is not redelivered, and its
//! asker gets `AskError::NoReply` at once, not at its timeout. Nothing
//! becomes a dead letter. A kill of a supervised child is a crash like any
//! other here: its queue is kept for the next instance.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, ChildState, Supervisor};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;

enum Msg {
    /// Signals `entered`, then waits for `gate`.
    Wait(oneshot::Sender<()>, oneshot::Receiver<()>),
    Record(u32),
    Get(ReplyPort<Vec<u32>>),
    /// Fails while holding the reply port.
    Fail(ReplyPort<u32>),
    /// Panics while holding the reply port.
    Panic(ReplyPort<u32>),
}

#[derive(Default)]
struct Recorder {
    seen: Vec<u32>,
}

impl Actor for Recorder {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Wait(entered, gate) => {
                let _ = entered.send(());
                let _ = gate.await;
            }
            Msg::Record(n) => self.seen.push(n),
            Msg::Get(reply) => {
                let _ = reply.send(self.seen.clone());
            }
            Msg::Fail(_reply) => return Err("boom".into()),
            Msg::Panic(_reply) => panic!("boom"),
        }
        Ok(())
    }
}

struct Fixture {
    system: System,
    sup: ActorRef<Supervisor>,
    child: ActorRef<Recorder>,
}

async fn fixture() -> Fixture {
    let spec = ChildSpec::new("rec", Recorder::default).mailbox(MailboxKind::Bounded(8));
    let system = System::new();
    let sup = system
        .spawn(Supervisor::builder().child(spec).build().unwrap())
        .await
        .unwrap();
    let child = sup.child("rec").await.unwrap();
    Fixture { system, sup, child }
}

impl Fixture {
    /// Blocks the child in a handler; dropping the sender releases it.
    async fn block(&self) -> oneshot::Sender<()> {
        let (entered_tx, entered) = oneshot::channel();
        let (gate, gate_rx) = oneshot::channel();
        self.child.tell(Msg::Wait(entered_tx, gate_rx)).await.unwrap();
        entered.await.unwrap();
        gate
    }

    /// Queues an ask from another task; returns once it is in the mailbox,
    /// with the task giving the answer and when it came.
    async fn queue_ask<R: Send + 'static>(
        &self,
        make: fn(ReplyPort<R>) -> Msg,
    ) -> JoinHandle<(Result<R, AskError<Msg>>, Instant)> {
        let before = self.child.mailbox_len();
        let child = self.child.clone();
        let task = tokio::spawn(async move { (child.ask(make).await, Instant::now()) });
        while self.child.mailbox_len() == before {
            tokio::task::yield_now().await;
        }
        task
    }

    /// The scenario: state [0], then behind a blocked handler: `failing`,
    /// Record(1), Record(2), Get; then the handler is released.
    async fn fail_with_a_queue(&self, failing: fn(ReplyPort<u32>) -> Msg) {
        self.child.tell(Msg::Record(0)).await.unwrap();
        let gate = self.block().await;
        let failed = self.queue_ask(failing).await;
        self.child.tell(Msg::Record(1)).await.unwrap();
        self.child.tell(Msg::Record(2)).await.unwrap();
        let get = self.queue_ask(Msg::Get).await;
        assert_eq!(self.child.mailbox_len(), 4);

        let released_at = Instant::now();
        drop(gate);
        let (failed, answered_at) = failed.await.unwrap();
        assert!(matches!(failed, Err(AskError::NoReply)), "{failed:?}");
        assert_eq!(answered_at, released_at, "at once, not at the ask timeout");
        let (seen, _) = get.await.unwrap();
        assert_eq!(seen.unwrap(), [1, 2], "queued messages, in order, on fresh state");
    }

    async fn assert_restarted_once(&self) {
        let children = self.sup.children().await.unwrap();
        let info = &children[0];
        assert_eq!((info.state, info.restarts), (ChildState::Running, 1));
        assert_eq!(info.id, self.child.id(), "same id");
        assert_eq!(self.sup.child::<Recorder>("rec").await.unwrap(), self.child);
        assert_eq!(self.child.capacity(), Some(8), "same mailbox");
        assert_eq!(self.system.dead_letters(), 0);
        assert!(self.sup.is_alive());
    }
}

#[tokio::test(start_paused = true)]
async fn queued_messages_survive_an_error_and_the_failing_asker_is_told_at_once() {
    let f = fixture().await;
    f.fail_with_a_queue(Msg::Fail).await;
    f.assert_restarted_once().await;
}

#[tokio::test(start_paused = true)]
async fn queued_messages_survive_a_panic_and_the_failing_asker_is_told_at_once() {
    let f = fixture().await;
    f.fail_with_a_queue(Msg::Panic).await;
    f.assert_restarted_once().await;
}

#[tokio::test(start_paused = true)]
async fn the_failing_message_is_not_redelivered() {
    let f = fixture().await;
    f.fail_with_a_queue(Msg::Fail).await;
    // Redelivery would have crashed the new instance too: a second restart
    // within 5 s exceeds the default intensity and ends the supervisor.
    tokio::time::sleep(Duration::from_secs(1)).await;
    f.assert_restarted_once().await;
    assert_eq!(f.child.ask(Msg::Get).await.unwrap(), [1, 2]);
}

#[tokio::test(start_paused = true)]
async fn queued_messages_survive_a_kill() {
    let f = fixture().await;
    f.child.tell(Msg::Record(0)).await.unwrap();
    let _gate = f.block().await;
    f.child.tell(Msg::Record(1)).await.unwrap();
    let get = f.queue_ask(Msg::Get).await;

    f.child.kill();
    let (seen, _) = get.await.unwrap();
    assert_eq!(seen.unwrap(), [1]);
    f.assert_restarted_once().await;
}
