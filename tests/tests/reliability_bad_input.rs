//! Promise: every public constructor and option of `actor_core`, fed edge
//! values, returns a typed error or behaves in a documented, sensible way,
//! and never panics — not even a panic the framework would contain. Each
//! test counts the panics raised on its thread (the actors of a
//! current-thread runtime run there too) and requires none.
//!
//! What was tried (input -> expected):
//!
//! | API | input | expected |
//! |---|---|---|
//! | `SpawnOptions::mailbox` | `Bounded(0)` | `SpawnError::ZeroCapacity` (task and thread executors) |
//! | | `Bounded(1)`, two `try_tell` before the actor runs | 2nd: `TrySendError::Full`, message back |
//! | | `Bounded(usize::MAX)` | spawns; never `Full`; `capacity()` is `None` or `Some(usize::MAX)` |
//! | | `Unbounded` | spawns; `capacity()` is `None` |
//! | `SpawnOptions::stop_timeout` | `0`, `MAX_TIMEOUT + 1ns`, `Duration::MAX` | `SpawnError::InvalidStopTimeout(d)` |
//! | | `1ns`, `MAX_TIMEOUT` | spawns; shutdown ends it |
//! | | `0` together with `Bounded(0)` | one of the two typed errors |
//! | `SpawnOptions::name` | `""`, 1 MiB, `"\0\n\t"`, `" x "`, non-ASCII | spawns; `name()` gives it back unchanged |
//! | | `""`, 1 MiB, non-ASCII with `Executor::DedicatedThread` | spawns on its thread |
//! | `System::spawn` | after `shutdown` (task and thread) | `SpawnError::SystemShutDown` |
//! | | outside any runtime (task executor) | `SpawnError::NoRuntime` |
//! | | `started` returns an error | `SpawnError::StartFailed` |
//! | `ActorRef` of an actor stopped / killed / failed | `tell`, `try_tell`, `ask`, `recipient().tell` | `Closed`, the message given back |
//! | | `stop`, `kill`, `wait_for_stop` again | harmless; the exit reason does not change |
//! | `ask_timeout` | `0`, `MAX_TIMEOUT + 1ns`, `Duration::MAX` (live or dead actor) | `AskError::InvalidTimeout(d)`; the request is never built |
//! | | `MAX_TIMEOUT` | the reply |
//! | | `1ns` | the reply or `Timeout(1ns)` |
//! | | request dropped unanswered | `AskError::NoReply` |
//! | `ask` | outside any runtime | `AskError::NoRuntime` |
//! | `tell`/`ask` to itself | 2nd self-`tell` into a full `Bounded(1)`; self-`ask` | `SendError::WouldDeadlock`, `AskError::SelfAsk` |
//! | `WeakActorRef::upgrade` | after the last strong handle is dropped | `None` |
//! | `Intensity` | period `0`, `MAX_TIMEOUT + 1ns`, `Duration::MAX` | `SupervisorError::InvalidIntensity` |
//! | | period `1ns`, `MAX_TIMEOUT` | builds |
//! | | `max_restarts = 0` | the first crash ends the supervisor with `Shutdown` |
//! | | `max_restarts = u32::MAX` | every crash is restarted |
//! | `ChildSpec` | `Bounded(0)`; shutdown `Timeout(0)` or `Timeout(Duration::MAX)` | `SupervisorError::InvalidSpec` (`build` and `start_child`) |
//! | | backoff `min > max`, `min = 0`, `max > MAX_TIMEOUT`, factor NaN / inf / `-0.1` / `10.5` | `SupervisorError::InvalidSpec` |
//! | | backoff `1ns..MAX_TIMEOUT`, factor `10`; `Shutdown::Infinity`, `BrutalKill`; name `""` or 1 MiB | builds and runs |
//! | | two children of one name (`build` and `start_child`) | `SupervisorError::DuplicateChild` |
//! | | `started` fails (`start_child`) | `SupervisorError::ChildStartFailed` |
//! | `ActorRef<Supervisor>` | `child`/`remove_child` of a missing name; `child` of the wrong type | `NoSuchChild`, `WrongType` |
//! | | any request after the supervisor stopped | `SupervisorError::Unreachable` |
//! | `Backoff::delay` | attempt `0` / `u32::MAX`, random NaN / `-inf` / `+inf` on a valid backoff | between `min` and `max * (1 + factor)` |
//! | `Backoff::new` | `(0, 0)`, `(MAX_TIMEOUT, MAX_TIMEOUT)` | a value (rejected later by the spec check when invalid) |
//! | `Pool::builder` / `Pool::blocking` | size `0` | `PoolError::ZeroSize` |
//! | | `Bounded(0)`, intensity period `0`, backoff `min > max`, shutdown `Timeout(0)` | `PoolError::Invalid(..)` |
//! | | name `""` or 1 MiB (task workers) | spawns |
//! | | on a shut-down system | `PoolError::Spawn(SpawnError::SystemShutDown)` |
//! | `PoolRef` after `stop` | `tell`, `try_tell`, `ask`, `broadcast`, `run` | `Closed` / `JobError::Closed` |
//! | `Registry::register` | `""`, 256 bytes, 1 MiB, `"\0"`, `"\n"`, `"\u{7f}"`, `" a"`, `"a "`, `"\t"` | `RegistryError::InvalidName` |
//! | | 255 bytes, non-ASCII | registered |
//! | | a name held by another actor / the same actor again | `NameTaken { holder }` / `Ok` |
//! | | a stopped actor; a stopping one | `RegistryError::Stopped(id)` |
//! | `Registry::lookup` / `unregister` / `whereis` | missing or invalid name; wrong type | `Ok(None)` / `NotRegistered` / `None`; `WrongType` |
//! | `Groups::group` / `Groups::topic` | `""`, 256 bytes, `"\n"`; a name taken by another message type | `GroupError::InvalidName`; `GroupError::WrongType` |
//! | `Group::join` / `Topic::subscribe` | a stopped actor; the same actor twice | removed again at once; `false` |
//! | `Group::leave` / `Topic::unsubscribe` | an id that is not a member | `false` |
//! | `Topic::publish` / `try_publish` | no subscriber; a stopping one; a full one | empty report; `closed = 1`; `full = 1` |
//! | `Source::interval` | period `0` | `SourceError::ZeroPeriod` |
//! | | period `1ms` (the timer's resolution) | ticks about once per ms |
//! | `Source::after` | `Duration::MAX` | never fires; the actor lives on |
//! | | `0` | fires at once |
//! | `Context::detach` | an id already detached | `false` |
//! | `Context::spawn` | from `stopped` | `SpawnError::ParentStopped(id)` |
//! | `Context::monitor` / `link` | an actor that already ended; itself | `Down` / `ExitSignal` at once; linking itself is a no-op |
//! | `System::shutdown` | twice; on an empty system | the same report; clean |
//! | `System::snapshot` | names `""`, `"\"\\\n\0"`, 1 MiB | renders as text and JSON |
//!
//! Inputs that panicked when this sweep was first run — a NUL byte in a
//! dedicated-thread or blocking-pool name, `Backoff::new` whose `min + max`
//! overflows, `Backoff::delay` with an infinite or huge random factor,
//! `Source::interval(Duration::MAX)`, `ask` on a runtime without the time
//! driver — are fixed and held by actor-core/tests/integration/edge_values_no_panic.rs,
//! as is an interval below the timer's 1 ms step (it came in bursts);
//! `System::shutdown` outside a runtime is held by
//! actor-core/tests/integration/shutdown_outside_runtime.rs. Still left out:
//! `System::shutdown` on a runtime built without timers (see the Guarantees
//! page).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::sync::Once;
use std::task::{Context as TaskContext, Poll, Waker};
use std::time::Duration;

