//! The live snapshot: the supervision tree with each actor's state, mailbox,
//! message count, restarts and uptime; printable as a tree and as JSON.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use actor_core::prelude::*;
use actor_core::supervision::{Backoff, ChildSpec, Supervisor};
use actor_core::{ActorState, Snapshot};
use tokio::sync::oneshot;

#[derive(Default)]
struct Worker;

impl Actor for Worker {
    type Msg = WorkerMsg;

    async fn handle(&mut self, msg: WorkerMsg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            WorkerMsg::Ping(reply) => {
                let _ = reply.send(());
                Ok(())
            }
            WorkerMsg::Crash => Err("crash".into()),
            WorkerMsg::Hold(gate) => {
                let _ = gate.await;
                Ok(())
            }
        }
    }
}

enum WorkerMsg {
    Ping(ReplyPort<()>),
    Crash,
    Hold(oneshot::Receiver<()>),
}

#[tokio::test(start_paused = true)]
async fn the_snapshot_shows_the_tree_with_states_and_counts() {
    let system = System::new();
    let sup = Supervisor::builder()
        .child(ChildSpec::new("steady", Worker::default))
        .child(
            ChildSpec::new("flaky", Worker::default)
                .backoff(Backoff::new(Duration::from_secs(10), Duration::from_secs(60))),
        )
        .build()
        .unwrap();
    let sup = system
        .spawn_with(sup, SpawnOptions::new().name("root"))
        .await
        .unwrap();
    let steady: ActorRef<Worker> = sup.child("steady").await.unwrap();
    let flaky: ActorRef<Worker> = sup.child("flaky").await.unwrap();
    for _ in 0..3 {
        steady.ask(WorkerMsg::Ping).await.unwrap();
    }
    flaky.tell(WorkerMsg::Crash).await.unwrap();
    // The crash is seen and the restart scheduled 10 s out.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let lone = system
        .spawn_with(Worker, SpawnOptions::new().name("lone"))
        .await
        .unwrap();
    let (hold, gate) = oneshot::channel();
    lone.tell(WorkerMsg::Hold(gate)).await.unwrap();
    lone.tell(WorkerMsg::Crash).await.unwrap();
    tokio::task::yield_now().await;
    lone.stop();

    let snapshot: Snapshot = system.snapshot();
    assert_eq!(snapshot.actor_count(), 4, "{snapshot}");
    let root = snapshot.find(sup.id()).unwrap();
    assert_eq!(root.name.as_deref(), Some("root"));
    assert_eq!(root.children.len(), 2);
    let steady_info = snapshot.find(steady.id()).unwrap();
    assert_eq!(
        (steady_info.state, steady_info.messages),
        (ActorState::Running, 3)
    );
    let flaky_info = snapshot.find(flaky.id()).unwrap();
    assert_eq!(flaky_info.state, ActorState::Restarting);
    let lone_info = snapshot.find(lone.id()).unwrap();
    assert_eq!(
        (lone_info.state, lone_info.mailbox_len),
        (ActorState::Stopping, 1)
    );
    assert!(lone_info.uptime < root.uptime);

    let tree = snapshot.to_string();
    assert!(tree.contains("├─ "), "{tree}");
    assert!(tree.contains("root (Supervisor) running"), "{tree}");
    assert!(
        tree.contains("   ├─ ") || tree.contains("│  ├─ "),
        "children are indented: {tree}"
    );
    assert!(tree.contains("flaky (Worker) restarting"), "{tree}");
    let json = snapshot.to_json();
    assert!(json.contains("\"name\":\"steady\",\"type\":"), "{json}");
    assert!(json.contains("\"state\":\"restarting\""), "{json}");

    // After the backoff the restart shows in the counts.
    tokio::time::sleep(Duration::from_secs(10)).await;
    let again = system.snapshot();
    let flaky_info = again.find(flaky.id()).unwrap();
    assert_eq!((flaky_info.state, flaky_info.restarts), (ActorState::Running, 1));
    drop(hold);
    system.shutdown().await;
    assert_eq!(system.snapshot().actor_count(), 0);
}
