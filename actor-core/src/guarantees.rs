//! # Guarantees
//!
//! What actor-core promises, each with the tests that hold it. Every test
//! named here runs in CI (`cargo test --workspace`), deterministically:
//! synchronised with channels and gates, timed on tokio's paused clock.
//! A bare file name is a module of `actor-core/tests/integration/` (one test
//! binary); `actor-core/tests/<file>` is a test binary of its own, and
//! `tests/<file>` one of the `tests` package's.
//!
//! ## Delivery
//!
//! - **At most once, FIFO per sender–receiver pair.** A message is handled
//!   at most once; two messages from one sender to one actor are handled in
//!   the order sent, also across the actor's restarts.
//!   Held by `fan_in_exactly_once.rs` (8 senders on several threads, bounded
//!   and unbounded), `tell_ask_round_trip.rs`, `pubsub_per_publisher_order.rs`,
//!   `pool_keyed_keeps_per_key_order.rs`,
//!   `actor-core/tests/reliability_chaos_soak.rs` (per sender and worker,
//!   across restarts), `tests/reliability_model.rs`, and
//!   the loom models of the mailbox queue (`mailbox::queue`, run by `.ci/run`).
//! - **Handled or accounted for.** A message that is not handled comes back
//!   to its sender inside the error ([`SendError`](crate::SendError),
//!   [`TrySendError`](crate::TrySendError), [`AskError::Closed`](crate::AskError::Closed)),
//!   or, once queued, is counted as a dead letter
//!   ([`System::dead_letters`](crate::System::dead_letters)) with a WARN
//!   event on `actor_core::lifecycle`; an ask among the dead letters fails at
//!   once. Held by `try_tell_full_closed.rs`, `control_through_full_mailbox.rs`,
//!   `stop_drains_queue.rs`, `kill_fails_queued_asks.rs`,
//!   `actor-core/tests/trace_lifecycle_events.rs`, and
//!   `actor-core/tests/reliability_chaos_soak.rs`, which keeps a ledger of
//!   10^6 messages and checks each is settled exactly once:
//!   handled, given back, or a dead letter matching the counter and the events.
//!
//! ## Asks end
//!
//! Every ask returns a value or a typed [`AskError`](crate::AskError) by its
//! deadline (5 s by default, [`ask_timeout`](crate::ActorRef::ask_timeout)
//! to change it; it runs from the ask's first poll, give or take one
//! scheduling round, see [`AskFuture`](crate::AskFuture)), and at once when
//! the request can no longer be answered:
//! the target stops, fails, panics, is killed, drops the request, is
//! restarted while handling it, or the system shuts down under it.
//! Held by `reliability_asks_end.rs` (each case, with the exact virtual time
//! the ask took), `ask_timeout_paused.rs`, `ask_panicking_actor.rs`,
//! `kill_fails_queued_asks.rs`, `supervision_mailbox_survives_restart.rs`,
//! `actor-core/tests/reliability_chaos_soak.rs` (no ask of 10^6 messages
//! times out) and `tests/reliability_model.rs`.
//!
//! ## Deadlocks are errors
//!
//! - An actor asking itself gets [`AskError::SelfAsk`](crate::AskError::SelfAsk)
//!   at once, and a `tell` to its own full mailbox
//!   [`SendError::WouldDeadlock`](crate::SendError::WouldDeadlock): `self_ask.rs`.
//! - An ask that would close a cycle of actors waiting on each other's
//!   replies (A asks B while B asks A, or longer rings) fails at once with
//!   [`AskError::Deadlock`](crate::AskError::Deadlock) naming the cycle;
//!   nothing is sent. Which asks count as waiting is in
//!   [`WaitCycle`](crate::WaitCycle): handler actors and hooks, not loop
//!   actors that keep receiving while they ask. Held by
//!   `ask_cycle_deadlock.rs` (two- and three-actor cycles, `started`, no
//!   false positive for chains, loop actors, or asks that ended by reply,
//!   timeout or kill). Its cost on the ask path is measured by the benchmark
//!   suite's actor-to-actor ask scenario.
//!
//! ## Failures stay where the supervisor says
//!
//! A panic or error in an actor's code ends that actor alone
//! (`panic_contained.rs`); links and monitors carry exits as OTP does
//! (`link_exit_propagation.rs`, `monitor_down_notice.rs`, and the race
//! regressions beside them); supervisors restart by their strategy, count
//! restarts like OTP's `add_restart/1`, and escalate exactly one level when
//! they give up. The supervision tests follow OTP's `supervisor_SUITE` and
//! Akka's supervision specs case by case:
//!
//! | OTP `supervisor_SUITE` / Akka | here |
//! |---|---|
//! | `sup_start_normal`, `sup_start_fail`, `sup_start_error_return`, `sup_start_ignore_*` (not ported: no `ignore` return) | `supervision_start_failure.rs` |
//! | `sup_stop_infinity`, `sup_stop_timeout`, `sup_stop_brutal_kill` | `supervision_shutdown_policies.rs`, `reliability_shutdown_ends.rs` |
//! | `child_adm`, `child_specs`, `count_children` | `supervision_dynamic_children.rs`, `supervision_invalid_specs.rs` |
//! | `permanent_*`, `transient_*`, `temporary_*` × `normal`, `shutdown`, `abnormal` | `supervision_restart_types.rs` |
//! | `one_for_one`, `one_for_all`, `rest_for_one` | `supervision_one_for_one_order.rs`, `supervision_one_for_all_order.rs`, `supervision_rest_for_one_order.rs` |
//! | `*_escalation`, `tree` | `supervision_intensity.rs`, `supervision_escalation_tree.rs`, `actor-core/tests/reliability_chaos_soak.rs` |
//! | Akka `BackoffSupervisor` (min, max, random factor, reset) | `supervision_backoff.rs` |
//! | Akka restart keeps the mailbox; OTP restart is invisible to `monitor` | `supervision_mailbox_survives_restart.rs`, `supervision_watchers_see_final_exit.rs` |
//!
//! The chaos soak runs a three-level tree (root, three mid supervisors,
//! twelve workers) under 10^6 messages from four senders, with workers
//! panicking at random (fixed seed) below their supervisors' limits, and
//! checks that the tree is whole afterwards, nothing escalated beyond its
//! subtree, no task leaked and the heap is back within 64 KiB of where it
//! was. `CHAOS_SOAK_MESSAGES` and `CHAOS_SOAK_SEED` run it longer or
//! differently.
//!
//! ## Shutdown ends
//!
//! [`System::shutdown`](crate::System::shutdown) completes within the sum of
//! its actors' stop timeouts (plus one kill grace for an actor that must be
//! killed) whatever the actors do — handlers that await forever, `stopped`
//! hooks that never return, loop actors that never receive, dedicated
//! threads, every shutdown policy, supervisors stuck mid-restart — and
//! leaves no task alive (the runtime's alive-task count is back to its
//! starting value). An actor that never yields cannot be interrupted in Rust;
//! it is reported as stuck and left behind, and the shutdown still returns.
//! Held by `reliability_shutdown_ends.rs`, `shutdown_timeout.rs`,
//! `shutdown_stuck_actor.rs`, `shutdown_order.rs`, `no_leaked_tasks.rs` and
//! `shutdown_report_only_shutdown_kills.rs`.
//!
//! ## The model
//!
//! `tests/reliability_model.rs` drives random sequences of spawn (top-level
//! or supervised, each restart type), tell, `try_tell`, ask, ask with a
//! timeout, handler panics and errors, stop, kill, broadcast, child removal,
//! supervisor stop and kill, and system shutdown, and after every step
//! compares the framework with a small reference model of these rules: each
//! result (and the message given back), exit reasons, what each instance
//! handled, the children, dead letters, group membership, `Down` notices and
//! the virtual time to the nanosecond. Failures shrink to the shortest
//! sequence (proptest); a fixed seed makes a plain run repeatable, and
//! `PROPTEST_CASES` / `PROPTEST_RNG_SEED` explore further.
//!
//! ## Bad input
//!
//! Every public constructor and option fed edge values (zero, maximum and
//! overflowing durations and sizes, empty, huge and malformed names, dead
//! handles, a shut-down system, calls outside a runtime) returns a typed
//! error or behaves as documented, and raises no panic, not even one the
//! framework would contain: `tests/reliability_bad_input.rs` lists every
//! input tried in a table; `edge_values_no_panic.rs` and
//! `shutdown_outside_runtime.rs` hold the inputs that used to panic (a NUL
//! byte in a thread's name, overflowing backoff arithmetic, an interval of
//! `Duration::MAX`, an ask or a shutdown outside a runtime). One known
//! exception is left: a tokio runtime built without its time driver. An ask
//! whose timer must be armed there reports
//! [`AskError::NoRuntime`](crate::AskError::NoRuntime), but only after
//! tokio's panic message is printed once (the panic itself is caught); a
//! shutdown called on such a runtime cannot time its stops, and its task's
//! panic leaves actors running.
