//! `#[actor]`: handlers may be `async`. The actor awaits one handler before
//! the next message, so awaiting inside a handler keeps the state consistent.

use actor_core::prelude::*;
use tokio::sync::oneshot;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Waits on gates the test opens.
#[derive(Debug, Default)]
pub struct Waiter {
    log: Vec<&'static str>,
}

#[actor]
impl Waiter {
    /// Logs `"waiting"`, says so on `entered`, waits for `gate`, then logs
    /// `"through"`.
    #[handler]
    pub async fn wait_for(&mut self, entered: oneshot::Sender<()>, gate: oneshot::Receiver<()>) {
        self.log.push("waiting");
        let _ = entered.send(());
        let _ = gate.await;
        self.log.push("through");
    }

    /// Logs `"next"`.
    #[handler]
    pub fn next(&mut self) {
        self.log.push("next");
    }

    /// Awaits a value from another task and returns it.
    #[handler]
    pub async fn fetch(&self, source: oneshot::Receiver<String>) -> Option<String> {
        source.await.ok()
    }

    /// The log.
    #[handler]
    pub fn log(&self) -> Vec<&'static str> {
        self.log.clone()
    }
}

#[tokio::test]
async fn the_next_message_waits_for_an_async_handler() -> TestResult {
    let system = System::new();
    let waiter = system.spawn(Waiter::default()).await?;
    let (open, gate) = oneshot::channel();
    let (entered, inside) = oneshot::channel();
    waiter.wait_for(entered, gate).await?;
    inside.await?; // the actor is parked inside `wait_for`
    waiter.next().await?;
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert_eq!(waiter.mailbox_len(), 1, "`next` must wait for `wait_for`");
    let _ = open.send(());
    assert_eq!(waiter.log().await?, ["waiting", "through", "next"]);
    Ok(())
}

#[tokio::test]
async fn an_async_handler_answers_an_ask() -> TestResult {
    let system = System::new();
    let waiter = system.spawn(Waiter::default()).await?;
    let (tx, rx) = oneshot::channel();
    let answer = tokio::spawn({
        let waiter = waiter.clone();
        async move { waiter.fetch(rx).await }
    });
    tx.send("value".to_string())
        .map_err(|_| "the actor dropped the source")?;
    assert_eq!(answer.await??.as_deref(), Some("value"));
    Ok(())
}
