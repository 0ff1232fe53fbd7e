//! `#[actor]`: a handler may take the actor's context, `&mut Context<Self>`
//! or `&Context<Self>`, anywhere among its parameters; it is filled in by the
//! dispatch and is not part of the message.

use actor_core::prelude::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Uses its context.
#[derive(Debug, Default)]
pub struct Aware {
    children: Vec<ActorRef<Aware>>,
}

#[actor]
impl Aware {
    /// Its own id, read from the context.
    #[handler]
    pub fn whoami(&self, ctx: &Context<Self>) -> ActorId {
        ctx.id()
    }

    /// A handle to itself.
    #[handler]
    pub fn myself(&self, ctx: &mut Context<Self>) -> ActorRef<Aware> {
        ctx.myself()
    }

    /// Spawns `count` children, with the context between two arguments.
    ///
    /// # Errors
    ///
    /// If a child cannot be spawned.
    #[handler]
    pub async fn adopt(
        &mut self,
        label: String,
        ctx: &mut Context<Self>,
        count: usize,
    ) -> Result<usize, SpawnError> {
        for _ in 0..count {
            let child = ctx
                .spawn_with(Aware::default(), SpawnOptions::new().name(label.clone()))
                .await?;
            self.children.push(child);
        }
        Ok(ctx.children_count())
    }

    /// Stops the actor once this message is handled.
    #[handler]
    pub fn quit(&mut self, ctx: &mut Context<Self>) {
        ctx.stop();
    }
}

#[tokio::test]
async fn a_handler_reads_its_context() -> TestResult {
    let system = System::new();
    let aware = system.spawn(Aware::default()).await?;
    assert_eq!(aware.whoami().await?, aware.id());
    assert_eq!(aware.myself().await?, aware);
    Ok(())
}

#[tokio::test]
async fn the_context_is_not_part_of_the_message() -> TestResult {
    let system = System::new();
    let aware = system.spawn(Aware::default()).await?;
    // `adopt(label, ctx, count)` becomes `adopt(label, count)` on the handle.
    assert_eq!(aware.adopt("kid".to_string(), 2).await?, 2);
    let msg = AwareMsg::Adopt {
        label: String::new(),
        count: 0,
        reply: None,
    };
    assert_eq!(msg.name(), "adopt");
    Ok(())
}

#[tokio::test]
async fn a_handler_stops_its_actor_through_the_context() -> TestResult {
    let system = System::new();
    let aware = system.spawn(Aware::default()).await?;
    aware.quit().await?;
    assert!(matches!(aware.wait_for_stop().await, ExitReason::Normal));
    Ok(())
}