use actor_core::error::{GroupError, JobError, PoolError, RegistryError};
use actor_core::pool::Pool;
use actor_core::prelude::*;
use actor_core::pubsub::Topic;
use actor_core::supervision::{Backoff, ChildSpec, Intensity, Shutdown, Supervisor};
use actor_core::{MAX_TIMEOUT, SourceError, SupervisorError};

// ----- helpers ---------------------------------------------------------------

thread_local! {
    static PANICS: Cell<usize> = const { Cell::new(0) };
}

/// Panics raised on this thread so far (contained ones included).
fn panics_here() -> usize {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.with(|count| count.set(count.get() + 1));
            previous(info);
        }));
    });
    PANICS.with(Cell::get)
}

/// Fails the test if any panic was raised on this thread since `start`.
struct NoPanic(usize);

impl NoPanic {
    fn start() -> NoPanic {
        NoPanic(panics_here())
    }

    fn check(self) {
        assert_eq!(
            panics_here(),
            self.0,
            "a panic was raised (even if it was contained)"
        );
    }
}

/// Polls `fut` once with a no-op waker, outside any runtime.
fn poll_once<F: Future>(fut: F) -> Poll<F::Output> {
    let mut cx = TaskContext::from_waker(Waker::noop());
    pin!(fut).poll(&mut cx)
}

fn nanos(n: u64) -> Duration {
    Duration::from_nanos(n)
}

fn huge_name() -> String {
    "x".repeat(1 << 20)
}

enum Msg {
    Push(u32),
    Seen(ReplyPort<Vec<u32>>),
    Ignore(ReplyPort<u32>),
    Fail,
    SelfTalk(ReplyPort<String>),
}

#[derive(Default)]
struct Probe {
    seen: Vec<u32>,
}

impl Actor for Probe {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Push(n) => self.seen.push(n),
            Msg::Seen(reply) => {
                let _ = reply.send(self.seen.clone());
            }
            Msg::Ignore(reply) => drop(reply),
            Msg::Fail => return Err("asked to fail".into()),
            Msg::SelfTalk(reply) => {
                let me = ctx.myself();
                let first = me.tell(Msg::Push(1)).await;
                let second = me.tell(Msg::Push(2)).await;
                let ask = me.ask(Msg::Seen).await;
                let _ = reply.send(format!("{first:?} {second:?} {ask:?}"));
            }
        }
        Ok(())
    }
}

/// Takes numbers and does nothing with them.
struct Sink;

impl Actor for Sink {
    type Msg = u32;

    async fn handle(&mut self, _: u32, _: &mut Context<Self>) -> Result<(), BoxError> {
        Ok(())
    }
}

struct FailsToStart;

impl Actor for FailsToStart {
    type Msg = ();

    async fn started(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        Err("refused".into())
    }

    async fn handle(&mut self, (): (), _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        Ok(())
    }
}

async fn probe(system: &System, options: SpawnOptions) -> ActorRef<Probe> {
    system.spawn_with(Probe::default(), options).await.unwrap()
}

