//! The `metrics_prometheus` example: on a paused clock, the rendered
//! Prometheus text has exactly the counts and times of its 40 requests over
//! 4 keys, the two unnamed db workers in one series, and the mailbox gauge.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use actor_core::BoxError;

#[allow(dead_code)] // its `main`: the test calls `run`
#[path = "../metrics_prometheus.rs"]
mod example;

/// `actor_type="...",actor_name="..."` for the example's type `short`.
fn actor(short: &str, name: Option<&str>) -> String {
    let path = module_path!();
    let labels = format!("actor_type=\"{path}::example::{short}\"");
    match name {
        Some(name) => format!("{labels},actor_name=\"{name}\""),
        None => labels,
    }
}

#[test]
fn renders_the_counts_and_times_of_a_known_run() -> Result<(), BoxError> {
    let (recorder, prometheus) = example::prometheus()?;
    let _tracing = tracing::subscriber::set_default(example::queue_wait_tracing());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()?;
    let lines = metrics::with_local_recorder(&recorder, || {
        actor_core::introspect::metrics::describe();
        runtime.block_on(example::run(40, 4))
    })?;
    assert_eq!(lines, 40);
    let text = prometheus.render();
    let has = |line: String| assert!(text.lines().any(|l| l == line), "no `{line}` in:\n{text}");
    // A sum of floats, to within rounding.
    let sum_is = |series: String, expected: f64| {
        let value = text
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{series} ")))
            .unwrap_or_else(|| panic!("no `{series}` in:\n{text}"));
        let value: f64 = value.parse().unwrap();
        assert!(
            (value - expected).abs() < 1e-9,
            "{series} = {value}, not {expected}"
        );
    };

    let frontend = actor("Frontend", Some("frontend"));
    let cache = actor("Cache", Some("cache"));
    let audit = actor("Audit", Some("audit"));
    let db = actor("Db", None);
    for (labels, kind, count) in [
        (&frontend, "request", 40),
        (&cache, "get", 40),
        (&cache, "put", 4),
        (&db, "query", 4), // one series for both workers
        (&audit, "log", 40),
        (&audit, "count", 1),
    ] {
        has(format!(
            "actor_messages_handled_total{{{labels},kind=\"{kind}\"}} {count}"
        ));
        has(format!(
            "actor_handling_seconds_count{{{labels},kind=\"{kind}\"}} {count}"
        ));
        has(format!(
            "actor_queue_wait_seconds_count{{{labels},kind=\"{kind}\"}} {count}"
        ));
    }
    // Paused clock: 4 misses of 2 ms at the db; 40 audit lines of 5 ms, the
    // count asked at 8 ms (when the last line was sent) and answered at 202.
    sum_is(
        format!("actor_handling_seconds_sum{{{db},kind=\"query\"}}"),
        0.008,
    );
    sum_is(
        format!("actor_handling_seconds_sum{{{frontend},kind=\"request\"}}"),
        0.008,
    );
    sum_is(format!("actor_handling_seconds_sum{{{audit},kind=\"log\"}}"), 0.2);
    sum_is(
        format!("actor_queue_wait_seconds_sum{{{audit},kind=\"count\"}}"),
        0.194,
    );
    sum_is(
        format!("actor_queue_wait_seconds_sum{{{cache},kind=\"get\"}}"),
        0.0,
    );
    has(format!(
        "actor_handling_seconds_bucket{{{audit},kind=\"log\",le=\"0.005\"}} 40"
    ));
    has(format!(
        "actor_handling_seconds_bucket{{{audit},kind=\"log\",le=\"0.001\"}} 0"
    ));
    // Sampled every 100 ms: at 200 ms only the count waits behind the last line.
    has(format!("actor_mailbox_depth{{{audit}}} 1"));
    has(format!("actor_mailbox_depth{{{cache}}} 0"));
    for (labels, started) in [(&frontend, 1), (&cache, 1), (&audit, 1), (&db, 2)] {
        has(format!("actor_started_total{{{labels}}} {started}"));
        has(format!(
            "actor_stopped_total{{{labels},reason=\"shutdown\"}} {started}"
        ));
    }
    has("# TYPE actor_handling_seconds histogram".to_owned());
    has("# HELP actor_messages_handled_total Messages whose handler finished".to_owned());
    assert!(!text.contains("actor_dead_letters_total"), "{text}");
    assert!(!text.contains("actor_restarts_total"), "{text}");
    Ok(())
}
