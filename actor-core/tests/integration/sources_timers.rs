//! Timers attached to an actor's loop (paused clock): a send-after fires at
//! its deadline and can be cancelled; an interval whose actor is busy skips
//! the ticks it missed instead of piling them up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use actor_core::prelude::*;
use tokio::time::Instant;

enum Msg {
    After(Duration, &'static str, ReplyPort<SourceId>),
    Every(Duration, ReplyPort<()>),
    Cancel(SourceId, ReplyPort<bool>),
    Busy(Duration, ReplyPort<()>),
    Fired(&'static str),
    Tick,
    Log(ReplyPort<Vec<(u64, String)>>),
}

struct Timed {
    start: Instant,
    log: Vec<(u64, String)>,
}

impl Timed {
    fn record(&mut self, what: String) {
        self.log.push((self.start.elapsed().as_millis() as u64, what));
    }
}

impl Actor for Timed {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::After(delay, what, reply) => {
                let _ = reply.send(ctx.attach(Source::after(delay, Msg::Fired(what))));
            }
            Msg::Every(period, reply) => {
                ctx.attach(Source::interval(period, || Msg::Tick)?);
                let _ = reply.send(());
            }
            Msg::Cancel(id, reply) => {
                let _ = reply.send(ctx.detach(id));
            }
            Msg::Busy(time, reply) => {
                // Busy without returning to the loop (a long handler).
                tokio::time::sleep(time).await;
                self.record("busy done".to_string());
                let _ = reply.send(());
            }
            Msg::Fired(what) => self.record(format!("fired {what}")),
            Msg::Tick => self.record("tick".to_string()),
            Msg::Log(reply) => {
                let _ = reply.send(self.log.clone());
            }
        }
        Ok(())
    }
}

async fn spawn() -> (System, ActorRef<Timed>) {
    let system = System::new();
    let actor = system
        .spawn(Timed {
            start: Instant::now(),
            log: Vec::new(),
        })
        .await
        .unwrap();
    (system, actor)
}

#[tokio::test(start_paused = true)]
async fn send_after_fires_at_its_deadline_and_can_be_cancelled() {
    let (_system, actor) = spawn().await;
    actor
        .ask(|r| Msg::After(Duration::from_secs(3), "kept", r))
        .await
        .unwrap();
    let cancelled = actor
        .ask(|r| Msg::After(Duration::from_secs(2), "cancelled", r))
        .await
        .unwrap();
    assert!(actor.ask(|r| Msg::Cancel(cancelled, r)).await.unwrap());
    tokio::time::sleep(Duration::from_secs(10)).await;
    let log = actor.ask(Msg::Log).await.unwrap();
    assert_eq!(log, [(3_000, "fired kept".to_string())]);
}

#[tokio::test(start_paused = true)]
async fn an_interval_skips_the_ticks_a_busy_actor_missed() {
    let (_system, actor) = spawn().await;
    actor
        .ask(|r| Msg::Every(Duration::from_secs(1), r))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(2_500)).await; // ticks at 1 s and 2 s
    // Busy for 3.5 s: the ticks due at 3, 4, 5 and 6 s are missed.
    actor
        .ask(|r| Msg::Busy(Duration::from_millis(3_500), r))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1_800)).await;
    let log = actor.ask(Msg::Log).await.unwrap();
    let ticks: Vec<u64> = log.iter().filter(|(_, w)| w == "tick").map(|(t, _)| *t).collect();
    // One late tick when the actor is back (6 s), not four; then on the
    // period grid again (7 s).
    assert_eq!(ticks, [1_000, 2_000, 6_000, 7_000], "{log:?}");
}

#[tokio::test]
async fn a_zero_period_is_a_typed_error() {
    assert!(matches!(
        Source::interval(Duration::ZERO, || ()),
        Err(actor_core::SourceError::ZeroPeriod)
    ));
}
