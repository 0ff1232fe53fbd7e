//! Promise: under one-for-one, a crash restarts only the child that crashed;
//! its siblings keep running their first instance, state included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::Log;
use crate::common::worker::{Msg, Worker, worker};
use actor_core::prelude::*;
use actor_core::supervision::{Strategy, Supervisor};

#[tokio::test(start_paused = true)]
async fn only_the_crashed_child_is_restarted() {
    let log = Log::default();
    let mut builder = Supervisor::builder().strategy(Strategy::OneForOne);
    for name in ["a", "b", "c"] {
        builder = builder.child(worker(name, &log));
    }
    let sup = System::new().spawn(builder.build().unwrap()).await.unwrap();
    let a: ActorRef<Worker> = sup.child("a").await.unwrap();
    let b: ActorRef<Worker> = sup.child("b").await.unwrap();
    let c: ActorRef<Worker> = sup.child("c").await.unwrap();
    assert_eq!(a.ask(Msg::Handled).await.unwrap(), 1);
    assert_eq!(c.ask(Msg::Handled).await.unwrap(), 1);
    log.take();

    b.tell(Msg::Crash).await.unwrap();
    log.wait_len(2).await;
    assert_eq!(log.take(), ["stop b (failed: boom)", "start b"]);
    let restarts: Vec<u32> = sup.children().await.unwrap().iter().map(|c| c.restarts).collect();
    assert_eq!(restarts, [0, 1, 0]);
    // The siblings kept their instance (and its state); b got a fresh one.
    assert_eq!(a.ask(Msg::Handled).await.unwrap(), 2);
    assert_eq!(c.ask(Msg::Handled).await.unwrap(), 2);
    assert_eq!(b.ask(Msg::Handled).await.unwrap(), 1);
}
