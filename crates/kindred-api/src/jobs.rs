//! The job runner: a supervisor owning the tokio tasks that run the durable jobs of the
//! store's `jobs` table (sync, recompute, and later AI work).
//!
//! [`JobRunner::start`] spawns workers that claim due jobs of the kinds registered in
//! [`JobHandlers`], run each kind's handler, and record the outcome: done, retried after
//! a jittered exponential backoff, or failed. While a handler runs, its worker extends the
//! job's lease. Idle workers sleep until the earliest job becomes due; [`JobQueue::enqueue`]
//! wakes one at once. What happens is reported as [`JobEvent`]s through a callback, for
//! the shells to forward.
//!
//! # Guarantees
//! - **At least once.** A job is marked done only after its handler returned `Ok`. If
//!   the process dies mid-job, the lease expires and another worker runs the job again;
//!   a worker that stalls past its lease may see its job run elsewhere meanwhile (and its
//!   own result is then refused). Handlers must therefore be idempotent: the store's
//!   upserts and checkpoints, committed with the data they cover, make sync so.
//! - **No job runs twice at the same time** while leases are kept: a claim is one
//!   `UPDATE … RETURNING` in the store's single writer.
//! - **Graceful shutdown.** [`JobRunner::shutdown`] stops claiming, lets running handlers
//!   finish within the grace period, then abandons the rest and releases their leases
//!   without counting an attempt, so the next start picks them up at once.
//! - **Bounded retries.** Each claim, crashed ones included, counts as an attempt; a job
//!   that uses up its attempts is marked failed with its last error.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
pub use kindred_store::jobs::{Backoff, Enqueued, JobId, NewJob};
use kindred_store::jobs::{FailOutcome, Job};
use kindred_store::{Store, StoreError};
use serde_json::Value;
use tokio::sync::Notify;
use tokio::time::{interval_at, sleep, Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::ApiError;

/// What a handler is given: the job and which attempt this is.
#[derive(Debug, Clone, PartialEq)]
pub struct JobContext {
    pub id: JobId,
    pub kind: String,
    pub payload: Value,
    /// 1 on the first run; counts crashed runs too.
    pub attempt: u32,
}

/// Why a handler did not finish its job, and whether trying again may help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JobError {
    message: String,
    retryable: bool,
}

impl JobError {
    /// A failure that may pass: the job is retried after a backoff while attempts last.
    #[must_use]
    pub fn retryable(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retryable: true,
        }
    }

    /// A failure that trying again will not fix: the job fails at once.
    #[must_use]
    pub fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retryable: false,
        }
    }

    /// Whether the job should be tried again (while it has attempts left).
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }
}

impl From<StoreError> for JobError {
    fn from(error: StoreError) -> Self {
        let retryable = error.is_retryable();
        Self {
            message: error.to_string(),
            retryable,
        }
    }
}

/// The future a handler returns.
type JobFuture = Pin<Box<dyn Future<Output = Result<(), JobError>> + Send>>;

type Handler = Arc<dyn Fn(JobContext) -> JobFuture + Send + Sync>;

