//! Receive sources: streams, timers and futures an actor attaches to its own
//! receive loop.
//!
//! A source is polled inside the actor's loop, by [`Context::recv`], and each
//! item it yields arrives as one of the actor's messages: nothing runs beside
//! the actor, nothing is queued in the mailbox ahead of time, and everything
//! is dropped with the actor (or when [detached](Context::detach)).
//!
//! - [`Source::stream`]: any `futures_core::Stream`, items mapped into
//!   messages; its end can be reported with [`Source::on_end`].
//! - [`Source::after`]: one message after a delay (a cancellable timer).
//! - [`Source::interval`]: a message every period. A busy actor does not find
//!   a pile of ticks when it gets back: missed ticks are skipped
//!   (tokio's `MissedTickBehavior::Skip`), since an interval only produces a
//!   tick when the loop asks for one.
//! - [`Source::future`]: the output of a future (I/O that must not block the
//!   handler) as a message; cancelled when the actor stops.
//!
//! # Priorities and fairness
//!
//! `recv` takes, in order: the control lane (kill, stop, signals), then user
//! messages and sources **alternately**: after a mailbox message the sources
//! are asked first, after a source item the mailbox is. Among sources, the
//! one after the last that yielded goes first (round robin). So a flooded
//! mailbox does not starve a timer, and a flooded stream does not starve the
//! mailbox. Once the mailbox is closed (a stop), `recv` returns `None` as
//! soon as the queue is drained, whatever the sources still hold.
//!
//! A supervised actor's sources belong to one instance: a restart drops them.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use actor_core::prelude::*;
//!
//! enum Msg {
//!     Tick,
//!     Count(ReplyPort<u32>),
//! }
//!
//! struct Ticker {
//!     ticks: u32,
//! }
//!
//! impl Actor for Ticker {
//!     type Msg = Msg;
//!
//!     async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
//!         ctx.attach(Source::interval(Duration::from_secs(1), || Msg::Tick)?);
//!         Ok(())
//!     }
//!
//!     async fn handle(&mut self, msg: Msg, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
//!         match msg {
//!             Msg::Tick => self.ticks += 1,
//!             Msg::Count(reply) => {
//!                 let _ = reply.send(self.ticks);
//!             }
//!         }
//!         Ok(())
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let system = System::new();
//! let ticker = system.spawn(Ticker { ticks: 0 }).await?;
//! tokio::time::sleep(Duration::from_millis(3_500)).await;
//! assert_eq!(ticker.ask(Msg::Count).await?, 3); // at 1, 2 and 3 s
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use futures_core::Stream;
use tokio::time::{Instant, Interval, MissedTickBehavior, Sleep};

use crate::actor::Actor;
use crate::context::Context;
use crate::error::SourceError;

type BoxStream<M> = Pin<Box<dyn Stream<Item = M> + Send>>;
type EndMessage<M> = Box<dyn FnOnce() -> M + Send>;

/// Something to attach to an actor's receive loop with [`Context::attach`]:
/// a stream, a timer or a future whose output becomes a message `M`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use actor_core::Source;
///
/// enum Msg {
///     Line(String),
///     Eof,
///     Timeout,
/// }
///
/// let lines = Source::stream(tokio_stream_like(), Msg::Line).on_end(|| Msg::Eof);
/// let timeout = Source::after(Duration::from_secs(30), Msg::Timeout);
/// # fn tokio_stream_like() -> impl futures_core::Stream<Item = String> + Send + 'static {
/// #     struct Empty;
/// #     impl futures_core::Stream for Empty {
/// #         type Item = String;
/// #         fn poll_next(self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Option<String>> {
/// #             std::task::Poll::Ready(None)
/// #         }
/// #     }
/// #     Empty
/// # }
/// # let _ = (lines, timeout);
/// ```
pub struct Source<M> {
    stream: BoxStream<M>,
    on_end: Option<EndMessage<M>>,
}

