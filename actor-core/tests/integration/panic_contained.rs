//! Promise: a panic or an error in an actor's code ends that actor alone, with
//! an exit reason that carries the panic message or the error; its parent,
//! its siblings and the runtime keep working. A failing or panicking `started`
//! fails the spawn with a typed error, and a panic in `stopped` is contained.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt;

use actor_core::prelude::*;

enum Msg {
    Ping(ReplyPort<&'static str>),
    Panic(ReplyPort<()>),
    PanicFormatted(u32),
    PanicAny,
    Fail,
}

/// Does what it is told, including dying.
struct Child;

impl Actor for Child {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Ping(reply) => {
                let _ = reply.send("pong");
            }
            Msg::Panic(_reply) => panic!("boom"),
            Msg::PanicFormatted(n) => panic!("boom {n}"),
            Msg::PanicAny => std::panic::panic_any(42_u8),
            Msg::Fail => return Err(Box::new(Broken("disk on fire"))),
        }
        Ok(())
    }
}

enum ParentMsg {
    Children(ReplyPort<(ActorRef<Child>, ActorRef<Child>)>),
    CountChildren(ReplyPort<usize>),
}

/// Owns two children: the one that will panic and its sibling.
struct Parent {
    children: Option<(ActorRef<Child>, ActorRef<Child>)>,
}

impl Actor for Parent {
    type Msg = ParentMsg;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        self.children = Some((ctx.spawn(Child).await?, ctx.spawn(Child).await?));
        Ok(())
    }

    async fn handle(&mut self, msg: ParentMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            ParentMsg::Children(reply) => {
                let _ = reply.send(self.children.clone().ok_or("no children")?);
            }
            ParentMsg::CountChildren(reply) => {
                let _ = reply.send(ctx.children_count());
            }
        }
        Ok(())
    }
}

