//! Promise: a supervised child keeps its `ActorRef` across restarts, so it
//! stays in its groups: broadcasts after a crash reach the new instance, and
//! a child that joins in `started` (run again on each restart) is still a
//! member once, not twice. Only its final exit makes it leave.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, Supervisor};

#[derive(Clone)]
struct Hello;

enum Msg {
    Hello,
    Crash,
    Count(ReplyPort<u32>),
}

impl From<Hello> for Msg {
    fn from(_: Hello) -> Self {
        Msg::Hello
    }
}

#[derive(Default)]
struct Greeter {
    hellos: u32,
}

impl Actor for Greeter {
    type Msg = Msg;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        ctx.system()
            .groups()
            .group::<Hello>("greeters")?
            .join(&ctx.myself());
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Hello => self.hellos += 1,
            Msg::Crash => return Err("crash on purpose".into()),
            Msg::Count(reply) => {
                let _ = reply.send(self.hellos);
            }
        }
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn a_restarted_child_is_still_a_member_once() {
    let system = System::new();
    let sup = system
        .spawn(
            Supervisor::builder()
                .child(ChildSpec::new("greeter", Greeter::default))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let child: ActorRef<Greeter> = sup.child("greeter").await.unwrap();
    let greeters = system.groups().group::<Hello>("greeters").unwrap();
    assert_eq!(greeters.members(), [child.id()]);

    child.tell(Msg::Crash).await.unwrap();
    assert_eq!(
        child.ask(Msg::Count).await.unwrap(),
        0,
        "a fresh instance answers"
    );
    assert_eq!(greeters.members(), [child.id()], "still a member, once");

    assert_eq!(greeters.broadcast(Hello).await.delivered, 1);
    assert_eq!(child.ask(Msg::Count).await.unwrap(), 1, "the new instance got it");

    system.shutdown().await;
    assert!(greeters.is_empty(), "the final exit makes it leave");
}
