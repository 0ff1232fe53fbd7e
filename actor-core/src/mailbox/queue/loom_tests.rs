//! Model checks of the mailbox's lock-and-atomics protocol with loom: every
//! interleaving (up to the preemption bound) of two or three threads among
//! senders, the actor's receive side and the control calls.
//!
//! Run with (from the workspace root):
//! `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test -p actor-core --release --lib loom`.
//! Threads wait in `loom::future::block_on`, whose waker loom tracks: a
//! thread left parked with nobody to wake it is reported as a deadlock, so
//! every model also checks that no wake-up is lost. The wakers are also
//! allowed to fire spuriously, so a future polled without cause is covered
//! too. Each model's preemption bound (3, or 2 for the three-thread
//! models of several messages, which grow fastest) keeps the whole set to
//! about half a minute of CPU; `LOOM_MAX_PREEMPTIONS` overrides it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};

use loom::future::block_on;
use loom::sync::Arc;
use loom::thread;

use super::{Mailbox, Receiver, STOP_SHUTDOWN};
use crate::error::SendError;
use crate::exit::ExitReason;
use crate::id::ActorId;
use crate::monitor::{ExitSignal, Signal};

/// A user message `(sender, sequence)`, or a trapped exit signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Msg {
    User(u8, u8),
    Exit,
}

/// Explores `f` with at most `preemptions` preemptions per execution
/// (`LOOM_MAX_PREEMPTIONS` overrides it), logging loom's trace when
/// `LOOM_LOG` is set (e.g. `LOOM_LOG=loom=trace`).
fn model<F: Fn() + Sync + Send + 'static>(preemptions: usize, f: F) {
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(preemptions);
    }
    if std::env::var_os("LOOM_LOG").is_some() {
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_env("LOOM_LOG"))
            .with_test_writer()
            .without_time()
            .finish();
        tracing::subscriber::with_default(subscriber, || builder.check(f));
    } else {
        builder.check(f);
    }
}

/// A `tell` as `deliver::SendFuture` makes it: `poll_send` per poll, and
/// `cancel_wait` when dropped while waiting.
struct Sending<'a> {
    mailbox: &'a Mailbox<Msg>,
    slot: Option<Msg>,
    ticket: Option<u64>,
}

impl<'a> Sending<'a> {
    fn new(mailbox: &'a Mailbox<Msg>, msg: Msg) -> Self {
        Sending {
            mailbox,
            slot: Some(msg),
            ticket: None,
        }
    }
}

impl Future for Sending<'_> {
    type Output = Result<(), SendError<Msg>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.mailbox
            .poll_send(cx, &mut this.slot, &mut this.ticket, || false)
    }
}

impl Drop for Sending<'_> {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket.take() {
            self.mailbox.cancel_wait(ticket);
        }
    }
}

/// Sends `msg`, waiting for room: `None` once accepted, the message back if
/// the mailbox closed first.
fn send(mailbox: &Mailbox<Msg>, msg: Msg) -> Option<Msg> {
    match block_on(Sending::new(mailbox, msg)) {
        Ok(()) => None,
        Err(SendError::Closed(msg) | SendError::WouldDeadlock(msg)) => Some(msg),
    }
}

/// How the actor's receive loop ended.
#[derive(Debug, PartialEq, Eq)]
enum End {
    /// `stop_when` said so.
    Done,
    /// `recv` returned `None`: closed and empty.
    Closed,
    /// The kill bit was seen before a poll.
    Killed,
}

