//! The mailbox machinery: one queue behind one lock, shared by every sender,
//! drained in batches by the actor.
//!
//! Layout and invariants:
//! - `inner.queue` holds messages not yet seen by the actor. The actor swaps the
//!   whole queue into its private [`Receiver`] batch in one lock acquisition and
//!   hands the (empty) previous batch buffer back, so two buffers alternate and
//!   a warm mailbox allocates nothing per message.
//! - `len` counts every accepted message not yet handed to the actor, in the
//!   queue *and* in the receiver's batch, so the bound is exact.
//! - Senders take the lock to push; the actor takes it once per batch. `len` is
//!   decremented without the lock, so a sender that sees a full mailbox
//!   registers a waiter, raises `senders_waiting`, then looks at `len` again;
//!   the actor decrements `len`, then looks at `senders_waiting`. With both
//!   sides `SeqCst`, at least one of them sees the other (no lost wake-up).
//! - Blocked senders queue in FIFO order; each freed slot is reserved for the
//!   first one and wakes it, so a newcomer cannot take it first. A waiter
//!   that is woken but cancelled passes its slot on to the next.
//! - Control bits (stop requested, kill) sit beside the queue, so a stop or a
//!   kill never waits behind user messages, however full the mailbox is.
//!
//! The lock and atomics come from [`sync`](super::sync), so that the
//! `loom_tests` below (`--cfg loom`, see README) model-check these
//! invariants over every interleaving of a few threads.

use std::collections::VecDeque;
use std::mem;
use std::sync::atomic::Ordering;
use std::sync::{OnceLock, PoisonError};
use std::task::{Context, Poll, Waker};

use crate::error::{SendError, TrySendError};
use crate::mailbox::envelope::{Envelope, SentAt, Trace};
use crate::mailbox::sync::{
    AtomicBool, AtomicU8, AtomicU64, AtomicUsize, Mutex, MutexGuard, handshake_fence,
};
use crate::monitor::{Down, ExitSignal, Signal};

/// Batch buffers larger than this many slots are released when emptied, so a
/// burst does not pin its memory for the actor's whole life.
const SHRINK_ABOVE: usize = 4096;

/// Control bit: a graceful stop was requested by the actor itself or a handle.
pub(crate) const STOP_NORMAL: u8 = 1;
/// Control bit: a graceful stop was requested by the parent or the system.
pub(crate) const STOP_SHUTDOWN: u8 = 2;
/// Control bit: the actor is to be killed.
pub(crate) const KILL: u8 = 4;
/// Control bit: a supervised actor's current instance is to end (for a
/// restart) while its mailbox stays open: `recv` returns `None` at once.
pub(crate) const RESTART: u8 = 8;
/// Control bit: signals (down notices, trapped exits) wait in the signal lane.
const SIGNAL: u8 = 16;

pub(crate) struct Mailbox<M> {
    inner: Mutex<Inner<M>>,
    /// Bounded mailboxes: accepted messages not yet handed to the actor
    /// (queue + batch), the count the bound applies to.
    len: AtomicUsize,
    /// Unbounded mailboxes: messages ever accepted (written under the lock)
    /// and ever handed to the actor (written by the actor alone). No counter
    /// is read-modify-written by both sides, so the per-message path does
    /// not bounce a cache line between the senders' and the actor's cores.
    accepted_total: AtomicU64,
    taken_total: AtomicU64,
    /// `usize::MAX` for an unbounded mailbox.
    capacity: usize,
    /// Strong handles (`ActorRef`, `Recipient`) alive; zero closes the mailbox.
    senders: AtomicUsize,
    /// Set while `inner.waiters` is not empty.
    senders_waiting: AtomicBool,
    /// `STOP_*`, `KILL`, `RESTART` and `SIGNAL` bits.
    control: AtomicU8,
    /// How down notices become messages (set by the first `monitor`).
    down_into: OnceLock<fn(Down) -> M>,
    /// How exit signals become messages (set by `trap_exits`).
    exit_into: OnceLock<fn(ExitSignal) -> M>,
    /// Whether linked exits arrive as messages instead of ending the actor.
    trap_exits: AtomicBool,
}