impl<M: Send + 'static> Source<M> {
    /// Each item of `stream`, mapped into a message by `map`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::pin::Pin;
    /// use std::task::{Context as TaskContext, Poll};
    /// use actor_core::Source;
    ///
    /// /// Counts down from 3.
    /// struct Countdown(u32);
    /// impl futures_core::Stream for Countdown {
    ///     type Item = u32;
    ///     fn poll_next(mut self: Pin<&mut Self>, _: &mut TaskContext<'_>) -> Poll<Option<u32>> {
    ///         let n = self.0;
    ///         self.0 = n.saturating_sub(1);
    ///         Poll::Ready((n > 0).then_some(n))
    ///     }
    /// }
    ///
    /// enum Msg {
    ///     Tick(u32),
    ///     Liftoff,
    /// }
    /// let countdown = Source::stream(Countdown(3), Msg::Tick).on_end(|| Msg::Liftoff);
    /// # let _ = countdown;
    /// ```
    pub fn stream<S, F>(stream: S, map: F) -> Source<M>
    where
        S: Stream + Send + 'static,
        F: FnMut(S::Item) -> M + Send + 'static,
    {
        Source {
            stream: Box::pin(Mapped { stream, map }),
            on_end: None,
        }
    }

    /// `msg`, once, after `delay`. Detach it to cancel.
    ///
    /// # Examples
    ///
    /// ```
    /// # use std::time::Duration;
    /// let reminder = actor_core::Source::after(Duration::from_secs(5), "wake up");
    /// # let _ = reminder;
    /// ```
    pub fn after(delay: Duration, msg: M) -> Source<M> {
        let deadline = Instant::now().checked_add(delay);
        Source {
            stream: Box::pin(After {
                deadline,
                sleep: None,
                msg: Some(msg),
            }),
            on_end: None,
        }
    }

    /// `make()` every `period`, the first one period after the source is
    /// first polled. Missed ticks (while the actor was busy) are skipped, not
    /// piled up. tokio's timer counts whole milliseconds, so a period below
    /// 1 ms is taken as 1 ms (shorter ones would come in bursts).
    ///
    /// # Errors
    ///
    /// [`SourceError::ZeroPeriod`] for a zero period.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use actor_core::{Source, SourceError};
    ///
    /// let heartbeat = Source::interval(Duration::from_secs(1), || "beat");
    /// assert!(heartbeat.is_ok());
    /// assert!(matches!(Source::interval(Duration::ZERO, || "x"), Err(SourceError::ZeroPeriod)));
    /// ```
    pub fn interval(
        period: Duration,
        make: impl FnMut() -> M + Send + 'static,
    ) -> Result<Source<M>, SourceError> {
        if period.is_zero() {
            return Err(SourceError::ZeroPeriod);
        }
        Ok(Source {
            stream: Box::pin(Ticks {
                period,
                interval: None,
                make,
            }),
            on_end: None,
        })
    }

    /// The output of `future`, mapped into a message by `map`.
    ///
    /// # Examples
    ///
    /// ```
    /// async fn fetch() -> Result<String, std::io::Error> {
    ///     Ok("body".to_string())
    /// }
    /// enum Msg {
    ///     Fetched(Result<String, std::io::Error>),
    /// }
    /// let fetched = actor_core::Source::future(fetch(), Msg::Fetched);
    /// # let _ = fetched;
    /// ```
    pub fn future<F, G>(future: F, map: G) -> Source<M>
    where
        F: Future + Send + 'static,
        G: FnOnce(F::Output) -> M + Send + 'static,
    {
        Source {
            stream: Box::pin(Once {
                future,
                map: Some(map),
            }),
            on_end: None,
        }
    }

    /// Also delivers `end()` when the source runs out (a stream ended; a
    /// timer or future fired).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use actor_core::Source;
    ///
    /// enum Msg {
    ///     Timeout,
    ///     TimerDone,
    /// }
    /// let timer = Source::after(Duration::from_secs(1), Msg::Timeout).on_end(|| Msg::TimerDone);
    /// # let _ = timer;
    /// ```
    #[must_use]
    pub fn on_end(mut self, end: impl FnOnce() -> M + Send + 'static) -> Source<M> {
        self.on_end = Some(Box::new(end));
        self
    }
}

impl<M> fmt::Debug for Source<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Source")
            .field("on_end", &self.on_end.is_some())
            .finish_non_exhaustive()
    }
}

