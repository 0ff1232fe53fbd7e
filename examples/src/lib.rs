//! Runnable examples live beside this package's manifest; see `Cargo.toml`.
