//! The job queue's table: dedupe, due order, backoff, attempts, leases and orphan recovery,
//! with the time passed in so every step is deterministic.

use std::time::Duration;

use chrono::{DateTime, Utc};
use kindred_store::jobs::{Backoff, Enqueued, FailOutcome, JobCounts, JobStatus, NewJob};
use kindred_store::secrets::MemoryStore;
use kindred_store::Store;
use serde_json::json;

const LEASE: Duration = Duration::from_secs(30);
const BACKOFF: Backoff = Backoff {
    base: Duration::from_secs(2),
    cap: Duration::from_secs(60),
};

/// The instant `ms` milliseconds after the epoch.
fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap()
}

async fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    (dir, store)
}

fn sync(account: &str) -> NewJob {
    NewJob {
        dedupe_key: Some(account.to_owned()),
        ..NewJob::new("sync", json!({ "account": account }))
    }
}

#[tokio::test]
async fn enqueuing_work_already_queued_or_running_returns_that_job() {
    let (_dir, store) = open().await;
    let first = store.enqueue_job(&sync("a@x"), at(0)).await.unwrap();
    assert!(matches!(first, Enqueued::Added(_)));
    assert_eq!(
        store.enqueue_job(&sync("a@x"), at(1)).await.unwrap(),
        Enqueued::AlreadyQueued(first.id()),
        "a pending job with the same kind and key is the job"
    );
    let other_key = store.enqueue_job(&sync("b@x"), at(2)).await.unwrap();
    let other_kind = NewJob {
        dedupe_key: Some("a@x".to_owned()),
        ..NewJob::new("recompute", json!(null))
    };
    let other_kind = store.enqueue_job(&other_kind, at(3)).await.unwrap();
    assert!(
        matches!(other_key, Enqueued::Added(_)) && matches!(other_kind, Enqueued::Added(_)),
        "the key dedupes within one kind only"
    );
    let plain = NewJob::new("sync", json!({}));
    assert_ne!(
        store.enqueue_job(&plain, at(4)).await.unwrap().id(),
        store.enqueue_job(&plain, at(5)).await.unwrap().id(),
        "jobs without a key are never deduplicated"
    );

    let claimed = store
        .claim_job("w", LEASE, at(10), &["sync"])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.id, first.id());
    assert_eq!(
        store.enqueue_job(&sync("a@x"), at(11)).await.unwrap(),
        Enqueued::AlreadyQueued(first.id()),
        "a running job with the same kind and key is the job"
    );
    assert!(store.complete_job(first.id(), "w", at(12)).await.unwrap());
    let again = store.enqueue_job(&sync("a@x"), at(13)).await.unwrap();
    assert!(
        matches!(again, Enqueued::Added(id) if id != first.id()),
        "once the job has finished the same work may be queued again"
    );
}

#[tokio::test]
async fn claims_take_the_oldest_due_job_of_the_asked_kinds() {
    let (_dir, store) = open().await;
    let due = |ms, kind: &str| NewJob {
        run_after: Some(at(ms)),
        ..NewJob::new(kind, json!({ "due": ms }))
    };
    let third = store.enqueue_job(&due(300, "sync"), at(0)).await.unwrap();
    let first = store.enqueue_job(&due(100, "sync"), at(0)).await.unwrap();
    let second = store.enqueue_job(&due(200, "embed"), at(0)).await.unwrap();
    store.enqueue_job(&due(5_000, "sync"), at(0)).await.unwrap();
    store.enqueue_job(&due(50, "story"), at(0)).await.unwrap();

    let kinds = ["sync", "embed"];
    let mut order = Vec::new();
    while let Some(job) = store
        .claim_job("w", LEASE, at(1_000), &kinds)
        .await
        .unwrap()
    {
        assert_eq!((job.status, job.attempts), (JobStatus::Running, 1));
        assert_eq!(job.lease_owner.as_deref(), Some("w"));
        assert_eq!(job.lease_expires_at, Some(at(1_000) + LEASE));
        order.push(job.id);
    }
    assert_eq!(
        order,
        [first.id(), second.id(), third.id()],
        "due jobs of the asked kinds, oldest run_after first; the future one and the \
         other kind are left"
    );
    assert_eq!(
        store.next_job_due(&["sync"]).await.unwrap(),
        Some(at(5_000)),
        "the next sync job is due at its run_after"
    );
    assert_eq!(store.next_job_due(&["story"]).await.unwrap(), Some(at(50)));
    assert_eq!(store.next_job_due(&["nothing"]).await.unwrap(), None);
}

