//! The `service` example: the producer feels backpressure from the bounded
//! ingest stage, the poisoned line kills one parser, its supervisor restarts
//! it, everything else is counted before a clean shutdown, and the recorder
//! sees the traffic between the stages.

use std::time::Duration;

use actor_core::BoxError;
use actor_core::recorder::TrafficRecorder;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::SubscriberExt;

#[allow(dead_code)] // its `main`: the test calls `run`
#[path = "../../examples/service.rs"]
mod example;

/// Far beyond what the example takes; a hang fails instead of blocking CI.
const TIMEOUT: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread")]
async fn backpressure_a_restarted_parser_a_clean_shutdown_and_the_traffic() -> Result<(), BoxError> {
    // The only test in this binary: the recorder may be the global subscriber.
    let recorder = TrafficRecorder::new();
    let subscriber =
        tracing_subscriber::registry().with(recorder.clone().with_filter(TrafficRecorder::filter()));
    tracing::subscriber::set_global_default(subscriber)?;

    let report = tokio::time::timeout(TIMEOUT, example::run()).await??;
    // The mailbox holds 8 lines and the producer sends 500 without pause.
    assert!(report.waited > 0, "the producer never waited: {report:?}");
    assert_eq!(report.restarts, 1, "{report:?}");
    // The poisoned line is lost; nothing else is (the restarted parser keeps
    // its mailbox).
    assert_eq!(report.parsed, 499, "{report:?}");
    assert!(report.shutdown_clean, "{report:?}");
    for name in [
        "stats (Stats)",
        "parsers (Supervisor)",
        "parsers-0 (Parser)",
        "ingest (Ingest)",
    ] {
        assert!(report.tree.contains(name), "{name} missing from\n{}", report.tree);
    }

    let out_dir = std::env::temp_dir().join(format!("service_{}", std::process::id()));
    let path = example::summarise(&recorder, &out_dir)?;
    let snapshot = recorder.snapshot();
    let key_of = |name: &str| -> String {
        snapshot
            .actors
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.key.clone())
            .unwrap_or_default()
    };
    let count = |kind: &str, to: &str| -> u64 {
        let to = key_of(to);
        snapshot
            .edges
            .iter()
            .filter(|e| e.kind == kind && e.to == to)
            .map(|e| e.count)
            .sum()
    };
    // Every line reached ingest; all but the poisoned one were parsed.
    assert_eq!(
        (count("line", "ingest"), count("parsed", "stats")),
        (500, 499),
        "{:#?}",
        snapshot.edges
    );
    assert!(std::fs::read_to_string(&path)?.contains("ingest"));
    std::fs::remove_dir_all(&out_dir)?;
    Ok(())
}
