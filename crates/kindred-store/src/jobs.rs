//! The durable job queue's table: enqueue with dedupe keys, claim under a lease (which also
//! recovers the jobs of workers that died), extend, complete, fail with backoff, release,
//! and the figures a doctor or a jobs view reads.
//!
//! SQLite has one writer, so a claim is an `UPDATE … RETURNING` inside one
//! `BEGIN IMMEDIATE` transaction: two workers can never claim the same job. Every function
//! takes the time as `now`, so callers (and tests) decide what time it is.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use serde_json::Value;

use crate::{Store, StoreError};

/// A job's identifier: its row id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub i64);

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "job {}", self.0)
    }
}

/// Where a job stands: `Pending → Running → Done | Failed`, and back to `Pending` for a
/// retry or a released lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobStatus {
    Pending,
    Running,
    Done,
    Failed,
}

impl JobStatus {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    fn parse(stored: &str) -> Option<Self> {
        [Self::Pending, Self::Running, Self::Done, Self::Failed]
            .into_iter()
            .find(|status| status.as_str() == stored)
    }
}

/// Work to enqueue. Start from [`NewJob::new`] and override fields as needed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// Which handler runs it.
    pub kind: String,
    /// The handler's input.
    pub payload: Value,
    /// While a job of this kind with this key is pending or running, enqueuing another
    /// returns that one instead.
    pub dedupe_key: Option<String>,
    /// Claims allowed before the job is marked failed (0 is taken as 1).
    pub max_attempts: u32,
    /// Not claimed before this instant; `None` means at once.
    pub run_after: Option<DateTime<Utc>>,
}

impl NewJob {
    /// Claims allowed by default.
    pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

    /// A job of `kind` with `payload`, due at once, not deduplicated.
    #[must_use]
    pub fn new(kind: impl Into<String>, payload: Value) -> Self {
        Self {
            kind: kind.into(),
            payload,
            dedupe_key: None,
            max_attempts: Self::DEFAULT_MAX_ATTEMPTS,
            run_after: None,
        }
    }
}

/// What enqueuing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    /// A new job was queued.
    Added(JobId),
    /// A job of that kind and dedupe key was already pending or running; it is unchanged.
    AlreadyQueued(JobId),
}

impl Enqueued {
    /// The job that will do the work.
    #[must_use]
    pub fn id(self) -> JobId {
        match self {
            Self::Added(id) | Self::AlreadyQueued(id) => id,
        }
    }
}

/// A stored job.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub payload: Value,
    pub dedupe_key: Option<String>,
    pub status: JobStatus,
    /// Claims so far, the current one included.
    pub attempts: u32,
    pub max_attempts: u32,
    pub run_after: DateTime<Utc>,
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// How long to wait before retrying a failed job: `base · 2^(attempts − 1)`, at most
/// `cap`, jittered into the upper half of that (so retries of jobs that failed together
/// spread out, and never come back sooner than half the nominal delay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Backoff {
    /// The nominal delay after `attempts` failed claims: the upper bound of [`Self::delay`].
    #[must_use]
    pub fn ceiling(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1));
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// A jittered delay in `[ceiling / 2, ceiling]`.
    #[must_use]
    pub fn delay(&self, attempts: u32) -> Duration {
        let ceiling = self.ceiling(attempts);
        let floor = ceiling / 2;
        rand::thread_rng().gen_range(floor..=ceiling)
    }
}

/// What failing a job did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOutcome {
    /// Back to pending, claimable again from this instant.
    RetryAt(DateTime<Utc>),
    /// Failed for good: not retryable, or its attempts are used up.
    Failed,
    /// The caller no longer held the lease (it expired and another worker claimed the
    /// job); nothing was changed.
    LeaseLost,
}

/// How many jobs are in each state: the queue's depth.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobCounts {
    pub pending: u64,
    pub running: u64,
    pub done: u64,
    pub failed: u64,
}