// ----- spawn options -----------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn mailbox_capacity_edges() {
    let no_panic = NoPanic::start();
    let system = System::new();
    for executor in [Executor::Task, Executor::DedicatedThread] {
        let options = SpawnOptions::new()
            .mailbox(MailboxKind::Bounded(0))
            .executor(executor);
        let err = system.spawn_with(Probe::default(), options).await.unwrap_err();
        assert!(matches!(err, SpawnError::ZeroCapacity), "{executor:?}: {err:?}");
    }

    let one = probe(&system, SpawnOptions::new().mailbox(MailboxKind::Bounded(1))).await;
    one.try_tell(Msg::Push(1)).unwrap();
    let full = one.try_tell(Msg::Push(2)).unwrap_err();
    assert!(full.is_full());
    assert!(matches!(full.into_inner(), Msg::Push(2)));
    assert_eq!(one.ask(Msg::Seen).await.unwrap(), [1]);

    let max = probe(
        &system,
        SpawnOptions::new().mailbox(MailboxKind::Bounded(usize::MAX)),
    )
    .await;
    assert!(
        matches!(max.capacity(), None | Some(usize::MAX)),
        "{:?}",
        max.capacity()
    );
    for n in 0..100 {
        max.try_tell(Msg::Push(n)).unwrap();
    }
    assert_eq!(max.ask(Msg::Seen).await.unwrap().len(), 100);

    let unbounded = probe(&system, SpawnOptions::new().mailbox(MailboxKind::Unbounded)).await;
    assert_eq!(unbounded.capacity(), None);
    unbounded.tell(Msg::Push(7)).await.unwrap();
    assert_eq!(unbounded.ask(Msg::Seen).await.unwrap(), [7]);
    assert!(system.shutdown().await.is_clean());
    no_panic.check();
}

#[tokio::test(start_paused = true)]
async fn stop_timeout_edges() {
    let no_panic = NoPanic::start();
    let system = System::new();
    for bad in [Duration::ZERO, MAX_TIMEOUT + nanos(1), Duration::MAX] {
        let options = SpawnOptions::new().stop_timeout(bad);
        let err = system.spawn_with(Probe::default(), options).await.unwrap_err();
        assert!(
            matches!(err, SpawnError::InvalidStopTimeout(d) if d == bad),
            "{bad:?}: {err:?}"
        );
    }
    let both = SpawnOptions::new()
        .stop_timeout(Duration::ZERO)
        .mailbox(MailboxKind::Bounded(0));
    let err = system.spawn_with(Probe::default(), both).await.unwrap_err();
    assert!(
        matches!(err, SpawnError::InvalidStopTimeout(_) | SpawnError::ZeroCapacity),
        "{err:?}"
    );

    let mut spawned = Vec::new();
    for good in [nanos(1), MAX_TIMEOUT] {
        spawned.push(probe(&system, SpawnOptions::new().stop_timeout(good)).await);
    }
    system.shutdown().await;
    for actor in spawned {
        assert!(actor.exit_reason().is_some(), "shutdown must end every actor");
    }
    no_panic.check();
}

#[tokio::test(start_paused = true)]
async fn odd_names_are_labels_only() {
    let no_panic = NoPanic::start();
    let system = System::new();
    let names = [
        String::new(),
        huge_name(),
        "\0\n\t".to_string(),
        " x ".to_string(),
        "名前 ✓".to_string(),
    ];
    for name in &names {
        let actor = probe(&system, SpawnOptions::new().name(name.as_str())).await;
        assert_eq!(actor.name(), Some(name.as_str()));
        actor.tell(Msg::Push(1)).await.unwrap();
        assert_eq!(actor.ask(Msg::Seen).await.unwrap(), [1]);
    }
    for name in [String::new(), huge_name(), "名前 ✓".to_string()] {
        let options = SpawnOptions::new()
            .name(name.as_str())
            .executor(Executor::DedicatedThread);
        let actor = probe(&system, options).await;
        assert_eq!(actor.name(), Some(name.as_str()));
        // No ask here: its deadline runs on the paused clock while the
        // thread replies in real time. Stopping waits on no timer.
        actor.tell(Msg::Push(1)).await.unwrap();
        actor.stop();
        assert!(matches!(actor.wait_for_stop().await, ExitReason::Normal));
    }
    system.shutdown().await;
    no_panic.check();
}

#[tokio::test(start_paused = true)]
async fn spawning_on_a_shut_down_system() {
    let no_panic = NoPanic::start();
    let system = System::new();
    let first = system.shutdown().await;
    assert!(first.is_clean());
    assert_eq!(
        system.shutdown().await,
        first,
        "a second shutdown returns the same report"
    );
    for executor in [Executor::Task, Executor::DedicatedThread] {
        let options = SpawnOptions::new().executor(executor);
        let err = system.spawn_with(Probe::default(), options).await.unwrap_err();
        assert!(matches!(err, SpawnError::SystemShutDown), "{executor:?}: {err:?}");
    }
    let sup = Supervisor::builder().build().unwrap();
    assert!(matches!(system.spawn(sup).await, Err(SpawnError::SystemShutDown)));
    let pool = Pool::builder(2, |_| Probe::default()).spawn(&system).await;
    assert!(
        matches!(pool, Err(PoolError::Spawn(SpawnError::SystemShutDown))),
        "{:?}",
        pool.map(|_| ())
    );
    no_panic.check();
}

