//! Promise: a monitor is a one-way "tell me when it ends". The watcher gets a
//! `Down` message with the target's id and its exact exit reason (normal,
//! error, panic, kill); monitoring an actor that already ended notifies at
//! once; N monitors give N notices; `demonitor` means no notice, even when
//! the notice is already queued. Notices overtake queued user messages and
//! never count against a bounded mailbox's capacity.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use actor_core::prelude::*;
use tokio::sync::{mpsc, oneshot};

/// The actor being watched: it ends however it is told to.
enum TargetMsg {
    Fail,
    Panic,
}

struct Target;

impl Actor for Target {
    type Msg = TargetMsg;

    async fn handle(&mut self, msg: TargetMsg, _: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            TargetMsg::Fail => Err("target failed".into()),
            TargetMsg::Panic => panic!("target panicked"),
        }
    }
}

/// What the watcher saw, in the order it handled it.
#[derive(Debug)]
enum Event {
    Down(Down),
    Note(u32),
}

enum WatcherMsg {
    Watch(ActorRef<Target>, ReplyPort<MonitorRef>),
    Demonitor(MonitorRef, ReplyPort<()>),
    /// Signals `entered`, waits for `gate`, then removes `demonitor`.
    Hold {
        entered: oneshot::Sender<()>,
        gate: oneshot::Receiver<()>,
        demonitor: Option<MonitorRef>,
    },
    Note(u32),
    Log(ReplyPort<Vec<Event>>),
    Down(Down),
}

impl From<Down> for WatcherMsg {
    fn from(down: Down) -> Self {
        WatcherMsg::Down(down)
    }
}

/// Logs every event and forwards each `Down` to the test.
struct Watcher {
    log: Vec<Event>,
    downs: mpsc::UnboundedSender<Down>,
}

impl Actor for Watcher {
    type Msg = WatcherMsg;

    async fn handle(&mut self, msg: WatcherMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            WatcherMsg::Watch(target, reply) => {
                let _ = reply.send(ctx.monitor(&target));
            }
            WatcherMsg::Demonitor(monitor, reply) => {
                ctx.demonitor(&monitor);
                let _ = reply.send(());
            }
            WatcherMsg::Hold {
                entered,
                gate,
                demonitor,
            } => {
                let _ = entered.send(());
                let _ = gate.await;
                if let Some(monitor) = demonitor {
                    ctx.demonitor(&monitor);
                }
            }
            WatcherMsg::Note(n) => self.log.push(Event::Note(n)),
            WatcherMsg::Log(reply) => {
                let _ = reply.send(std::mem::take(&mut self.log));
            }
            WatcherMsg::Down(down) => {
                let _ = self.downs.send(down.clone());
                self.log.push(Event::Down(down));
            }
        }
        Ok(())
    }
}

async fn spawn_watcher(
    system: &System,
    mailbox: MailboxKind,
) -> (ActorRef<Watcher>, mpsc::UnboundedReceiver<Down>) {
    let (downs, rx) = mpsc::unbounded_channel();
    let watcher = Watcher {
        log: Vec::new(),
        downs,
    };
    let options = SpawnOptions::new().mailbox(mailbox);
    (system.spawn_with(watcher, options).await.unwrap(), rx)
}

async fn watch(watcher: &ActorRef<Watcher>, target: &ActorRef<Target>) -> MonitorRef {
    let target = target.clone();
    watcher
        .ask(|reply| WatcherMsg::Watch(target, reply))
        .await
        .unwrap()
}

/// Parks the watcher in a handler; the returned sender lets it go on.
async fn hold(watcher: &ActorRef<Watcher>, demonitor: Option<MonitorRef>) -> oneshot::Sender<()> {
    let (entered, entered_rx) = oneshot::channel();
    let (gate_tx, gate) = oneshot::channel();
    let msg = WatcherMsg::Hold {
        entered,
        gate,
        demonitor,
    };
    watcher.tell(msg).await.unwrap();
    entered_rx.await.unwrap();
    gate_tx
}

fn downs_in(log: &[Event]) -> Vec<&Down> {
    log.iter()
        .filter_map(|event| match event {
            Event::Down(down) => Some(down),
            Event::Note(_) => None,
        })
        .collect()
}

/// Ends a fresh target as `end` says and returns the notice its watcher got.
async fn down_after(end: impl AsyncFnOnce(&ActorRef<Target>)) -> (Down, ExitReason) {
    let system = System::new();
    let target = system.spawn(Target).await.unwrap();
    let (watcher, mut downs) = spawn_watcher(&system, MailboxKind::default()).await;
    let monitor = watch(&watcher, &target).await;
    assert_eq!(monitor.target(), target.id());
    end(&target).await;
    let reason = target.wait_for_stop().await;
    let down = downs.recv().await.unwrap();
    assert_eq!(down.monitor, monitor);
    assert_eq!(down.id, target.id());
    assert!(watcher.is_alive(), "a monitor never ends the watcher");
    system.shutdown().await;
    (down, reason)
}

#[tokio::test]
async fn down_carries_the_exact_exit_reason() {
    let (down, reason) = down_after(async |t| t.stop()).await;
    assert!(matches!(down.reason, ExitReason::Normal), "{}", down.reason);
    assert!(matches!(reason, ExitReason::Normal));

    let (down, _) = down_after(async |t| t.tell(TargetMsg::Fail).await.unwrap()).await;
    assert!(matches!(down.reason, ExitReason::Failed(_)));
    assert_eq!(down.reason.to_string(), "failed: target failed");

    let (down, _) = down_after(async |t| t.tell(TargetMsg::Panic).await.unwrap()).await;
    assert!(matches!(down.reason, ExitReason::Panicked(_)));
    assert_eq!(down.reason.to_string(), "panicked: target panicked");

    let (down, _) = down_after(async |t| t.kill()).await;
    assert!(matches!(down.reason, ExitReason::Killed), "{}", down.reason);
}

