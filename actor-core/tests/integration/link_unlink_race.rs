//! Regression: after `ctx.unlink(&b)` returns, `b`'s exit can still
//! reach the caller. Same shape as the demonitor race: `Core::set_exit`
//! takes the link list under `b`'s relations lock and delivers outside it.
//!
//! Rigorous detection: `a` traps exits, and right after `unlink` returns it
//! turns trapping off. An exit signal delivered before that point becomes a
//! message (a survives); only one delivered *after* `unlink` returned can
//! kill `a`. `a` runs on its own thread and unlinks while handling a `Down`
//! for `b` (monitors are notified before links), while `b`'s thread is still
//! walking filler links registered before `a`'s. A sentinel linked after
//! `a` tells the test when the walk is over.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use actor_core::prelude::*;
use tokio::sync::mpsc;

enum Msg {
    Link(ActorRef<Peer>, ReplyPort<()>),
    Watch(ActorRef<Peer>, ReplyPort<()>),
    Trap(ReplyPort<()>),
    Ping(ReplyPort<()>),
    Fail,
    Exit(#[allow(dead_code)] ExitSignal),
    Down(#[allow(dead_code)] Down),
}
impl From<ExitSignal> for Msg {
    fn from(s: ExitSignal) -> Self {
        Msg::Exit(s)
    }
}
impl From<Down> for Msg {
    fn from(d: Down) -> Self {
        Msg::Down(d)
    }
}

#[derive(Default)]
struct Peer {
    /// On the first `Down`, unlink from this actor and stop trapping.
    unlink_on_down: Option<ActorRef<Peer>>,
    /// Trapped exit signals go here (the sentinel).
    report: Option<mpsc::UnboundedSender<()>>,
}
impl Actor for Peer {
    type Msg = Msg;
    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Link(other, reply) => {
                ctx.link(&other);
                let _ = reply.send(());
            }
            Msg::Watch(other, reply) => {
                ctx.monitor(&other);
                let _ = reply.send(());
            }
            Msg::Trap(reply) => {
                ctx.trap_exits(true);
                let _ = reply.send(());
            }
            Msg::Ping(reply) => {
                let _ = reply.send(());
            }
            Msg::Fail => return Err("b failed".into()),
            Msg::Exit(_) => {
                if let Some(report) = &self.report {
                    let _ = report.send(());
                }
            }
            Msg::Down(_) => {
                if let Some(b) = self.unlink_on_down.take() {
                    ctx.unlink(&b);
                    ctx.trap_exits(false);
                }
            }
        }
        Ok(())
    }
}

async fn trapping_linked(
    system: &System,
    b: &ActorRef<Peer>,
    peer: Peer,
    options: SpawnOptions,
) -> ActorRef<Peer> {
    let peer = system.spawn_with(peer, options).await.unwrap();
    peer.ask(Msg::Trap).await.unwrap();
    let b = b.clone();
    peer.ask(|r| Msg::Link(b, r)).await.unwrap();
    peer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_exit_signal_after_unlink() {
    const FILLERS: usize = 2000;
    const ROUNDS: usize = 10;
    let mut violations = 0;
    for _ in 0..ROUNDS {
        let system = System::new();
        let b = system.spawn(Peer::default()).await.unwrap();
        let mut fillers = Vec::new(); // kept: a filler with no handle left stops
        for _ in 0..FILLERS {
            fillers.push(trapping_linked(&system, &b, Peer::default(), SpawnOptions::new()).await);
        }
        let a = Peer {
            unlink_on_down: Some(b.clone()),
            report: None,
        };
        let options = SpawnOptions::new().executor(Executor::DedicatedThread);
        let a = trapping_linked(&system, &b, a, options).await;
        let b2 = b.clone();
        a.ask(|r| Msg::Watch(b2, r)).await.unwrap();
        let (tx, mut walk_done) = mpsc::unbounded_channel();
        let sentinel = Peer {
            unlink_on_down: None,
            report: Some(tx),
        };
        let _sentinel = trapping_linked(&system, &b, sentinel, SpawnOptions::new()).await;

        b.tell(Msg::Fail).await.unwrap();
        walk_done.recv().await.unwrap(); // b's exit reached everyone linked
        if a.ask(Msg::Ping).await.is_err() {
            violations += 1;
        }
        system.shutdown().await;
    }
    assert_eq!(
        violations, 0,
        "b's exit killed a after unlink returned, in {violations} of {ROUNDS} rounds"
    );
}