#[test]
fn spawning_and_asking_outside_a_runtime() {
    let no_panic = NoPanic::start();
    let system = System::new();
    match poll_once(system.spawn(Probe::default())) {
        Poll::Ready(Err(SpawnError::NoRuntime)) => {}
        other => panic!(
            "expected NoRuntime at once, got {:?}",
            other.map(|r| r.map(|_| ()))
        ),
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let actor = runtime.block_on(system.spawn(Probe::default())).unwrap();
    // Outside `block_on`: no runtime is entered on this thread.
    let mut built = false;
    let asked = poll_once(actor.ask(|reply| {
        built = true;
        Msg::Seen(reply)
    }));
    assert!(matches!(asked, Poll::Ready(Err(AskError::NoRuntime))));
    assert!(!built, "nothing is sent when the ask cannot run");
    runtime.block_on(system.shutdown());
    no_panic.check();
}

#[tokio::test(start_paused = true)]
async fn failing_start_is_a_typed_error() {
    let no_panic = NoPanic::start();
    let system = System::new();
    let err = system.spawn(FailsToStart).await.unwrap_err();
    assert!(matches!(err, SpawnError::StartFailed { .. }), "{err:?}");
    assert_eq!(system.top_level_count(), 0);
    no_panic.check();
}

// ----- handles to dead actors and ask timeouts ---------------------------------

/// Every operation on a handle whose actor has ended: typed errors that give
/// the message back, and idempotent control.
async fn check_dead_handle(actor: &ActorRef<Probe>, reason: &str) {
    let exit = actor.exit_reason().expect("ended");
    assert_eq!(exit.to_string(), reason);
    assert!(!actor.is_alive());
    match actor.tell(Msg::Push(9)).await {
        Err(SendError::Closed(Msg::Push(9))) => {}
        other => panic!("tell: {other:?}"),
    }
    match actor.try_tell(Msg::Push(8)) {
        Err(TrySendError::Closed(Msg::Push(8))) => {}
        other => panic!("try_tell: {other:?}"),
    }
    match actor.ask(Msg::Seen).await {
        Err(AskError::Closed(Msg::Seen(_))) => {}
        other => panic!("ask: {other:?}"),
    }
    let recipient: Recipient<Msg> = actor.recipient();
    assert!(matches!(
        recipient.tell(Msg::Push(7)).await,
        Err(SendError::Closed(Msg::Push(7)))
    ));
    assert!(matches!(
        recipient.try_tell(Msg::Fail),
        Err(TrySendError::Closed(Msg::Fail))
    ));
    for timeout in [Duration::ZERO, Duration::MAX] {
        let err = actor.ask_timeout(Msg::Seen, timeout).await.unwrap_err();
        assert!(
            matches!(err, AskError::InvalidTimeout(d) if d == timeout),
            "{err:?}"
        );
    }
    actor.stop();
    actor.kill();
    actor.stop();
    assert_eq!(
        actor.wait_for_stop().await.to_string(),
        reason,
        "the exit reason never changes"
    );
    assert_eq!(actor.mailbox_len(), 0);
    let weak = actor.downgrade();
    let strong = weak.upgrade().expect("a strong handle is still held");
    assert!(matches!(
        strong.try_tell(Msg::Push(1)),
        Err(TrySendError::Closed(_))
    ));
}

#[tokio::test(start_paused = true)]
async fn handles_of_ended_actors() {
    let no_panic = NoPanic::start();
    let system = System::new();

    let stopped = probe(&system, SpawnOptions::new()).await;
    stopped.stop();
    stopped.wait_for_stop().await;
    check_dead_handle(&stopped, "normal").await;

    let killed = probe(&system, SpawnOptions::new()).await;
    killed.kill();
    killed.wait_for_stop().await;
    check_dead_handle(&killed, "killed").await;

    let failed = probe(&system, SpawnOptions::new()).await;
    failed.tell(Msg::Fail).await.unwrap();
    failed.wait_for_stop().await;
    check_dead_handle(&failed, "failed: asked to fail").await;

    let shut = probe(&system, SpawnOptions::new()).await;
    system.shutdown().await;
    check_dead_handle(&shut, "shutdown").await;

    // The last strong handle gone: a weak one cannot bring it back.
    let system = System::new();
    let dropped = probe(&system, SpawnOptions::new()).await;
    let weak = dropped.downgrade();
    drop(dropped);
    assert!(weak.upgrade().is_none());
    no_panic.check();
}

#[tokio::test(start_paused = true)]
async fn ask_timeout_edges() {
    let no_panic = NoPanic::start();
    let system = System::new();
    let actor = probe(&system, SpawnOptions::new()).await;
    for bad in [Duration::ZERO, MAX_TIMEOUT + nanos(1), Duration::MAX] {
        let mut built = false;
        let err = actor
            .ask_timeout(
                |reply| {
                    built = true;
                    Msg::Seen(reply)
                },
                bad,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, AskError::InvalidTimeout(d) if d == bad),
            "{bad:?}: {err:?}"
        );
        assert!(!built, "an invalid timeout sends nothing");
    }
    assert_eq!(
        actor.ask_timeout(Msg::Seen, MAX_TIMEOUT).await.unwrap(),
        Vec::<u32>::new()
    );
    match actor.ask_timeout(Msg::Seen, nanos(1)).await {
        Ok(seen) => assert!(seen.is_empty()),
        Err(AskError::Timeout(d)) => assert_eq!(d, nanos(1)),
        Err(other) => panic!("1ns ask: {other:?}"),
    }
    assert!(matches!(actor.ask(Msg::Ignore).await, Err(AskError::NoReply)));
    assert!(actor.is_alive(), "a dropped request does not hurt the actor");
    system.shutdown().await;
    no_panic.check();
}

#[tokio::test(start_paused = true)]
async fn talking_to_itself() {
    let no_panic = NoPanic::start();
    let system = System::new();
    let actor = probe(&system, SpawnOptions::new().mailbox(MailboxKind::Bounded(1))).await;
    let summary = actor.ask(Msg::SelfTalk).await.unwrap();
    assert_eq!(summary, "Ok(()) Err(WouldDeadlock(..)) Err(SelfAsk)");
    assert_eq!(actor.ask(Msg::Seen).await.unwrap(), [1]);
    system.shutdown().await;
    no_panic.check();
}

// ----- supervision ---------------------------------------------------------------

fn worker(name: &str) -> ChildSpec<Probe> {
    ChildSpec::new(name, Probe::default)
}

