//! Regression: monitor.rs says a linked exit other than `Normal` "ends the
//! receiver too, with the same reason (as in OTP, `Shutdown` propagates)".
//! A `Shutdown` exit does end the linked receiver, but with `Killed`.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use actor_core::prelude::*;

enum Msg {
    Link(ActorRef<Peer>, ReplyPort<()>),
    SpawnChild(ReplyPort<ActorRef<Peer>>),
}
struct Peer;
impl Actor for Peer {
    type Msg = Msg;
    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Link(other, reply) => {
                ctx.link(&other);
                let _ = reply.send(());
            }
            Msg::SpawnChild(reply) => {
                let _ = reply.send(ctx.spawn(Peer).await?);
            }
        }
        Ok(())
    }
}

#[tokio::test]
async fn linked_shutdown_ends_the_receiver_with_shutdown() {
    let system = System::new();
    let parent = system.spawn(Peer).await.unwrap();
    let child = parent.ask(Msg::SpawnChild).await.unwrap();
    let receiver = system.spawn(Peer).await.unwrap();
    let c = child.clone();
    receiver.ask(|r| Msg::Link(c, r)).await.unwrap();

    parent.stop(); // the child is stopped by its parent: reason Shutdown
    assert!(matches!(child.wait_for_stop().await, ExitReason::Shutdown));
    let reason = receiver.wait_for_stop().await;
    assert!(
        matches!(reason, ExitReason::Shutdown),
        "receiver ended with {reason}"
    );
}
