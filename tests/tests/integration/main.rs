//! The cross-crate integration tests, one module per behaviour or example,
//! built as one test binary (a binary per file cost CI minutes and disk).
//!
//! A file stays a binary of its own in `tests/` when it changes something
//! process-wide that other tests would see: a counting global allocator
//! (`macro_allocations.rs`), a panic hook (`reliability_bad_input.rs`,
//! `reliability_model.rs`), a global subscriber (`example_service.rs`) or a
//! thread-scoped one (`recorder_*.rs`, `example_trace_traffic.rs`: see
//! tokio-rs/tracing#3611, and actor-core's `tests/integration/main.rs`);
//! or when it needs to be the crate root: `macro_hygiene.rs` names its
//! shadowing module as `crate::my_core`, and `macro_ui.rs` drives trybuild.
//! Run one module with `cargo test -p tests --test integration <module>::`.
//! The modules are `pub`: the actors in them are `pub`, as users write them,
//! and a private module would make every such item an unreachable `pub`.

pub mod example_bank;
pub mod example_blocking_worker;
pub mod example_chat_server;
pub mod example_counter;
pub mod example_ping_pong;
pub mod example_supervision_tree;
pub mod macro_ask;
pub mod macro_async_handlers;
pub mod macro_context;
pub mod macro_domain_errors;
pub mod macro_generics;
pub mod macro_hooks;
pub mod macro_message_enum;
pub mod macro_params;
pub mod macro_receivers;
pub mod macro_tell;
pub mod macro_visibility;
