//! Promise: the registry never keeps an actor alive. When the last strong
//! handle is dropped the actor stops as usual; from that moment lookups find
//! nothing, and by the time anyone hears of the exit (a monitor's `Down`)
//! the entry is gone, so the watcher can register a replacement under the
//! same name straight away.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::idle::Idle as Service;
use actor_core::prelude::*;
use tokio::sync::mpsc;

/// What the watcher saw when the `Down` came.
#[derive(Debug)]
struct Seen {
    reason: ExitReason,
    whereis: Option<ActorId>,
    reregistered: Result<(), actor_core::RegistryError>,
}

enum WatcherMsg {
    Watch(ActorRef<Service>, ReplyPort<()>),
    Down(Down),
}

impl From<Down> for WatcherMsg {
    fn from(down: Down) -> Self {
        WatcherMsg::Down(down)
    }
}

struct Watcher {
    seen: mpsc::UnboundedSender<Seen>,
    replacement: Option<ActorRef<Service>>,
}

impl Actor for Watcher {
    type Msg = WatcherMsg;

    async fn handle(&mut self, msg: WatcherMsg, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        match msg {
            WatcherMsg::Watch(target, reply) => {
                ctx.monitor(&target);
                drop(target);
                let _ = reply.send(());
            }
            WatcherMsg::Down(down) => {
                let registry = ctx.system().registry();
                let whereis = registry.whereis("service");
                let replacement = ctx.system().spawn(Service).await?;
                let reregistered = registry.register("service", &replacement);
                self.replacement = Some(replacement);
                let _ = self.seen.send(Seen {
                    reason: down.reason,
                    whereis,
                    reregistered,
                });
            }
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_last_handle_stops_the_actor_and_clears_its_entry() {
    let system = System::new();
    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let watcher = system
        .spawn(Watcher {
            seen: seen_tx,
            replacement: None,
        })
        .await
        .unwrap();

    let service = system.spawn(Service).await.unwrap();
    let id = service.id();
    system.registry().register("service", &service).unwrap();
    watcher
        .ask(|reply| WatcherMsg::Watch(service.clone(), reply))
        .await
        .unwrap();

    drop(service); // the last strong handle
    // (The watcher may already have registered its replacement.)
    assert_ne!(
        system
            .registry()
            .lookup::<Service>("service")
            .unwrap()
            .map(|found| found.id()),
        Some(id),
        "the registry hands out no new handle to an actor nobody holds"
    );

    let seen = seen.recv().await.unwrap();
    assert!(matches!(seen.reason, ExitReason::Normal), "{seen:?}");
    assert_eq!(seen.whereis, None, "gone before the Down was sent");
    assert_eq!(seen.reregistered, Ok(()), "the name was free for a replacement");
    let replacement = system.registry().whereis("service").unwrap();
    assert_ne!(replacement, id);
    system.shutdown().await;
}
