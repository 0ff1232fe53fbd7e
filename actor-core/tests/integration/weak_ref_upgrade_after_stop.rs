//! Regression: a failed `WeakActorRef::upgrade` must not touch the sender
//! count (it used to build and drop a handle, wrapping the count).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::idle::Idle;
use actor_core::prelude::*;

#[tokio::test]
async fn upgrading_after_the_last_handle_dropped_fails_every_time() {
    let system = System::new();
    let idle = system.spawn(Idle).await.unwrap();
    let weak = idle.downgrade();
    drop(idle);
    for _ in 0..3 {
        assert!(weak.upgrade().is_none());
    }
}