#[derive(Debug)]
struct Broken(&'static str);

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Broken {}

/// Fails (or panics) in `started`.
struct BadStart {
    panic: bool,
}

impl Actor for BadStart {
    type Msg = ();

    async fn started(&mut self, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        if self.panic {
            panic!("cannot start");
        }
        Err(Box::new(Broken("no config")))
    }

    async fn handle(&mut self, _: (), _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, _reason: &ExitReason) {
        panic!("`stopped` must not run after a failed `started`");
    }
}

/// Panics in `stopped`.
struct BadStop;

impl Actor for BadStop {
    type Msg = ();

    async fn handle(&mut self, _: (), _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, _reason: &ExitReason) {
        panic!("boom in stopped");
    }
}

/// The parent, the sibling and the runtime still answer.
async fn assert_all_alive(parent: &ActorRef<Parent>, sibling: &ActorRef<Child>) {
    assert_eq!(sibling.ask(Msg::Ping).await.unwrap(), "pong");
    // The dead child leaves its parent just after publishing its exit reason,
    // so on a multi-thread runtime give it a few turns.
    let mut count = 0;
    for _ in 0..1_000 {
        count = parent.ask(ParentMsg::CountChildren).await.unwrap();
        if count == 1 {
            break;
        }
        tokio::task::yield_now().await;
    }
    assert_eq!(count, 1, "only the sibling is left");
    assert!(parent.exit_reason().is_none() && sibling.exit_reason().is_none());
    assert_eq!(tokio::spawn(async { 7 }).await.unwrap(), 7);
}

async fn family(system: &System) -> (ActorRef<Parent>, ActorRef<Child>, ActorRef<Child>) {
    let parent = system.spawn(Parent { children: None }).await.unwrap();
    let (doomed, sibling) = parent.ask(ParentMsg::Children).await.unwrap();
    (parent, doomed, sibling)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_ends_only_its_actor() {
    let system = System::new();
    let (parent, doomed, sibling) = family(&system).await;

    // The ask that triggers the panic fails at once: its port unwound with the handler.
    assert!(matches!(doomed.ask(Msg::Panic).await, Err(AskError::NoReply)));
    match doomed.wait_for_stop().await {
        ExitReason::Panicked(text) => assert_eq!(&*text, "boom"),
        other => panic!("expected Panicked, got {other}"),
    }
    assert!(!doomed.is_alive());
    assert_all_alive(&parent, &sibling).await;
    assert!(system.shutdown().await.is_clean());
}

#[tokio::test]
async fn the_exit_reason_carries_a_formatted_or_opaque_panic_message() {
    let system = System::new();
    let (parent, doomed, sibling) = family(&system).await;
    doomed.tell(Msg::PanicFormatted(7)).await.unwrap();
    let reason = doomed.wait_for_stop().await;
    assert!(matches!(&reason, ExitReason::Panicked(text) if &**text == "boom 7"));
    assert_eq!(reason.to_string(), "panicked: boom 7");
    assert!(!reason.is_clean());
    assert_all_alive(&parent, &sibling).await;

    let opaque = system.spawn(Child).await.unwrap();
    opaque.tell(Msg::PanicAny).await.unwrap();
    let reason = opaque.wait_for_stop().await;
    assert_eq!(reason.to_string(), "panicked: non-string panic payload");
}

#[tokio::test]
async fn a_handler_error_ends_the_actor_with_failed_carrying_the_error() {
    let system = System::new();
    let (parent, doomed, sibling) = family(&system).await;
    doomed.tell(Msg::Fail).await.unwrap();
    let reason = doomed.wait_for_stop().await;
    assert!(reason.to_string().contains("disk on fire"), "{reason}");
    match &reason {
        ExitReason::Failed(error) => assert!(error.downcast_ref::<Broken>().is_some()),
        other => panic!("expected Failed, got {other}"),
    }
    assert_all_alive(&parent, &sibling).await;
}

#[tokio::test]
async fn a_panic_in_started_fails_the_spawn_with_start_panicked() {
    let system = System::new();
    match system.spawn(BadStart { panic: true }).await {
        Err(SpawnError::StartPanicked { message, .. }) => assert_eq!(message, "cannot start"),
        other => panic!("expected StartPanicked, got {other:?}"),
    }
    assert_eq!(system.top_level_count(), 0);
    // The caller's runtime and system carry on.
    let child = system.spawn(Child).await.unwrap();
    assert_eq!(child.ask(Msg::Ping).await.unwrap(), "pong");
}

#[tokio::test]
async fn an_error_in_started_fails_the_spawn_with_start_failed_and_its_source() {
    let system = System::new();
    let err = system.spawn(BadStart { panic: false }).await.unwrap_err();
    assert!(err.to_string().contains("no config"), "{err}");
    let source = std::error::Error::source(&err).expect("StartFailed has a source");
    assert_eq!(source.to_string(), "no config");
    match err {
        SpawnError::StartFailed { source, .. } => {
            assert!(
                source.downcast_ref::<Broken>().is_some(),
                "the very error returned"
            );
        }
        other => panic!("expected StartFailed, got {other:?}"),
    }
    assert_eq!(system.top_level_count(), 0);
    assert!(system.shutdown().await.is_clean());
}

#[tokio::test]
async fn a_panic_in_stopped_is_contained() {
    let system = System::new();
    let bad = system.spawn(BadStop).await.unwrap();
    let (parent, _doomed, sibling) = family(&system).await;
    bad.stop();
    // The exit reason is the one the actor stopped with, not the panic.
    assert!(matches!(bad.wait_for_stop().await, ExitReason::Normal));
    assert_eq!(sibling.ask(Msg::Ping).await.unwrap(), "pong");
    assert_eq!(parent.ask(ParentMsg::CountChildren).await.unwrap(), 2);

    // Again during a system shutdown: it completes, cleanly.
    let bad = system.spawn(BadStop).await.unwrap();
    let report = system.shutdown().await;
    assert!(report.is_clean());
    assert!(matches!(bad.wait_for_stop().await, ExitReason::Shutdown));
    assert!(matches!(parent.wait_for_stop().await, ExitReason::Shutdown));
    assert_eq!(tokio::spawn(async { 7 }).await.unwrap(), 7);
}
