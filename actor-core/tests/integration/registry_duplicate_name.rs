//! Promise: a name belongs to one actor at a time. Registering a taken name
//! is `NameTaken` naming the holder; registering the same actor under the
//! same name again is a harmless success; one actor may hold several names;
//! `unregister` frees a name (and is `NotRegistered` for a free one) without
//! stopping the actor; an actor's exit removes only the names it still holds,
//! never a name that has since passed to another actor.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::idle::Idle;
use actor_core::RegistryError;
use actor_core::prelude::*;

#[tokio::test]
async fn a_taken_name_is_refused_with_its_holder() {
    let system = System::new();
    let registry = system.registry();
    let first = system.spawn(Idle).await.unwrap();
    let second = system.spawn(Idle).await.unwrap();

    registry.register("db", &first).unwrap();
    let err = registry.register("db", &second).unwrap_err();
    assert_eq!(
        err,
        RegistryError::NameTaken {
            name: "db".into(),
            holder: first.id()
        }
    );
    assert_eq!(
        err.to_string(),
        format!("the name \"db\" is already registered to actor {}", first.id())
    );
    assert_eq!(registry.whereis("db"), Some(first.id()), "the holder keeps it");
}

#[tokio::test]
async fn the_same_actor_again_is_a_harmless_success() {
    let system = System::new();
    let registry = system.registry();
    let idle = system.spawn(Idle).await.unwrap();
    registry.register("db", &idle).unwrap();
    registry.register("db", &idle).unwrap();
    assert_eq!(registry.names(), ["db"]);

    registry.register("primary", &idle).unwrap();
    assert_eq!(registry.names(), ["db", "primary"], "one actor, two names");
    idle.stop();
    idle.wait_for_stop().await;
    assert!(registry.is_empty(), "both names go with the actor");
}

#[tokio::test]
async fn unregister_frees_the_name_and_leaves_the_actor_running() {
    let system = System::new();
    let registry = system.registry();
    let first = system.spawn(Idle).await.unwrap();
    let second = system.spawn(Idle).await.unwrap();

    registry.register("db", &first).unwrap();
    assert_eq!(registry.unregister("db"), Ok(first.id()));
    assert_eq!(
        registry.unregister("db"),
        Err(RegistryError::NotRegistered("db".into()))
    );
    assert!(first.is_alive());
    registry.register("db", &second).unwrap();
    assert_eq!(registry.lookup::<Idle>("db").unwrap(), Some(second.clone()));

    // The first actor's exit must not take the name from its new holder.
    first.stop();
    first.wait_for_stop().await;
    assert_eq!(registry.whereis("db"), Some(second.id()));
}

#[tokio::test]
async fn register_unregister_register_again_still_cleans_up_once() {
    let system = System::new();
    let registry = system.registry();
    let idle = system.spawn(Idle).await.unwrap();
    for _ in 0..100 {
        registry.register("cycle", &idle).unwrap();
        registry.unregister("cycle").unwrap();
    }
    registry.register("cycle", &idle).unwrap();
    idle.stop();
    idle.wait_for_stop().await;
    assert!(registry.is_empty());
    let next = system.spawn(Idle).await.unwrap();
    registry.register("cycle", &next).unwrap();
}
