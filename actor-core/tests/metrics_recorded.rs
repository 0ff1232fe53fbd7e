//! Promise: with the `metrics` feature, a known exchange records exactly the
//! expected series: messages handled and handling time per kind, queue wait
//! (with no tracing subscriber: the send time travels with the message), the mailbox gauge summed per label set, restarts, dead
//! letters, stuck handlers, actors started and stopped by reason; labels are
//! the actor type, the name for named actors only (never the id), and the
//! kind.
//!
//! Paused clock: every time below is exact.
#![cfg(feature = "metrics")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use actor_core::introspect::metrics::{self as actor_metrics, HANDLING_SECONDS, MESSAGES_HANDLED};
use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, Supervisor};
use metrics::{SharedString, Unit};
use metrics_util::CompositeKey;
use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use tokio::sync::oneshot;

enum CounterMsg {
    Add(u64),
    Get(ReplyPort<u64>),
}

/// Named "counter": each add takes 10 ms.
struct Counter(u64);

impl Actor for Counter {
    type Msg = CounterMsg;

    fn message_kind(msg: &CounterMsg) -> &'static str {
        match msg {
            CounterMsg::Add(_) => "add",
            CounterMsg::Get(_) => "get",
        }
    }

    async fn handle(&mut self, msg: CounterMsg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            CounterMsg::Add(n) => {
                tokio::time::sleep(Duration::from_millis(10)).await;
                self.0 += n;
            }
            CounterMsg::Get(reply) => {
                let _ = reply.send(self.0);
            }
        }
        Ok(())
    }
}

/// Unnamed: two of them share their series.
struct Worker;

impl Actor for Worker {
    type Msg = ReplyPort<()>;

    fn message_kind(_: &Self::Msg) -> &'static str {
        "work"
    }

    async fn handle(&mut self, reply: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        let _ = reply.send(());
        Ok(())
    }
}

enum HolderMsg {
    Hold(oneshot::Receiver<()>),
    Note,
}

/// Named "holder": holds on a gate that never opens, then is killed.
struct Holder;

impl Actor for Holder {
    type Msg = HolderMsg;

    fn message_kind(msg: &HolderMsg) -> &'static str {
        match msg {
            HolderMsg::Hold(_) => "hold",
            HolderMsg::Note => "note",
        }
    }

    async fn handle(&mut self, msg: HolderMsg, _: &mut Context<Self>) -> Result<(), BoxError> {
        if let HolderMsg::Hold(gate) = msg {
            let _ = gate.await;
        }
        Ok(())
    }
}

/// Supervised as "flaky": fails when asked to.
#[derive(Default)]
struct Flaky;

impl Actor for Flaky {
    type Msg = (bool, ReplyPort<()>);

    fn message_kind(_: &Self::Msg) -> &'static str {
        "job"
    }

    async fn handle(&mut self, (fail, reply): Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
        if fail {
            return Err("asked to fail".into());
        }
        let _ = reply.send(());
        Ok(())
    }
}

/// The exchange, on a paused clock (stuck threshold 2 s: checks every 0.5 s).
async fn exchange() {
    let start = tokio::time::Instant::now();
    let system = System::new().stuck_after(Duration::from_secs(2));
    let holder = system
        .spawn_with(Holder, SpawnOptions::new().name("holder"))
        .await
        .unwrap();
    let (_never, gate) = oneshot::channel();
    holder.tell(HolderMsg::Hold(gate)).await.unwrap();
    for _ in 0..3 {
        holder.tell(HolderMsg::Note).await.unwrap();
    }

    let counter = system
        .spawn_with(Counter(0), SpawnOptions::new().name("counter"))
        .await
        .unwrap();
    for n in 1..=3 {
        counter.tell(CounterMsg::Add(n)).await.unwrap();
    }
    assert_eq!(counter.ask(CounterMsg::Get).await.unwrap(), 6);

    let mut workers = Vec::new();
    for _ in 0..2 {
        let worker = system.spawn(Worker).await.unwrap();
        worker.ask(|reply| reply).await.unwrap();
        workers.push(worker);
    }

    let supervisor = Supervisor::builder()
        .child(ChildSpec::new("flaky", Flaky::default))
        .build()
        .unwrap();
    let supervisor = system.spawn(supervisor).await.unwrap();
    let flaky: ActorRef<Flaky> = supervisor.child("flaky").await.unwrap();
    flaky.ask(|reply| (false, reply)).await.unwrap();
    assert!(matches!(
        flaky.ask(|reply| (true, reply)).await,
        Err(AskError::NoReply)
    ));
    flaky.ask(|reply| (false, reply)).await.unwrap();

    // Checks at 0.5 s .. 2.5 s: the holder, busy since 0, is reported at
    // 2.5 s; its three notes are the only queued messages.
    tokio::time::sleep_until(start + Duration::from_millis(2_800)).await;
    holder.kill();
    holder.wait_for_stop().await;
    assert!(system.shutdown().await.is_clean());
}

type Recorded = Vec<(CompositeKey, Option<Unit>, Option<SharedString>, DebugValue)>;

