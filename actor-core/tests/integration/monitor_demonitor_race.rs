//! Regression: after `ctx.demonitor(&m)` returns, a `Down` for `m` can
//! still be delivered. `Core::set_exit` takes the watcher list under the
//! target's relations lock, then pushes the notices outside it; a
//! `demonitor` that runs in between finds neither the registration (already
//! taken) nor a queued notice (not pushed yet), and the notice is pushed
//! afterwards. Here the watcher demonitors `removed` while handling the first
//! of many notices for the same target, i.e. while the target's thread is
//! still pushing them: `removed` was registered after the fillers.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crate::common::idle::Idle as Target;
use actor_core::prelude::*;
use tokio::sync::mpsc;

enum Msg {
    Watch(ActorRef<Target>, usize, ReplyPort<Vec<MonitorRef>>),
    RemoveOnFirstDown(MonitorRef, ReplyPort<()>),
    Down(Down),
}
impl From<Down> for Msg {
    fn from(d: Down) -> Self {
        Msg::Down(d)
    }
}

struct Watcher {
    to_remove: Option<MonitorRef>,
    removed: Option<MonitorRef>,
    /// (monitor, whether it was handled after `demonitor` returned for it)
    downs: mpsc::UnboundedSender<(MonitorRef, bool)>,
}
impl Actor for Watcher {
    type Msg = Msg;
    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Watch(t, n, reply) => {
                let _ = reply.send((0..n).map(|_| ctx.monitor(&t)).collect());
            }
            Msg::RemoveOnFirstDown(m, reply) => {
                self.to_remove = Some(m);
                let _ = reply.send(());
            }
            Msg::Down(d) => {
                if let Some(m) = self.to_remove.take() {
                    ctx.demonitor(&m);
                    self.removed = Some(m);
                }
                let late = self.removed.as_ref() == Some(&d.monitor);
                let _ = self.downs.send((d.monitor, late));
            }
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_down_after_demonitor() {
    const FILLERS: usize = 2000;
    const ROUNDS: usize = 50;
    let mut violations = 0;
    for _ in 0..ROUNDS {
        let system = System::new();
        let target = system.spawn(Target).await.unwrap();
        let (tx, mut rx) = mpsc::unbounded_channel();
        let watcher = Watcher {
            to_remove: None,
            removed: None,
            downs: tx,
        };
        let options = SpawnOptions::new()
            .mailbox(MailboxKind::Unbounded)
            .executor(Executor::DedicatedThread); // runs truly beside the target
        let watcher = system.spawn_with(watcher, options).await.unwrap();
        let t = target.clone();
        let mut refs = watcher.ask(|r| Msg::Watch(t, FILLERS + 2, r)).await.unwrap();
        let sentinel = refs.pop().unwrap();
        let removed = refs.pop().unwrap();
        watcher.ask(|r| Msg::RemoveOnFirstDown(removed, r)).await.unwrap();

        target.kill();
        loop {
            let (monitor, late) = rx.recv().await.unwrap();
            violations += usize::from(late);
            if monitor == sentinel {
                break;
            }
        }
        system.shutdown().await;
    }
    assert_eq!(
        violations, 0,
        "a Down was handled after its demonitor, in {violations} of {ROUNDS} rounds"
    );
}
