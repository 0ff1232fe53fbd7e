//! actor-core's integration tests, one module per behaviour, built as one
//! test binary: a binary per file linked tokio and tracing a hundred times
//! over, which cost CI minutes and gigabytes of disk.
//!
//! A file stays a binary of its own in `tests/` when it changes something
//! process-wide that other tests would see: a counting global allocator
//! (`*_allocations.rs`), a panic hook or global subscriber
//! (`reliability_chaos_soak.rs`, `stuck_handler_reported.rs`), the tracing
//! interest it watches change (`trace_spans_follow_subscriber_changes.rs`),
//! a thread-scoped subscriber (`trace_*.rs`, `supervision_tracing.rs`), or a
//! feature the workspace build leaves off (`metrics_recorded.rs`).
//!
//! Why scoped subscribers: while a process has exactly one live `Dispatch`,
//! tracing-core 0.1.36 computes a new callsite's interest from the default
//! of whichever thread hits it first (tokio-rs/tracing#3611). A test on
//! another thread, with no subscriber, that hits a callsite first caches
//! "never" for it, and the scoped subscriber misses its spans: seen here as
//! an empty traffic recording, one run in a dozen, when they shared a binary.
//!
//! Run one module with `cargo test -p actor-core --test integration <module>::`.

#[path = "../common/mod.rs"]
mod common;

mod ask_cycle_deadlock;
mod ask_panicking_actor;
mod ask_timeout_paused;
mod bounded_backpressure;
mod bounded_fairness_reserved_slot;
mod control_through_full_mailbox;
mod dead_letters_of_a_dormant_child;
mod dedicated_thread_actor;
mod edge_values_no_panic;
mod fan_in_exactly_once;
mod group_broadcast_report;
mod group_left_member_gets_nothing;
mod group_no_keep_alive;
mod group_stopped_members_leave;
mod group_supervised_member_stays;
mod group_wrong_type;
mod introspect_snapshot;
mod kill_fails_queued_asks;
mod kill_skips_queue_mid_poll;
mod link_exit_propagation;
mod link_shutdown_reason;
mod link_unlink_race;
mod monitor_demonitor_race;
mod monitor_down_notice;
mod no_leaked_tasks;
mod panic_contained;
mod pool_blocking_does_not_block_runtime;
mod pool_bounded_sender_waits;
mod pool_crashed_worker_restarted;
mod pool_keyed_keeps_per_key_order;
mod pool_least_loaded_prefers_shortest_mailbox;
mod pool_round_robin_spreads_evenly;
mod pool_stop_stops_all_workers;
mod pubsub_only_after_subscribe;
mod pubsub_per_publisher_order;
mod registry_duplicate_name;
mod registry_entry_vanishes_on_stop;
mod registry_name_validation;
mod registry_no_keep_alive;
mod registry_supervised_restart;
mod registry_wrong_type;
mod reliability_asks_end;
mod reliability_shutdown_ends;
mod self_ask;
mod shutdown_order;
mod shutdown_outside_runtime;
mod shutdown_report_only_shutdown_kills;
mod shutdown_stuck_actor;
mod shutdown_timeout;
mod sources_fairness;
mod sources_stream_and_future;
mod sources_timers;
mod stop_drains_queue;
mod supervision_backoff;
mod supervision_backoff_stale_index;
mod supervision_crash_during_group_restart;
mod supervision_dynamic_children;
mod supervision_escalation_tree;
mod supervision_intensity;
mod supervision_invalid_specs;
mod supervision_mailbox_survives_restart;
mod supervision_one_for_all_order;
mod supervision_one_for_one_order;
mod supervision_remove_child_slow_stop;
mod supervision_rest_for_one_order;
mod supervision_restart_types;
mod supervision_shutdown_policies;
mod supervision_start_failure;
mod supervision_watchers_see_final_exit;
mod tell_ask_round_trip;
mod try_tell_full_closed;
mod weak_ref_upgrade_after_stop;
