//! `#[actor]`'s message enum: usable by hand with `ActorRef::tell` and
//! `ask`, named for tracing by `name()`, printed by `Debug` without needing
//! `Debug` fields, and `#[cfg]`-aware.

use actor_core::prelude::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Not `Debug`: the message's `Debug` must not need it.
#[allow(missing_debug_implementations)]
pub struct Opaque(pub u8);

/// Stores opaque values.
#[derive(Debug, Default)]
pub struct Vault {
    sum: u32,
}

#[actor]
impl Vault {
    /// Stores a value.
    #[handler]
    pub fn store(&mut self, value: Opaque) {
        self.sum += u32::from(value.0);
    }

    /// The sum of what was stored.
    #[handler]
    pub fn sum(&self) -> u32 {
        self.sum
    }

    /// Configured out: neither a variant nor a handle method exists.
    #[cfg(any())]
    #[handler]
    pub fn gone(&self) {}
}

#[tokio::test]
async fn messages_can_be_built_by_hand() -> TestResult {
    let system = System::new();
    let vault = system.spawn(Vault::default()).await?;
    vault
        .tell(VaultMsg::Store {
            value: Opaque(4),
            reply: None,
        })
        .await?;
    let sum = vault.ask(|reply| VaultMsg::Sum { reply: Some(reply) }).await?;
    assert_eq!(sum, 4);
    Ok(())
}

#[test]
fn messages_are_named_and_printed() {
    let store = VaultMsg::Store {
        value: Opaque(1),
        reply: None,
    };
    assert_eq!(store.name(), "store");
    assert_eq!(format!("{store:?}"), "VaultMsg::Store { .. }");
    assert_eq!(VaultMsg::Sum { reply: None }.name(), "sum");
}

#[test]
fn configured_out_handlers_have_no_variant() {
    let names = |msg: &VaultMsg| match msg {
        VaultMsg::Store { .. } | VaultMsg::Sum { .. } => msg.name(),
    };
    assert_eq!(names(&VaultMsg::Sum { reply: None }), "sum");
}
