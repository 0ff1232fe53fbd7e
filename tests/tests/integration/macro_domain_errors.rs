//! `#[actor]`: a handler returning `Result<T, E>` gives its caller `T`, or
//! `CallError::Handler(e)` kept apart from the framework's `CallError::Ask`.
//! The actor goes on after an error, unless the handler is
//! `#[handler(stop_on_error)]`: then the error stops it with `Failed`.

use std::fmt;
use std::time::Duration;

use actor_core::prelude::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The bank's own error.
#[derive(Debug, PartialEq, Eq)]
pub enum BankError {
    /// Not enough money.
    Insufficient {
        /// What the account holds.
        balance: u64,
    },
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BankError::Insufficient { balance } => write!(f, "insufficient funds: balance is {balance}"),
        }
    }
}

impl std::error::Error for BankError {}

/// An account.
#[derive(Debug, Default)]
pub struct Account {
    balance: u64,
}

#[actor]
impl Account {
    /// Adds money.
    ///
    /// # Errors
    ///
    /// Never; the `Result` is for the sake of the test.
    #[handler]
    pub fn deposit(&mut self, amount: u64) -> Result<u64, BankError> {
        self.balance += amount;
        Ok(self.balance)
    }

    /// Takes money out, if there is enough.
    ///
    /// # Errors
    ///
    /// [`BankError::Insufficient`] if there is not.
    #[handler]
    pub fn withdraw(&mut self, amount: u64) -> Result<u64, BankError> {
        if amount > self.balance {
            return Err(BankError::Insufficient {
                balance: self.balance,
            });
        }
        self.balance -= amount;
        Ok(self.balance)
    }

    /// Like `withdraw`, but an overdraft means the books are wrong: stop.
    ///
    /// # Errors
    ///
    /// As `withdraw`; the actor then stops.
    #[handler(stop_on_error)]
    pub fn audit_withdraw(&mut self, amount: u64) -> Result<u64, BankError> {
        self.withdraw(amount)
    }

    /// Never returns: its caller times out.
    ///
    /// # Errors
    ///
    /// Never.
    #[handler]
    pub async fn hang(&mut self) -> Result<(), BankError> {
        std::future::pending::<()>().await;
        Ok(())
    }
}

#[tokio::test]
async fn ok_values_reach_the_caller() -> TestResult {
    let system = System::new();
    let account = system.spawn(Account::default()).await?;
    assert_eq!(account.deposit(10).await?, 10);
    assert_eq!(account.withdraw(4).await?, 6);
    Ok(())
}

#[tokio::test]
async fn a_domain_error_reaches_the_caller_as_itself_and_the_actor_goes_on() -> TestResult {
    let system = System::new();
    let account = system.spawn(Account::default()).await?;
    account.deposit(5).await?;
    let err = account.withdraw(8).await;
    assert!(matches!(
        err,
        Err(CallError::Handler(BankError::Insufficient { balance: 5 }))
    ));
    assert_eq!(
        err.map_err(|e| e.to_string()),
        Err("insufficient funds: balance is 5".to_string())
    );
    assert!(account.is_alive());
    assert_eq!(account.deposit(1).await?, 6);
    Ok(())
}

#[tokio::test(start_paused = true)]
async fn framework_errors_are_apart_from_domain_errors() -> TestResult {
    let system = System::new();
    let account = system.spawn(Account::default()).await?;
    let err = account.hang().timeout(Duration::from_millis(10)).await;
    assert!(matches!(err, Err(CallError::Ask(AskError::Timeout(_)))));
    account.kill();
    account.wait_for_stop().await;
    let err = account.withdraw(1).await;
    assert!(matches!(
        err,
        Err(CallError::Ask(AskError::Closed(AccountMsg::Withdraw {
            amount: 1,
            ..
        })))
    ));
    Ok(())
}

#[tokio::test]
async fn a_told_error_does_not_stop_the_actor() -> TestResult {
    let system = System::new();
    let account = system.spawn(Account::default()).await?;
    account.withdraw(100).tell().await?; // fails; logged, nobody waits for it
    assert_eq!(account.deposit(1).await?, 1);
    Ok(())
}

#[tokio::test]
async fn stop_on_error_stops_the_actor_and_still_answers_the_asker() -> TestResult {
    let system = System::new();
    let account = system.spawn(Account::default()).await?;
    account.deposit(3).await?;
    assert_eq!(account.audit_withdraw(1).await?, 2);
    let err = account.audit_withdraw(9).await;
    assert!(matches!(
        err,
        Err(CallError::Handler(BankError::Insufficient { balance: 2 }))
    ));
    let reason = account.wait_for_stop().await;
    assert_eq!(reason.to_string(), "failed: insufficient funds: balance is 2");
    Ok(())
}

#[tokio::test]
async fn stop_on_error_stops_the_actor_when_told() -> TestResult {
    let system = System::new();
    let account = system.spawn(Account::default()).await?;
    account.audit_withdraw(1).tell().await?;
    let reason = account.wait_for_stop().await;
    assert!(matches!(reason, ExitReason::Failed(_)));
    assert_eq!(reason.to_string(), "failed: insufficient funds: balance is 0");
    Ok(())
}

#[tokio::test]
async fn call_errors_work_with_the_question_mark() -> TestResult {
    async fn withdraw_all(account: &ActorRef<Account>) -> Result<u64, Box<dyn std::error::Error>> {
        let balance = account.deposit(0).await?;
        Ok(account.withdraw(balance).await?)
    }
    let system = System::new();
    let account = system.spawn(Account::default()).await?;
    account.deposit(4).await?;
    assert_eq!(withdraw_all(&account).await?, 0);
    Ok(())
}
