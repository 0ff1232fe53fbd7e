//! Proc macros for `actor-core`; use them through `actor_core`'s re-exports.