#[test]
fn backoff_doubles_up_to_its_cap_and_is_jittered_into_the_upper_half() {
    let ceilings: Vec<u64> = (1..=7).map(|n| BACKOFF.ceiling(n).as_secs()).collect();
    assert_eq!(ceilings, [2, 4, 8, 16, 32, 60, 60]);
    assert_eq!(BACKOFF.ceiling(u32::MAX), BACKOFF.cap, "no overflow");
    for attempts in 1..=7 {
        let ceiling = BACKOFF.ceiling(attempts);
        let delays: Vec<Duration> = (0..200).map(|_| BACKOFF.delay(attempts)).collect();
        assert!(
            delays.iter().all(|d| *d >= ceiling / 2 && *d <= ceiling),
            "attempt {attempts}: every delay within [{:?}, {ceiling:?}]",
            ceiling / 2
        );
        assert!(
            delays.iter().any(|d| *d != delays[0]),
            "attempt {attempts}: delays are jittered, not all {:?}",
            delays[0]
        );
    }
}

#[tokio::test]
async fn a_retryable_failure_comes_back_after_a_growing_backoff_until_attempts_run_out() {
    let (_dir, store) = open().await;
    let job = NewJob {
        max_attempts: 3,
        ..NewJob::new("sync", json!({}))
    };
    let id = store.enqueue_job(&job, at(0)).await.unwrap().id();
    let mut now = at(0);
    for attempts in 1..=2 {
        let claimed = store.claim_job("w", LEASE, now, &["sync"]).await.unwrap();
        assert_eq!(claimed.map(|j| (j.id, j.attempts)), Some((id, attempts)));
        let outcome = store
            .fail_job(id, "w", "timeout", true, &BACKOFF, now)
            .await
            .unwrap();
        let FailOutcome::RetryAt(retry_at) = outcome else {
            panic!("attempt {attempts} of 3 is retried, got {outcome:?}");
        };
        let ceiling = BACKOFF.ceiling(attempts);
        assert!(
            retry_at >= now + ceiling / 2 && retry_at <= now + ceiling,
            "attempt {attempts}: retry at {retry_at} within the jittered backoff of {ceiling:?}"
        );
        let stored = store.job(id).await.unwrap().unwrap();
        assert_eq!(stored.status, JobStatus::Pending);
        assert_eq!(stored.last_error.as_deref(), Some("timeout"));
        assert_eq!(
            store
                .claim_job("w", LEASE, retry_at - Duration::from_millis(1), &["sync"])
                .await
                .unwrap(),
            None,
            "not claimable before its backoff has passed"
        );
        now = retry_at;
    }
    store
        .claim_job("w", LEASE, now, &["sync"])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        store
            .fail_job(id, "w", "timeout again", true, &BACKOFF, now)
            .await
            .unwrap(),
        FailOutcome::Failed,
        "the third failure of three attempts is final"
    );
    let failed = store.job(id).await.unwrap().unwrap();
    assert_eq!(
        (failed.status, failed.attempts, failed.finished_at),
        (JobStatus::Failed, 3, Some(now))
    );
    assert_eq!(failed.last_error.as_deref(), Some("timeout again"));
    assert_eq!(failed.lease_owner, None);
}

