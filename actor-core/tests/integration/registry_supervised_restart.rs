//! Promise: a supervised child keeps its `ActorRef` across restarts, so its
//! registry entry survives them and keeps working: a lookup after the crash
//! finds the same actor, now a fresh instance. A child that registers itself
//! in `started` (which runs again on each restart) gets a harmless success
//! the second time. Only the child's final exit removes the entry.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, ChildState, Supervisor};

enum Msg {
    Crash,
    Count(ReplyPort<u32>),
}

#[derive(Default)]
struct Counter {
    handled: u32,
}

impl Actor for Counter {
    type Msg = Msg;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        ctx.system().registry().register("counter", &ctx.myself())?;
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        self.handled += 1;
        match msg {
            Msg::Crash => Err("crash on purpose".into()),
            Msg::Count(reply) => {
                let _ = reply.send(self.handled);
                Ok(())
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn lookup_after_a_restart_finds_the_same_working_actor() {
    let system = System::new();
    let sup = system
        .spawn(
            Supervisor::builder()
                .child(ChildSpec::new("counter", Counter::default))
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let child: ActorRef<Counter> = sup.child("counter").await.unwrap();
    let found = system.registry().lookup::<Counter>("counter").unwrap().unwrap();
    assert_eq!(found, child);
    assert_eq!(found.ask(Msg::Count).await.unwrap(), 1);

    child.tell(Msg::Crash).await.unwrap();
    // Queued behind the crash: answered by the restarted instance.
    assert_eq!(child.ask(Msg::Count).await.unwrap(), 1, "fresh state");
    let children = sup.children().await.unwrap();
    assert_eq!(
        (children[0].state, children[0].restarts),
        (ChildState::Running, 1)
    );

    let after = system.registry().lookup::<Counter>("counter").unwrap().unwrap();
    assert_eq!(after, child, "same ref after the restart");
    assert_eq!(after.ask(Msg::Count).await.unwrap(), 2);
    assert_eq!(system.registry().names(), ["counter"]);

    system.shutdown().await;
    assert!(child.wait_for_stop().await.is_clean());
    assert!(system.registry().is_empty(), "the final exit removes it");
}
