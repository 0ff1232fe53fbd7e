//! Regression: five inputs that used to panic inside actor-core now behave.
//! A NUL byte in the name of a dedicated-thread actor or a blocking pool (std
//! refuses such thread names), `Backoff::new` whose `min + max` overflows,
//! `Backoff::delay` with an infinite or huge random factor, an interval of
//! `Duration::MAX` (and one of 1 ns, which came in bursts: now 1 ms), and an ask whose timer is armed on a runtime built
//! without its time driver (a typed `NoRuntime` instead of tokio's panic).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use actor_core::pool::Pool;
use actor_core::prelude::*;
use actor_core::supervision::Backoff;

struct Echo;

impl Actor for Echo {
    type Msg = ReplyPort<Option<String>>;

    async fn handle(&mut self, reply: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = reply.send(std::thread::current().name().map(String::from));
        Ok(())
    }
}

#[tokio::test]
async fn a_nul_byte_in_a_thread_actors_name_is_replaced_in_the_thread_name_only() {
    let system = System::new();
    let options = SpawnOptions::new()
        .name("a\0b")
        .executor(Executor::DedicatedThread);
    let echo = system.spawn_with(Echo, options).await.unwrap();
    assert_eq!(echo.name(), Some("a\0b"));
    assert_eq!(
        echo.ask(|r| r).await.unwrap().as_deref(),
        Some("actor-a\u{FFFD}b")
    );
    system.shutdown().await;
}

#[tokio::test]
async fn a_nul_byte_in_a_blocking_pools_name_is_accepted() {
    let system = System::new();
    let pool = Pool::blocking(1).name("p\0ol").spawn(&system).await.unwrap();
    let thread = pool
        .run(|| std::thread::current().name().map(String::from))
        .await
        .unwrap();
    assert!(thread.unwrap().contains('\u{FFFD}'));
    system.shutdown().await;
}

#[test]
fn backoff_arithmetic_saturates() {
    let huge = Backoff::new(Duration::MAX, Duration::MAX);
    assert_eq!(huge.reset_after, Duration::MAX / 2);
    for factor in [f64::INFINITY, f64::MAX, 1e300] {
        let backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(8)).random_factor(factor);
        assert_eq!(backoff.delay(3, 0.5), Duration::MAX);
    }
    let nan = Backoff::new(Duration::from_secs(1), Duration::from_secs(8)).random_factor(f64::NAN);
    assert_eq!(nan.delay(2, 0.5), Duration::from_secs(2));
}

struct Ticking;

impl Actor for Ticking {
    type Msg = Option<ReplyPort<&'static str>>;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        ctx.attach(Source::interval(Duration::MAX, || None)?);
        Ok(())
    }

    async fn handle(&mut self, msg: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Some(reply) => {
                let _ = reply.send("alive");
                Ok(())
            }
            None => Err("an interval of Duration::MAX ticked".into()),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn an_interval_of_duration_max_never_ticks() {
    let system = System::new();
    let ticking = system.spawn(Ticking).await.unwrap();
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(ticking.ask(Some).await.unwrap(), "alive");
    system.shutdown().await;
}

struct Silent(Vec<ReplyPort<()>>);

impl Actor for Silent {
    type Msg = ReplyPort<()>;

    async fn handle(&mut self, reply: ReplyPort<()>, _: &mut Context<Self>) -> Result<(), BoxError> {
        self.0.push(reply);
        Ok(())
    }
}

#[test]
fn an_ask_on_a_runtime_without_timers_is_a_typed_error() {
    // Actors live on a runtime with timers; the asker's runtime has none.
    let actors = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let system = System::new();
    let silent = actors.block_on(system.spawn(Silent(Vec::new()))).unwrap();
    let no_timers = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let result = no_timers.block_on(silent.ask(|r| r));
    assert!(matches!(result, Err(AskError::NoRuntime)), "{result:?}");
    actors.block_on(system.shutdown());
}

/// Counts its ticks; answers the count.
struct Fast(u32);

impl Actor for Fast {
    type Msg = Option<ReplyPort<u32>>;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        ctx.attach(Source::interval(Duration::from_nanos(1), || None)?);
        Ok(())
    }

    async fn handle(&mut self, msg: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Some(reply) => {
                let _ = reply.send(self.0);
            }
            None => self.0 += 1,
        }
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn an_interval_below_the_timer_resolution_ticks_once_per_millisecond() {
    let system = System::new();
    let fast = system.spawn(Fast(0)).await.unwrap();
    tokio::time::sleep(Duration::from_micros(10_500)).await;
    assert_eq!(fast.ask(Some).await.unwrap(), 10);
    system.shutdown().await;
}