fn invalid_specs(name: &str) -> Vec<(&'static str, ChildSpec<Probe>)> {
    let secs = Duration::from_secs;
    vec![
        ("bounded 0", worker(name).mailbox(MailboxKind::Bounded(0))),
        (
            "shutdown 0",
            worker(name).shutdown(Shutdown::Timeout(Duration::ZERO)),
        ),
        (
            "shutdown max",
            worker(name).shutdown(Shutdown::Timeout(Duration::MAX)),
        ),
        ("min > max", worker(name).backoff(Backoff::new(secs(2), secs(1)))),
        (
            "min 0",
            worker(name).backoff(Backoff::new(Duration::ZERO, secs(1))),
        ),
        (
            "max > 1 day",
            worker(name).backoff(Backoff::new(secs(1), MAX_TIMEOUT + nanos(1))),
        ),
        (
            "factor NaN",
            worker(name).backoff(Backoff::new(secs(1), secs(2)).random_factor(f64::NAN)),
        ),
        (
            "factor inf",
            worker(name).backoff(Backoff::new(secs(1), secs(2)).random_factor(f64::INFINITY)),
        ),
        (
            "factor < 0",
            worker(name).backoff(Backoff::new(secs(1), secs(2)).random_factor(-0.1)),
        ),
        (
            "factor > 10",
            worker(name).backoff(Backoff::new(secs(1), secs(2)).random_factor(10.5)),
        ),
    ]
}

#[tokio::test(start_paused = true)]
async fn supervisor_configuration_edges() {
    let no_panic = NoPanic::start();
    for period in [Duration::ZERO, MAX_TIMEOUT + nanos(1), Duration::MAX] {
        let err = Supervisor::builder()
            .intensity(Intensity::new(1, period))
            .build()
            .unwrap_err();
        assert!(
            matches!(err, SupervisorError::InvalidIntensity),
            "{period:?}: {err:?}"
        );
    }
    for period in [nanos(1), MAX_TIMEOUT] {
        Supervisor::builder()
            .intensity(Intensity::new(u32::MAX, period))
            .build()
            .unwrap();
    }
    for (what, spec) in invalid_specs("w") {
        let err = Supervisor::builder().child(spec).build().unwrap_err();
        assert!(
            matches!(err, SupervisorError::InvalidSpec { ref child, .. } if child == "w"),
            "{what}: {err:?}"
        );
    }
    let err = Supervisor::builder()
        .child(worker("twin"))
        .child(worker("twin"))
        .build()
        .unwrap_err();
    assert!(
        matches!(err, SupervisorError::DuplicateChild(ref name) if name == "twin"),
        "{err:?}"
    );

    // The limits themselves work.
    let system = System::new();
    let extreme = Backoff::new(nanos(1), MAX_TIMEOUT).random_factor(10.0);
    let sup = Supervisor::builder()
        .child(worker("").backoff(extreme))
        .child(worker(&huge_name()).shutdown(Shutdown::Infinity))
        .child(worker("brutal").shutdown(Shutdown::BrutalKill))
        .build()
        .unwrap();
    let sup = system.spawn(sup).await.unwrap();
    let empty: ActorRef<Probe> = sup.child("").await.unwrap();
    empty.tell(Msg::Push(3)).await.unwrap();
    assert_eq!(empty.ask(Msg::Seen).await.unwrap(), [3]);
    assert_eq!(sup.children().await.unwrap().len(), 3);
    assert!(system.shutdown().await.is_clean());
    no_panic.check();
}

#[tokio::test(start_paused = true)]
async fn supervisor_requests_with_bad_arguments() {
    let no_panic = NoPanic::start();
    let system = System::new();
    let sup = system
        .spawn(Supervisor::builder().child(worker("w")).build().unwrap())
        .await
        .unwrap();
    for (what, spec) in invalid_specs("fresh") {
        let err = sup.start_child(spec).await.unwrap_err();
        assert!(
            matches!(err, SupervisorError::InvalidSpec { ref child, .. } if child == "fresh"),
            "{what}: {err:?}"
        );
    }
    assert_eq!(
        sup.children().await.unwrap().len(),
        1,
        "no invalid child was started"
    );
    assert!(matches!(
        sup.start_child(worker("w")).await,
        Err(SupervisorError::DuplicateChild(_))
    ));
    let failing = ChildSpec::new("bad-start", || FailsToStart);
    let err = sup.start_child(failing).await.unwrap_err();
    assert!(
        matches!(err, SupervisorError::ChildStartFailed { ref child, source: SpawnError::StartFailed { .. } } if child == "bad-start"),
        "{err:?}"
    );
    assert!(matches!(
        sup.child::<Probe>("missing").await,
        Err(SupervisorError::NoSuchChild(_))
    ));
    assert!(matches!(
        sup.child::<FailsToStart>("w").await,
        Err(SupervisorError::WrongType { .. })
    ));
    assert!(matches!(
        sup.remove_child("missing").await,
        Err(SupervisorError::NoSuchChild(_))
    ));
    sup.remove_child("w").await.unwrap();
    assert!(matches!(
        sup.remove_child("w").await,
        Err(SupervisorError::NoSuchChild(_))
    ));

    sup.stop();
    sup.wait_for_stop().await;
    assert!(matches!(
        sup.children().await,
        Err(SupervisorError::Unreachable(AskError::Closed(())))
    ));
    assert!(matches!(
        sup.child::<Probe>("w").await,
        Err(SupervisorError::Unreachable(_))
    ));
    assert!(matches!(
        sup.start_child(worker("x")).await,
        Err(SupervisorError::Unreachable(_))
    ));
    assert!(matches!(
        sup.remove_child("x").await,
        Err(SupervisorError::Unreachable(_))
    ));
    no_panic.check();
}

