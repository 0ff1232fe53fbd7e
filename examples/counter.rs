//! Counter: an actor written with `#[actor]`, no message enum by hand.
//!
//! Shows: `#[handler]` methods becoming messages; a unit handler told
//! (`counter.add(5).await?`) and asked to wait until it ran (`.ask()`); a
//! value handler asked (`counter.total().await?`) with the default timeout and
//! with its own; a `Result` handler whose error reaches the caller as itself,
//! apart from the framework's errors; an async handler using its context; and
//! the generated `CounterMsg` used by hand. Run with
//! `cargo run -p examples --example counter`.
#![allow(clippy::print_stdout)]

use std::fmt;
use std::time::Duration;

use actor_core::prelude::*;

/// Why `take` refused.
#[derive(Debug)]
struct Underflow {
    total: u64,
    wanted: u64,
}

impl fmt::Display for Underflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot take {} from {}", self.wanted, self.total)
    }
}

impl std::error::Error for Underflow {}

/// A counter: its state is the struct, its messages are its handlers.
#[derive(Default)]
struct Counter {
    total: u64,
}

#[actor]
impl Counter {
    /// Adds `n` to the total.
    #[handler]
    fn add(&mut self, n: u64) {
        self.total += n;
    }

    /// The current total.
    #[handler]
    fn total(&self) -> u64 {
        self.total
    }

    /// Takes `n` away, unless the total is smaller.
    #[handler]
    fn take(&mut self, n: u64) -> Result<u64, Underflow> {
        self.total = self.total.checked_sub(n).ok_or(Underflow {
            total: self.total,
            wanted: n,
        })?;
        Ok(self.total)
    }

    /// Reports who counts, after a pause (async, with the context).
    #[handler]
    async fn describe(&self, ctx: &mut Context<Self>) -> String {
        tokio::time::sleep(Duration::from_millis(1)).await;
        format!("counter {} at {}", ctx.id(), self.total)
    }
}

/// Walks through the calls; returns the lines it printed.
///
/// # Errors
///
/// A failed spawn or call.
pub(crate) async fn run() -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut printed = Vec::new();
    let mut say = |line: String| {
        println!("{line}");
        printed.push(line);
    };
    let system = System::new();
    let counter = system.spawn(Counter::default()).await?;

    // A unit handler is told: `add` returns once the message is queued.
    counter.add(5).await?;
    // `.ask()` instead waits until the handler ran.
    counter.add(2).ask().await?;
    // A value handler is asked, with the default timeout (5 s)...
    say(format!("total: {}", counter.total().await?));
    // ...or with its own.
    let total = counter.total().timeout(Duration::from_millis(100)).await?;
    say(format!("total within 100 ms: {total}"));

    // A `Result` handler: `Ok` is the value, the handler's `Err` comes back
    // as `CallError::Handler`, kept apart from `CallError::Ask` (timeouts, a
    // stopped actor).
    say(format!("after taking 3: {}", counter.take(3).await?));
    match counter.take(100).await {
        Err(CallError::Handler(underflow)) => say(format!("refused: {underflow}")),
        Err(CallError::Ask(failed)) => return Err(failed.into()),
        Ok(left) => say(format!("unexpectedly left {left}")),
    }

    say(counter.describe().await?);

    // The generated enum is an ordinary message type too.
    counter.tell(CounterMsg::Add { n: 10 }).await?;
    let msg = CounterMsg::Total { reply: None };
    say(format!("`{}` is a {msg:?}", msg.name()));
    say(format!("final total: {}", counter.total().await?));

    system.shutdown().await;
    Ok(printed)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    run().await?;
    Ok(())
}