/// The actor side as the runtime drives it: the guard registers the task
/// waker once and checks the kill bit before each poll, then `poll_recv`
/// asks the control lane, then the mailbox. Returns what was received and
/// why the loop ended.
fn receive(
    mailbox: &Mailbox<Msg>,
    rx: &mut Receiver<Msg>,
    stop_when: impl Fn(&[Msg]) -> bool,
) -> (Vec<Msg>, End) {
    block_on(async {
        poll_fn(|cx| {
            mailbox.set_task_waker(cx.waker());
            Poll::Ready(())
        })
        .await;
        let mut got = Vec::new();
        loop {
            if stop_when(&got) {
                return (got, End::Done);
            }
            let next = poll_fn(|cx| {
                if mailbox.is_killed() {
                    return Poll::Ready(Err(End::Killed));
                }
                if let Some(decided) = rx.poll_control(mailbox) {
                    return decided.map(|msg| msg.ok_or(End::Closed));
                }
                rx.poll_mailbox(mailbox, cx)
                    .map(|envelope| envelope.map(|e| e.msg).ok_or(End::Closed))
            })
            .await;
            match next {
                Ok(msg) => got.push(msg),
                Err(end) => return (got, end),
            }
        }
    })
}

fn count(msgs: &[Msg], msg: Msg) -> usize {
    msgs.iter().filter(|m| **m == msg).count()
}

/// Two senders wait on a full mailbox of capacity 1 while the actor drains
/// it: both messages arrive once each, no sender stays parked, and the
/// bound holds at every moment a sender can look.
#[test]
fn loom_bounded_waiting_senders_keep_the_bound() {
    model(2, || {
        let mailbox = Arc::new(Mailbox::<Msg>::new(Some(1)));
        assert!(mailbox.try_send(Msg::User(0, 0)).is_ok());
        let senders: Vec<_> = (1..=2)
            .map(|s| {
                let mailbox = Arc::clone(&mailbox);
                thread::spawn(move || {
                    assert_eq!(send(&mailbox, Msg::User(s, 0)), None);
                    let len = mailbox.len();
                    assert!(
                        len <= 1,
                        "bound exceeded: {len} messages in a mailbox of capacity 1"
                    );
                })
            })
            .collect();
        let mut rx = Receiver::new();
        let (mut got, end) = receive(&mailbox, &mut rx, |got| got.len() == 3);
        assert_eq!(end, End::Done);
        for sender in senders {
            sender.join().unwrap();
        }
        got.sort();
        assert_eq!(got, [Msg::User(0, 0), Msg::User(1, 0), Msg::User(2, 0)]);
        assert_eq!(mailbox.len(), 0);
    });
}

/// One sender's messages arrive in the order it sent them, through a
/// mailbox of capacity 1 that makes it wait for each, while a second sender
/// competes for the slot.
#[test]
fn loom_bounded_fifo_per_sender() {
    model(2, || {
        let mailbox = Arc::new(Mailbox::<Msg>::new(Some(1)));
        let first = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || {
                assert_eq!(send(&mailbox, Msg::User(1, 0)), None);
                assert_eq!(send(&mailbox, Msg::User(1, 1)), None);
            })
        };
        let second = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || assert_eq!(send(&mailbox, Msg::User(2, 0)), None))
        };
        let mut rx = Receiver::new();
        let (got, end) = receive(&mailbox, &mut rx, |got| got.len() == 3);
        assert_eq!(end, End::Done);
        first.join().unwrap();
        second.join().unwrap();
        let from_first: Vec<_> = got.iter().filter(|m| matches!(m, Msg::User(1, _))).collect();
        assert_eq!(from_first, [&Msg::User(1, 0), &Msg::User(1, 1)]);
        assert_eq!(count(&got, Msg::User(2, 0)), 1);
        assert_eq!(mailbox.len(), 0);
    });
}

/// Unbounded: the senders' `accepted_total` and the actor's `taken_total`
/// add up, whatever the interleaving, and the second sender's two messages
/// keep their order.
#[test]
fn loom_unbounded_counters_add_up() {
    model(2, || {
        let mailbox = Arc::new(Mailbox::<Msg>::new(None));
        let senders: Vec<_> = (1..=2)
            .map(|s| {
                let mailbox = Arc::clone(&mailbox);
                thread::spawn(move || {
                    for n in 0..s {
                        assert_eq!(send(&mailbox, Msg::User(s, n)), None);
                        assert!(mailbox.len() <= 3);
                    }
                })
            })
            .collect();
        let mut rx = Receiver::new();
        let (got, end) = receive(&mailbox, &mut rx, |got| got.len() == 3);
        assert_eq!(end, End::Done);
        for sender in senders {
            sender.join().unwrap();
        }
        let from_second: Vec<_> = got.iter().filter(|m| matches!(m, Msg::User(2, _))).collect();
        assert_eq!(from_second, [&Msg::User(2, 0), &Msg::User(2, 1)]);
        assert_eq!(count(&got, Msg::User(1, 0)), 1);
        assert_eq!(mailbox.len(), 0);
        assert_eq!(mailbox.taken(), 3);
    });
}

