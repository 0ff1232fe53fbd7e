//! `#[actor]`: a handler that returns nothing is told. The call returns once
//! the message is queued, messages are handled in order, and `.try_tell()`
//! never waits.

use actor_core::prelude::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Records what it is told.
#[derive(Debug, Default)]
pub struct Recorder {
    seen: Vec<u32>,
}

#[actor]
impl Recorder {
    /// Records `n`.
    #[handler]
    pub fn record(&mut self, n: u32) {
        self.seen.push(n);
    }

    /// Everything recorded so far.
    #[handler]
    pub fn seen(&self) -> Vec<u32> {
        self.seen.clone()
    }
}

#[tokio::test]
async fn tells_are_handled_in_order() -> TestResult {
    let system = System::new();
    let recorder = system.spawn(Recorder::default()).await?;
    for n in 1..=5 {
        recorder.record(n).await?;
    }
    assert_eq!(recorder.seen().await?, [1, 2, 3, 4, 5]);
    system.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn a_tell_returns_before_the_handler_runs() -> TestResult {
    let system = System::new();
    let recorder = system.spawn(Recorder::default()).await?;
    recorder.record(7).await?;
    // Queued, not handled yet: this task has not yielded to the actor.
    assert_eq!(recorder.mailbox_len(), 1);
    assert_eq!(recorder.seen().await?, [7]);
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn try_tell_never_waits_and_gives_the_message_back() -> TestResult {
    let system = System::new();
    let options = SpawnOptions::new().mailbox(MailboxKind::Bounded(1));
    let recorder = system.spawn_with(Recorder::default(), options).await?;
    recorder.record(1).try_tell()?;
    let full = recorder.record(2).try_tell().map_err(TrySendError::into_inner);
    assert!(matches!(full, Err(RecorderMsg::Record { n: 2 })));
    assert_eq!(recorder.seen().await?, [1]);
    Ok(())
}

#[tokio::test]
async fn a_tell_waits_for_room_in_a_full_mailbox() -> TestResult {
    let system = System::new();
    let options = SpawnOptions::new().mailbox(MailboxKind::Bounded(1));
    let recorder = system.spawn_with(Recorder::default(), options).await?;
    // More tells than room: each waits for the actor to make room.
    for n in 0..10 {
        recorder.record(n).await?;
    }
    assert_eq!(recorder.seen().await?, (0..10).collect::<Vec<_>>());
    Ok(())
}

#[tokio::test]
async fn a_tell_to_a_stopped_actor_gives_the_message_back() -> TestResult {
    let system = System::new();
    let recorder = system.spawn(Recorder::default()).await?;
    recorder.stop();
    recorder.wait_for_stop().await;
    let err = recorder.record(9).await.map_err(SendError::into_inner);
    assert!(matches!(err, Err(RecorderMsg::Record { n: 9, .. })));
    Ok(())
}

#[tokio::test]
async fn a_value_handler_can_be_told_and_its_reply_dropped() -> TestResult {
    let system = System::new();
    let recorder = system.spawn(Recorder::default()).await?;
    recorder.record(3).await?;
    recorder.seen().tell().await?;
    assert_eq!(recorder.seen().await?, [3]);
    Ok(())
}
