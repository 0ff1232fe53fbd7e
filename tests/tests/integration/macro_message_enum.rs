//! `#[actor]`'s message enum: usable by hand with `ActorRef::tell` and
//! `ask`, named for tracing by `name()`, printed by `Debug` without needing
//! `Debug` fields, `#[cfg]`-aware, and as small as a hand-written enum: a
//! handler that returns nothing has no reply field (an ask of it travels in
//! the hidden `__Ack` variant, named and printed as the message inside).

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

/// The usual counter, written with the macro.
#[derive(Debug, Default)]
pub struct Counter {
    total: u64,
}

#[actor]
impl Counter {
    /// Adds `n`.
    #[handler]
    pub fn add(&mut self, n: u64) {
        self.total += n;
    }

    /// The total.
    #[handler]
    pub fn total(&self) -> u64 {
        self.total
    }
}

/// The same messages written by hand, as small as they can be.
#[allow(dead_code, missing_debug_implementations)]
pub enum HandWritten {
    /// Adds.
    Add(u64),
    /// Reads.
    Total(ReplyPort<u64>),
}

/// Hands out the reply port it is asked with, unanswered, once.
struct PortLender(Option<tokio::sync::oneshot::Sender<ReplyPort<()>>>);

impl Actor for PortLender {
    type Msg = ReplyPort<()>;

    async fn handle(&mut self, port: ReplyPort<()>, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        if let Some(lend) = self.0.take() {
            let _ = lend.send(port);
        }
        Ok(())
    }
}

#[tokio::test]
async fn messages_can_be_built_by_hand() -> TestResult {
    let system = System::new();
    let vault = system.spawn(Vault::default()).await?;
    vault.tell(VaultMsg::Store { value: Opaque(4) }).await?;
    let sum = vault.ask(|reply| VaultMsg::Sum { reply: Some(reply) }).await?;
    assert_eq!(sum, 4);
    Ok(())
}

#[test]
fn messages_are_named_and_printed() {
    let store = VaultMsg::Store { value: Opaque(1) };
    assert_eq!(store.name(), "store");
    assert_eq!(format!("{store:?}"), "VaultMsg::Store { .. }");
    assert_eq!(VaultMsg::Sum { reply: None }.name(), "sum");
}

#[test]
fn configured_out_handlers_have_no_variant() {
    let names = |msg: &VaultMsg| match msg {
        VaultMsg::Store { .. } | VaultMsg::Sum { .. } | VaultMsg::__Ack(_) => msg.name(),
    };
    assert_eq!(names(&VaultMsg::Sum { reply: None }), "sum");
}

#[test]
fn the_generated_enum_is_as_small_as_the_hand_written_one() {
    // `Add { n }` has no reply field, and `Total`'s optional port shares
    // the tag word with it: 16 bytes, as by hand.
    assert_eq!(size_of::<CounterMsg>(), size_of::<HandWritten>());
}

#[tokio::test]
async fn an_asked_unit_message_is_named_and_printed_as_itself() -> TestResult {
    let system = System::new();
    let vault = system.spawn(Vault::default()).await?;
    vault.stop();
    vault.wait_for_stop().await;
    let Err(AskError::Closed(asked)) = vault.store(Opaque(1)).ask().await else {
        return Err("an ask of a stopped actor must give the message back".into());
    };
    assert!(matches!(asked, VaultMsg::__Ack(_)));
    assert_eq!(asked.name(), "store");
    assert_eq!(Vault::message_kind(&asked), "store");
    assert_eq!(format!("{asked:?}"), "VaultMsg::Store { .. }");
    Ok(())
}

#[tokio::test]
async fn a_hand_built_acknowledgement_runs_the_inner_message_then_answers() -> TestResult {
    let system = System::new();
    let vault = system.spawn(Vault::default()).await?;
    let store = |port| VaultMsg::__Ack(Box::new((VaultMsg::Store { value: Opaque(2) }, port)));
    vault.ask(store).await?;
    assert_eq!(vault.sum().await?, 2);
    // A value handler's message inside: its own (empty) port is left alone.
    vault
        .ask(|port| VaultMsg::__Ack(Box::new((VaultMsg::Sum { reply: None }, port))))
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_nested_acknowledgement_is_named_and_answered_without_running_or_panicking() -> TestResult {
    let system = System::new();
    let vault = system.spawn(Vault::default()).await?;
    let (lend, lent) = tokio::sync::oneshot::channel();
    let lender = system.spawn(PortLender(Some(lend))).await?;
    let borrowed = tokio::spawn(async move { lender.ask(|port| port).await });
    let inner_port = lent.await?;
    let inner = VaultMsg::__Ack(Box::new((VaultMsg::Store { value: Opaque(5) }, inner_port)));
    let mut kind = "";
    vault
        .ask(|port| {
            let nested = VaultMsg::__Ack(Box::new((inner, port)));
            kind = nested.name();
            nested
        })
        .await?;
    assert_eq!(kind, "store");
    // The nested message was dropped unhandled, with its port.
    assert!(matches!(borrowed.await?, Err(AskError::NoReply)));
    assert_eq!(vault.sum().await?, 0);
    system.shutdown().await;
    Ok(())
}
