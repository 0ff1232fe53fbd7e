//! Fairness between the mailbox and the sources: a flooded mailbox does not
//! starve a timer, and a flooded stream does not starve the mailbox.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use actor_core::prelude::*;

/// A stream that always has an item ready.
struct Flood;

impl futures_core::Stream for Flood {
    type Item = ();
    fn poll_next(self: Pin<&mut Self>, _: &mut TaskContext<'_>) -> Poll<Option<()>> {
        Poll::Ready(Some(()))
    }
}

enum Msg {
    User(#[allow(dead_code)] u32),
    Tick,
    Stream,
    Log(ReplyPort<Vec<char>>),
}

struct Recorder {
    log: Vec<char>,
    attach_flood: bool,
    advance_per_message: Option<Duration>,
}

impl Actor for Recorder {
    type Msg = Msg;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        if self.attach_flood {
            ctx.attach(Source::stream(Flood, |()| Msg::Stream));
        } else {
            ctx.attach(Source::interval(Duration::from_millis(10), || Msg::Tick)?);
        }
        Ok(())
    }

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::User(_) => {
                self.log.push('u');
                if let Some(step) = self.advance_per_message {
                    // Time moves while the mailbox stays full.
                    tokio::time::advance(step).await;
                }
            }
            Msg::Tick => self.log.push('t'),
            Msg::Stream => self.log.push('s'),
            Msg::Log(reply) => {
                let _ = reply.send(std::mem::take(&mut self.log));
            }
        }
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn timer_ticks_get_through_a_flooded_mailbox() {
    let system = System::new();
    let options = SpawnOptions::new().mailbox(MailboxKind::Unbounded);
    let recorder = Recorder {
        log: Vec::new(),
        attach_flood: false,
        advance_per_message: Some(Duration::from_millis(5)),
    };
    let actor = system.spawn_with(recorder, options).await.unwrap();
    // 400 messages queued at once: 2 s of virtual work at 5 ms each.
    for n in 0..400 {
        actor.try_tell(Msg::User(n)).unwrap();
    }
    let log = actor.ask(Msg::Log).await.unwrap();
    let users = log.iter().filter(|c| **c == 'u').count();
    let ticks = log.iter().filter(|c| **c == 't').count();
    assert_eq!(users, 400);
    // A tick every 10 ms of the 2 s the flood lasted, delivered during it.
    assert!(ticks >= 150, "only {ticks} ticks during the flood");
    let first_tick = log.iter().position(|c| *c == 't').unwrap();
    assert!(
        first_tick < 10,
        "the first tick waited behind the flood: {first_tick}"
    );
}

#[tokio::test]
async fn a_flooded_stream_does_not_starve_the_mailbox() {
    let system = System::new();
    let recorder = Recorder {
        log: Vec::new(),
        attach_flood: true,
        advance_per_message: None,
    };
    let actor = system.spawn(recorder).await.unwrap();
    for n in 0..100 {
        actor.tell(Msg::User(n)).await.unwrap();
    }
    let log = actor.ask(Msg::Log).await.unwrap();
    let users = log.iter().filter(|c| **c == 'u').count();
    assert_eq!(users, 100, "every mailbox message was handled despite the flood");
    // Alternation: never two mailbox messages in a row while the stream has items.
    let streamed = log.iter().filter(|c| **c == 's').count();
    assert!(streamed >= 100, "{streamed}");
    assert!(
        !log.windows(2).any(|w| w == ['u', 'u']),
        "mailbox and stream alternate"
    );
}