/// Names an attached source, to [detach](Context::detach) it.
///
/// # Examples
///
/// ```
/// # use std::time::Duration;
/// # use actor_core::prelude::*;
/// struct Waiter(Option<SourceId>);
/// impl Actor for Waiter {
///     type Msg = &'static str;
///     async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
///         self.0 = Some(ctx.attach(Source::after(Duration::from_secs(10), "timeout")));
///         Ok(())
///     }
///     async fn handle(&mut self, msg: &'static str, ctx: &mut Context<Self>) -> Result<(), BoxError> {
///         if msg == "done" {
///             if let Some(timer) = self.0.take() {
///                 ctx.detach(timer); // cancel the timeout
///             }
///         }
///         Ok(())
///     }
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SourceId(u64);

static NEXT_SOURCE: AtomicU64 = AtomicU64::new(1);

/// The sources attached to one actor, polled by its `recv`.
pub(crate) struct Sources<M> {
    slots: Vec<Slot<M>>,
    /// Index of the source asked first next time (round robin).
    next: usize,
    /// Whether sources go before the mailbox on the next `recv`.
    sources_first: bool,
}

struct Slot<M> {
    id: SourceId,
    stream: BoxStream<M>,
    on_end: Option<EndMessage<M>>,
}

impl<M> Sources<M> {
    pub(crate) fn new() -> Self {
        Sources {
            slots: Vec::new(),
            next: 0,
            sources_first: false,
        }
    }

    pub(crate) fn clear(&mut self) {
        self.slots.clear();
    }

    pub(crate) fn sources_first(&self) -> bool {
        self.sources_first && !self.slots.is_empty()
    }

    /// Records who yielded last, for the alternation.
    pub(crate) fn served(&mut self, from_sources: bool) {
        self.sources_first = !from_sources;
    }

    /// The next item of any source, round robin; ended sources are removed
    /// (their end message, if any, is the item).
    pub(crate) fn poll_next(&mut self, cx: &mut TaskContext<'_>) -> Poll<M> {
        let mut tried = 0;
        while tried < self.slots.len() {
            let index = self.next % self.slots.len();
            match self.slots[index].stream.as_mut().poll_next(cx) {
                Poll::Ready(Some(msg)) => {
                    self.next = index + 1;
                    return Poll::Ready(msg);
                }
                Poll::Ready(None) => {
                    let slot = self.slots.remove(index);
                    self.next = index;
                    if let Some(end) = slot.on_end {
                        return Poll::Ready(end());
                    }
                }
                Poll::Pending => {
                    self.next = index + 1;
                    tried += 1;
                }
            }
        }
        Poll::Pending
    }
}

impl<A: Actor> Context<A> {
    /// Attaches a source to this actor's receive loop; its items arrive as
    /// messages through [`recv`](Context::recv). Dropped when the actor stops
    /// (or restarts) or when [detached](Context::detach).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use actor_core::prelude::*;
    ///
    /// struct Poller;
    /// impl Actor for Poller {
    ///     type Msg = &'static str;
    ///     async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         ctx.attach(Source::interval(Duration::from_secs(30), || "poll")?);
    ///         Ok(())
    ///     }
    ///     async fn handle(&mut self, _: &'static str, _: &mut Context<Self>) -> Result<(), BoxError> {
    ///         Ok(())
    ///     }
    /// }
    /// ```
    pub fn attach(&mut self, source: Source<A::Msg>) -> SourceId {
        let id = SourceId(NEXT_SOURCE.fetch_add(1, Ordering::Relaxed));
        self.sources.slots.push(Slot {
            id,
            stream: source.stream,
            on_end: source.on_end,
        });
        id
    }

    /// Detaches a source (a timer is cancelled; a stream or future is
    /// dropped). Returns whether it was still attached.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use actor_core::prelude::*;
    ///
    /// struct Once;
    /// impl Actor for Once {
    ///     type Msg = ();
    ///     async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///         let timer = ctx.attach(Source::after(Duration::from_secs(5), ()));
    ///         assert!(ctx.detach(timer)); // cancelled before it fired
    ///         assert!(!ctx.detach(timer)); // already gone
    ///         Ok(())
    ///     }
    ///     async fn handle(&mut self, _: (), _: &mut Context<Self>) -> Result<(), BoxError> {
    ///         Ok(())
    ///     }
    /// }
    /// ```
    pub fn detach(&mut self, source: SourceId) -> bool {
        let before = self.sources.slots.len();
        self.sources.slots.retain(|slot| slot.id != source);
        before != self.sources.slots.len()
    }

