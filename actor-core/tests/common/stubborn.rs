//! `Stubborn`: an actor that ignores its stop in the way it is told to (a
//! handler awaiting forever, a loop that never calls `recv`, a `stopped`
//! hook that takes long or never ends), for the shutdown tests. It logs
//! `"{name}:{reason}"` once its `stopped` hook is done.
//!
//! ```ignore
//! let log = StopLog::default();
//! let actor = system.spawn_with(stubborn("a", &log), options).await?;
//! hang(&actor).await; // now it ignores a graceful stop
//! ```

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actor_core::prelude::*;
use tokio::sync::oneshot;

/// What the actors' `stopped` hooks logged, in order.
pub type StopLog = Arc<Mutex<Vec<String>>>;

pub enum Msg {
    /// Signals `entered`, then awaits forever.
    Hang(oneshot::Sender<()>),
    /// Hands out the child spawned in `started`.
    Child(ReplyPort<Option<ActorRef<Stubborn>>>),
    /// Does nothing.
    Nothing,
}

/// How an actor's `stopped` hook behaves.
#[derive(Clone, Copy)]
pub enum Stopping {
    AtOnce,
    Takes(Duration),
    Never,
}

/// An actor that ignores its stop in the way it is told to.
pub struct Stubborn {
    pub name: &'static str,
    pub log: StopLog,
    /// A loop actor that never calls `recv`.
    pub deaf: bool,
    pub stopping: Stopping,
    /// A child to spawn in `started`, with its options.
    pub child: Option<Box<(Stubborn, SpawnOptions)>>,
    pub child_ref: Option<ActorRef<Stubborn>>,
}

/// A `Stubborn` that stops at once when asked; set fields to make it stubborn.
pub fn stubborn(name: &'static str, log: &StopLog) -> Stubborn {
    Stubborn {
        name,
        log: Arc::clone(log),
        deaf: false,
        stopping: Stopping::AtOnce,
        child: None,
        child_ref: None,
    }
}

type Spawning<'a> = Pin<Box<dyn Future<Output = Result<ActorRef<Stubborn>, SpawnError>> + Send + 'a>>;

/// A `Stubborn` spawning a `Stubborn` from `started` is a recursive future
/// type (task actors run `started` inside the spawner's future): box it.
fn spawn_child(ctx: &mut Context<Stubborn>, child: Stubborn, options: SpawnOptions) -> Spawning<'_> {
    Box::pin(ctx.spawn_with(child, options))
}

impl Actor for Stubborn {
    type Msg = Msg;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        if let Some((child, options)) = self.child.take().map(|boxed| *boxed) {
            self.child_ref = Some(spawn_child(ctx, child, options).await?);
        }
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Hang(entered) => {
                let _ = entered.send(());
                std::future::pending::<()>().await;
            }
            Msg::Child(reply) => {
                let _ = reply.send(self.child_ref.clone());
            }
            Msg::Nothing => {}
        }
        Ok(())
    }

    async fn run(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        if self.deaf {
            std::future::pending::<()>().await;
        }
        while let Some(msg) = ctx.recv().await {
            self.handle(msg, ctx).await?;
        }
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, reason: &ExitReason) {
        match self.stopping {
            Stopping::AtOnce => {}
            Stopping::Takes(time) => tokio::time::sleep(time).await,
            Stopping::Never => std::future::pending::<()>().await,
        }
        self.log.lock().unwrap().push(format!("{}:{reason}", self.name));
    }
}

/// Makes `actor` await forever in a handler.
pub async fn hang(actor: &ActorRef<Stubborn>) {
    let (entered_tx, entered) = oneshot::channel();
    actor.tell(Msg::Hang(entered_tx)).await.unwrap();
    entered.await.unwrap();
}

/// The child `actor` spawned in `started`.
pub async fn child_of(actor: &ActorRef<Stubborn>) -> ActorRef<Stubborn> {
    actor.ask(Msg::Child).await.unwrap().expect("a child")
}
