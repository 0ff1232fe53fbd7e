//! A bank: money moves between account actors with asks, and none is created
//! or lost, while a flaky auditor crashes and is restarted.
//!
//! Shows: accounts written with `#[actor]`, one of whose handlers refuses an
//! overdraft with its own error (`CallError::Handler`); transfers as two
//! asks (withdraw, then deposit, refunded if the deposit cannot be
//! delivered), hundreds of them running concurrently from many tasks; an
//! auditor under a `Supervisor` that panics on every third audit and is
//! restarted behind the same handle, with fresh state, without the accounts
//! noticing; and the invariant, checked after every batch and at the end:
//! the balances add up to what the bank started with.
//!
//! The accounts are deliberately not supervised: a restart builds fresh
//! state from the spec's factory, which for an account would reset its
//! balance. State that must survive a crash belongs in storage; the
//! auditor keeps nothing worth keeping, so restarting it is safe.
//!
//! Run with `cargo run -p examples --example bank` (the auditor's panics are
//! logged; `RUST_LOG` overrides the default `warn`).
#![allow(clippy::print_stdout)]

use std::fmt;
use std::time::Duration;

use actor_core::prelude::*;
use actor_core::supervision::{ChildSpec, Intensity, Supervisor};
use tokio::task::JoinSet;
use tracing_subscriber::EnvFilter;

const ACCOUNTS: [&str; 5] = ["ada", "brian", "chen", "dana", "emil"];
const OPENING_BALANCE: u64 = 1_000;
const ROUNDS: u32 = 10;
const TRANSFERS_PER_ROUND: u32 = 50;
const MAX_AMOUNT: u64 = 400;

/// Why a withdrawal was refused.
#[derive(Debug)]
struct Insufficient {
    balance: u64,
    wanted: u64,
}

impl fmt::Display for Insufficient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot withdraw {} from a balance of {}",
            self.wanted, self.balance
        )
    }
}

/// One account: its balance is its state, and only it changes it.
struct Account {
    balance: u64,
}

#[actor]
impl Account {
    /// Adds `amount`.
    #[handler]
    fn deposit(&mut self, amount: u64) {
        self.balance += amount;
    }

    /// Takes `amount` away, unless that would overdraw the account.
    #[handler]
    fn withdraw(&mut self, amount: u64) -> Result<u64, Insufficient> {
        self.balance = self.balance.checked_sub(amount).ok_or(Insufficient {
            balance: self.balance,
            wanted: amount,
        })?;
        Ok(self.balance)
    }

    /// The current balance.
    #[handler]
    fn balance(&self) -> u64 {
        self.balance
    }
}

/// How a transfer ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transfer {
    /// The money moved.
    Done,
    /// Not enough money in the source account: nothing moved.
    Refused,
    /// The deposit could not be delivered: the money went back.
    Returned,
}

/// Moves `amount` from one account to another: an ask to withdraw, then an
/// ask to deposit. Between the two the money is in flight, held by this task
/// alone, so it is either deposited or given back.
async fn transfer(
    from: &ActorRef<Account>,
    to: &ActorRef<Account>,
    amount: u64,
) -> Result<Transfer, BoxError> {
    match from.withdraw(amount).await {
        Ok(_) => {}
        Err(CallError::Handler(Insufficient { .. })) => return Ok(Transfer::Refused),
        Err(CallError::Ask(error)) => return Err(error.discard_message().into()),
    }
    match to.deposit(amount).ask().await {
        Ok(()) => Ok(Transfer::Done),
        // Never delivered (the account is closed): safe to give back.
        Err(AskError::Closed(_)) => {
            from.deposit(amount)
                .ask()
                .await
                .map_err(AskError::discard_message)?;
            Ok(Transfer::Returned)
        }
        // Delivered or not, we cannot tell (a timeout, say): a real bank
        // would retry with an idempotent transfer id. Here, a loud error.
        Err(other) => Err(format!("transfer of {amount} in doubt: {other}").into()),
    }
}

/// Adds up the balances. Flaky: it panics on every third audit it makes.
struct Auditor {
    accounts: Vec<ActorRef<Account>>,
    expected: u64,
    audits: u32,
}

#[actor]
impl Auditor {
    /// Checks that the balances add up to what the bank started with, and
    /// returns the total.
    #[handler]
    async fn audit(&mut self) -> Result<u64, String> {
        self.audits += 1;
        // The bug we pretend not to know about. A restart starts the count again.
        assert!(
            !self.audits.is_multiple_of(3),
            "the auditor lost count on audit {}",
            self.audits
        );
        let mut total = 0;
        for account in &self.accounts {
            total += account.balance().await.map_err(|error| error.to_string())?;
        }
        if total == self.expected {
            Ok(total)
        } else {
            Err(format!("the books are off: {total} instead of {}", self.expected))
        }
    }
}

