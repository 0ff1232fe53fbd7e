//! Ping-pong: the smallest actor conversation.
//!
//! Shows: two actors, one message type each, `tell` for fire-and-forget and
//! `ask` for a reply, and a clean shutdown. Run with
//! `cargo run -p examples --example ping_pong`.
#![allow(clippy::print_stdout)]

use actor_core::prelude::*;

/// Answers every ping with a pong, counting as it goes.
struct Ponger {
    pongs: u32,
}

enum PongerMsg {
    Ping(ReplyPort<u32>),
}

impl Actor for Ponger {
    type Msg = PongerMsg;

    async fn handle(&mut self, msg: PongerMsg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let PongerMsg::Ping(reply) = msg;
        self.pongs += 1;
        let _ = reply.send(self.pongs);
        Ok(())
    }
}

/// Pings its partner `rounds` times when told to start.
struct Pinger {
    partner: ActorRef<Ponger>,
}

impl Actor for Pinger {
    type Msg = (u32, ReplyPort<u32>);

    async fn handle(&mut self, (rounds, done): Self::Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let mut last = 0;
        for _ in 0..rounds {
            last = self
                .partner
                .ask(PongerMsg::Ping)
                .await
                .map_err(AskError::discard_message)?;
        }
        let _ = done.send(last);
        Ok(())
    }
}

/// Plays 1,000 rounds and shuts down; returns the line it printed.
///
/// # Errors
///
/// A failed spawn or ask.
pub(crate) async fn run() -> Result<String, BoxError> {
    let system = System::new();
    let ponger = system.spawn(Ponger { pongs: 0 }).await?;
    let pinger = system.spawn(Pinger { partner: ponger }).await?;
    let pongs = pinger
        .ask(|done| (1_000, done))
        .await
        .map_err(AskError::discard_message)?;
    let report = system.shutdown().await;
    let line = format!(
        "ping-pong: {pongs} round trips, shutdown clean: {}",
        report.is_clean()
    );
    println!("{line}");
    Ok(line)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    run().await?;
    Ok(())
}
