//! Promise: `System::shutdown` stops the tree children-first and, among
//! siblings, later-started first (OTP's reverse start order), each with exit
//! reason `Shutdown`. Afterwards nothing can be spawned on the system; a
//! stopping parent takes no new children; and shutdown may be called twice,
//! even concurrently: the second call waits for the first and returns the
//! same report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actor_core::prelude::*;
use tokio::sync::oneshot;

type Log = Arc<Mutex<Vec<String>>>;

type Spawning<'a> = Pin<Box<dyn Future<Output = Result<ActorRef<Node>, SpawnError>> + Send + 'a>>;

/// A `Node` spawning a `Node` from its hooks is a recursive future type
/// (task actors run `started` inside the spawner's future): box it.
fn spawn_node(ctx: &mut Context<Node>, kid: Node) -> Spawning<'_> {
    Box::pin(ctx.spawn(kid))
}

/// A tree node: spawns `kids` in `started`, logs `name:reason` in `stopped`.
struct Node {
    name: &'static str,
    kids: Vec<Node>,
    /// Handles to the children: an actor whose last handle drops stops by itself.
    children: Vec<ActorRef<Node>>,
    log: Log,
    /// Where to report the result of a spawn attempted in `stopped`.
    spawn_in_stopped: Option<oneshot::Sender<Result<ActorId, SpawnError>>>,
}

fn node(name: &'static str, kids: Vec<Node>, log: &Log) -> Node {
    Node {
        name,
        kids,
        children: Vec::new(),
        log: Arc::clone(log),
        spawn_in_stopped: None,
    }
}

enum Msg {
    /// Spawns one more child, now (after its earlier siblings and any later roots).
    SpawnLate(&'static str, ReplyPort<()>),
    /// Holds the actor until the gate opens.
    Gate {
        entered: oneshot::Sender<()>,
        open: oneshot::Receiver<()>,
    },
}

impl Actor for Node {
    type Msg = Msg;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        for kid in std::mem::take(&mut self.kids) {
            let child = spawn_node(ctx, kid).await?;
            self.children.push(child);
        }
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::SpawnLate(name, reply) => {
                let child = spawn_node(ctx, node(name, Vec::new(), &self.log)).await?;
                self.children.push(child);
                let _ = reply.send(());
            }
            Msg::Gate { entered, open } => {
                let _ = entered.send(());
                open.await?;
            }
        }
        Ok(())
    }

    async fn stopped(&mut self, ctx: &mut Context<Self>, reason: &ExitReason) {
        self.log.lock().unwrap().push(format!("{}:{reason}", self.name));
        if let Some(tx) = self.spawn_in_stopped.take() {
            let result = spawn_node(ctx, node("late", Vec::new(), &self.log)).await;
            let _ = tx.send(result.map(|child| child.id()));
        }
    }
}

fn logged(log: &Log) -> Vec<String> {
    log.lock().unwrap().clone()
}

fn all_shutdown(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| format!("{name}:shutdown")).collect()
}

