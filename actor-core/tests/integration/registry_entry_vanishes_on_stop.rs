//! Promise: a registry entry disappears when its actor ends, whatever the
//! reason — a graceful stop, an error, a panic, a kill, the system's
//! shutdown — and it is gone by the time `wait_for_stop` returns. The name is
//! free again at once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use actor_core::prelude::*;
use tokio::sync::oneshot;

enum Msg {
    Fail,
    Panic,
    /// Signals `entered`, then waits for the gate (which never opens).
    Block(oneshot::Sender<()>, oneshot::Receiver<()>),
}

struct Target;

impl Actor for Target {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Fail => Err("failed on purpose".into()),
            Msg::Panic => panic!("panicked on purpose"),
            Msg::Block(entered, gate) => {
                let _ = entered.send(());
                let _ = gate.await;
                Ok(())
            }
        }
    }
}

/// Spawns a target registered as `name` (and as `name-alias`).
async fn registered(system: &System, name: &str) -> ActorRef<Target> {
    let target = system.spawn(Target).await.unwrap();
    system.registry().register(name, &target).unwrap();
    system
        .registry()
        .register(&format!("{name}-alias"), &target)
        .unwrap();
    assert_eq!(
        system.registry().lookup::<Target>(name).unwrap(),
        Some(target.clone())
    );
    target
}

/// After the exit: nothing under either name, and the name is reusable.
async fn assert_gone(system: &System, name: &str, target: &ActorRef<Target>) {
    let registry = system.registry();
    assert_eq!(registry.whereis(name), None, "{name} still registered");
    assert_eq!(registry.whereis(&format!("{name}-alias")), None);
    assert!(registry.lookup::<Target>(name).unwrap().is_none());
    assert!(!registry.names().iter().any(|held| held.starts_with(name)));

    let replacement = system.spawn(Target).await.unwrap();
    registry.register(name, &replacement).unwrap();
    assert_eq!(registry.whereis(name), Some(replacement.id()));
    assert_ne!(replacement.id(), target.id());
}

#[tokio::test]
async fn a_graceful_stop_removes_the_entry() {
    let system = System::new();
    let target = registered(&system, "stopped").await;
    target.stop();
    assert!(
        system.registry().lookup::<Target>("stopped").unwrap().is_none(),
        "stopping: not handed out"
    );
    assert!(matches!(target.wait_for_stop().await, ExitReason::Normal));
    assert_gone(&system, "stopped", &target).await;
}

#[tokio::test]
async fn an_error_removes_the_entry() {
    let system = System::new();
    let target = registered(&system, "failed").await;
    target.tell(Msg::Fail).await.unwrap();
    assert!(matches!(target.wait_for_stop().await, ExitReason::Failed(_)));
    assert_gone(&system, "failed", &target).await;
}

#[tokio::test]
async fn a_panic_removes_the_entry() {
    let system = System::new();
    let target = registered(&system, "panicked").await;
    target.tell(Msg::Panic).await.unwrap();
    assert!(matches!(target.wait_for_stop().await, ExitReason::Panicked(_)));
    assert_gone(&system, "panicked", &target).await;
}

#[tokio::test]
async fn a_kill_removes_the_entry() {
    let system = System::new();
    let target = registered(&system, "killed").await;
    let (entered_tx, entered) = oneshot::channel();
    let (_gate, gate_rx) = oneshot::channel();
    target.tell(Msg::Block(entered_tx, gate_rx)).await.unwrap();
    entered.await.unwrap();
    target.kill();
    assert!(matches!(target.wait_for_stop().await, ExitReason::Killed));
    assert_gone(&system, "killed", &target).await;
}

#[tokio::test]
async fn shutdown_empties_the_registry() {
    let system = System::new();
    let a = registered(&system, "a").await;
    let b = registered(&system, "b").await;
    assert_eq!(system.registry().len(), 4);
    assert!(system.shutdown().await.is_clean());
    assert!(matches!(a.wait_for_stop().await, ExitReason::Shutdown));
    assert!(matches!(b.wait_for_stop().await, ExitReason::Shutdown));
    assert!(system.registry().is_empty());
}

#[tokio::test]
async fn registering_an_actor_that_has_stopped_is_refused() {
    let system = System::new();
    let target = system.spawn(Target).await.unwrap();
    target.stop();
    let err = system.registry().register("late", &target).unwrap_err();
    assert_eq!(err, actor_core::RegistryError::Stopped(target.id()));
    target.wait_for_stop().await;
    assert!(system.registry().register("late", &target).is_err());
    assert!(system.registry().is_empty());
}
