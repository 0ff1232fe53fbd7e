//! `#[actor]`: the message enum and the handle trait are `pub` (as private
//! as their module), or as `#[actor(vis = ...)]` says; handlers keep their
//! own visibility as methods. Code elsewhere imports the handle trait to
//! call the handlers.

use actor_core::prelude::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

mod counter {
    use actor_core::prelude::*;

    /// Counts, visible to the crate only.
    #[derive(Debug, Default)]
    pub(crate) struct Counter {
        total: u64,
    }

    #[actor(vis = pub(crate))]
    impl Counter {
        /// Adds `n`.
        #[handler]
        pub(crate) fn add(&mut self, n: u64) {
            self.total += n;
        }

        /// The total: a private method, reachable through the handle.
        #[handler]
        fn total(&self) -> u64 {
            self.total
        }
    }
}

mod secret {
    use actor_core::prelude::*;

    /// Only this module talks to it.
    #[derive(Debug, Default)]
    struct Secret;

    #[actor(vis = pub(self))]
    impl Secret {
        /// Private handler, private enum and trait.
        #[handler]
        fn whisper(&self) -> &'static str {
            "psst"
        }
    }

    /// Private items are usable inside their module.
    pub(crate) async fn whisper_once() -> Result<&'static str, Box<dyn std::error::Error>> {
        let system = System::new();
        let secret = system.spawn(Secret).await?;
        let msg: SecretMsg = SecretMsg::Whisper { reply: None };
        assert_eq!(msg.name(), "whisper");
        Ok(secret.whisper().await?)
    }
}

mod defaulted {
    use actor_core::prelude::*;

    /// A private handler on a private type: the enum and trait are `pub`,
    /// which the private module keeps to the crate.
    #[derive(Debug, Default)]
    pub(crate) struct Open;

    #[actor]
    impl Open {
        /// Private handler, reachable wherever the trait is.
        #[handler]
        fn ping(&self) -> &'static str {
            "pong"
        }
    }
}

#[tokio::test]
async fn another_module_imports_the_handle_trait() -> TestResult {
    use counter::{Counter, CounterHandle, CounterMsg};

    let system = System::new();
    let counter = system.spawn(Counter::default()).await?;
    counter.add(2).await?;
    assert_eq!(counter.total().await?, 2);
    let msg = CounterMsg::Add { n: 1 };
    assert_eq!(msg.name(), "add");
    Ok(())
}

#[tokio::test]
async fn private_handlers_keep_their_messages_private() -> TestResult {
    assert_eq!(secret::whisper_once().await?, "psst");
    Ok(())
}

#[tokio::test]
async fn by_default_the_enum_and_trait_are_pub() -> TestResult {
    use defaulted::{Open, OpenHandle, OpenMsg};

    let system = System::new();
    let open = system.spawn(Open).await?;
    assert_eq!(open.ping().await?, "pong");
    assert_eq!(OpenMsg::Ping { reply: None }.name(), "ping");
    Ok(())
}