/// `name{label=value,...} = value`, for the series of this file's actors.
fn lines(recorded: &Recorded) -> Vec<String> {
    let mut lines: Vec<String> = recorded
        .iter()
        .filter(|(key, _, _, _)| {
            key.key()
                .labels()
                .any(|l| l.key() == "actor_type" && l.value().starts_with("metrics_recorded::"))
        })
        .map(|(key, _, _, value)| {
            let mut labels: Vec<String> = key
                .key()
                .labels()
                .map(|l| {
                    let value = l.value().trim_start_matches("metrics_recorded::");
                    format!("{}={value}", l.key())
                })
                .collect();
            labels.sort();
            let value = match value {
                DebugValue::Counter(n) => n.to_string(),
                DebugValue::Gauge(g) => g.into_inner().to_string(),
                DebugValue::Histogram(values) => {
                    format!("{:?}", values.iter().map(|v| v.into_inner()).collect::<Vec<_>>())
                }
            };
            format!("{}{{{}}} = {value}", key.key().name(), labels.join(","))
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn a_known_exchange_records_exactly_these_series() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    metrics::with_local_recorder(&recorder, || {
        actor_metrics::describe();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .unwrap();
        runtime.block_on(exchange());
    });

    let expected = [
        // The counter: adds queued at 0 run 10 ms each; the get waits 30 ms.
        "actor_handling_seconds{actor_name=counter,actor_type=Counter,kind=add} = [0.01, 0.01, 0.01]",
        "actor_handling_seconds{actor_name=counter,actor_type=Counter,kind=get} = [0.0]",
        "actor_messages_handled_total{actor_name=counter,actor_type=Counter,kind=add} = 3",
        "actor_messages_handled_total{actor_name=counter,actor_type=Counter,kind=get} = 1",
        "actor_queue_wait_seconds{actor_name=counter,actor_type=Counter,kind=add} = [0.0, 0.01, 0.02]",
        "actor_queue_wait_seconds{actor_name=counter,actor_type=Counter,kind=get} = [0.03]",
        "actor_mailbox_depth{actor_name=counter,actor_type=Counter} = 0",
        "actor_started_total{actor_name=counter,actor_type=Counter} = 1",
        "actor_stopped_total{actor_name=counter,actor_type=Counter,reason=shutdown} = 1",
        // Two unnamed workers: one series, no name label.
        "actor_handling_seconds{actor_type=Worker,kind=work} = [0.0, 0.0]",
        "actor_messages_handled_total{actor_type=Worker,kind=work} = 2",
        "actor_queue_wait_seconds{actor_type=Worker,kind=work} = [0.0, 0.0]",
        "actor_mailbox_depth{actor_type=Worker} = 0",
        "actor_started_total{actor_type=Worker} = 2",
        "actor_stopped_total{actor_type=Worker,reason=shutdown} = 2",
        // The holder: stuck on its gate, three notes queued, then killed
        // (the killed handler counts, after 2.8 s).
        "actor_handling_seconds{actor_name=holder,actor_type=Holder,kind=hold} = [2.8]",
        "actor_messages_handled_total{actor_name=holder,actor_type=Holder,kind=hold} = 1",
        "actor_queue_wait_seconds{actor_name=holder,actor_type=Holder,kind=hold} = [0.0]",
        "actor_mailbox_depth{actor_name=holder,actor_type=Holder} = 3",
        "actor_stuck_handlers_total{actor_name=holder,actor_type=Holder,kind=hold} = 1",
        "actor_dead_letters_total{actor_name=holder,actor_type=Holder} = 3",
        "actor_started_total{actor_name=holder,actor_type=Holder} = 1",
        "actor_stopped_total{actor_name=holder,actor_type=Holder,reason=killed} = 1",
        // The flaky child: three jobs (one failed), one restart, started once.
        "actor_handling_seconds{actor_name=flaky,actor_type=Flaky,kind=job} = [0.0, 0.0, 0.0]",
        "actor_messages_handled_total{actor_name=flaky,actor_type=Flaky,kind=job} = 3",
        "actor_queue_wait_seconds{actor_name=flaky,actor_type=Flaky,kind=job} = [0.0, 0.0, 0.0]",
        "actor_mailbox_depth{actor_name=flaky,actor_type=Flaky} = 0",
        "actor_restarts_total{actor_name=flaky,actor_type=Flaky} = 1",
        "actor_started_total{actor_name=flaky,actor_type=Flaky} = 1",
        "actor_stopped_total{actor_name=flaky,actor_type=Flaky,reason=shutdown} = 1",
    ];
    let mut expected: Vec<String> = expected.iter().map(ToString::to_string).collect();
    expected.sort();
    let recorded = snapshotter.snapshot().into_vec();
    assert_eq!(lines(&recorded), expected);

    // `describe` gave the units.
    let units: Vec<(String, Option<Unit>)> = recorded
        .iter()
        .filter(|(key, ..)| [MESSAGES_HANDLED, HANDLING_SECONDS].contains(&key.key().name()))
        .map(|(key, unit, ..)| (key.key().name().to_string(), *unit))
        .collect();
    assert!(
        units.contains(&(HANDLING_SECONDS.to_string(), Some(Unit::Seconds))),
        "{units:?}"
    );
    assert!(
        units.contains(&(MESSAGES_HANDLED.to_string(), Some(Unit::Count))),
        "{units:?}"
    );
}