impl Store {
    /// Queues `job` as of `now`, unless a job of its kind with its dedupe key is already
    /// pending or running: then that job's id is returned and nothing changes.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn enqueue_job(
        &self,
        job: &NewJob,
        now: DateTime<Utc>,
    ) -> Result<Enqueued, StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        let enqueued = write_job(&mut tx, job, now.timestamp_millis()).await?;
        tx.commit().await?;
        Ok(enqueued)
    }

    /// Claims for `owner`, until `now + lease`, the next due job of one of `kinds`: a
    /// pending job whose `run_after` has come, or a running job whose lease has expired
    /// (its worker died); the oldest `run_after` first. The claim counts as an attempt.
    ///
    /// A job whose lease expired on its last attempt is marked failed here rather than
    /// run again, so work that kills its worker cannot be retried forever.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn claim_job(
        &self,
        owner: &str,
        lease: Duration,
        now: DateTime<Utc>,
        kinds: &[&str],
    ) -> Result<Option<Job>, StoreError> {
        let now = now.timestamp_millis();
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        // `status IN (…)` lets this read the partial index of unfinished jobs rather than
        // every job ever run.
        sqlx::query(
            "UPDATE jobs SET status = 'failed', lease_owner = NULL, lease_expires_at = NULL,
               finished_at = ?1, updated_at = ?1,
               last_error = 'its worker stopped (crash or kill) during the last of '
                            || max_attempts || ' attempts'
             WHERE status IN ('pending', 'running') AND status = 'running'
               AND lease_expires_at <= ?1 AND attempts >= max_attempts",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let row: Option<JobRow> = sqlx::query_as(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = ?1,
               lease_expires_at = ?2 + ?3, updated_at = ?2
             WHERE id = (
               SELECT id FROM jobs
               WHERE status IN ('pending', 'running')
                 AND kind IN (SELECT value FROM json_each(?4))
                 AND CASE status WHEN 'pending' THEN run_after ELSE lease_expires_at END <= ?2
               ORDER BY run_after, id
               LIMIT 1)
             RETURNING *",
        )
        .bind(owner)
        .bind(now)
        .bind(millis(lease))
        .bind(serde_json::to_string(kinds).unwrap_or_default())
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        row.map(Job::try_from).transpose()
    }

    /// When the next job of one of `kinds` becomes claimable: the earliest `run_after` of
    /// the pending ones and lease expiry of the running ones. `None` when there are none.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn next_job_due(&self, kinds: &[&str]) -> Result<Option<DateTime<Utc>>, StoreError> {
        let due: Option<i64> = sqlx::query_scalar(
            "SELECT min(CASE status WHEN 'pending' THEN run_after ELSE lease_expires_at END)
             FROM jobs
             WHERE status IN ('pending', 'running')
               AND kind IN (SELECT value FROM json_each(?1))",
        )
        .bind(serde_json::to_string(kinds).unwrap_or_default())
        .fetch_one(self.reader())
        .await?;
        Ok(due.map(instant))
    }

    /// Extends `owner`'s lease on job `id` to `now + lease`. Returns whether `owner` still
    /// held it; if not, another worker has claimed the job.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn extend_job_lease(
        &self,
        id: JobId,
        owner: &str,
        lease: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let now = now.timestamp_millis();
        let result = sqlx::query(
            "UPDATE jobs SET lease_expires_at = ?3 + ?4, updated_at = ?3
             WHERE id = ?1 AND status = 'running' AND lease_owner = ?2",
        )
        .bind(id.0)
        .bind(owner)
        .bind(now)
        .bind(millis(lease))
        .execute(self.writer())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Marks job `id`, held by `owner`, done. Returns whether `owner` still held it.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn complete_job(
        &self,
        id: JobId,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "UPDATE jobs SET status = 'done', lease_owner = NULL, lease_expires_at = NULL,
               finished_at = ?3, updated_at = ?3
             WHERE id = ?1 AND status = 'running' AND lease_owner = ?2",
        )
        .bind(id.0)
        .bind(owner)
        .bind(now.timestamp_millis())
        .execute(self.writer())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Records that job `id`, held by `owner`, failed with `error`. A `retryable` failure
    /// with attempts left goes back to pending, due after `backoff`; otherwise the job
    /// has failed for good.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn fail_job(
        &self,
        id: JobId,
        owner: &str,
        error: &str,
        retryable: bool,
        backoff: &Backoff,
        now: DateTime<Utc>,
    ) -> Result<FailOutcome, StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        let held: Option<(i64, i64)> = sqlx::query_as(
            "SELECT attempts, max_attempts FROM jobs
             WHERE id = ?1 AND status = 'running' AND lease_owner = ?2",
        )
        .bind(id.0)
        .bind(owner)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((attempts, max_attempts)) = held else {
            return Ok(FailOutcome::LeaseLost);
        };
        let outcome = if retryable && attempts < max_attempts {
            let attempts = u32::try_from(attempts).unwrap_or(u32::MAX);
            let run_after = now.timestamp_millis() + millis(backoff.delay(attempts));
            sqlx::query(
                "UPDATE jobs SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL,
                   run_after = ?2, last_error = ?3, updated_at = ?4
                 WHERE id = ?1",
            )
            .bind(id.0)
            .bind(run_after)
            .bind(error)
            .bind(now.timestamp_millis())
            .execute(&mut *tx)
            .await?;
            FailOutcome::RetryAt(instant(run_after))
        } else {
            sqlx::query(
                "UPDATE jobs SET status = 'failed', lease_owner = NULL, lease_expires_at = NULL,
                   last_error = ?2, finished_at = ?3, updated_at = ?3
                 WHERE id = ?1",
            )
            .bind(id.0)
            .bind(error)
            .bind(now.timestamp_millis())
            .execute(&mut *tx)
            .await?;
            FailOutcome::Failed
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Gives `owner`'s lease on job `id` back without counting the attempt: the job is
    /// pending again, claimable at once. Used when shutting down with work unfinished.
    /// Returns whether `owner` still held it.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn release_job(
        &self,
        id: JobId,
        owner: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "UPDATE jobs SET status = 'pending', attempts = attempts - 1, lease_owner = NULL,
               lease_expires_at = NULL, updated_at = ?3
             WHERE id = ?1 AND status = 'running' AND lease_owner = ?2",
        )
        .bind(id.0)
        .bind(owner)
        .bind(now.timestamp_millis())
        .execute(self.writer())
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Job `id`, if it exists.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn job(&self, id: JobId) -> Result<Option<Job>, StoreError> {
        let row: Option<JobRow> = sqlx::query_as("SELECT * FROM jobs WHERE id = ?1")
            .bind(id.0)
            .fetch_optional(self.reader())
            .await?;
        row.map(Job::try_from).transpose()
    }

    /// The `limit` most recently enqueued jobs, newest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn recent_jobs(&self, limit: u32) -> Result<Vec<Job>, StoreError> {
        let rows: Vec<JobRow> = sqlx::query_as("SELECT * FROM jobs ORDER BY id DESC LIMIT ?1")
            .bind(i64::from(limit))
            .fetch_all(self.reader())
            .await?;
        rows.into_iter().map(Job::try_from).collect()
    }

    /// How many jobs are in each state.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn job_counts(&self) -> Result<JobCounts, StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, count(*) FROM jobs GROUP BY status")
                .fetch_all(self.reader())
                .await?;
        let mut counts = JobCounts::default();
        for (status, count) in rows {
            let count = u64::try_from(count).unwrap_or(0);
            match JobStatus::parse(&status) {
                Some(JobStatus::Pending) => counts.pending = count,
                Some(JobStatus::Running) => counts.running = count,
                Some(JobStatus::Done) => counts.done = count,
                Some(JobStatus::Failed) => counts.failed = count,
                None => {}
            }
        }
        Ok(counts)
    }

    /// Deletes the done and failed jobs that finished more than `older_than` before
    /// `now`; returns how many.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn purge_finished_jobs(
        &self,
        older_than: Duration,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let result =
            sqlx::query("DELETE FROM jobs WHERE finished_at < ?1 AND status IN ('done', 'failed')")
                .bind(now.timestamp_millis() - millis(older_than))
                .execute(self.writer())
                .await?;
        Ok(result.rows_affected())
    }
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: i64,
    kind: String,
    payload: String,
    dedupe_key: Option<String>,
    status: String,
    attempts: i64,
    max_attempts: i64,
    run_after: i64,
    lease_owner: Option<String>,
    lease_expires_at: Option<i64>,
    last_error: Option<String>,
    created_at: i64,
    updated_at: i64,
    finished_at: Option<i64>,
}

