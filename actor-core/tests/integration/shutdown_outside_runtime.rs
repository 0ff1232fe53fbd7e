//! Regression: `System::shutdown` polled outside any tokio runtime (a plain
//! thread driving it with its own little executor) used to panic on its stop
//! timeouts' timers while actors still ran. It now runs the shutdown on a
//! runtime of its own and returns the same report: every actor stopped in
//! order, a stubborn one killed after its stop timeout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll, Wake, Waker};
use std::thread::Thread;
use std::time::Duration;

use crate::common::idle::Idle;
use actor_core::prelude::*;
use tokio::sync::oneshot;

/// Wakes the thread that polls.
struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// The smallest executor there is: poll, park until woken, repeat.
fn block_on<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = TaskContext::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

/// Hangs in its handler, ignoring the stop.
struct Stubborn;

impl Actor for Stubborn {
    type Msg = oneshot::Sender<()>;

    async fn handle(&mut self, entered: oneshot::Sender<()>, _: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = entered.send(());
        std::future::pending::<()>().await;
        Ok(())
    }
}

#[test]
fn a_shutdown_polled_outside_any_runtime_completes() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let system = System::new();
    let (idle, stubborn) = runtime.block_on(async {
        let idle = system.spawn(Idle).await.unwrap();
        let options = SpawnOptions::new().stop_timeout(Duration::from_millis(50));
        let stubborn = system.spawn_with(Stubborn, options).await.unwrap();
        let (entered_tx, entered) = oneshot::channel();
        stubborn.tell(entered_tx).await.unwrap();
        entered.await.unwrap();
        (idle, stubborn)
    });
    // This thread is in no runtime.
    assert!(tokio::runtime::Handle::try_current().is_err());
    let report = block_on(system.shutdown());
    assert_eq!(report.killed, vec![stubborn.id()]);
    assert!(report.stuck.is_empty());
    assert!(matches!(block_on(idle.wait_for_stop()), ExitReason::Shutdown));
    assert!(matches!(block_on(stubborn.wait_for_stop()), ExitReason::Killed));
    // A second call gives the same report.
    assert_eq!(block_on(system.shutdown()).killed, vec![stubborn.id()]);
}
