//! The environment every entrant runs in: one runtime configuration for all,
//! a timeout that turns a lost message into a failure, and the check helper.

use std::future::Future;
use std::time::Duration;

use tokio::runtime::{Builder, Runtime};

/// Any error: a failed check, a framework error, a timeout.
pub(crate) type Error = Box<dyn std::error::Error + Send + Sync>;

/// The tokio runtime flavour every tokio-based entrant runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `Builder::new_multi_thread` (the default, what `#[tokio::main]` gives).
    MultiThread,
    /// `Builder::new_current_thread`: one thread for the driver and every
    /// actor (dedicated-thread actors still get their own thread).
    CurrentThread,
}

/// The runtime configuration and the run timeout, the same for every entrant.
#[derive(Clone, Debug)]
pub(crate) struct Env {
    pub(crate) flavor: Flavor,
    /// Worker threads of the multi-thread runtime; `None` is tokio's default
    /// (one per core).
    pub(crate) workers: Option<usize>,
    /// A run that takes longer fails: that is how a lost message shows.
    pub(crate) timeout: Duration,
}

impl Default for Env {
    fn default() -> Self {
        Env {
            flavor: Flavor::MultiThread,
            workers: None,
            timeout: Duration::from_secs(120),
        }
    }
}

impl Env {
    /// A fresh runtime with this configuration (one per run, so no run
    /// inherits another's tasks or warm caches).
    pub(crate) fn runtime(&self) -> Result<Runtime, Error> {
        let mut builder = match self.flavor {
            Flavor::MultiThread => Builder::new_multi_thread(),
            Flavor::CurrentThread => Builder::new_current_thread(),
        };
        if let (Flavor::MultiThread, Some(workers)) = (self.flavor, self.workers) {
            builder.worker_threads(workers);
        }
        Ok(builder.enable_all().build()?)
    }

    /// Runs `driver` to completion as a task on a fresh runtime, within the
    /// timeout.
    ///
    /// The driver is spawned rather than run by `block_on`, so on the
    /// multi-thread runtime it runs on a worker like the actors it talks to
    /// (`block_on` would add a third thread on a 2-core machine).
    pub(crate) fn block_on<T, F>(&self, driver: F) -> Result<T, Error>
    where
        F: Future<Output = Result<T, Error>> + Send + 'static,
        T: Send + 'static,
    {
        let runtime = self.runtime()?;
        let timeout = self.timeout;
        let result = runtime.block_on(async move {
            match tokio::time::timeout(timeout, tokio::spawn(driver)).await {
                Ok(Ok(result)) => result,
                Ok(Err(join_error)) => Err(format!("the driver task failed: {join_error}").into()),
                Err(_) => Err(timed_out(timeout)),
            }
        });
        // Actors left running (e.g. after a failed check) must not hold the
        // process up.
        runtime.shutdown_timeout(Duration::from_secs(1));
        result
    }

    /// One line saying what the runtime is, for the report.
    pub(crate) fn describe(&self) -> String {
        match (self.flavor, self.workers) {
            (Flavor::MultiThread, Some(workers)) => format!("tokio multi-thread runtime, {workers} workers"),
            (Flavor::MultiThread, None) => {
                let cores = std::thread::available_parallelism().map_or(1, usize::from);
                format!("tokio multi-thread runtime, {cores} workers (one per core)")
            }
            (Flavor::CurrentThread, _) => "tokio current_thread runtime".to_string(),
        }
    }

    /// The flags that reproduce this environment (passed to child processes).
    pub(crate) fn to_args(&self) -> Vec<String> {
        let mut args = vec![
            "--runtime".to_string(),
            match self.flavor {
                Flavor::MultiThread => "multi".to_string(),
                Flavor::CurrentThread => "current".to_string(),
            },
            "--timeout".to_string(),
            self.timeout.as_secs().to_string(),
        ];
        if let Some(workers) = self.workers {
            args.extend(["--workers".to_string(), workers.to_string()]);
        }
        args
    }
}

/// The error of a run that did not finish in time.
pub(crate) fn timed_out(timeout: Duration) -> Error {
    format!(
        "did not finish within {} s (a lost message leaves a run waiting forever)",
        timeout.as_secs()
    )
    .into()
}

/// Fails with `what()` unless `condition` holds: every scenario checks its
/// own result with this, so no entrant wins by dropping messages.
pub(crate) fn ensure(condition: bool, what: impl FnOnce() -> String) -> Result<(), Error> {
    if condition { Ok(()) } else { Err(what().into()) }
}
