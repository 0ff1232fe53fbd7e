// The input of the expansion snapshot (`counter.expanded.rs` beside it is the
// output). Regenerate with `UPDATE_EXPAND=1 cargo test -p actor-macros`.

#[derive(Default)]
pub struct Counter {
    total: u64,
}

#[actor]
impl Counter {
    /// Adds `n` to the total.
    #[handler]
    pub fn add(&mut self, n: u64) {
        self.total += n;
    }

    /// The current total.
    #[handler]
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Subtracts `n`, refusing to go below zero.
    #[handler]
    pub async fn take(&mut self, n: u64, ctx: &mut Context<Self>) -> Result<u64, Underflow> {
        let _ = ctx.id();
        self.total = self.total.checked_sub(n).ok_or(Underflow)?;
        Ok(self.total)
    }

    /// Resets the total; a failure stops the actor.
    #[handler(stop_on_error)]
    pub fn reset(&mut self, to: u64) -> Result<(), Underflow> {
        self.total = to;
        Ok(())
    }
}
