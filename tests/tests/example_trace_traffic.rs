//! The `trace_traffic` example: the recorder sees every hop of the service
//! graph and the example writes its three pictures.

use std::error::Error;
use std::time::Duration;

use actor_core::recorder::TrafficRecorder;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;

#[allow(dead_code)] // its `main`: the test calls `run`
#[path = "../../examples/trace_traffic.rs"]
mod example;

/// Far beyond what the example takes; a hang fails instead of blocking CI.
const TIMEOUT: Duration = Duration::from_secs(15);

// One thread: the recorder is installed for this thread only.
#[tokio::test(flavor = "current_thread")]
async fn records_every_hop_and_writes_the_pictures() -> Result<(), Box<dyn Error>> {
    let recorder = TrafficRecorder::new();
    let subscriber =
        tracing_subscriber::registry().with(recorder.clone().with_filter(TrafficRecorder::filter()));
    let _guard = tracing::subscriber::set_default(subscriber);
    let out_dir = std::env::temp_dir().join(format!("trace_traffic_{}", std::process::id()));
    let printed = tokio::time::timeout(TIMEOUT, example::run(&recorder, 10, &out_dir)).await??;

    // 10 requests: one token is empty, so 9 reach the cache and the audit;
    // the cache misses on its 8 distinct keys.
    let edges: Vec<(String, u64)> = recorder
        .snapshot()
        .edges
        .iter()
        .map(|e| (e.kind.clone(), e.count))
        .collect();
    let expected = [
        ("get", 10),
        ("check_token", 10),
        ("get", 9),
        ("query", 8),
        ("served", 9),
    ];
    assert_eq!(edges, expected.map(|(k, n)| (k.to_owned(), n)), "{printed:#?}");
    // The live tree comes first (one line per actor), then the traffic.
    assert_eq!(printed[0], "live actor tree (before shutdown):");
    assert!(
        printed[1..6].iter().all(|line| line.contains(" running, ")),
        "{printed:#?}"
    );
    assert!(
        printed[2].contains("cache (Cache)") && printed[3].contains("db (Db)"),
        "{printed:#?}"
    );
    assert_eq!(printed[6], "46 messages between 5 actors");
    for name in ["trace_traffic.mmd", "trace_traffic.seq.mmd", "trace_traffic.dot"] {
        let text = std::fs::read_to_string(out_dir.join(name))?;
        assert!(text.contains("gateway"), "{name}: {text}");
    }
    std::fs::remove_dir_all(&out_dir)?;
    Ok(())
}