#[tokio::test(start_paused = true)]
async fn restart_intensity_edges() {
    let no_panic = NoPanic::start();
    let system = System::new();
    let zero = Supervisor::builder()
        .intensity(Intensity::new(0, Duration::from_secs(5)))
        .child(worker("w"))
        .build()
        .unwrap();
    let zero = system.spawn(zero).await.unwrap();
    let child: ActorRef<Probe> = zero.child("w").await.unwrap();
    child.tell(Msg::Fail).await.unwrap();
    assert!(matches!(zero.wait_for_stop().await, ExitReason::Shutdown));
    assert!(matches!(child.wait_for_stop().await, ExitReason::Failed(_)));

    let unlimited = Supervisor::builder()
        .intensity(Intensity::new(u32::MAX, MAX_TIMEOUT))
        .child(worker("w"))
        .build()
        .unwrap();
    let unlimited = system.spawn(unlimited).await.unwrap();
    let child: ActorRef<Probe> = unlimited.child("w").await.unwrap();
    for _ in 0..10 {
        child.tell(Msg::Fail).await.unwrap();
        // Queued behind the crash: answered by the next instance.
        assert_eq!(child.ask(Msg::Seen).await.unwrap(), Vec::<u32>::new());
    }
    assert_eq!(unlimited.children().await.unwrap()[0].restarts, 10);
    assert!(system.shutdown().await.is_clean());
    no_panic.check();
}

#[test]
fn backoff_arithmetic_edges() {
    let no_panic = NoPanic::start();
    let backoff = Backoff::new(Duration::from_millis(10), Duration::from_secs(60)).random_factor(10.0);
    let ceiling = Duration::from_secs(60 * 11);
    for attempt in [0, 1, 2, 63, 64, u32::MAX] {
        for random in [
            0.0,
            0.5,
            1.0,
            f64::NAN,
            f64::NEG_INFINITY,
            f64::INFINITY,
            -1.0,
            2.0,
        ] {
            let delay = backoff.delay(attempt, random);
            assert!(
                delay >= backoff.min && delay <= ceiling,
                "{attempt} {random}: {delay:?}"
            );
        }
    }
    assert_eq!(backoff.delay(u32::MAX, 0.0), backoff.max);
    let zero = Backoff::new(Duration::ZERO, Duration::ZERO);
    assert_eq!(zero.delay(5, 0.5), Duration::ZERO);
    let widest = Backoff::new(MAX_TIMEOUT, MAX_TIMEOUT).random_factor(10.0);
    assert_eq!(widest.reset_after, MAX_TIMEOUT);
    assert_eq!(widest.delay(u32::MAX, 1.0), MAX_TIMEOUT * 11);
    no_panic.check();
}

// ----- pools ------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn pool_configuration_edges() {
    let no_panic = NoPanic::start();
    let system = System::new();
    assert!(matches!(
        Pool::builder(0, |_| Probe::default()).spawn(&system).await,
        Err(PoolError::ZeroSize)
    ));
    assert!(matches!(
        Pool::blocking(0).spawn(&system).await,
        Err(PoolError::ZeroSize)
    ));

    let invalid = [
        (
            "bounded 0",
            Pool::builder(2, |_| Probe::default()).mailbox(MailboxKind::Bounded(0)),
        ),
        (
            "period 0",
            Pool::builder(2, |_| Probe::default()).intensity(Intensity::new(1, Duration::ZERO)),
        ),
        (
            "min > max",
            Pool::builder(2, |_| Probe::default())
                .backoff(Backoff::new(Duration::from_secs(2), Duration::from_secs(1))),
        ),
        (
            "shutdown 0",
            Pool::builder(2, |_| Probe::default()).shutdown(Shutdown::Timeout(Duration::ZERO)),
        ),
    ];
    for (what, builder) in invalid {
        match builder.spawn(&system).await {
            Err(PoolError::Invalid(_)) => {}
            other => panic!("{what}: {:?}", other.map(|_| ())),
        }
    }
    assert_eq!(
        system.top_level_count(),
        0,
        "nothing started for a bad configuration"
    );

    for name in [String::new(), huge_name()] {
        let pool = Pool::builder(2, |_| Probe::default())
            .name(name)
            .spawn(&system)
            .await
            .unwrap();
        pool.tell(Msg::Push(1)).await.unwrap();
        assert_eq!(pool.size(), 2);
        pool.stop();
        pool.wait_for_stop().await;
    }
    system.shutdown().await;
    no_panic.check();
}

#[tokio::test(start_paused = true)]
async fn stopped_pools_refuse_work() {
    let no_panic = NoPanic::start();
    let system = System::new();
    let pool = Pool::builder(2, |_| Probe::default())
        .spawn(&system)
        .await
        .unwrap();
    let sinks = Pool::builder(2, |_| Sink).spawn(&system).await.unwrap();
    let blocking = Pool::blocking(1).spawn(&system).await.unwrap();
    pool.stop();
    pool.wait_for_stop().await;
    sinks.stop();
    sinks.wait_for_stop().await;
    blocking.stop();
    blocking.wait_for_stop().await;
    assert!(!pool.is_alive());
    assert!(matches!(
        pool.tell(Msg::Push(1)).await,
        Err(SendError::Closed(Msg::Push(1)))
    ));
    assert!(matches!(
        pool.try_tell(Msg::Push(2)),
        Err(TrySendError::Closed(Msg::Push(2)))
    ));
    assert!(matches!(pool.ask(Msg::Seen).await, Err(AskError::Closed(_))));
    assert!(matches!(sinks.broadcast(3).await, Err(SendError::Closed(3))));
    assert!(matches!(
        pool.tell_keyed(&u64::MAX, Msg::Push(4)).await,
        Err(SendError::Closed(_))
    ));
    assert_eq!(blocking.run(|| 1).await, Err(JobError::Closed));
    no_panic.check();
}