struct Inner<M> {
    queue: VecDeque<Envelope<M>>,
    closed: bool,
    /// Woken when a message arrives while the actor waits in `recv`.
    rx_waker: Option<Waker>,
    rx_parked: bool,
    /// The actor task's own waker, woken by control signals (kill) whatever
    /// the actor is awaiting.
    task_waker: Option<Waker>,
    waiters: VecDeque<Waiter>,
    next_ticket: u64,
    /// Messages ever accepted (for introspection: handed over = accepted -
    /// queued).
    accepted: u64,
    /// Slots freed for woken senders and not yet taken by them: newcomers
    /// must leave them, so a woken sender never loses its slot.
    reserved: usize,
    /// Down notices and trapped exit signals: delivered before user
    /// messages, outside the capacity bound.
    signals: VecDeque<Signal>,
    /// This actor's live monitors (by sequence number).
    monitors: Vec<u64>,
}

struct Waiter {
    ticket: u64,
    waker: Waker,
}

impl<M> Mailbox<M> {
    /// A mailbox with one sender (the handle returned by spawn).
    pub(crate) fn new(capacity: Option<usize>) -> Self {
        Mailbox {
            inner: Mutex::new(Inner {
                queue: VecDeque::new(),
                closed: false,
                rx_waker: None,
                rx_parked: false,
                task_waker: None,
                waiters: VecDeque::new(),
                next_ticket: 0,
                reserved: 0,
                accepted: 0,
                signals: VecDeque::new(),
                monitors: Vec::new(),
            }),
            len: AtomicUsize::new(0),
            accepted_total: AtomicU64::new(0),
            taken_total: AtomicU64::new(0),
            capacity: capacity.unwrap_or(usize::MAX),
            senders: AtomicUsize::new(0),
            senders_waiting: AtomicBool::new(false),
            control: AtomicU8::new(0),
            down_into: OnceLock::new(),
            exit_into: OnceLock::new(),
            trap_exits: AtomicBool::new(false),
        }
    }

    // ----- signals -------------------------------------------------------

    /// Registers monitor `seq` of this actor and makes down notices
    /// deliverable as messages.
    pub(crate) fn add_monitor(&self, into: fn(Down) -> M, seq: u64) {
        let _ = self.down_into.set(into);
        self.lock().monitors.push(seq);
    }

    /// Turns trapping of linked exits on or off.
    pub(crate) fn set_trap_exits(&self, into: fn(ExitSignal) -> M, on: bool) {
        let _ = self.exit_into.set(into);
        self.trap_exits.store(on, Ordering::Release);
    }

    pub(crate) fn traps_exits(&self) -> bool {
        self.trap_exits.load(Ordering::Acquire)
    }

    /// Queues a signal on the signal lane; `false` once the actor has exited.
    pub(crate) fn push_signal(&self, signal: Signal) -> bool {
        let mut inner = self.lock();
        if inner.task_waker.is_none() && inner.closed {
            return false;
        }
        inner.signals.push_back(signal);
        self.control.fetch_or(SIGNAL, Ordering::AcqRel);
        let waker = if inner.rx_parked {
            inner.rx_parked = false;
            inner.rx_waker.clone()
        } else {
            None
        };
        drop(inner);
        if let Some(waker) = waker {
            waker.wake();
        }
        true
    }

    /// Forgets monitor `monitor`: a notice for it that is queued, or that
    /// arrives later, is dropped.
    pub(crate) fn remove_monitor(&self, monitor: u64) {
        let mut inner = self.lock();
        inner.monitors.retain(|m| *m != monitor);
        inner
            .signals
            .retain(|s| !matches!(s, Signal::Down(down) if down.monitor.seq == monitor));
        if inner.signals.is_empty() {
            self.control.fetch_and(!SIGNAL, Ordering::AcqRel);
        }
    }