/// `close` races with a sender that may have to wait (capacity 1, one
/// message queued): the message is either received or handed back to the
/// sender, never both, never neither, and the actor sees the end.
#[test]
fn loom_close_races_with_send() {
    model(3, || {
        let mailbox = Arc::new(Mailbox::<Msg>::new(Some(1)));
        assert!(mailbox.try_send(Msg::User(0, 0)).is_ok());
        let sender = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || send(&mailbox, Msg::User(1, 0)))
        };
        let closer = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || mailbox.close())
        };
        let mut rx = Receiver::new();
        let (got, end) = receive(&mailbox, &mut rx, |_| false);
        assert_eq!(end, End::Closed);
        let returned = sender.join().unwrap();
        closer.join().unwrap();
        assert_eq!(got.first(), Some(&Msg::User(0, 0)));
        let received = count(&got, Msg::User(1, 0));
        let back = usize::from(returned == Some(Msg::User(1, 0)));
        assert_eq!(received + back, 1, "got {got:?}, returned {returned:?}");
        assert_eq!(mailbox.len(), 0);
    });
}

/// The actor exits (takes one message, then closes and drains, as
/// `lifecycle::finish` does) while a sender waits for room: the message is
/// received, drained as a dead letter or handed back, exactly one of them.
#[test]
fn loom_exit_drain_races_with_send() {
    model(3, || {
        let mailbox = Arc::new(Mailbox::<Msg>::new(Some(1)));
        assert!(mailbox.try_send(Msg::User(0, 0)).is_ok());
        let sender = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || send(&mailbox, Msg::User(1, 0)))
        };
        let mut rx = Receiver::new();
        let (got, end) = receive(&mailbox, &mut rx, |got| got.len() == 1);
        assert_eq!(end, End::Done);
        let drained: Vec<_> = mailbox
            .close_and_drain(&mut rx)
            .into_iter()
            .map(|e| e.msg)
            .collect();
        let returned = sender.join().unwrap();
        assert_eq!(got, [Msg::User(0, 0)]);
        let back = usize::from(returned == Some(Msg::User(1, 0)));
        assert_eq!(
            count(&drained, Msg::User(1, 0)) + back,
            1,
            "drained {drained:?}, returned {returned:?}"
        );
        assert_eq!(mailbox.len(), 0);
    });
}

/// A kill races with a sender waiting on a full mailbox: the actor wakes
/// and ends as killed, then its exit drains the mailbox; the message is
/// received, drained or handed back, exactly once, and the sender is woken.
#[test]
fn loom_kill_races_with_send() {
    model(3, || {
        let mailbox = Arc::new(Mailbox::<Msg>::new(Some(1)));
        assert!(mailbox.try_send(Msg::User(0, 0)).is_ok());
        let sender = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || send(&mailbox, Msg::User(1, 0)))
        };
        let killer = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || mailbox.kill())
        };
        let mut rx = Receiver::new();
        let (got, end) = receive(&mailbox, &mut rx, |_| false);
        assert_eq!(end, End::Killed);
        let drained: Vec<_> = mailbox
            .close_and_drain(&mut rx)
            .into_iter()
            .map(|e| e.msg)
            .collect();
        let returned = sender.join().unwrap();
        killer.join().unwrap();
        for msg in [Msg::User(0, 0), Msg::User(1, 0)] {
            let back = usize::from(returned == Some(msg));
            let seen = count(&got, msg) + count(&drained, msg) + back;
            assert_eq!(
                seen, 1,
                "{msg:?}: got {got:?}, drained {drained:?}, returned {returned:?}"
            );
        }
        assert_eq!(mailbox.len(), 0);
    });
}

