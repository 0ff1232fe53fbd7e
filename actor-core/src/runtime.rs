//! The machinery every actor runs on: its shared cell, the guard around its
//! code, its lifecycle and its place in the actor tree.
//!
//! # One actor, one task
//!
//! An actor is one future, polled by one tokio task (or, for
//! [dedicated-thread actors](crate::Executor::DedicatedThread), by a
//! single-threaded runtime on its own OS thread). That future runs, in order:
//!
//! 1. `started` (for task actors, inline in the spawner's task, so spawn needs
//!    no extra round trip; for thread actors, on the thread);
//! 2. `run`: the receive loop (the default one calls `handle` per message, a
//!    loop actor brings its own);
//! 3. the exit: close and drain the mailbox (dropped messages are dead
//!    letters; their askers get an error at once), stop the children
//!    (later-started first), call `stopped`, publish the exit reason.
//!
//! # The receive loop's priorities
//!
//! Each time the actor's task is polled, in this order:
//!
//! 1. **kill**: a kill bit set on the control lane ends the actor at once,
//!    dropping (aborting) whatever handler was running;
//! 2. **stop**: a stop request closes the mailbox at once, so new sends fail
//!    while queued messages are still handled;
//! 3. **messages**, in FIFO order, and the sources a loop actor selects on
//!    beside [`Context::recv`](crate::Context::recv).
//!
//! No branch loses a message when another wins: `recv` only takes a message
//! when it returns it.
//!
//! # Containment
//!
//! Every poll of an actor's code runs under `catch_unwind`: a panic ends that
//! actor (reason [`ExitReason::Panicked`](crate::ExitReason::Panicked)) and
//! nothing else.

pub(crate) mod cell;
pub(crate) mod current;
pub(crate) mod guard;
pub(crate) mod lifecycle;
pub(crate) mod tree;
pub(crate) mod waits;
