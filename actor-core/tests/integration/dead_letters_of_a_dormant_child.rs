//! Regression: messages queued for a supervised child that is waiting out
//! its restart backoff (its context held by the supervisor, no instance
//! running) were dropped without being counted when the supervisor went
//! away: `System::dead_letters` stayed 0 and no dead-letter event was
//! logged. They are dead letters like any others now.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use actor_core::prelude::*;
use actor_core::supervision::{Backoff, ChildSpec, Shutdown, Supervisor};

enum Msg {
    Crash,
    Work,
}

struct Worker;

impl Actor for Worker {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Crash => Err("crash".into()),
            Msg::Work => Ok(()),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn queued_messages_of_a_child_in_backoff_are_counted_when_its_supervisor_is_killed() {
    let mid_spec = ChildSpec::new("mid", || {
        let backoff = Backoff::new(Duration::from_secs(10), Duration::from_secs(10));
        Supervisor::builder()
            .child(ChildSpec::new("w", || Worker).backoff(backoff))
            .build()
            .unwrap()
    })
    .shutdown(Shutdown::BrutalKill);
    let system = System::new();
    let root = system
        .spawn(Supervisor::builder().child(mid_spec).build().unwrap())
        .await
        .unwrap();
    let mid = root.child::<Supervisor>("mid").await.unwrap();
    let worker = mid.child::<Worker>("w").await.unwrap();
    worker.tell(Msg::Crash).await.unwrap();
    // The worker now waits out its 10 s backoff; its mailbox stays open.
    tokio::task::yield_now().await;
    for _ in 0..3 {
        worker.tell(Msg::Work).await.unwrap();
    }
    assert_eq!(system.dead_letters(), 0);
    system.shutdown().await;
    assert_eq!(system.dead_letters(), 3);
}
