//! Promise: restarts are invisible from outside the supervisor. A child
//! restarted twice publishes nothing: `wait_for_stop` keeps waiting, a
//! monitor gets no down notice and a trapping link no exit signal. Only its
//! final exit (here `remove_child`, reason `shutdown`) is published, once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, Supervisor};

struct Worker;

impl Actor for Worker {
    type Msg = ();

    /// Every message is a crash.
    async fn handle(&mut self, (): (), _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        Err("boom".into())
    }
}

enum WatcherMsg {
    /// Monitors the worker, and links to it while trapping exits.
    Watch(ActorRef<Worker>, ReplyPort<()>),
    Down(Down),
    Exit(ExitSignal),
    Seen(ReplyPort<Vec<String>>),
}

impl From<Down> for WatcherMsg {
    fn from(down: Down) -> Self {
        WatcherMsg::Down(down)
    }
}

impl From<ExitSignal> for WatcherMsg {
    fn from(signal: ExitSignal) -> Self {
        WatcherMsg::Exit(signal)
    }
}

#[derive(Default)]
struct Watcher {
    seen: Vec<String>,
}

impl Actor for Watcher {
    type Msg = WatcherMsg;

    async fn handle(&mut self, msg: WatcherMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            WatcherMsg::Watch(worker, reply) => {
                ctx.monitor(&worker);
                ctx.trap_exits(true);
                ctx.link(&worker);
                let _ = reply.send(());
            }
            WatcherMsg::Down(down) => self.seen.push(format!("down {}", down.reason)),
            WatcherMsg::Exit(signal) => self.seen.push(format!("exit {}", signal.reason)),
            WatcherMsg::Seen(reply) => {
                let _ = reply.send(self.seen.clone());
            }
        }
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn only_the_final_exit_of_a_restarted_child_is_published() {
    let system = System::new();
    let sup = Supervisor::builder()
        .child(ChildSpec::new("w", || Worker))
        .build()
        .unwrap();
    let sup = system.spawn(sup).await.unwrap();
    let w: ActorRef<Worker> = sup.child("w").await.unwrap();
    let watcher = system.spawn(Watcher::default()).await.unwrap();
    watcher.ask(|r| WatcherMsg::Watch(w.clone(), r)).await.unwrap();

    // Two crashes, 6 s apart (within the default 1 restart in 5 s).
    for _ in 0..2 {
        w.tell(()).await.unwrap();
        tokio::time::sleep(Duration::from_secs(6)).await;
    }
    assert_eq!(sup.children().await.unwrap()[0].restarts, 2);
    let waited = tokio::time::timeout(Duration::from_secs(1), w.wait_for_stop()).await;
    assert!(waited.is_err(), "wait_for_stop does not see restarts");
    assert!(w.exit_reason().is_none());
    assert!(watcher.ask(WatcherMsg::Seen).await.unwrap().is_empty());

    sup.remove_child("w").await.unwrap();
    assert!(matches!(w.wait_for_stop().await, ExitReason::Shutdown));
    let mut seen = watcher.ask(WatcherMsg::Seen).await.unwrap();
    seen.sort(); // no order is promised between the two
    assert_eq!(seen, ["down shutdown", "exit shutdown"], "one of each");
    assert!(watcher.is_alive(), "trapping: the linked exit is a message");
    assert!(system.shutdown().await.is_clean());
}
