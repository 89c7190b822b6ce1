//! Retention: the setting deletes evidence older than N days, each pass recorded in the
//! activity log; the daily job applies it and queues the next day's pass.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kindred_api::jobs::{JobEvent, JobHandlers, RunnerOptions};
use kindred_api::{ErrorCode, RETENTION_JOB};
use kindred_store::jobs::JobStatus;

use crate::support::{activity_of_kind, open_kept, start_runner, store_of, until_one_ends};

fn retention_entries_of(entries: &[kindred_api::ActivityEntry]) -> usize {
    entries.iter().filter(|e| e.kind == "retention").count()
}

#[tokio::test]
async fn retention_deletes_what_is_older_than_the_setting_and_records_each_pass() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
    kindred.load_sample(Some(600), &|_| {}).await.unwrap();
    let before = kindred.stats().await.unwrap();
    let now = Utc::now();

    assert_eq!(
        kindred.evidence_retention_days().await.unwrap(),
        None,
        "off by default"
    );
    let off = kindred.apply_retention(now).await.unwrap();
    assert_eq!(
        off.messages_deleted + off.events_deleted,
        0,
        "off deletes nothing"
    );
    assert_eq!(
        kindred.stats().await.unwrap().messages,
        before.messages,
        "nothing is deleted while retention is off"
    );
    let error = kindred
        .set_evidence_retention_days(Some(0))
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);

    kindred
        .set_evidence_retention_days(Some(120))
        .await
        .unwrap();
    let pass = kindred.apply_retention(now).await.unwrap();
    assert!(
        pass.messages_deleted > 0 && pass.events_deleted > 0,
        "the sample reaches back further than 120 days: {pass:?}"
    );
    let after = kindred.stats().await.unwrap();
    assert_eq!(after.messages, before.messages - pass.messages_deleted);
    assert_eq!(after.events, before.events - pass.events_deleted);
    let first: DateTime<Utc> = after.first_message_at.unwrap().parse().unwrap();
    let cutoff: DateTime<Utc> = pass.cutoff.clone().unwrap().parse().unwrap();
    assert!(first >= cutoff, "no message older than the cutoff is left");
    assert!(
        kindred
            .search("project", 1_000)
            .await
            .unwrap()
            .iter()
            .all(|hit| { hit.date.parse::<DateTime<Utc>>().unwrap() >= cutoff }),
        "the full-text index forgot the deleted messages"
    );

    let again = kindred.apply_retention(now).await.unwrap();
    assert_eq!(
        again.messages_deleted + again.events_deleted,
        0,
        "a second pass finds nothing"
    );
    let log = activity_of_kind(&kindred, "retention").await;
    assert_eq!(retention_entries_of(&log), 2, "each pass is recorded");
    assert!(
        log.iter().any(|e| e
            .detail
            .contains(&format!("deleted {} messages", pass.messages_deleted))),
        "{log:?}"
    );
    kindred.close().await;
}

#[tokio::test]
async fn the_daily_job_applies_retention_and_queues_the_next_days_pass() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = Arc::new(open_kept(dir.path()).await);
    kindred.load_sample(Some(300), &|_| {}).await.unwrap();
    kindred.set_evidence_retention_days(Some(90)).await.unwrap();
    let before = kindred.stats().await.unwrap();

    let store = store_of(&kindred).await;
    let handlers = kindred_api::register_retention_job(JobHandlers::new(), &kindred);
    let (runner, mut events) = start_runner(&store, handlers, &RunnerOptions::default());
    let started = Utc::now();
    kindred_api::schedule_retention(&runner.queue(), started)
        .await
        .unwrap();
    let end = until_one_ends(&mut events, RETENTION_JOB).await.pop();
    assert!(
        matches!(end, Some(JobEvent::Finished { .. })),
        "the retention pass ran: {end:?}"
    );
    runner.shutdown().await;

    assert!(
        kindred.stats().await.unwrap().messages < before.messages,
        "the pass deleted the old mail"
    );
    let jobs = store.recent_jobs(10).await.unwrap();
    let retention: Vec<_> = jobs.iter().filter(|j| j.kind == RETENTION_JOB).collect();
    assert_eq!(retention.len(), 2, "today's pass and tomorrow's");
    let next = retention
        .iter()
        .find(|j| j.status == JobStatus::Pending)
        .expect("the next pass is pending");
    let wait = next.run_after - started;
    assert!(
        wait >= chrono::Duration::hours(23) && wait <= chrono::Duration::hours(25),
        "the next pass is a day later: {wait}"
    );
    store.close().await;
    kindred.close().await;
}