// ----- registry, groups, topics -------------------------------------------------------

fn invalid_names() -> Vec<String> {
    let mut names: Vec<String> = ["", "\0", "a\nb", "\u{7f}", " a", "a ", "\t"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    names.push("n".repeat(256));
    names.push(huge_name());
    names
}

#[tokio::test(start_paused = true)]
async fn registry_edges() {
    let no_panic = NoPanic::start();
    let system = System::new();
    let registry = system.registry();
    let a = probe(&system, SpawnOptions::new()).await;
    let b = probe(&system, SpawnOptions::new()).await;
    for name in invalid_names() {
        let err = registry.register(&name, &a).unwrap_err();
        assert!(
            matches!(err, RegistryError::InvalidName { name: ref n, .. } if *n == name),
            "{err:?}"
        );
        assert!(registry.lookup::<Probe>(&name).unwrap().is_none());
        assert!(registry.whereis(&name).is_none());
        assert!(matches!(
            registry.unregister(&name),
            Err(RegistryError::NotRegistered(_))
        ));
    }
    assert!(registry.is_empty());
    for name in ["n".repeat(255), "名前".to_string()] {
        registry.register(&name, &a).unwrap();
        assert_eq!(registry.whereis(&name), Some(a.id()));
    }
    registry.register("svc", &a).unwrap();
    registry.register("svc", &a).unwrap();
    let err = registry.register("svc", &b).unwrap_err();
    assert!(
        matches!(err, RegistryError::NameTaken { holder, .. } if holder == a.id()),
        "{err:?}"
    );
    assert!(matches!(
        registry.lookup::<FailsToStart>("svc"),
        Err(RegistryError::WrongType { .. })
    ));
    assert_eq!(registry.unregister("svc"), Ok(a.id()));
    assert!(matches!(
        registry.unregister("svc"),
        Err(RegistryError::NotRegistered(_))
    ));

    b.stop(); // stopping: it takes no new messages, so it cannot be registered
    assert_eq!(registry.register("late", &b), Err(RegistryError::Stopped(b.id())));
    b.wait_for_stop().await;
    assert_eq!(registry.register("late", &b), Err(RegistryError::Stopped(b.id())));
    a.kill();
    a.wait_for_stop().await;
    assert!(registry.is_empty(), "{:?}", registry.names());
    system.shutdown().await;
    no_panic.check();
}

#[tokio::test(start_paused = true)]
async fn group_and_topic_edges() {
    let no_panic = NoPanic::start();
    let system = System::new();
    let groups = system.groups();
    for name in invalid_names() {
        assert!(matches!(
            groups.group::<u32>(&name),
            Err(GroupError::InvalidName { .. })
        ));
        assert!(matches!(
            groups.topic::<u32>(&name),
            Err(GroupError::InvalidName { .. })
        ));
    }
    let prices = groups.topic::<u32>("prices").unwrap();
    assert!(matches!(
        groups.group::<String>("prices"),
        Err(GroupError::WrongType { .. })
    ));
    assert!(matches!(
        groups.topic::<u64>("prices"),
        Err(GroupError::WrongType { .. })
    ));

    let report = prices.publish(1).await;
    assert_eq!((report.delivered, report.full, report.closed), (0, 0, 0));
    assert_eq!(prices.try_publish(2).delivered, 0);

    let dead = system.spawn(Sink).await.unwrap();
    dead.stop();
    dead.wait_for_stop().await;
    assert!(prices.subscribe(&dead), "documented: added, then removed at once");
    assert!(!prices.group().contains(dead.id()));

    let stopping = system.spawn(Sink).await.unwrap();
    assert!(prices.subscribe(&stopping));
    assert!(!prices.subscribe(&stopping), "at most once");
    stopping.stop();
    let report = prices.publish(3).await;
    assert_eq!((report.delivered, report.closed), (0, 1));

    let full = system
        .spawn_with(Sink, SpawnOptions::new().mailbox(MailboxKind::Bounded(1)))
        .await
        .unwrap();
    let topic = Topic::<u32>::new();
    topic.subscribe(&full);
    assert_eq!(topic.try_publish(1).delivered, 1);
    assert_eq!(
        topic.try_publish(2).full,
        1,
        "the actor has not run yet: its one slot is taken"
    );

    let stranger = system.spawn(Sink).await.unwrap();
    assert!(!topic.unsubscribe(stranger.id()));
    assert!(!prices.group().leave(stranger.id()));
    system.shutdown().await;
    no_panic.check();
}

// ----- sources and context --------------------------------------------------------------

enum Timed {
    Tick,
    Fired,
    Count(ReplyPort<(u32, u32)>),
    Detach(ReplyPort<(bool, bool)>),
}

struct Timers {
    period: Duration,
    after: Duration,
    ticks: u32,
    fired: u32,
    interval: Option<SourceId>,
}

impl Actor for Timers {
    type Msg = Timed;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.interval = Some(ctx.attach(Source::interval(self.period, || Timed::Tick)?));
        ctx.attach(Source::after(self.after, Timed::Fired));
        Ok(())
    }

    async fn handle(&mut self, msg: Timed, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Timed::Tick => self.ticks += 1,
            Timed::Fired => self.fired += 1,
            Timed::Count(reply) => {
                let _ = reply.send((self.ticks, self.fired));
            }
            Timed::Detach(reply) => {
                let id = self.interval.take().expect("attached");
                let _ = reply.send((ctx.detach(id), ctx.detach(id)));
            }
        }
        Ok(())
    }
}

