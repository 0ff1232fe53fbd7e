//! The `counter` example: every call of the `#[actor]` walk-through prints
//! what the handlers computed, the refused `take` included.

use std::error::Error;
use std::time::Duration;

#[allow(dead_code)] // its `main`: the test calls `run`
#[path = "../../../examples/counter.rs"]
mod example;

/// Far beyond what the example takes; a hang fails instead of blocking CI.
const TIMEOUT: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread")]
async fn prints_each_call_and_its_result() -> Result<(), Box<dyn Error>> {
    let printed = tokio::time::timeout(TIMEOUT, example::run()).await??;
    let [total, timed, taken, refused, described, named, last] = printed.as_slice() else {
        return Err(format!("expected 7 lines, got {printed:#?}").into());
    };
    assert_eq!(total, "total: 7");
    assert_eq!(timed, "total within 100 ms: 7");
    assert_eq!(taken, "after taking 3: 4");
    assert_eq!(refused, "refused: cannot take 100 from 4");
    // The id depends on what the system spawned before; the rest does not.
    assert!(
        described.starts_with("counter <") && described.ends_with("> at 4"),
        "{described}"
    );
    assert_eq!(named, "`total` is a CounterMsg::Total { .. }");
    assert_eq!(last, "final total: 14");
    Ok(())
}