/// A stop by the parent (control bit and close) races with a waiting
/// sender: the actor handles what was queued and ends; the message is
/// received or handed back, exactly once.
#[test]
fn loom_stop_races_with_send() {
    model(3, || {
        let mailbox = Arc::new(Mailbox::<Msg>::new(Some(1)));
        assert!(mailbox.try_send(Msg::User(0, 0)).is_ok());
        let sender = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || send(&mailbox, Msg::User(1, 0)))
        };
        let stopper = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || mailbox.request_stop(STOP_SHUTDOWN))
        };
        let mut rx = Receiver::new();
        let (got, end) = receive(&mailbox, &mut rx, |_| false);
        assert_eq!(end, End::Closed);
        assert!(mailbox.close_and_drain(&mut rx).is_empty());
        let returned = sender.join().unwrap();
        stopper.join().unwrap();
        assert_eq!(got.first(), Some(&Msg::User(0, 0)));
        let back = usize::from(returned == Some(Msg::User(1, 0)));
        assert_eq!(
            count(&got, Msg::User(1, 0)) + back,
            1,
            "got {got:?}, returned {returned:?}"
        );
        assert_ne!(mailbox.control() & STOP_SHUTDOWN, 0);
    });
}

/// A waiting sender gives up (its future is dropped) while the actor frees
/// the slot, possibly after that slot was reserved for it: the slot passes
/// to the sender behind it, which is woken and delivers.
#[test]
fn loom_cancelled_waiter_passes_its_slot_on() {
    model(3, || {
        let mailbox = Arc::new(Mailbox::<Msg>::new(Some(1)));
        assert!(mailbox.try_send(Msg::User(0, 0)).is_ok());
        let quitter = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || {
                let mut sending = Sending::new(&mailbox, Msg::User(1, 0));
                let polled = block_on(poll_fn(|cx| Poll::Ready(Pin::new(&mut sending).poll(cx))));
                // Gave up: the message comes back out of the dropped future.
                let withdrawn = sending.slot.take();
                drop(sending);
                match polled {
                    Poll::Ready(result) => {
                        assert!(result.is_ok());
                        None
                    }
                    Poll::Pending => withdrawn,
                }
            })
        };
        let waiter = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || assert_eq!(send(&mailbox, Msg::User(2, 0)), None))
        };
        let mut rx = Receiver::new();
        let (got, end) = receive(&mailbox, &mut rx, |got| got.contains(&Msg::User(2, 0)));
        assert_eq!(end, End::Done);
        let withdrawn = quitter.join().unwrap();
        waiter.join().unwrap();
        let drained: Vec<_> = mailbox
            .close_and_drain(&mut rx)
            .into_iter()
            .map(|e| e.msg)
            .collect();
        assert_eq!(got.first(), Some(&Msg::User(0, 0)));
        let msg = Msg::User(1, 0);
        let seen = count(&got, msg) + count(&drained, msg) + usize::from(withdrawn == Some(msg));
        assert_eq!(
            seen, 1,
            "got {got:?}, drained {drained:?}, withdrawn {withdrawn:?}"
        );
        assert_eq!(mailbox.len(), 0);
    });
}

/// A trapped exit signal pushed while the actor goes idle wakes it: the
/// actor receives it, whichever of the two takes the lock first.
#[test]
fn loom_signal_wakes_an_idle_actor() {
    model(3, || {
        let mailbox = Arc::new(Mailbox::<Msg>::new(Some(1)));
        mailbox.set_trap_exits(|_| Msg::Exit, true);
        let signaller = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || {
                let exit = ExitSignal {
                    from: ActorId::next_local(),
                    reason: ExitReason::Normal,
                };
                assert!(mailbox.push_signal(Signal::Exit(exit)));
            })
        };
        let mut rx = Receiver::new();
        let (got, end) = receive(&mailbox, &mut rx, |got| !got.is_empty());
        assert_eq!(end, End::Done);
        signaller.join().unwrap();
        assert_eq!(got, [Msg::Exit]);
    });
}
