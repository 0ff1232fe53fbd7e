//! Promise: after `leave` returns, no broadcast started later reaches the
//! actor (it keeps running and keeps what it got before); joining again
//! brings it back for later broadcasts only. A second join is a no-op, so a
//! member never gets a message twice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::recorder::{Msg, Recorder};
use actor_core::prelude::*;
use actor_core::{Group, Groups};

#[tokio::test]
async fn a_member_that_left_gets_nothing_more() {
    let system = System::new();
    let groups: Groups = system.groups();
    let group: Group<u32> = groups.group("notes").unwrap();
    let stays = system.spawn(Recorder::default()).await.unwrap();
    let leaves = system.spawn(Recorder::default()).await.unwrap();
    assert!(group.join(&stays));
    assert!(group.join(&leaves));
    assert!(!group.join(&leaves.recipient::<u32>()), "already a member");

    assert_eq!(group.broadcast(1).await.delivered, 2);
    // Leave through another handle to the same named group.
    assert!(groups.group::<u32>("notes").unwrap().leave(leaves.id()));
    assert!(!group.leave(leaves.id()), "already gone");
    assert_eq!(group.broadcast(2).await.delivered, 1);
    assert_eq!(group.try_broadcast(3).delivered, 1);

    assert!(group.join(&leaves), "may come back");
    assert_eq!(group.broadcast(4).await.delivered, 2);

    // Every broadcast above finished before these asks were sent, and
    // mailboxes are FIFO: the logs are complete.
    assert_eq!(stays.ask(Msg::Log).await.unwrap(), [1, 2, 3, 4]);
    assert_eq!(leaves.ask(Msg::Log).await.unwrap(), [1, 4]);
    assert!(leaves.is_alive(), "leaving does not stop the actor");
}