impl TryFrom<JobRow> for Job {
    type Error = StoreError;

    fn try_from(row: JobRow) -> Result<Self, StoreError> {
        let decode = |error: Box<dyn std::error::Error + Send + Sync>| {
            StoreError::Database(sqlx::Error::Decode(error))
        };
        let status = JobStatus::parse(&row.status).ok_or_else(|| {
            decode(format!("job {}: unknown status {:?}", row.id, row.status).into())
        })?;
        Ok(Self {
            id: JobId(row.id),
            kind: row.kind,
            payload: serde_json::from_str(&row.payload).map_err(|error| decode(error.into()))?,
            dedupe_key: row.dedupe_key,
            status,
            attempts: u32::try_from(row.attempts).unwrap_or(0),
            max_attempts: u32::try_from(row.max_attempts).unwrap_or(0),
            run_after: instant(row.run_after),
            lease_owner: row.lease_owner,
            lease_expires_at: row.lease_expires_at.map(instant),
            last_error: row.last_error,
            created_at: instant(row.created_at),
            updated_at: instant(row.updated_at),
            finished_at: row.finished_at.map(instant),
        })
    }
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

fn instant(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// Adds `job` in the transaction `tx`, at `now` (unix ms), unless one with its dedupe key
/// is pending or running.
pub(crate) async fn write_job(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    job: &NewJob,
    now: i64,
) -> Result<Enqueued, StoreError> {
    let run_after = job.run_after.map_or(now, |at| at.timestamp_millis());
    let added: Option<i64> = sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, dedupe_key, max_attempts, run_after, created_at,
                           updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
         ON CONFLICT DO NOTHING
         RETURNING id",
    )
    .bind(&job.kind)
    .bind(job.payload.to_string())
    .bind(&job.dedupe_key)
    .bind(i64::from(job.max_attempts.max(1)))
    .bind(run_after)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let enqueued = if let Some(id) = added {
        Enqueued::Added(JobId(id))
    } else {
        // Only the dedupe index can refuse an insert with a fresh row id.
        let id: i64 = sqlx::query_scalar(
            "SELECT id FROM jobs WHERE kind = ?1 AND dedupe_key = ?2
               AND status IN ('pending', 'running')",
        )
        .bind(&job.kind)
        .bind(&job.dedupe_key)
        .fetch_one(&mut **tx)
        .await?;
        Enqueued::AlreadyQueued(JobId(id))
    };
    Ok(enqueued)
}
