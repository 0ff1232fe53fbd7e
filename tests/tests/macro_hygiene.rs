//! `#[actor]` hygiene: generated code uses absolute paths (or the path given
//! by `#[actor(crate = ...)]`), user names cannot clash with the generated
//! locals, the enum and the trait can be renamed, and nothing else is added
//! to the module.

use actor_core::prelude::*;

type TestResult = std::result::Result<(), std::boxed::Box<dyn std::error::Error>>;

/// actor-core under another name, as a crate that renames the dependency
/// would see it.
mod my_core {
    pub(crate) use actor_core::*;
}

/// Parameters named like the generated code's locals.
#[derive(Debug, Default)]
pub struct Shadows;

#[actor(crate = crate::my_core, message = ShadowsMessage, handle = ShadowsApi)]
impl Shadows {
    /// Every parameter is named like something the macro writes.
    #[handler]
    #[allow(clippy::too_many_arguments)]
    pub fn echo(&self, msg: u8, ctx: u8, out: u8, port: u8, slot: u8, error: u8, value: u8) -> u32 {
        [msg, ctx, out, port, slot, error, value]
            .iter()
            .map(|&n| u32::from(n))
            .sum()
    }

    /// A unit handler (asked through the enum's acknowledgement variant),
    /// with parameters named like that variant's locals.
    #[handler]
    pub fn note(&mut self, msg: u8, acked: u8, ack: u8) {
        let _ = (msg, acked, ack);
    }

    /// The context under a name a parameter could take.
    #[handler]
    pub fn whoami(&self, context: &mut my_core::Context<Self>, arg_context: u8) -> (ActorId, u8) {
        (context.id(), arg_context)
    }
}

/// Names that the user's module already uses, and which the expansion must not
/// collide with.
#[allow(dead_code)]
struct Tell;
#[allow(dead_code)]
struct Ask;
#[allow(dead_code)]
struct Context;
#[allow(dead_code)]
struct Box;
#[allow(dead_code)]
enum Option {
    None,
}
#[allow(dead_code)]
enum Result {
    Ok,
}

/// A `Self`-named actor in a module that shadows prelude names.
#[derive(Debug, Default)]
pub struct Plain;

#[actor]
impl Plain {
    /// Uses `Option` and `Result` from std, whatever the module calls them.
    ///
    /// # Errors
    ///
    /// For `None`.
    #[handler]
    pub fn check(&self, n: ::core::option::Option<u8>) -> ::core::result::Result<u8, String> {
        n.ok_or_else(|| "none".to_string())
    }
}

#[tokio::test]
async fn renamed_crate_and_items_work() -> TestResult {
    let system = System::new();
    let shadows = system.spawn(Shadows).await?;
    assert_eq!(shadows.echo(1, 2, 3, 4, 5, 6, 7).await?, 28);
    let msg = ShadowsMessage::Echo {
        msg: 0,
        ctx: 0,
        out: 0,
        port: 0,
        slot: 0,
        error: 0,
        value: 0,
        reply: None,
    };
    assert_eq!(msg.name(), "echo");
    shadows.note(1, 2, 3).await?;
    shadows.note(1, 2, 3).ask().await?;
    let msg = ShadowsMessage::Note {
        msg: 0,
        acked: 0,
        ack: 0,
    };
    assert_eq!(msg.name(), "note");
    Ok(())
}

#[tokio::test]
async fn the_context_can_have_any_name() -> TestResult {
    let system = System::new();
    let shadows = system.spawn(Shadows).await?;
    assert_eq!(shadows.whoami(9).await?, (shadows.id(), 9));
    Ok(())
}

#[tokio::test]
async fn user_names_shadowing_prelude_items_do_not_break_the_expansion() -> TestResult {
    let system = System::new();
    let plain = system.spawn(Plain).await?;
    assert_eq!(plain.check(Some(3)).await?, 3);
    assert!(plain.check(None).await.is_err());
    Ok(())
}
