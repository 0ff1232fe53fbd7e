//! Promise: groups and topics never keep an actor alive. When the last
//! strong handle (an `ActorRef` or a `Recipient`) is dropped the actor
//! stops as usual, and by the time anyone hears of the exit (a monitor's
//! `Down`) it has left every group and topic it was in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actor_core::prelude::*;
use actor_core::{Group, Topic};
use tokio::sync::mpsc;

struct Member;

impl Actor for Member {
    type Msg = u32;

    async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> {
        Ok(())
    }
}

enum WatcherMsg {
    Watch(ActorRef<Member>, ReplyPort<()>),
    Down(Down),
}

impl From<Down> for WatcherMsg {
    fn from(down: Down) -> Self {
        WatcherMsg::Down(down)
    }
}

/// On each `Down`, reports the group's and the topic's sizes at that moment.
struct Watcher {
    group: Group<u32>,
    topic: Topic<u32>,
    seen: mpsc::UnboundedSender<(ExitReason, usize, usize)>,
}

impl Actor for Watcher {
    type Msg = WatcherMsg;

    async fn handle(&mut self, msg: WatcherMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            WatcherMsg::Watch(target, reply) => {
                ctx.monitor(&target);
                drop(target);
                let _ = reply.send(());
            }
            WatcherMsg::Down(down) => {
                let sizes = (down.reason, self.group.len(), self.topic.subscriber_count());
                let _ = self.seen.send(sizes);
            }
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_last_handle_stops_the_member_and_it_leaves() {
    let system = System::new();
    let group: Group<u32> = system.groups().group("members").unwrap();
    let topic: Topic<u32> = system.groups().topic("events").unwrap();
    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let watcher = system
        .spawn(Watcher {
            group: group.clone(),
            topic: topic.clone(),
            seen: seen_tx,
        })
        .await
        .unwrap();

    for handle_kind in ["actor ref", "recipient"] {
        let member = system.spawn(Member).await.unwrap();
        group.join(&member);
        topic.subscribe(&member);
        watcher
            .ask(|reply| WatcherMsg::Watch(member.clone(), reply))
            .await
            .unwrap();
        assert_eq!((group.len(), topic.subscriber_count()), (1, 1));

        if handle_kind == "recipient" {
            let recipient: Recipient<u32> = member.recipient();
            drop(member);
            recipient.tell(7).await.unwrap(); // still alive through the recipient
            drop(recipient); // the last strong handle
        } else {
            drop(member); // the last strong handle
        }

        let (reason, group_len, topic_len) = seen.recv().await.unwrap();
        assert!(matches!(reason, ExitReason::Normal), "{handle_kind}: {reason:?}");
        assert_eq!(
            (group_len, topic_len),
            (0, 0),
            "{handle_kind}: left before the Down"
        );
    }
    system.shutdown().await;
}
