//! Retention: a setting "delete evidence older than N days" (off by default), applied by
//! a daily durable job. Each pass deletes the messages sent and the events ended before
//! the cutoff (the insights go stale and recompute without them) and is recorded in the
//! activity log with what it deleted.

use std::sync::Arc;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

use crate::jobs::{JobError, JobHandlers, JobQueue, NewJob};
use crate::{Actor, ApiError, Kindred, NewActivityEntry};

/// The job kind of the daily retention pass.
pub const RETENTION_JOB: &str = "retention";
/// The setting holding the number of days evidence is kept; `off` (or none) keeps all.
const RETENTION_SETTING: &str = "retention.evidence_days";
const OFF: &str = "off";
/// Days between passes.
const PASS_EVERY_DAYS: i64 = 1;

/// What one retention pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct RetentionSummary {
    /// The setting: evidence older than this many days is deleted; none keeps everything.
    pub days: Option<u32>,
    /// RFC 3339: evidence before this instant was deleted (none when off).
    pub cutoff: Option<String>,
    #[ts(type = "number")]
    pub messages_deleted: u64,
    #[ts(type = "number")]
    pub events_deleted: u64,
}

impl Kindred {
    /// How many days evidence is kept; `None` keeps everything.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn evidence_retention_days(&self) -> Result<Option<u32>, ApiError> {
        Ok(self
            .store
            .setting(RETENTION_SETTING)
            .await?
            .and_then(|days| days.parse().ok()))
    }

    /// Keeps evidence for `days` days (`None`: for ever). The next daily pass applies it.
    ///
    /// # Errors
    /// `days` is zero (`invalid_input`), or the store refused the write.
    pub async fn set_evidence_retention_days(&self, days: Option<u32>) -> Result<(), ApiError> {
        if days == Some(0) {
            return Err(ApiError::invalid_input(
                "a retention of 0 days would delete everything; give at least 1 day, or turn \
                 retention off",
            ));
        }
        let value = days.map_or_else(|| OFF.to_owned(), |days| days.to_string());
        self.store.set_setting(RETENTION_SETTING, &value).await?;
        Ok(())
    }

    /// Deletes the evidence older than the retention setting as of `now` and records the
    /// pass in the activity log; does nothing when retention is off.
    ///
    /// # Errors
    /// The store cannot be read or written.
    pub async fn apply_retention(&self, now: DateTime<Utc>) -> Result<RetentionSummary, ApiError> {
        let Some(days) = self.evidence_retention_days().await? else {
            return Ok(RetentionSummary::default());
        };
        let cutoff = now - Duration::days(i64::from(days));
        let (messages_deleted, events_deleted) = self
            .store
            .delete_evidence_before(cutoff.timestamp_millis())
            .await?;
        let cutoff = cutoff.to_rfc3339_opts(SecondsFormat::Secs, true);
        self.record_activity(&NewActivityEntry {
            actor: Actor::Person,
            kind: "retention".to_owned(),
            subject: format!("evidence older than {days} days"),
            ok: true,
            detail: format!(
                "deleted {messages_deleted} messages and {events_deleted} events from before \
                 {cutoff}"
            ),
        })
        .await?;
        tracing::info!(messages_deleted, events_deleted, "retention pass");
        Ok(RetentionSummary {
            days: Some(days),
            cutoff: Some(cutoff),
            messages_deleted,
            events_deleted,
        })
    }
}

/// The next pass: due at `at`, one per day (the day is its dedupe key, so enqueuing it
/// again, as every start does, adds nothing).
fn pass_at(at: DateTime<Utc>) -> NewJob {
    NewJob {
        dedupe_key: Some(at.format("%Y-%m-%d").to_string()),
        run_after: Some(at),
        ..NewJob::new(RETENTION_JOB, json!({}))
    }
}

/// Queues today's retention pass (due now) unless it is queued already.
///
/// # Errors
/// The store refused the write.
pub async fn schedule_retention(queue: &JobQueue, now: DateTime<Utc>) -> Result<(), ApiError> {
    queue.enqueue(&pass_at(now)).await.map(drop)
}

/// Adds the retention pass to `handlers`: it applies the setting, then queues the pass
/// of the next day (idle workers look for due jobs at least every minute), so one pass
/// runs daily for as long as a job runner runs.
#[must_use]
pub fn register_retention_job(handlers: JobHandlers, kindred: &Arc<Kindred>) -> JobHandlers {
    let kindred = Arc::clone(kindred);
    handlers.register(RETENTION_JOB, move |_context| {
        let kindred = Arc::clone(&kindred);
        async move {
            let now = Utc::now();
            kindred
                .apply_retention(now)
                .await
                .map_err(|error| JobError::retryable(error.message))?;
            let next = now + Duration::days(PASS_EVERY_DAYS);
            kindred
                .store
                .enqueue_job(&pass_at(next), now)
                .await
                .map_err(|error| JobError::retryable(error.to_string()))?;
            Ok(())
        }
    })
}