    /// How many sources are attached.
    ///
    /// # Examples
    ///
    /// ```
    /// # use actor_core::prelude::*;
    /// # struct Me;
    /// # impl Actor for Me {
    /// #     type Msg = ();
    /// async fn handle(&mut self, _: (), ctx: &mut Context<Self>) -> Result<(), BoxError> {
    ///     assert_eq!(ctx.sources_len(), 0);
    ///     Ok(())
    /// }
    /// # }
    /// ```
    pub fn sources_len(&self) -> usize {
        self.sources.slots.len()
    }
}

pin_project_lite::pin_project! {
    struct Mapped<S, F> {
        #[pin]
        stream: S,
        map: F,
    }
}

impl<S: Stream, F: FnMut(S::Item) -> M, M> Stream for Mapped<S, F> {
    type Item = M;

    fn poll_next(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<M>> {
        let this = self.project();
        this.stream.poll_next(cx).map(|item| item.map(this.map))
    }
}

pin_project_lite::pin_project! {
    /// The timer is created on the first poll, inside the actor's runtime, so
    /// building a source never needs one; the deadline counts from creation.
    struct After<M> {
        deadline: Option<Instant>,
        #[pin]
        sleep: Option<Sleep>,
        msg: Option<M>,
    }
}

impl<M> Stream for After<M> {
    type Item = M;

    fn poll_next(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<M>> {
        let mut this = self.project();
        if this.msg.is_none() {
            return Poll::Ready(None);
        }
        if this.sleep.is_none() {
            // A delay too long to represent never fires.
            let Some(deadline) = *this.deadline else {
                return Poll::Pending;
            };
            this.sleep.set(Some(tokio::time::sleep_until(deadline)));
        }
        match this.sleep.as_pin_mut() {
            Some(sleep) => sleep.poll(cx).map(|()| this.msg.take()),
            None => Poll::Pending,
        }
    }
}

/// The smallest step of tokio's timer.
const TIMER_RESOLUTION: Duration = Duration::from_millis(1);

/// How far ahead a timer can be set: about 30 years, like tokio's own
/// "far future".
const TIMER_HORIZON: Duration = Duration::from_secs(60 * 60 * 24 * 365 * 30);

pin_project_lite::pin_project! {
    /// The interval is created on the first poll, inside the actor's runtime.
    struct Ticks<F> {
        period: Duration,
        interval: Option<Interval>,
        make: F,
    }
}

impl<F: FnMut() -> M, M> Stream for Ticks<F> {
    type Item = M;

    fn poll_next(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<M>> {
        let this = self.project();
        // Below the timer's resolution ticks would come in bursts; beyond its
        // horizon (about 30 years) one never comes anyway, and capping keeps
        // tokio's instant arithmetic from overflowing.
        let period = (*this.period).clamp(TIMER_RESOLUTION, TIMER_HORIZON);
        let interval = this.interval.get_or_insert_with(|| {
            let mut interval = tokio::time::interval_at(Instant::now() + period, period);
            interval.set_missed_tick_behavior(MissedTickBehavior::Skip);
            interval
        });
        interval.poll_tick(cx).map(|_| Some((this.make)()))
    }
}

pin_project_lite::pin_project! {
    struct Once<F, G> {
        #[pin]
        future: F,
        map: Option<G>,
    }
}

impl<F: Future, G: FnOnce(F::Output) -> M, M> Stream for Once<F, G> {
    type Item = M;

    fn poll_next(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<M>> {
        let this = self.project();
        let Some(map) = this.map.take() else {
            return Poll::Ready(None);
        };
        match this.future.poll(cx) {
            Poll::Ready(output) => Poll::Ready(Some(map(output))),
            Poll::Pending => {
                *this.map = Some(map);
                Poll::Pending
            }
        }
    }
}