#[tokio::test]
async fn monitoring_a_dead_actor_notifies_at_once() {
    let system = System::new();
    let target = system.spawn(Target).await.unwrap();
    target.tell(TargetMsg::Fail).await.unwrap();
    target.wait_for_stop().await;
    let (watcher, _downs) = spawn_watcher(&system, MailboxKind::default()).await;

    let monitor = watch(&watcher, &target).await;
    watcher.tell(WatcherMsg::Note(1)).await.unwrap();
    // The notice was queued by `monitor` itself, so it is handled before the
    // note sent after it; nothing else had to happen first.
    let log = watcher.ask(WatcherMsg::Log).await.unwrap();
    assert!(matches!(&log[..], [Event::Down(_), Event::Note(1)]), "{log:?}");
    let Event::Down(down) = &log[0] else {
        unreachable!()
    };
    assert_eq!(down.monitor, monitor);
    assert_eq!(down.id, target.id());
    assert_eq!(down.reason.to_string(), "failed: target failed");
    system.shutdown().await;
}

#[tokio::test]
async fn n_monitors_give_n_notices() {
    const N: usize = 3;
    let system = System::new();
    let target = system.spawn(Target).await.unwrap();
    let (watcher, mut downs) = spawn_watcher(&system, MailboxKind::default()).await;
    let mut monitors = Vec::new();
    for _ in 0..N {
        monitors.push(watch(&watcher, &target).await);
    }
    for (i, monitor) in monitors.iter().enumerate() {
        assert!(!monitors[..i].contains(monitor), "each monitor is distinct");
    }

    target.kill();
    let mut fired = Vec::new();
    for _ in 0..N {
        let down = downs.recv().await.unwrap();
        assert_eq!(down.id, target.id());
        assert!(matches!(down.reason, ExitReason::Killed));
        fired.push(down.monitor);
    }
    for monitor in &monitors {
        assert!(fired.contains(monitor), "{monitor:?} did not fire");
    }
    let log = watcher.ask(WatcherMsg::Log).await.unwrap();
    assert_eq!(downs_in(&log).len(), N, "exactly N notices");
    system.shutdown().await;
}

#[tokio::test]
async fn demonitor_before_the_exit_means_no_notice() {
    let system = System::new();
    let target = system.spawn(Target).await.unwrap();
    let (watcher, mut downs) = spawn_watcher(&system, MailboxKind::default()).await;
    let removed = watch(&watcher, &target).await;
    let kept = watch(&watcher, &target).await;
    let demonitor = removed.clone();
    watcher
        .ask(|reply| WatcherMsg::Demonitor(demonitor, reply))
        .await
        .unwrap();

    target.tell(TargetMsg::Fail).await.unwrap();
    // `kept` is notified in the same pass that would have notified `removed`
    // (which was registered first), so once its notice arrives any notice
    // for `removed` would have arrived too.
    assert_eq!(downs.recv().await.unwrap().monitor, kept);
    let log = watcher.ask(WatcherMsg::Log).await.unwrap();
    let seen = downs_in(&log);
    assert_eq!(seen.len(), 1, "{log:?}");
    assert_eq!(seen[0].monitor, kept);
    system.shutdown().await;
}

#[tokio::test]
async fn demonitor_drops_a_notice_already_queued() {
    let system = System::new();
    let target = system.spawn(Target).await.unwrap();
    let (watcher, _downs) = spawn_watcher(&system, MailboxKind::default()).await;
    let removed = watch(&watcher, &target).await;
    let kept = watch(&watcher, &target).await;

    // The watcher is busy while the target dies: both notices queue up.
    let gate = hold(&watcher, Some(removed.clone())).await;
    target.kill();
    target.wait_for_stop().await;
    // Single-threaded runtime: the target's task published its exit and
    // queued both notices before `wait_for_stop` returned here.
    gate.send(()).unwrap();

    let log = watcher.ask(WatcherMsg::Log).await.unwrap();
    let seen = downs_in(&log);
    assert_eq!(seen.len(), 1, "the removed monitor's notice was dropped: {log:?}");
    assert_eq!(seen[0].monitor, kept);
    assert_ne!(seen[0].monitor, removed);
    system.shutdown().await;
}

#[tokio::test]
async fn notices_overtake_user_messages_and_ignore_the_bound() {
    const CAPACITY: usize = 2;
    let system = System::new();
    let target = system.spawn(Target).await.unwrap();
    let (watcher, mut downs) = spawn_watcher(&system, MailboxKind::Bounded(CAPACITY)).await;
    let monitor = watch(&watcher, &target).await;

    let gate = hold(&watcher, None).await;
    watcher.try_tell(WatcherMsg::Note(1)).unwrap();
    watcher.try_tell(WatcherMsg::Note(2)).unwrap();
    assert!(watcher.try_tell(WatcherMsg::Note(3)).unwrap_err().is_full());

    target.kill();
    target.wait_for_stop().await;
    // The notice is queued, yet takes no slot.
    assert_eq!(watcher.mailbox_len(), CAPACITY);
    assert!(watcher.try_tell(WatcherMsg::Note(3)).unwrap_err().is_full());

    gate.send(()).unwrap();
    assert_eq!(downs.recv().await.unwrap().monitor, monitor);
    let log = watcher.ask(WatcherMsg::Log).await.unwrap();
    assert!(
        matches!(&log[..], [Event::Down(_), Event::Note(1), Event::Note(2)]),
        "the notice comes before the queued notes: {log:?}"
    );
    system.shutdown().await;
}
