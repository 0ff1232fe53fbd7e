//! `#[actor]`: handlers borrow the actor as `&self` (reads) or `&mut self`
//! (writes); both are handled in mailbox order. (This file imports the
//! macros by name: `handler` must not be reported as an unused import.)

use actor_core::{System, actor, handler};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A register.
#[derive(Debug, Default)]
pub struct Register {
    value: i64,
}

#[actor]
impl Register {
    /// Writes: `&mut self`.
    #[handler]
    pub fn set(&mut self, value: i64) -> i64 {
        std::mem::replace(&mut self.value, value)
    }

    /// Reads: `&self`.
    #[handler]
    pub fn get(&self) -> i64 {
        self.value
    }

    /// Reads, asynchronously.
    #[handler]
    pub async fn get_later(&self) -> i64 {
        tokio::task::yield_now().await;
        self.value
    }

    /// Writes, asynchronously.
    #[handler]
    pub async fn add_later(&mut self, n: i64) {
        tokio::task::yield_now().await;
        self.value += n;
    }
}

#[tokio::test]
async fn shared_and_exclusive_borrows_interleave_in_order() -> TestResult {
    let system = System::new();
    let register = system.spawn(Register::default()).await?;
    assert_eq!(register.set(5).await?, 0);
    assert_eq!(register.get().await?, 5);
    register.add_later(2).await?;
    assert_eq!(register.get_later().await?, 7);
    assert_eq!(register.set(-1).await?, 7);
    assert_eq!(register.get().await?, -1);
    Ok(())
}

#[tokio::test]
async fn the_methods_stay_callable_directly() -> TestResult {
    let mut register = Register::default();
    assert_eq!(register.set(3), 0);
    assert_eq!(register.get(), 3);
    register.add_later(1).await;
    assert_eq!(register.get_later().await, 4);
    Ok(())
}
