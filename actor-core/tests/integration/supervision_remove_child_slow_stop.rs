//! Regression: `remove_child` of a child whose shutdown policy allows longer
//! than the default ask timeout waits for it (OTP's `terminate_child` waits)
//! instead of failing with `Unreachable(Timeout)` while the removal goes on.
#![allow(clippy::unwrap_used)]
use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, Shutdown, Supervisor};
use std::time::Duration;
use tokio::sync::oneshot;

struct Slow;
impl Actor for Slow {
    type Msg = oneshot::Sender<()>;
    async fn handle(&mut self, entered: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = entered.send(());
        std::future::pending::<()>().await;
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn remove_child_waits_for_the_childs_shutdown_policy() {
    let spec = ChildSpec::new("slow", || Slow).shutdown(Shutdown::Timeout(Duration::from_secs(10)));
    let sup = System::new()
        .spawn(Supervisor::builder().child(spec).build().unwrap())
        .await
        .unwrap();
    let slow: ActorRef<Slow> = sup.child("slow").await.unwrap();
    let (tx, rx) = oneshot::channel();
    slow.tell(tx).await.unwrap();
    rx.await.unwrap();
    let start = tokio::time::Instant::now();
    let removed = sup.remove_child("slow").await;
    assert!(removed.is_ok(), "{removed:?}");
    // Killed at its 10 s shutdown timeout, not cut short at the 5 s ask default.
    assert_eq!(start.elapsed(), Duration::from_secs(10));
    assert!(matches!(slow.wait_for_stop().await, ExitReason::Killed));
}
