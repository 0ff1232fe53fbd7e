//! Streams and futures attached to an actor's loop: items arrive as
//! messages in order, the end is reported, and detaching or stopping drops
//! the source (its producer sees the receiving side gone).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use actor_core::prelude::*;
use tokio::sync::{mpsc, oneshot};

/// A tokio channel as a stream.
struct Items(mpsc::UnboundedReceiver<u32>);

impl futures_core::Stream for Items {
    type Item = u32;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<u32>> {
        self.0.poll_recv(cx)
    }
}

enum Msg {
    Attach(Items, ReplyPort<SourceId>),
    AttachFuture(oneshot::Receiver<&'static str>, ReplyPort<()>),
    Detach(SourceId, ReplyPort<bool>),
    Item(u32),
    Fetched(&'static str),
    Ended,
    Seen(ReplyPort<Vec<String>>),
}

#[derive(Default)]
struct Collector {
    seen: Vec<String>,
}

impl Actor for Collector {
    type Msg = Msg;

    async fn handle(&mut self, msg: Msg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            Msg::Attach(items, reply) => {
                let id = ctx.attach(Source::stream(items, Msg::Item).on_end(|| Msg::Ended));
                let _ = reply.send(id);
            }
            Msg::AttachFuture(rx, reply) => {
                let fetch = async move { rx.await.unwrap_or("cancelled") };
                ctx.attach(Source::future(fetch, Msg::Fetched));
                let _ = reply.send(());
            }
            Msg::Detach(id, reply) => {
                let _ = reply.send(ctx.detach(id));
            }
            Msg::Item(n) => self.seen.push(format!("item {n}")),
            Msg::Fetched(text) => self.seen.push(format!("fetched {text}")),
            Msg::Ended => self.seen.push("ended".to_string()),
            Msg::Seen(reply) => {
                let _ = reply.send(self.seen.clone());
            }
        }
        Ok(())
    }
}

#[tokio::test]
async fn stream_items_arrive_in_order_then_the_end() {
    let system = System::new();
    let actor = system.spawn(Collector::default()).await.unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    actor.ask(|r| Msg::Attach(Items(rx), r)).await.unwrap();
    for n in 0..5 {
        tx.send(n).unwrap();
    }
    drop(tx);
    // The stream ends after its items; the end message comes last.
    let seen = loop {
        let seen = actor.ask(Msg::Seen).await.unwrap();
        if seen.last().map(String::as_str) == Some("ended") {
            break seen;
        }
        tokio::task::yield_now().await;
    };
    assert_eq!(seen, ["item 0", "item 1", "item 2", "item 3", "item 4", "ended"]);
}

#[tokio::test]
async fn detaching_drops_the_stream() {
    let system = System::new();
    let actor = system.spawn(Collector::default()).await.unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    let id = actor.ask(|r| Msg::Attach(Items(rx), r)).await.unwrap();
    assert!(actor.ask(|r| Msg::Detach(id, r)).await.unwrap());
    assert!(tx.is_closed(), "the detached stream was dropped");
    assert!(!actor.ask(|r| Msg::Detach(id, r)).await.unwrap(), "only once");
    assert!(tx.send(1).is_err());
}

#[tokio::test]
async fn stopping_drops_the_sources() {
    let system = System::new();
    let actor = system.spawn(Collector::default()).await.unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    actor.ask(|r| Msg::Attach(Items(rx), r)).await.unwrap();
    let (fetch_tx, fetch_rx) = oneshot::channel();
    actor.ask(|r| Msg::AttachFuture(fetch_rx, r)).await.unwrap();
    actor.stop();
    actor.wait_for_stop().await;
    assert!(tx.is_closed());
    assert!(fetch_tx.is_closed(), "the pending future was cancelled");
}

#[tokio::test]
async fn a_future_output_arrives_as_a_message() {
    let system = System::new();
    let actor = system.spawn(Collector::default()).await.unwrap();
    let (fetch_tx, fetch_rx) = oneshot::channel();
    actor.ask(|r| Msg::AttachFuture(fetch_rx, r)).await.unwrap();
    fetch_tx.send("page").unwrap();
    let seen = loop {
        let seen = actor.ask(Msg::Seen).await.unwrap();
        if !seen.is_empty() {
            break seen;
        }
        tokio::task::yield_now().await;
    };
    assert_eq!(seen, ["fetched page"]);
}
