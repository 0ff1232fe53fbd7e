//! `#[actor]`: a handler that returns a value is asked. The reply comes back
//! typed, a unit handler can be asked to wait until it ran, and every ask has
//! a timeout (the default one, or its own).

use std::time::Duration;

use actor_core::prelude::*;
use tokio::sync::oneshot;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Answers questions; `hang` never answers.
#[derive(Debug, Default)]
pub struct Oracle {
    asked: u32,
    /// Held by `hang` so it waits forever (until the test ends).
    never: Option<oneshot::Receiver<()>>,
}

#[actor]
impl Oracle {
    /// Doubles `n`.
    #[handler]
    pub fn double(&mut self, n: u64) -> u64 {
        self.asked += 1;
        n * 2
    }

    /// How many questions were asked.
    #[handler]
    pub fn asked(&self) -> u32 {
        self.asked
    }

    /// Counts a question without answering it.
    #[handler]
    pub fn count(&mut self) {
        self.asked += 1;
    }

    /// Waits for a signal that never comes.
    #[handler]
    pub async fn hang(&mut self) -> u8 {
        if let Some(never) = self.never.take() {
            let _ = never.await;
        }
        0
    }
}

#[tokio::test]
async fn a_value_handler_is_asked_and_answers() -> TestResult {
    let system = System::new();
    let oracle = system.spawn(Oracle::default()).await?;
    assert_eq!(oracle.double(21).await?, 42);
    assert_eq!(oracle.asked().await?, 1);
    Ok(())
}

#[tokio::test]
async fn a_unit_handler_can_be_asked_to_wait_until_it_ran() -> TestResult {
    let system = System::new();
    let oracle = system.spawn(Oracle::default()).await?;
    oracle.count().ask().await?;
    // The handler ran before the ask returned: nothing is queued any more.
    assert_eq!(oracle.mailbox_len(), 0);
    assert_eq!(oracle.asked().await?, 1);
    Ok(())
}

#[tokio::test(start_paused = true)]
async fn an_ask_times_out_at_its_own_deadline() -> TestResult {
    let (_keep, never) = oneshot::channel();
    let system = System::new();
    let oracle = system
        .spawn(Oracle {
            never: Some(never),
            ..Oracle::default()
        })
        .await?;
    let start = tokio::time::Instant::now();
    let err = oracle.hang().timeout(Duration::from_millis(250)).await;
    assert!(matches!(err, Err(AskError::Timeout(d)) if d == Duration::from_millis(250)));
    assert_eq!(start.elapsed(), Duration::from_millis(250));
    Ok(())
}

#[tokio::test(start_paused = true)]
async fn an_ask_waits_the_default_timeout() -> TestResult {
    let (_keep, never) = oneshot::channel();
    let system = System::new();
    let oracle = system
        .spawn(Oracle {
            never: Some(never),
            ..Oracle::default()
        })
        .await?;
    let start = tokio::time::Instant::now();
    let err = oracle.hang().await;
    assert!(matches!(err, Err(AskError::Timeout(_))));
    assert_eq!(start.elapsed(), actor_core::DEFAULT_ASK_TIMEOUT);
    Ok(())
}

#[tokio::test]
async fn an_ask_to_a_stopped_actor_gives_the_request_back() -> TestResult {
    let system = System::new();
    let oracle = system.spawn(Oracle::default()).await?;
    oracle.stop();
    oracle.wait_for_stop().await;
    let err = oracle.double(5).await.map_err(AskError::into_message);
    assert!(matches!(err, Err(Some(OracleMsg::Double { n: 5, .. }))));
    Ok(())
}

#[tokio::test]
async fn an_invalid_timeout_sends_nothing() -> TestResult {
    let system = System::new();
    let oracle = system.spawn(Oracle::default()).await?;
    let err = oracle.double(1).timeout(Duration::ZERO).await;
    assert!(matches!(err, Err(AskError::InvalidTimeout(_))));
    assert_eq!(oracle.asked().await?, 0);
    Ok(())
}
