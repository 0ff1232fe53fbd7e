//! Regression: under one-for-all, the crashed child's backoff is looked up by its
//! index from before temporary casualties were removed
//! (`self.children.get(i)` in `Supervisor::on_event`), so a temporary
//! sibling started before it makes the restart immediate (or use another
//! child's backoff). Now looked up by key: `slow` restarts 3 s after its crash.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use actor_core::prelude::*;
use actor_core::supervision::{Backoff, ChildSpec, Intensity, Restart, Strategy, Supervisor};
use tokio::sync::mpsc;
use tokio::time::Instant;

struct Worker(mpsc::UnboundedSender<Instant>);

impl Actor for Worker {
    type Msg = ();
    async fn started(&mut self, _: &mut Context<Self>) -> Result<(), BoxError> {
        self.0.send(Instant::now())?;
        Ok(())
    }
    async fn handle(&mut self, (): (), _: &mut Context<Self>) -> Result<(), BoxError> {
        Err("boom".into())
    }
}

#[tokio::test(start_paused = true)]
async fn the_backoff_is_the_crashed_childs_even_after_a_temporary_sibling_goes() {
    let (tx, mut starts) = mpsc::unbounded_channel();
    let (t1, t2) = (tx.clone(), tx.clone());
    let sup = Supervisor::builder()
        .strategy(Strategy::OneForAll)
        .intensity(Intensity::new(100, Duration::from_secs(60)))
        .child(ChildSpec::new("temp", move || Worker(t1.clone())).restart(Restart::Temporary))
        .child(
            ChildSpec::new("slow", move || Worker(t2.clone()))
                .backoff(Backoff::new(Duration::from_secs(3), Duration::from_secs(30))),
        )
        .build()
        .unwrap();
    let sup = System::new().spawn(sup).await.unwrap();
    let slow: ActorRef<Worker> = sup.child("slow").await.unwrap();
    starts.recv().await.unwrap();
    starts.recv().await.unwrap();

    let crashed_at = Instant::now();
    slow.tell(()).await.unwrap();
    assert_eq!(starts.recv().await.unwrap() - crashed_at, Duration::from_secs(3)); // fails: 0ns
}