#[tokio::test(start_paused = true)]
async fn source_edges() {
    let no_panic = NoPanic::start();
    assert!(matches!(
        Source::<u32>::interval(Duration::ZERO, || 1),
        Err(SourceError::ZeroPeriod)
    ));
    let system = System::new();
    // The timer's resolution: shorter periods are accepted but come in bursts
    // of up to 5 ms / period ticks (see the report), too many for a test.
    let fast = Timers {
        period: Duration::from_millis(1),
        after: Duration::ZERO,
        ticks: 0,
        fired: 0,
        interval: None,
    };
    let fast = system.spawn(fast).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let (ticks, fired) = fast.ask(Timed::Count).await.unwrap();
    assert!(
        (40..=60).contains(&ticks),
        "about one tick per millisecond: {ticks}"
    );
    assert_eq!(fired, 1, "a zero delay fires once, at once");
    assert_eq!(
        fast.ask(Timed::Detach).await.unwrap(),
        (true, false),
        "the second detach finds nothing"
    );

    let never = Timers {
        period: MAX_TIMEOUT,
        after: Duration::MAX,
        ticks: 0,
        fired: 0,
        interval: None,
    };
    let never = system.spawn(never).await.unwrap();
    // An hour of virtual time: neither the interval nor the timer is due.
    tokio::time::advance(Duration::from_secs(3600)).await;
    assert_eq!(never.ask(Timed::Count).await.unwrap(), (0, 0));
    assert!(never.is_alive());
    system.shutdown().await;
    no_panic.check();
}

enum Watch {
    Monitor(ActorRef<Probe>),
    Link(ActorRef<Probe>),
    LinkSelf,
    Down(Down),
    Exit(ExitSignal),
    Seen(ReplyPort<Vec<String>>),
}

impl From<Down> for Watch {
    fn from(down: Down) -> Self {
        Watch::Down(down)
    }
}

impl From<ExitSignal> for Watch {
    fn from(signal: ExitSignal) -> Self {
        Watch::Exit(signal)
    }
}

#[derive(Default)]
struct Watcher {
    seen: Vec<String>,
    spawned_in_stopped: Option<tokio::sync::oneshot::Sender<String>>,
}

impl Actor for Watcher {
    type Msg = Watch;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        ctx.trap_exits(true);
        Ok(())
    }

    async fn handle(&mut self, msg: Watch, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Watch::Monitor(target) => {
                let monitor = ctx.monitor(&target);
                ctx.demonitor(&monitor);
                ctx.demonitor(&monitor);
                ctx.monitor(&target);
            }
            Watch::Link(target) => ctx.link(&target),
            Watch::LinkSelf => {
                let me = ctx.myself();
                ctx.link(&me);
                ctx.unlink(&me);
            }
            Watch::Down(down) => self.seen.push(format!("down {}", down.reason)),
            Watch::Exit(signal) => self.seen.push(format!("exit {}", signal.reason)),
            Watch::Seen(reply) => {
                let _ = reply.send(self.seen.clone());
            }
        }
        Ok(())
    }

    async fn stopped(&mut self, ctx: &mut Context<Self>, _reason: &ExitReason) {
        let outcome = match ctx.spawn(Probe::default()).await {
            Ok(_) => "spawned".to_string(),
            Err(SpawnError::ParentStopped(id)) if id == ctx.id() => "parent stopped".to_string(),
            Err(other) => format!("{other:?}"),
        };
        if let Some(tx) = self.spawned_in_stopped.take() {
            let _ = tx.send(outcome);
        }
    }
}

#[tokio::test(start_paused = true)]
async fn watching_dead_actors_and_spawning_late() {
    let no_panic = NoPanic::start();
    let system = System::new();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let watcher = Watcher {
        seen: Vec::new(),
        spawned_in_stopped: Some(tx),
    };
    let watcher = system.spawn(watcher).await.unwrap();
    let dead = probe(&system, SpawnOptions::new()).await;
    dead.kill();
    dead.wait_for_stop().await;
    watcher.tell(Watch::Monitor(dead.clone())).await.unwrap();
    watcher.tell(Watch::Link(dead.clone())).await.unwrap();
    watcher.tell(Watch::LinkSelf).await.unwrap();
    let seen = watcher.ask(Watch::Seen).await.unwrap();
    assert_eq!(seen, ["down killed", "exit killed"]);
    assert!(
        watcher.is_alive(),
        "a trapped exit and a self-link leave it running"
    );
    watcher.stop();
    watcher.wait_for_stop().await;
    assert_eq!(rx.await.unwrap(), "parent stopped");
    system.shutdown().await;
    no_panic.check();
}

#[tokio::test(start_paused = true)]
async fn snapshot_of_awkward_names() {
    let no_panic = NoPanic::start();
    let system = System::new();
    assert_eq!(system.snapshot().to_string(), "(no actors)\n");
    let names = [String::new(), "\"\\\n\0".to_string(), huge_name()];
    let mut kept = Vec::new();
    for name in &names {
        kept.push(probe(&system, SpawnOptions::new().name(name.as_str())).await);
    }
    let snapshot = system.snapshot();
    let text = snapshot.to_string();
    let json = snapshot.to_json();
    assert!(text.contains(&huge_name()));
    assert!(!json.contains('\0'), "JSON must escape control characters");
    for actor in &kept {
        assert!(snapshot.find(actor.id()).is_some());
    }
    assert!(system.shutdown().await.is_clean());
    no_panic.check();
}