/// The handler of each job kind a runner runs. A runner claims only these kinds, so
/// several runners (or a CLI and the app) may share one queue.
#[derive(Clone, Default)]
pub struct JobHandlers(HashMap<&'static str, Handler>);

impl JobHandlers {
    /// No handlers yet: add them with [`Self::register`].
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs jobs of `kind` with `handler`, replacing any handler registered before.
    #[must_use]
    pub fn register<F, Fut>(mut self, kind: &'static str, handler: F) -> Self
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        self.0
            .insert(kind, Arc::new(move |context| Box::pin(handler(context))));
        self
    }
}

impl std::fmt::Debug for JobHandlers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// How a runner works.
#[derive(Debug, Clone)]
pub struct RunnerOptions {
    /// Jobs run at the same time.
    pub workers: usize,
    /// How long a claim holds a job without being extended; a worker extends it every
    /// third of this while the handler runs. After a crash, the job waits this long.
    pub lease: Duration,
    /// How long shutdown waits for running handlers before releasing their jobs.
    pub grace: Duration,
    /// The delay before retrying a failed job.
    pub backoff: Backoff,
    /// The longest an idle worker sleeps before looking again, for jobs enqueued by
    /// another process (the CLI beside the app), which cannot wake it.
    pub idle_recheck: Duration,
}

impl Default for RunnerOptions {
    fn default() -> Self {
        Self {
            workers: 2,
            lease: Duration::from_secs(30),
            grace: Duration::from_secs(10),
            backoff: Backoff {
                base: Duration::from_secs(5),
                cap: Duration::from_secs(30 * 60),
            },
            idle_recheck: Duration::from_secs(60),
        }
    }
}

/// What the runner reports, in order for each job.
#[derive(Debug, Clone, PartialEq)]
pub enum JobEvent {
    /// A worker claimed the job and its handler started.
    Started {
        id: JobId,
        kind: String,
        attempt: u32,
    },
    /// The handler succeeded; the job is done.
    Finished { id: JobId, kind: String },
    /// The handler failed; the job runs again from `at`.
    Retrying {
        id: JobId,
        kind: String,
        error: String,
        at: DateTime<Utc>,
    },
    /// The handler failed for good (not retryable, or out of attempts).
    Failed {
        id: JobId,
        kind: String,
        error: String,
    },
    /// Shutdown abandoned the handler; the job is pending again, its attempt not counted.
    Released { id: JobId, kind: String },
    /// Worker `worker` found nothing due and waits for work.
    Idle { worker: usize },
}

type EventCallback = Arc<dyn Fn(JobEvent) + Send + Sync>;

/// Enqueues work and wakes an idle worker of the runner it came from.
#[derive(Debug, Clone)]
pub struct JobQueue {
    store: Store,
    wake: Arc<Notify>,
}

impl JobQueue {
    /// Queues `job` (see [`Store::enqueue_job`] for dedupe keys) and wakes a worker.
    ///
    /// # Errors
    /// The store refused the write.
    pub async fn enqueue(&self, job: &NewJob) -> Result<Enqueued, ApiError> {
        let enqueued = self.store.enqueue_job(job, Utc::now()).await?;
        if matches!(enqueued, Enqueued::Added(_)) {
            self.wake.notify_one();
        }
        Ok(enqueued)
    }
}

/// The supervisor of the job workers. Dropping it stops them without waiting: running
/// handlers are abandoned and their leases released in the background.
#[derive(Debug)]
pub struct JobRunner {
    queue: JobQueue,
    /// Stops claiming; idle workers exit.
    stop: CancellationToken,
    /// Abandons running handlers; their workers release the leases and exit.
    abandon: CancellationToken,
    tasks: TaskTracker,
    grace: Duration,
}

impl JobRunner {
    /// Starts `options.workers` workers over `store`'s queue running `handlers`,
    /// reporting to `on_event`. Must be called within a tokio runtime.
    ///
    /// `on_event` is called on the workers' tasks: keep it quick (forward the event to a
    /// channel or the UI).
    #[must_use]
    pub fn start(
        store: Store,
        handlers: JobHandlers,
        options: &RunnerOptions,
        on_event: impl Fn(JobEvent) + Send + Sync + 'static,
    ) -> Self {
        static RUNNERS: AtomicU64 = AtomicU64::new(0);
        let runner = format!(
            "{}.{}.{}",
            std::process::id(),
            Utc::now().timestamp_millis(),
            RUNNERS.fetch_add(1, Ordering::Relaxed)
        );
        let queue = JobQueue {
            store,
            wake: Arc::new(Notify::new()),
        };
        let stop = CancellationToken::new();
        let abandon = CancellationToken::new();
        let tasks = TaskTracker::new();
        let kinds: Arc<[&'static str]> = handlers.0.keys().copied().collect();
        let handlers = Arc::new(handlers);
        let on_event: EventCallback = Arc::new(on_event);
        for index in 0..options.workers.max(1) {
            let worker = Worker {
                index,
                owner: format!("{runner}/{index}"),
                queue: queue.clone(),
                handlers: Arc::clone(&handlers),
                kinds: Arc::clone(&kinds),
                options: options.clone(),
                stop: stop.clone(),
                abandon: abandon.clone(),
                on_event: Arc::clone(&on_event),
            };
            tasks.spawn(worker.run());
        }
        tasks.close();
        Self {
            queue,
            stop,
            abandon,
            tasks,
            grace: options.grace,
        }
    }

    /// A handle to enqueue work that wakes this runner's workers.
    #[must_use]
    pub fn queue(&self) -> JobQueue {
        self.queue.clone()
    }

    /// Stops claiming, waits up to the grace period for running handlers, then abandons
    /// the rest, releasing their leases, and returns once every worker has exited.
    pub async fn shutdown(self) {
        self.stop.cancel();
        if tokio::time::timeout(self.grace, self.tasks.wait())
            .await
            .is_err()
        {
            self.abandon.cancel();
            self.tasks.wait().await;
        }
    }
}

impl Drop for JobRunner {
    fn drop(&mut self) {
        self.stop.cancel();
        self.abandon.cancel();
    }
}

/// One worker: claims, runs and settles one job at a time.
struct Worker {
    index: usize,
    owner: String,
    queue: JobQueue,
    handlers: Arc<JobHandlers>,
    kinds: Arc<[&'static str]>,
    options: RunnerOptions,
    stop: CancellationToken,
    abandon: CancellationToken,
    on_event: EventCallback,
}

/// How long a worker waits after the store failed, before trying again.
const STORE_ERROR_PAUSE: Duration = Duration::from_secs(1);

impl Worker {
    async fn run(self) {
        while !self.stop.is_cancelled() {
            let claimed = self
                .queue
                .store
                .claim_job(&self.owner, self.options.lease, Utc::now(), &self.kinds)
                .await;
            match claimed {
                Ok(Some(job)) => self.execute(job).await,
                Ok(None) => self.wait_for_work().await,
                Err(error) => {
                    tracing::warn!("worker {} could not claim a job: {error}", self.owner);
                    self.pause(STORE_ERROR_PAUSE).await;
                }
            }
        }
    }

    /// Sleeps until the next job is due, an enqueue wakes this worker, or shutdown.
    async fn wait_for_work(&self) {
        let until_due = match self.queue.store.next_job_due(&self.kinds).await {
            Ok(Some(due)) => (due - Utc::now()).to_std().unwrap_or(Duration::ZERO),
            Ok(None) => self.options.idle_recheck,
            Err(error) => {
                tracing::warn!("worker {} could not read the queue: {error}", self.owner);
                STORE_ERROR_PAUSE
            }
        };
        (self.on_event)(JobEvent::Idle { worker: self.index });
        tokio::select! {
            () = self.queue.wake.notified() => {}
            () = self.pause(until_due.min(self.options.idle_recheck)) => {}
        }
    }

    /// Sleeps for `duration` or until shutdown.
    async fn pause(&self, duration: Duration) {
        tokio::select! {
            () = self.stop.cancelled() => {}
            () = sleep(duration) => {}
        }
    }

    async fn execute(&self, job: Job) {
        let (id, kind) = (job.id, job.kind.clone());
        (self.on_event)(JobEvent::Started {
            id,
            kind: kind.clone(),
            attempt: job.attempts,
        });
        // The store hands out only the kinds this runner registered.
        let handler = Arc::clone(&self.handlers.0[job.kind.as_str()]);
        let mut task = tokio::spawn(handler(JobContext {
            id,
            kind: job.kind,
            payload: job.payload,
            attempt: job.attempts,
        }));
        // A floor keeps a zero lease from asking for a zero-period interval (a panic).
        let period = (self.options.lease / 3).max(Duration::from_millis(10));
        let mut heartbeat = interval_at(Instant::now() + period, period);
        heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let outcome = loop {
            tokio::select! {
                joined = &mut task => break Some(joined),
                _ = heartbeat.tick() => self.extend_lease(id).await,
                () = self.abandon.cancelled() => break None,
            }
        };
        let store = &self.queue.store;
        let event = match outcome {
            None => {
                task.abort();
                // Wait for the handler to be dropped, so it never overlaps the next run.
                let _ = task.await;
                match store.release_job(id, &self.owner, Utc::now()).await {
                    Ok(true) => Some(JobEvent::Released { id, kind }),
                    Ok(false) => self.lost_lease(id),
                    Err(error) => self.unsettled(id, &error),
                }
            }
            Some(Ok(Ok(()))) => match store.complete_job(id, &self.owner, Utc::now()).await {
                Ok(true) => Some(JobEvent::Finished { id, kind }),
                Ok(false) => self.lost_lease(id),
                Err(error) => self.unsettled(id, &error),
            },
            Some(Ok(Err(error))) => self.fail(id, kind, &error).await,
            Some(Err(join_error)) => {
                let error = JobError::permanent(format!("the handler panicked: {join_error}"));
                self.fail(id, kind, &error).await
            }
        };
        if let Some(event) = event {
            (self.on_event)(event);
        }
    }

    async fn fail(&self, id: JobId, kind: String, error: &JobError) -> Option<JobEvent> {
        let outcome = self
            .queue
            .store
            .fail_job(
                id,
                &self.owner,
                &error.message,
                error.retryable,
                &self.options.backoff,
                Utc::now(),
            )
            .await;
        let error = error.message.clone();
        match outcome {
            Ok(FailOutcome::RetryAt(at)) => Some(JobEvent::Retrying {
                id,
                kind,
                error,
                at,
            }),
            Ok(FailOutcome::Failed) => Some(JobEvent::Failed { id, kind, error }),
            Ok(FailOutcome::LeaseLost) => self.lost_lease(id),
            Err(store_error) => self.unsettled(id, &store_error),
        }
    }

    async fn extend_lease(&self, id: JobId) {
        let extended = self
            .queue
            .store
            .extend_job_lease(id, &self.owner, self.options.lease, Utc::now())
            .await;
        match extended {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!("{id}: {} lost its lease; another worker has it", self.owner);
            }
            Err(error) => tracing::warn!("{id}: the lease could not be extended: {error}"),
        }
    }

    fn lost_lease(&self, id: JobId) -> Option<JobEvent> {
        tracing::warn!(
            "{id}: {} lost its lease before settling it; another worker has the job",
            self.owner
        );
        None
    }

    fn unsettled(&self, id: JobId, error: &StoreError) -> Option<JobEvent> {
        tracing::warn!(
            "{id}: {} could not record the outcome ({error}); the job runs again once its \
             lease expires",
            self.owner
        );
        None
    }
}
