//! Promise: a named group has one message type. Asking for it with another
//! type is a typed error naming both, never a panic or a mix-up; invalid
//! names are refused; a group and a topic of the same name and type are the
//! same set of members.
#![allow(clippy::unwrap_used, clippy::panic)]

use actor_core::GroupError;
use actor_core::prelude::*;

struct Sink;

impl Actor for Sink {
    type Msg = u64;

    async fn handle(&mut self, _: u64, _: &mut Context<Self>) -> Result<(), BoxError> {
        Ok(())
    }
}

#[tokio::test]
async fn one_name_one_message_type() {
    let system = System::new();
    let groups = system.groups();
    let ticks = groups.group::<u32>("ticks").unwrap();

    match groups.group::<String>("ticks") {
        Err(GroupError::WrongType {
            name,
            expected,
            actual,
        }) => {
            assert_eq!(name, "ticks");
            assert_eq!(expected, std::any::type_name::<String>());
            assert_eq!(actual, "u32");
        }
        other => panic!("expected WrongType, got {other:?}"),
    }
    assert!(matches!(
        groups.topic::<u64>("ticks"),
        Err(GroupError::WrongType { .. })
    ));

    // The topic of the same name and type is the same set.
    let sink = system.spawn(Sink).await.unwrap();
    groups.topic::<u32>("ticks").unwrap().subscribe(&sink);
    assert_eq!(ticks.members(), [sink.id()]);
    assert_eq!(groups.names(), ["ticks"]);
}

#[tokio::test]
async fn invalid_names_are_refused() {
    let groups = System::new().groups();
    for bad in ["", " padded", "line\nbreak"] {
        assert!(
            matches!(groups.group::<u32>(bad), Err(GroupError::InvalidName { ref name, .. }) if name == bad),
            "{bad:?}"
        );
    }
    assert!(groups.names().is_empty());
}