#[tokio::test]
async fn children_stop_before_parents_and_later_siblings_first() {
    let log = Log::default();
    let system = System::new();
    let a = node(
        "A",
        vec![node("A1", vec![], &log), node("A2", vec![], &log)],
        &log,
    );
    let a = system.spawn(a).await.unwrap();
    let b = system.spawn(node("B", vec![], &log)).await.unwrap();

    let report = system.shutdown().await;
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(logged(&log), all_shutdown(&["B", "A2", "A1", "A"]));
    assert!(matches!(a.wait_for_stop().await, ExitReason::Shutdown));
    assert!(matches!(b.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(system.top_level_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deeper_tree_stops_depth_first_in_reverse_start_order() {
    let log = Log::default();
    let system = System::new();
    let a1 = node(
        "A1",
        vec![node("A1x", vec![], &log), node("A1y", vec![], &log)],
        &log,
    );
    let a = system
        .spawn(node("A", vec![a1, node("A2", vec![], &log)], &log))
        .await
        .unwrap();
    let b = system
        .spawn(node("B", vec![node("B1", vec![], &log)], &log))
        .await
        .unwrap();
    // A3 starts after B, yet the tree decides: B's subtree goes first, A3 is
    // A's last-started child.
    a.ask(|reply| Msg::SpawnLate("A3", reply)).await.unwrap();

    assert!(system.shutdown().await.is_clean());
    let want = all_shutdown(&["B1", "B", "A3", "A2", "A1y", "A1x", "A1", "A"]);
    assert_eq!(logged(&log), want);
    assert!(matches!(b.exit_reason(), Some(ExitReason::Shutdown)));
}

#[tokio::test]
async fn spawning_after_shutdown_fails() {
    let log = Log::default();
    let system = System::new();
    let a = system.spawn(node("A", vec![], &log)).await.unwrap();
    assert!(system.shutdown().await.is_clean());
    assert!(matches!(a.exit_reason(), Some(ExitReason::Shutdown)));
    assert!(system.is_shut_down());
    assert!(matches!(
        system.spawn(node("B", vec![], &log)).await,
        Err(SpawnError::SystemShutDown)
    ));
    let options = SpawnOptions::new().executor(Executor::DedicatedThread);
    assert!(matches!(
        system.spawn_with(node("C", vec![], &log), options).await,
        Err(SpawnError::SystemShutDown)
    ));
    assert_eq!(logged(&log), all_shutdown(&["A"]));
    assert_eq!(system.top_level_count(), 0);
}

#[tokio::test]
async fn a_stopping_parent_takes_no_new_children() {
    let log = Log::default();
    let system = System::new();

    // Stopped on its own: the parent is stopping, the system is not.
    let (tx, rx) = oneshot::channel();
    let parent = Node {
        spawn_in_stopped: Some(tx),
        ..node("P", vec![node("P1", vec![], &log)], &log)
    };
    let parent = system.spawn(parent).await.unwrap();
    parent.stop();
    match rx.await.unwrap() {
        Err(SpawnError::ParentStopped(id)) => assert_eq!(id, parent.id()),
        other => unreachable!("expected ParentStopped, got {other:?}"),
    }
    assert!(matches!(parent.wait_for_stop().await, ExitReason::Normal));
    // Its existing child was stopped first; no "late" child ever ran.
    assert_eq!(logged(&log), ["P1:shutdown", "P:normal"]);

    // Stopped by a shutdown: the system refuses first.
    let (tx, rx) = oneshot::channel();
    let parent = Node {
        spawn_in_stopped: Some(tx),
        ..node("Q", vec![], &log)
    };
    let parent = system.spawn(parent).await.unwrap();
    assert!(system.shutdown().await.is_clean());
    assert!(matches!(parent.exit_reason(), Some(ExitReason::Shutdown)));
    assert!(matches!(rx.await.unwrap(), Err(SpawnError::SystemShutDown)));
}

#[tokio::test]
async fn shutdown_twice_waits_for_the_first_and_returns_the_same_report() {
    let log = Log::default();
    let system = System::new();
    // A long stop timeout: the actor is slow to stop, never too slow.
    let options = SpawnOptions::new().stop_timeout(Duration::from_secs(3600));
    let slow = system
        .spawn_with(node("slow", vec![], &log), options)
        .await
        .unwrap();
    let (entered_tx, entered) = oneshot::channel();
    let (open, open_rx) = oneshot::channel();
    let gate = Msg::Gate {
        entered: entered_tx,
        open: open_rx,
    };
    slow.tell(gate).await.unwrap();
    entered.await.unwrap();

    let first = tokio::spawn({
        let system = system.clone();
        async move { system.shutdown().await }
    });
    for _ in 0..10 {
        if system.is_shut_down() {
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(system.is_shut_down());
    let second = tokio::spawn({
        let system = system.clone();
        async move { system.shutdown().await }
    });
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    // The slow actor is still in its handler: neither call may return yet.
    assert!(!first.is_finished() && !second.is_finished());
    assert!(slow.exit_reason().is_none());

    open.send(()).unwrap();
    let (first, second) = (first.await.unwrap(), second.await.unwrap());
    assert!(first.is_clean());
    assert_eq!(first, second);
    assert!(matches!(slow.exit_reason(), Some(ExitReason::Shutdown)));
    // Two more, concurrently and after the fact: same report, nothing stopped twice.
    let (third, fourth) = tokio::join!(system.shutdown(), system.shutdown());
    assert_eq!((third, fourth), (first.clone(), first));
    assert_eq!(logged(&log), all_shutdown(&["slow"]));
}
