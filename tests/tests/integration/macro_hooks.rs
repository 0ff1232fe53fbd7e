//! `#[actor]` writes the actor's `impl Actor`, so its lifecycle hooks live in
//! the block too: a method (not a handler) named `started`, `run` or
//! `stopped`, with the hook's signature, becomes that hook.

use actor_core::prelude::*;
use tokio::sync::oneshot;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Spawns a helper when it starts, reports when it stops.
#[derive(Debug, Default)]
pub struct Lifecycle {
    events: Vec<&'static str>,
    report: Option<oneshot::Sender<Vec<&'static str>>>,
    refuse_to_start: bool,
}

#[actor]
impl Lifecycle {
    /// Runs before the first message.
    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        if self.refuse_to_start {
            return Err("not today".into());
        }
        let _ = ctx.id();
        self.events.push("started");
        Ok(())
    }

    /// Runs after the last one.
    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        self.events
            .push(if reason.is_clean() { "stopped" } else { "failed" });
        if let Some(report) = self.report.take() {
            let _ = report.send(self.events.clone());
        }
    }

    /// Logs a message.
    #[handler]
    pub fn poke(&mut self) {
        self.events.push("poked");
    }
}

/// A loop actor: its own `run` around `ctx.recv()`.
#[derive(Debug, Default)]
pub struct Looper {
    seen: u32,
}

#[actor]
impl Looper {
    /// Handles messages until told to stop, then stops by returning.
    async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        while let Some(msg) = ctx.recv().await {
            let last = matches!(msg, LooperMsg::Last { .. });
            Actor::handle(self, msg, ctx).await?;
            if last {
                break;
            }
        }
        Ok(())
    }

    /// Counts.
    #[handler]
    pub fn tick(&mut self) -> u32 {
        self.seen += 1;
        self.seen
    }

    /// The last message the loop takes.
    #[handler]
    pub fn last(&mut self) {}
}

#[tokio::test]
async fn started_and_stopped_run_around_the_handlers() -> TestResult {
    let (report, events) = oneshot::channel();
    let system = System::new();
    let actor = system
        .spawn(Lifecycle {
            report: Some(report),
            ..Lifecycle::default()
        })
        .await?;
    actor.poke().await?;
    actor.stop();
    assert_eq!(events.await?, ["started", "poked", "stopped"]);
    Ok(())
}

#[tokio::test]
async fn a_failing_started_hook_fails_the_spawn() -> TestResult {
    let system = System::new();
    let refused = system
        .spawn(Lifecycle {
            refuse_to_start: true,
            ..Lifecycle::default()
        })
        .await;
    assert!(matches!(refused, Err(SpawnError::StartFailed { .. })));
    Ok(())
}

#[tokio::test]
async fn a_run_hook_owns_the_receive_loop() -> TestResult {
    let system = System::new();
    let looper = system.spawn(Looper::default()).await?;
    assert_eq!(looper.tick().await?, 1);
    assert_eq!(looper.tick().await?, 2);
    looper.last().await?;
    assert!(looper.wait_for_stop().await.is_clean());
    Ok(())
}