    /// The next signal, as a message. A down notice is delivered only while
    /// its monitor is live (each fires once); the conversion into the
    /// message runs outside the lock, since it is user code.
    fn take_signal(&self) -> Option<M> {
        loop {
            let mut inner = self.lock();
            let signal = inner.signals.pop_front();
            if inner.signals.is_empty() {
                self.control.fetch_and(!SIGNAL, Ordering::AcqRel);
            }
            let signal = match signal? {
                Signal::Down(down) => {
                    let live = inner.monitors.iter().position(|m| *m == down.monitor.seq);
                    match live {
                        Some(index) => {
                            inner.monitors.swap_remove(index);
                            Signal::Down(down)
                        }
                        None => continue, // demonitored meanwhile
                    }
                }
                exit @ Signal::Exit(_) => exit,
            };
            drop(inner);
            let msg = match signal {
                Signal::Down(down) => self.down_into.get().map(|into| into(down)),
                Signal::Exit(exit) => self.exit_into.get().map(|into| into(exit)),
            };
            if msg.is_some() {
                return msg;
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner<M>> {
        // Nothing panics while holding this lock (user code never runs under
        // it), so a poisoned lock still guards consistent data.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The capacity, or `None` when unbounded.
    pub(crate) fn capacity(&self) -> Option<usize> {
        (self.capacity != usize::MAX).then_some(self.capacity)
    }

    /// Messages accepted and not yet handed to the actor.
    pub(crate) fn len(&self) -> usize {
        if self.capacity == usize::MAX {
            let accepted = self.accepted_total.load(Ordering::Relaxed);
            let taken = self.taken_total.load(Ordering::Relaxed);
            usize::try_from(accepted.saturating_sub(taken)).unwrap_or(usize::MAX)
        } else {
            self.len.load(Ordering::Relaxed)
        }
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Messages handed to the actor so far (accepted and no longer queued).
    pub(crate) fn taken(&self) -> u64 {
        let accepted = self.lock().accepted;
        accepted.saturating_sub(self.len() as u64)
    }

    pub(crate) fn control(&self) -> u8 {
        self.control.load(Ordering::Acquire)
    }

    pub(crate) fn is_killed(&self) -> bool {
        self.control() & KILL != 0
    }

    // ----- senders -------------------------------------------------------

    pub(crate) fn add_sender(&self) {
        self.senders.fetch_add(1, Ordering::Relaxed);
    }

    /// Adds a sender only if one still exists (upgrading a weak handle).
    pub(crate) fn try_add_sender(&self) -> bool {
        let mut current = self.senders.load(Ordering::Relaxed);
        loop {
            if current == 0 {
                return false;
            }
            match self.senders.compare_exchange_weak(
                current,
                current + 1,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(actual) => current = actual,
            }
        }
    }

    /// Drops a sender; the last one closes the mailbox (the actor then
    /// handles what is queued and stops normally).
    pub(crate) fn remove_sender(&self) {
        if self.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.close();
        }
    }

    /// Enqueues `slot`'s message, waiting for room in a bounded mailbox.
    ///
    /// Cancel safe in the sense that nothing is enqueued twice: the message
    /// stays in `slot` until it is pushed (then `slot` is `None`). Dropping the
    /// future drops the message with it.
    pub(crate) fn poll_send<T: Into<M>>(
        &self,
        cx: &mut Context<'_>,
        slot: &mut Option<T>,
        ticket: &mut Option<u64>,
        is_self: impl FnOnce() -> bool,
    ) -> Poll<Result<(), SendError<T>>> {
        let Some(msg) = slot.take() else {
            // Polled after completion: nothing left to send.
            return Poll::Ready(Ok(()));
        };
        let sent_at = SentAt::now();
        let mut inner = self.lock();
        if inner.closed {
            let _ = Self::forget_waiter(&mut inner, ticket);
            return Poll::Ready(Err(SendError::Closed(msg)));
        }
        if self.capacity == usize::MAX {
            self.push_locked(inner, msg.into(), Trace::capture(), sent_at);
            return Poll::Ready(Ok(()));
        }
        // Bounded. A sender woken for a freed slot (its entry was popped)
        // takes the slot reserved for it; anyone else needs a free,
        // unreserved slot and nobody waiting ahead of them.
        let position = ticket.and_then(|t| inner.waiters.iter().position(|w| w.ticket == t));
        let len = self.len.load(Ordering::SeqCst);
        let admitted = match (*ticket, position) {
            (Some(_), None) if inner.reserved > 0 => {
                inner.reserved -= 1;
                true
            }
            (None, _) => inner.waiters.is_empty() && len + inner.reserved < self.capacity,
            (Some(_), None) | (Some(_), Some(0)) => len + inner.reserved < self.capacity,
            (Some(_), Some(_)) => false,
        };
        if admitted {
            let _ = Self::forget_waiter(&mut inner, ticket);
            self.push_locked(inner, msg.into(), Trace::capture(), sent_at);
            return Poll::Ready(Ok(()));
        }
        if is_self() {
            let _ = Self::forget_waiter(&mut inner, ticket);
            return Poll::Ready(Err(SendError::WouldDeadlock(msg)));
        }
        match position {
            Some(index) => {
                if !inner.waiters[index].waker.will_wake(cx.waker()) {
                    inner.waiters[index].waker = cx.waker().clone();
                }
            }
            None => {
                let fresh = inner.next_ticket;
                inner.next_ticket += 1;
                let waiter = Waiter {
                    ticket: fresh,
                    waker: cx.waker().clone(),
                };
                // A woken sender that lost its slot keeps its place in line.
                if ticket.is_some() {
                    inner.waiters.push_front(waiter);
                } else {
                    inner.waiters.push_back(waiter);
                }
                *ticket = Some(fresh);
                self.senders_waiting.store(true, Ordering::SeqCst);
            }
        }
        // Look again now that `senders_waiting` is visible (see module docs).
        handshake_fence();
        let first = inner.waiters.front().map(|w| w.ticket);
        if first == *ticket && self.len.load(Ordering::SeqCst) + inner.reserved < self.capacity {
            let _ = Self::forget_waiter(&mut inner, ticket);
            self.push_locked(inner, msg.into(), Trace::capture(), sent_at);
            return Poll::Ready(Ok(()));
        }
        drop(inner);
        *slot = Some(msg);
        Poll::Pending
    }

    /// Enqueues without waiting.
    pub(crate) fn try_send<T: Into<M>>(&self, msg: T) -> Result<(), TrySendError<T>> {
        let sent_at = SentAt::now();
        let inner = self.lock();
        if inner.closed {
            return Err(TrySendError::Closed(msg));
        }
        if self.capacity != usize::MAX
            && (!inner.waiters.is_empty()
                || self.len.load(Ordering::SeqCst) + inner.reserved >= self.capacity)
        {
            return Err(TrySendError::Full(msg));
        }
        self.push_locked(inner, msg.into(), Trace::capture(), sent_at);
        Ok(())
    }

    fn push_locked(
        &self,
        mut inner: MutexGuard<'_, Inner<M>>,
        msg: M,
        trace: Option<Box<Trace>>,
        sent_at: SentAt,
    ) {
        if self.capacity == usize::MAX {
            self.accepted_total.store(inner.accepted + 1, Ordering::Relaxed);
        } else {
            self.len.fetch_add(1, Ordering::SeqCst);
        }
        inner.queue.push_back(Envelope { msg, trace, sent_at });
        inner.accepted += 1;
        let waker = if inner.rx_parked {
            inner.rx_parked = false;
            inner.rx_waker.clone()
        } else {
            None
        };
        drop(inner);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Removes `ticket` from the waiters; `true` if it was still queued.
    fn forget_waiter(inner: &mut Inner<M>, ticket: &mut Option<u64>) -> bool {
        let Some(t) = ticket.take() else {
            return false;
        };
        match inner.waiters.iter().position(|w| w.ticket == t) {
            Some(index) => {
                inner.waiters.remove(index);
                true
            }
            None => false,
        }
    }

    /// A blocked sender gave up. If it had already been woken for a free slot,
    /// that wake-up goes to the next in line.
    pub(crate) fn cancel_wait(&self, ticket: u64) {
        let mut inner = self.lock();
        let was_queued = Self::forget_waiter(&mut inner, &mut Some(ticket));
        let next = if was_queued || inner.closed {
            None
        } else {
            // Woken for a reserved slot but gone: the slot goes to the next.
            inner.reserved = inner.reserved.saturating_sub(1);
            self.pop_waiter(&mut inner)
        };
        if inner.waiters.is_empty() {
            self.senders_waiting.store(false, Ordering::SeqCst);
        }
        drop(inner);
        if let Some(waker) = next {
            waker.wake();
        }
    }

    /// Pops the first blocked sender and reserves a slot for it.
    fn pop_waiter(&self, inner: &mut Inner<M>) -> Option<Waker> {
        let waiter = inner.waiters.pop_front();
        if waiter.is_some() {
            inner.reserved += 1;
        }
        if inner.waiters.is_empty() {
            self.senders_waiting.store(false, Ordering::SeqCst);
        }
        waiter.map(|w| w.waker)
    }

    /// One message left the mailbox: an unbounded mailbox only counts it;
    /// a bounded one frees its slot and wakes the first blocked sender.
    #[inline]
    fn hand_over(&self, taken: &mut u64) {
        if self.capacity == usize::MAX {
            *taken += 1;
            self.taken_total.store(*taken, Ordering::Relaxed);
        } else {
            self.release_one();
        }
    }

    fn release_one(&self) {
        self.len.fetch_sub(1, Ordering::SeqCst);
        handshake_fence();
        if self.senders_waiting.load(Ordering::SeqCst) {
            let mut inner = self.lock();
            // A newcomer may have taken the freed slot before the lock (the
            // line was empty then): reserve only a slot that is still free,
            // or the woken sender would overfill the mailbox. The one that
            // took it frees it again later, and wakes the line then.
            let free = self.len.load(Ordering::SeqCst) + inner.reserved < self.capacity;
            let waker = if free { self.pop_waiter(&mut inner) } else { None };
            drop(inner);
            if let Some(waker) = waker {
                waker.wake();
            }
        }
    }

    // ----- control -------------------------------------------------------

    /// Registers the actor task's waker, used to deliver control signals.
    pub(crate) fn set_task_waker(&self, waker: &Waker) {
        let mut inner = self.lock();
        match &inner.task_waker {
            Some(current) if current.will_wake(waker) => {}
            _ => inner.task_waker = Some(waker.clone()),
        }
    }

    /// Stops accepting messages. Queued messages stay for the actor to handle;
    /// blocked senders get their message back.
    pub(crate) fn close(&self) {
        let mut inner = self.lock();
        if inner.closed {
            return;
        }
        inner.closed = true;
        inner.reserved = 0;
        let waiters = mem::take(&mut inner.waiters);
        self.senders_waiting.store(false, Ordering::SeqCst);
        let rx = if inner.rx_parked {
            inner.rx_parked = false;
            inner.rx_waker.clone()
        } else {
            None
        };
        drop(inner);
        for waiter in waiters {
            waiter.waker.wake();
        }
        if let Some(waker) = rx {
            waker.wake();
        }
    }

    /// Requests a graceful stop: sets the control bit and closes the mailbox.
    pub(crate) fn request_stop(&self, bit: u8) {
        self.control.fetch_or(bit, Ordering::AcqRel);
        self.close();
    }

    /// Ends the current instance of a supervised actor for a restart: `recv`
    /// returns `None` from now on, and the queue is kept for the next one.
    pub(crate) fn request_restart(&self) {
        self.control.fetch_or(RESTART, Ordering::SeqCst);
        let inner = self.lock();
        let task = inner.task_waker.clone();
        let rx = inner.rx_waker.clone();
        drop(inner);
        if let Some(waker) = task {
            waker.wake();
        }
        if let Some(waker) = rx {
            waker.wake();
        }
    }

    /// Prepares the mailbox for a supervised actor's next instance: clears
    /// kill, restart and user-stop requests and reopens a mailbox closed by a
    /// user stop. A stop by the parent (`STOP_SHUTDOWN`) is never undone.
    pub(crate) fn reset_for_restart(&self) -> bool {
        let mut inner = self.lock();
        if self.control.load(Ordering::Acquire) & STOP_SHUTDOWN != 0 {
            return false;
        }
        self.control
            .fetch_and(!(KILL | RESTART | STOP_NORMAL), Ordering::AcqRel);
        inner.closed = false;
        true
    }

    /// Kills the actor: sets the kill bit and wakes its task, whatever it is
    /// awaiting.
    pub(crate) fn kill(&self) {
        self.control.fetch_or(KILL, Ordering::SeqCst);
        let inner = self.lock();
        let task = inner.task_waker.clone();
        let rx = inner.rx_waker.clone();
        drop(inner);
        if let Some(waker) = task {
            waker.wake();
        }
        if let Some(waker) = rx {
            waker.wake();
        }
    }

    /// Closes the mailbox and takes every message still in it (queue and
    /// `batch`). The caller drops them outside the lock, so user `Drop` code
    /// never runs under it.
    pub(crate) fn close_and_drain(&self, receiver: &mut Receiver<M>) -> VecDeque<Envelope<M>> {
        self.close();
        let mut drained = mem::take(&mut receiver.batch);
        let mut inner = self.lock();
        drained.append(&mut inner.queue);
        drop(inner);
        if self.capacity == usize::MAX {
            receiver.taken += drained.len() as u64;
            self.taken_total.store(receiver.taken, Ordering::Relaxed);
        } else {
            self.len.fetch_sub(drained.len(), Ordering::SeqCst);
        }
        drained
    }

    /// Forgets the wakers once the actor has exited, so handles do not keep
    /// its task alive.
    pub(crate) fn clear_wakers(&self) {
        let mut inner = self.lock();
        let rx = inner.rx_waker.take();
        let task = inner.task_waker.take();
        drop(inner);
        drop((rx, task));
    }
}

/// The actor's side of its mailbox: a private batch of messages taken from the
/// shared queue in one lock acquisition.
pub(crate) struct Receiver<M> {
    batch: VecDeque<Envelope<M>>,
    /// Messages handed to the actor (unbounded mailboxes publish it).
    taken: u64,
}

impl<M> Receiver<M> {
    pub(crate) fn new() -> Self {
        Receiver {
            batch: VecDeque::new(),
            taken: 0,
        }
    }

    /// What the control lane decides before any message is taken: `Pending`
    /// after a kill (the guard ends the actor at its next poll; nothing more
    /// is taken), `None` when a supervised instance is to end for a restart,
    /// or the next signal (down notice, trapped exit) as a message. `None`
    /// from this function means the control lane has nothing to say.
    pub(crate) fn poll_control(&mut self, mailbox: &Mailbox<M>) -> Option<Poll<Option<M>>> {
        let control = mailbox.control();
        if control & KILL != 0 {
            return Some(Poll::Pending);
        }
        if control & RESTART != 0 {
            return Some(Poll::Ready(None));
        }
        if control & SIGNAL != 0 {
            return mailbox.take_signal().map(|msg| Poll::Ready(Some(msg)));
        }
        None
    }

    /// The next user message, or `None` once the mailbox is closed and
    /// empty.
    ///
    /// Cancel safe: a message is only taken when `Ready` is returned.
    pub(crate) fn poll_mailbox(
        &mut self,
        mailbox: &Mailbox<M>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Envelope<M>>> {
        if let Some(msg) = self.batch.pop_front() {
            mailbox.hand_over(&mut self.taken);
            return Poll::Ready(Some(msg));
        }
        if self.batch.capacity() > SHRINK_ABOVE {
            self.batch = VecDeque::new();
        }
        let mut inner = mailbox.lock();
        if !inner.queue.is_empty() {
            mem::swap(&mut inner.queue, &mut self.batch);
            drop(inner);
            if let Some(msg) = self.batch.pop_front() {
                mailbox.hand_over(&mut self.taken);
                return Poll::Ready(Some(msg));
            }
        } else if inner.closed {
            return Poll::Ready(None);
        } else if !inner.signals.is_empty() {
            // A signal came in after `poll_control` looked, and its sender
            // saw no parked receiver to wake: poll again instead of parking.
            drop(inner);
            cx.waker().wake_by_ref();
        } else {
            match &inner.rx_waker {
                Some(current) if current.will_wake(cx.waker()) => {}
                _ => inner.rx_waker = Some(cx.waker().clone()),
            }
            inner.rx_parked = true;
        }
        Poll::Pending
    }
}

#[cfg(all(test, loom))]
mod loom_tests;
