//! Blocking workers: supervised task actors that each own one OS thread and
//! hand it one job at a time.
//!
//! Why not `Executor::DedicatedThread` workers: supervised children run as
//! tokio tasks only (a `ChildSpec` has no executor setting), and a pool's
//! workers must be supervised. So each worker is an ordinary supervised task
//! that starts its own thread in `started` and awaits each job's end: the
//! thread blocks, the runtime never does. A restart starts a fresh thread.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc as std_mpsc;

use tokio::sync::{mpsc, oneshot};

use crate::actor::Actor;
use crate::context::Context;
use crate::error::{BoxError, JobError};
use crate::exit::ExitReason;
use crate::pool::handle::PoolRef;

/// A closure for a [blocking pool](crate::pool::Pool::blocking): the message
/// type of [`BlockingWorker`].
///
/// [`PoolRef::run`] builds one for you and gives you the closure's result;
/// [`Job::new`] with [`PoolRef::tell`] is fire-and-forget.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::pool::{Job, Pool};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let pool = Pool::blocking(2).spawn(&system).await?;
/// let (tx, rx) = tokio::sync::oneshot::channel();
/// pool.tell(Job::new(move || {
///     let _ = tx.send(std::thread::current().name().map(String::from));
/// }))
/// .await?;
/// assert_eq!(rx.await?.as_deref(), Some("blocking-0"));
/// # Ok(())
/// # }
/// ```
pub struct Job(Box<dyn FnOnce() + Send>);

impl Job {
    /// Wraps `f` to run on a pool thread. A panic in `f` is caught there and
    /// does not end the thread.
    ///
    /// # Examples
    ///
    /// ```
    /// let job = actor_core::pool::Job::new(|| println!("on a pool thread"));
    /// # let _ = job;
    /// ```
    pub fn new(f: impl FnOnce() + Send + 'static) -> Job {
        Job(Box::new(f))
    }
}

impl fmt::Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Job").finish_non_exhaustive()
    }
}

/// One worker of a [blocking pool](crate::pool::Pool::blocking): a
/// supervised actor owning one OS thread (named after the worker, e.g.
/// `blocking-0`), running one [`Job`] at a time on it.
///
/// While a job runs, the worker awaits its end, so its mailbox fills and
/// senders feel backpressure as with any worker. A job cannot be
/// interrupted: a worker killed mid-job is restarted on a new thread at once,
/// and the old thread ends when its job does. A graceful stop waits for the
/// thread to end.
///
/// # Examples
///
/// ```
/// use actor_core::prelude::*;
/// use actor_core::pool::{BlockingWorker, Pool, PoolRef};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let system = System::new();
/// let pool: PoolRef<BlockingWorker> = Pool::blocking(2).spawn(&system).await?;
/// let hashed = pool.run(|| (0..1_000u64).fold(0u64, |h, n| h.rotate_left(5) ^ n)).await?;
/// # let _ = hashed;
/// # Ok(())
/// # }
/// ```
pub struct BlockingWorker {
    thread: Option<WorkerThread>,
}

struct WorkerThread {
    jobs: std_mpsc::Sender<Job>,
    /// One `()` per finished job; closed when the thread ends.
    done: mpsc::Receiver<()>,
}

impl BlockingWorker {
    pub(super) fn new() -> BlockingWorker {
        BlockingWorker { thread: None }
    }
}

impl fmt::Debug for BlockingWorker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingWorker")
            .field("thread", &self.thread.is_some())
            .finish()
    }
}

/// The body of a worker's thread: jobs in, one `()` out per job, until the
/// worker drops its end.
fn thread_main(jobs: std_mpsc::Receiver<Job>, done: mpsc::Sender<()>) {
    while let Ok(Job(job)) = jobs.recv() {
        // `run` catches the job's panic itself; this is for `Job::new`.
        let _ = catch_unwind(AssertUnwindSafe(job));
        if done.blocking_send(()).is_err() {
            return; // the worker instance is gone (killed mid-job)
        }
    }
}

impl Actor for BlockingWorker {
    type Msg = Job;

    async fn started(&mut self, ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let (jobs, jobs_rx) = std_mpsc::channel();
        let (done_tx, done) = mpsc::channel(1);
        let name = crate::spawn::thread_name(ctx.name().unwrap_or("blocking"));
        std::thread::Builder::new()
            .name(name)
            .spawn(move || thread_main(jobs_rx, done_tx))?;
        self.thread = Some(WorkerThread { jobs, done });
        Ok(())
    }

    async fn handle(&mut self, job: Job, _ctx: &mut Context<Self>) -> Result<(), BoxError> {
        let thread = self.thread.as_mut().ok_or("worker thread not started")?;
        thread.jobs.send(job).map_err(|_| "worker thread ended")?;
        thread.done.recv().await.ok_or("worker thread ended")?;
        Ok(())
    }

    async fn stopped(&mut self, _ctx: &mut Context<Self>, _reason: &ExitReason) {
        if let Some(WorkerThread { jobs, mut done }) = self.thread.take() {
            drop(jobs);
            // The thread drops its sender when it ends.
            while done.recv().await.is_some() {}
        }
    }
}

/// The text of a caught panic.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "non-string panic payload".to_string()
    }
}

impl PoolRef<BlockingWorker> {
    /// Runs `job` on one of the pool's threads (picked by the pool's
    /// routing, waiting for room in a full mailbox) and returns its result.
    /// The calling task only awaits: the runtime is never blocked.
    ///
    /// No timeout: a job runs as long as it runs (wrap the call in
    /// `tokio::time::timeout` to stop waiting; the job still finishes).
    ///
    /// # Errors
    ///
    /// [`JobError::Closed`] once the pool is stopping (the job did not run),
    /// [`JobError::Panicked`] if the job panicked (the thread lives on),
    /// [`JobError::Dropped`] if its worker was killed with the job queued.
    ///
    /// # Cancel safety
    ///
    /// Dropped while waiting for room, the job is dropped and never runs;
    /// dropped later, the job still runs and its result is discarded.
    ///
    /// # Examples
    ///
    /// ```
    /// use actor_core::prelude::*;
    /// use actor_core::pool::Pool;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let system = System::new();
    /// let pool = Pool::blocking(2).spawn(&system).await?;
    /// let (a, b) = tokio::join!(
    ///     pool.run(|| (1..=20u64).product::<u64>()),
    ///     pool.run(|| std::fs::metadata(".").is_ok()),
    /// );
    /// assert_eq!(a?, 2_432_902_008_176_640_000);
    /// assert!(b?);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn run<F, R>(&self, job: F) -> Result<R, JobError>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job = Job::new(move || {
            let result = catch_unwind(AssertUnwindSafe(job)).map_err(|payload| panic_message(&*payload));
            let _ = tx.send(result);
        });
        self.tell(job).await.map_err(|_| JobError::Closed)?;
        match rx.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(message)) => Err(JobError::Panicked(message)),
            Err(_) => Err(JobError::Dropped),
        }
    }
}