#[tokio::test]
async fn a_failure_that_is_not_retryable_is_final_at_once() {
    let (_dir, store) = open().await;
    let id = store
        .enqueue_job(&NewJob::new("sync", json!({})), at(0))
        .await
        .unwrap()
        .id();
    store.claim_job("w", LEASE, at(1), &["sync"]).await.unwrap();
    assert_eq!(
        store
            .fail_job(id, "w", "invalid_grant", false, &BACKOFF, at(2))
            .await
            .unwrap(),
        FailOutcome::Failed
    );
    let job = store.job(id).await.unwrap().unwrap();
    assert_eq!((job.status, job.attempts), (JobStatus::Failed, 1));
}

#[tokio::test]
async fn an_expired_lease_is_claimed_by_another_worker_and_an_unexpired_one_is_not() {
    let (_dir, store) = open().await;
    let id = store
        .enqueue_job(&NewJob::new("sync", json!({})), at(0))
        .await
        .unwrap()
        .id();
    let lease_end = at(1_000) + LEASE;
    store
        .claim_job("dead", LEASE, at(1_000), &["sync"])
        .await
        .unwrap();
    assert_eq!(
        store
            .claim_job(
                "other",
                LEASE,
                lease_end - Duration::from_millis(1),
                &["sync"]
            )
            .await
            .unwrap(),
        None,
        "a lease that has not expired keeps the job with its worker"
    );
    let recovered = store
        .claim_job("other", LEASE, lease_end, &["sync"])
        .await
        .unwrap()
        .expect("an expired lease lets another worker claim the job");
    assert_eq!(
        (recovered.id, recovered.attempts),
        (id, 2),
        "the crashed run counted as an attempt"
    );
    assert_eq!(recovered.lease_owner.as_deref(), Some("other"));
    assert!(
        !store.complete_job(id, "dead", lease_end).await.unwrap(),
        "the first worker, had it only stalled, can no longer finish the job"
    );
    assert!(!store
        .extend_job_lease(id, "dead", LEASE, lease_end)
        .await
        .unwrap());
    assert_eq!(
        store
            .fail_job(id, "dead", "late", true, &BACKOFF, lease_end)
            .await
            .unwrap(),
        FailOutcome::LeaseLost
    );
    assert!(store.complete_job(id, "other", lease_end).await.unwrap());
}

#[tokio::test]
async fn extending_a_lease_keeps_the_job_past_its_first_expiry() {
    let (_dir, store) = open().await;
    store
        .enqueue_job(&NewJob::new("sync", json!({})), at(0))
        .await
        .unwrap();
    let job = store
        .claim_job("w", LEASE, at(0), &["sync"])
        .await
        .unwrap()
        .unwrap();
    assert!(store
        .extend_job_lease(job.id, "w", LEASE, at(20_000))
        .await
        .unwrap());
    assert_eq!(
        store
            .claim_job("other", LEASE, at(0) + LEASE, &["sync"])
            .await
            .unwrap(),
        None,
        "the extended lease has not expired"
    );
    assert_eq!(
        store.next_job_due(&["sync"]).await.unwrap(),
        Some(at(20_000) + LEASE)
    );
}

#[tokio::test]
async fn a_job_whose_worker_died_on_its_last_attempt_fails_instead_of_running_again() {
    let (_dir, store) = open().await;
    let job = NewJob {
        max_attempts: 1,
        ..NewJob::new("sync", json!({}))
    };
    let id = store.enqueue_job(&job, at(0)).await.unwrap().id();
    store
        .claim_job("dead", LEASE, at(0), &["sync"])
        .await
        .unwrap();
    assert_eq!(
        store
            .claim_job("other", LEASE, at(0) + LEASE, &["sync"])
            .await
            .unwrap(),
        None,
        "work that killed its worker on its last attempt is not run again"
    );
    let failed = store.job(id).await.unwrap().unwrap();
    assert_eq!(failed.status, JobStatus::Failed);
    assert!(
        failed.last_error.unwrap().contains("worker stopped"),
        "the error says the worker stopped"
    );
}

