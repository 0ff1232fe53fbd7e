//! Promise: looking a name up as the wrong actor type is a typed error that
//! names both types, never a panic and never a wrong handle; the right type
//! still works, and `whereis` answers whatever the type.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use actor_core::RegistryError;
use actor_core::prelude::*;

struct Db;

impl Actor for Db {
    type Msg = ReplyPort<&'static str>;

    async fn handle(&mut self, reply: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = reply.send("db");
        Ok(())
    }
}

/// Same message type as `Db`, different actor: still the wrong type.
struct Cache;

impl Actor for Cache {
    type Msg = ReplyPort<&'static str>;

    async fn handle(&mut self, reply: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = reply.send("cache");
        Ok(())
    }
}

#[tokio::test]
async fn the_wrong_type_is_a_typed_error() {
    let system = System::new();
    let db = system.spawn(Db).await.unwrap();
    system.registry().register("store", &db).unwrap();

    match system.registry().lookup::<Cache>("store") {
        Err(RegistryError::WrongType {
            name,
            expected,
            actual,
        }) => {
            assert_eq!(name, "store");
            assert!(expected.ends_with("Cache"), "{expected}");
            assert!(actual.ends_with("Db"), "{actual}");
        }
        other => panic!("expected WrongType, got {other:?}"),
    }
    let err = system.registry().lookup::<Cache>("store").unwrap_err();
    assert!(
        err.to_string().starts_with("\"store\" is registered to a "),
        "{err}"
    );

    let found = system.registry().lookup::<Db>("store").unwrap().unwrap();
    assert_eq!(found.ask(|reply| reply).await.unwrap(), "db");
    assert_eq!(system.registry().whereis("store"), Some(db.id()));
}

#[tokio::test]
async fn an_unknown_name_is_none_for_any_type() {
    let system = System::new();
    assert_eq!(system.registry().lookup::<Db>("nobody").unwrap(), None);
    assert_eq!(system.registry().lookup::<Cache>("nobody").unwrap(), None);
}
