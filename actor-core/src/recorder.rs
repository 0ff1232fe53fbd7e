//! A traffic recorder: who talked to whom in a real run, as pictures.
//!
//! [`TrafficRecorder`] is a [`tracing_subscriber::Layer`]. Install it next
//! to your usual layers and it builds the actor graph from the framework's
//! own instrumentation:
//!
//! - **nodes** from the `"actor spawned"` events on `actor_core::lifecycle`
//!   (id, name, type, parent) and, for actors spawned before the recorder was
//!   installed, from the fields of their `actor.handle` spans;
//! - **edges** from every `actor.handle` span on `actor_core::handle`: the
//!   receiver is the span's actor, the sender is the actor whose handler span
//!   the message's span *follows from* (or [`EXTERNAL`] when the message was
//!   sent from outside any actor), with the message kind, a count, and the
//!   queue-wait and handling-time percentiles.
//!
//! Take a [`Snapshot`] at any time and export it as a Mermaid flowchart, a
//! Mermaid sequence diagram of the first messages, Graphviz DOT, JSON, or a
//! plain-text edge table; [`ExportOptions`] leaves timings (and actor ids)
//! out for output that is the same from run to run.
//!
//! ## Memory stays flat
//!
//! Nothing grows with the number of messages: each edge aggregates its
//! timings in a fixed-size histogram (one bucket per power of two of
//! microseconds), the sequence view keeps only the first
//! [`sequence_capacity`](RecorderBuilder::sequence_capacity) messages, and
//! actors and edges beyond their caps are counted, not stored (see
//! [`Dropped`]). [`TrafficRecorder::approx_bytes`] reports the footprint.
//!
//! ## Cost
//!
//! The recorder needs the `actor_core::handle` and `actor_core::lifecycle`
//! targets at DEBUG ([`TrafficRecorder::filter`]); with them enabled every
//! message pays for a span, a few small allocations and one short lock. It
//! is a diagnostic tool: leave it out of latency-critical production builds.
//!
//! ## Global or thread-scoped
//!
//! Install the recorder's subscriber globally
//! (`tracing::subscriber::set_global_default`) when actors run on several
//! threads. A thread-scoped one (`set_default`, as below) sees only what
//! runs on its thread, so pair it with a current-thread runtime. And where
//! other threads of the process reach actor-core's callsites with no
//! subscriber of their own, one they reach first can be cached as disabled
//! for every thread (tracing-core 0.1.36, while exactly one dispatcher is
//! live: [tokio-rs/tracing#3611](https://github.com/tokio-rs/tracing/issues/3611)),
//! and the scoped recorder then misses those spans. Our tests that record
//! run in test binaries of their own for that reason.
//!
//! # Examples
//!
//! ```
//! use actor_core::prelude::*;
//! use actor_core::recorder::{ExportOptions, TrafficRecorder};
//! use tracing_subscriber::layer::SubscriberExt;
//! use tracing_subscriber::Layer;
//!
//! struct Echo;
//! impl Actor for Echo {
//!     type Msg = ReplyPort<()>;
//!     fn message_kind(_: &Self::Msg) -> &'static str {
//!         "ping"
//!     }
//!     async fn handle(&mut self, reply: Self::Msg, _: &mut Context<Self>) -> Result<(), BoxError> {
//!         let _ = reply.send(());
//!         Ok(())
//!     }
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let recorder = TrafficRecorder::new();
//! let subscriber = tracing_subscriber::registry()
//!     .with(recorder.clone().with_filter(TrafficRecorder::filter()));
//! let _guard = tracing::subscriber::set_default(subscriber);
//!
//! let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
//! runtime.block_on(async {
//!     let system = System::new();
//!     let echo = system.spawn_with(Echo, SpawnOptions::new().name("echo")).await?;
//!     echo.ask(|reply| reply).await?;
//!     system.shutdown().await;
//!     Ok::<_, Box<dyn std::error::Error>>(())
//! })?;
//!
//! let snapshot = recorder.snapshot();
//! assert_eq!(snapshot.edges.len(), 1);
//! let flowchart = snapshot.to_mermaid_flowchart(&ExportOptions::without_timings());
//! assert!(flowchart.contains("ext -->|\"ping x1\"| a0"));
//! # Ok(())
//! # }
//! ```

mod export;
mod histogram;
mod json;
mod layer;
mod snapshot;
mod state;

pub use self::export::ExportOptions;
pub use self::histogram::{Histogram, Percentiles};
pub use self::layer::{RecorderBuilder, TrafficRecorder};
pub use self::snapshot::{ActorNode, Dropped, Edge, Message, Snapshot};

/// The key of the pseudo-actor that stands for every sender outside the
/// actor system (a `main` function, a test, a plain tokio task).
///
/// # Examples
///
/// ```
/// assert_eq!(actor_core::recorder::EXTERNAL, "ext");
/// ```
pub const EXTERNAL: &str = "ext";