/// A small deterministic random number generator (xorshift64), so every run
/// makes the same transfers.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// What happened, and whether the books balance.
#[derive(Debug)]
pub(crate) struct Report {
    /// What the bank started with.
    pub(crate) opening_total: u64,
    /// Each account's final balance.
    pub(crate) balances: Vec<(&'static str, u64)>,
    /// What the balances add up to at the end.
    pub(crate) closing_total: u64,
    /// Transfers that moved money.
    pub(crate) done: u32,
    /// Transfers refused for lack of funds.
    pub(crate) refused: u32,
    /// Transfers whose deposit could not be delivered, money given back.
    pub(crate) returned: u32,
    /// Audits that balanced.
    pub(crate) audits_passed: u32,
    /// Audits lost to the auditor's panics.
    pub(crate) audits_lost: u32,
    /// How many times the supervisor restarted the auditor.
    pub(crate) auditor_restarts: u32,
    /// Whether every actor stopped in time.
    pub(crate) shutdown_clean: bool,
}

/// Opens the accounts, runs the rounds of concurrent transfers with an audit
/// after each, and checks the books.
///
/// # Errors
///
/// A failed spawn or ask, an audit that did not balance, or a transfer in doubt.
pub(crate) async fn run() -> Result<Report, BoxError> {
    let system = System::new();
    let mut accounts = Vec::new();
    for name in ACCOUNTS {
        let account = Account {
            balance: OPENING_BALANCE,
        };
        accounts.push(system.spawn_with(account, SpawnOptions::new().name(name)).await?);
    }
    let opening_total = OPENING_BALANCE * ACCOUNTS.len() as u64;

    let audited = accounts.clone();
    let spec = ChildSpec::new("auditor", move || Auditor {
        accounts: audited.clone(),
        expected: opening_total,
        audits: 0,
    });
    let supervisor = Supervisor::builder()
        .intensity(Intensity::new(5, Duration::from_secs(10)))
        .child(spec)
        .build()?;
    let supervisor = system
        .spawn_with(supervisor, SpawnOptions::new().name("audit-supervisor"))
        .await?;
    let auditor: ActorRef<Auditor> = supervisor.child("auditor").await?;
    println!(
        "opened {} accounts with {OPENING_BALANCE} each ({opening_total} in all)",
        accounts.len()
    );

    let mut dice = Dice(0x2545_f491_4f6c_dd1d);
    let (mut done, mut refused, mut returned) = (0, 0, 0);
    let (mut audits_passed, mut audits_lost) = (0, 0);
    for round in 1..=ROUNDS {
        let mut transfers = JoinSet::new();
        for _ in 0..TRANSFERS_PER_ROUND {
            let from = dice.roll(accounts.len() as u64) as usize;
            let to = (from + 1 + dice.roll(accounts.len() as u64 - 1) as usize) % accounts.len();
            let amount = 1 + dice.roll(MAX_AMOUNT);
            let (from, to) = (accounts[from].clone(), accounts[to].clone());
            transfers.spawn(async move { transfer(&from, &to, amount).await });
        }
        while let Some(outcome) = transfers.join_next().await {
            match outcome?? {
                Transfer::Done => done += 1,
                Transfer::Refused => refused += 1,
                Transfer::Returned => returned += 1,
            }
        }
        // No transfer is in flight now, so the books must balance exactly.
        match auditor.audit().await {
            Ok(total) => {
                audits_passed += 1;
                println!("round {round:>2}: audit ok, {total} in all");
            }
            Err(CallError::Ask(AskError::NoReply)) => {
                audits_lost += 1;
                println!("round {round:>2}: the auditor crashed mid-audit; its supervisor restarts it");
            }
            Err(CallError::Handler(discrepancy)) => return Err(discrepancy.into()),
            Err(CallError::Ask(other)) => return Err(other.discard_message().into()),
        }
    }

    let mut balances = Vec::new();
    for (name, account) in ACCOUNTS.into_iter().zip(&accounts) {
        balances.push((name, account.balance().await.map_err(AskError::discard_message)?));
    }
    let closing_total = balances.iter().map(|(_, balance)| balance).sum();
    let auditor_restarts = supervisor
        .children()
        .await?
        .iter()
        .find(|child| child.name == "auditor")
        .map_or(0, |child| child.restarts);
    let shutdown = system.shutdown().await;

    let report = Report {
        opening_total,
        balances,
        closing_total,
        done,
        refused,
        returned,
        audits_passed,
        audits_lost,
        auditor_restarts,
        shutdown_clean: shutdown.is_clean(),
    };
    println!(
        "transfers: {} done, {} refused for lack of funds, {} returned",
        report.done, report.refused, report.returned
    );
    println!(
        "audits: {} balanced, {} lost to crashes; the auditor was restarted {} times",
        report.audits_passed, report.audits_lost, report.auditor_restarts
    );
    println!("balances: {:?}", report.balances);
    println!(
        "opening total {}, closing total {}: {}; shutdown clean: {}",
        report.opening_total,
        report.closing_total,
        if report.closing_total == report.opening_total {
            "no money created or lost"
        } else {
            "THE BOOKS DO NOT BALANCE"
        },
        report.shutdown_clean
    );
    if report.closing_total != report.opening_total {
        return Err("the books do not balance".into());
    }
    Ok(report)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")))
        .init();
    run().await?;
    Ok(())
}