#[tokio::test]
async fn releasing_a_lease_gives_the_job_back_without_counting_an_attempt() {
    let (_dir, store) = open().await;
    let id = store
        .enqueue_job(&NewJob::new("sync", json!({})), at(0))
        .await
        .unwrap()
        .id();
    store.claim_job("w", LEASE, at(1), &["sync"]).await.unwrap();
    assert!(!store.release_job(id, "someone else", at(2)).await.unwrap());
    assert!(store.release_job(id, "w", at(2)).await.unwrap());
    let released = store.job(id).await.unwrap().unwrap();
    assert_eq!(
        (released.status, released.attempts, released.lease_owner),
        (JobStatus::Pending, 0, None),
        "a released job is pending with its attempt given back"
    );
    let again = store
        .claim_job("next", LEASE, at(3), &["sync"])
        .await
        .unwrap()
        .unwrap();
    assert_eq!((again.id, again.attempts), (id, 1), "claimable at once");
}

#[tokio::test]
async fn counts_recent_jobs_and_purging_finished_ones() {
    let (_dir, store) = open().await;
    let day = Duration::from_secs(86_400);
    let mut ids = Vec::new();
    for n in 0..4 {
        let job = NewJob::new("sync", json!({ "n": n }));
        ids.push(store.enqueue_job(&job, at(0)).await.unwrap().id());
    }
    store.claim_job("w", LEASE, at(0), &["sync"]).await.unwrap();
    store.complete_job(ids[0], "w", at(0)).await.unwrap();
    store.claim_job("w", LEASE, at(0), &["sync"]).await.unwrap();
    store
        .fail_job(ids[1], "w", "bad payload", false, &BACKOFF, at(0) + day)
        .await
        .unwrap();
    store.claim_job("w", LEASE, at(0), &["sync"]).await.unwrap();
    assert_eq!(
        store.job_counts().await.unwrap(),
        JobCounts {
            pending: 1,
            running: 1,
            done: 1,
            failed: 1
        }
    );
    let recent: Vec<_> = store
        .recent_jobs(2)
        .await
        .unwrap()
        .iter()
        .map(|j| j.id)
        .collect();
    assert_eq!(recent, [ids[3], ids[2]], "newest first, at most the limit");

    let purged = store
        .purge_finished_jobs(7 * day, at(0) + 7 * day + Duration::from_millis(1))
        .await
        .unwrap();
    assert_eq!(
        purged, 1,
        "only the job finished more than 7 days ago is purged"
    );
    assert_eq!(store.job(ids[0]).await.unwrap(), None);
    assert!(store.job(ids[1]).await.unwrap().is_some());
    assert_eq!(
        store.job_counts().await.unwrap().pending,
        1,
        "unfinished jobs stay"
    );
}

#[tokio::test]
async fn a_firing_that_asks_for_a_job_queues_it_with_the_firing_once() {
    use kindred_store::activity::{NewActivity, Outcome};
    use kindred_store::rules::{Firing, FiringEffect};

    let (_dir, store) = open().await;
    let rule = store
        .insert_rule(
            "when message.received then extract_event",
            "message.received",
            true,
            0,
        )
        .await
        .unwrap();
    let job = NewJob {
        dedupe_key: Some("events.extract.7".to_owned()),
        ..NewJob::new("events.extract", json!({"message_id": 7}))
    };
    let firing = Firing {
        rule_id: rule.id,
        item: "message 7",
        effect: FiringEffect::Job(&job),
        activity: NewActivity {
            actor: "rule 1",
            kind: "rule.fired",
            subject: "message 7",
            outcome: Outcome::Ok,
            detail: "queued",
        },
    };
    assert!(store.record_firing(&firing, 1_000).await.unwrap().is_some());
    assert!(
        store.record_firing(&firing, 2_000).await.unwrap().is_none(),
        "a rule fires once per item"
    );
    assert_eq!(
        store.job_counts().await.unwrap().pending,
        1,
        "the job came with the firing, once"
    );
    let claimed = store
        .claim_job("worker", LEASE, at(3_000), &["events.extract"])
        .await
        .unwrap()
        .expect("the job is there to run");
    assert_eq!(claimed.payload, json!({"message_id": 7}));
}
