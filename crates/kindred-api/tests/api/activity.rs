//! The activity log through the facade: what one part of the engine records, another reads
//! back with its actor, outcome and time, filtered; bad filters are refused by name; the
//! retention setting decides what pruning forgets.

use chrono::{Duration, Utc};
use kindred_api::{ActivityFilter, Actor, ErrorCode, NewActivityEntry};

use crate::support::open;

fn entry(actor: Actor, kind: &str, ok: bool) -> NewActivityEntry {
    NewActivityEntry {
        actor,
        kind: kind.to_owned(),
        subject: "message 7".to_owned(),
        ok,
        detail: if ok {
            String::new()
        } else {
            "HTTP 500".to_owned()
        },
    }
}

#[tokio::test]
async fn recorded_activity_reads_back_filtered_and_bad_filters_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open(dir.path()).await;
    let before = Utc::now() - Duration::seconds(1);
    let fired = kindred
        .record_activity(&entry(Actor::Rule(4), "rule.fired", true))
        .await
        .unwrap();
    kindred
        .record_activity(&entry(Actor::Rule(4), "webhook", false))
        .await
        .unwrap();
    kindred
        .record_activity(&entry(Actor::Assistant, "assistant.action", true))
        .await
        .unwrap();
    assert_eq!(fired.actor, "rule 4");
    assert_eq!(fired.outcome, "ok");
    assert!(
        chrono::DateTime::parse_from_rfc3339(&fired.at).unwrap() >= before,
        "an entry is stamped with the time it was recorded"
    );

    let all = kindred.activity(&ActivityFilter::default()).await.unwrap();
    assert_eq!(
        all.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["assistant.action", "webhook", "rule.fired"]
    );
    let failed = kindred
        .activity(&ActivityFilter {
            actor: Some("rule 4".to_owned()),
            failed_only: true,
            ..ActivityFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(
        (
            failed[0].kind.as_str(),
            failed[0].outcome.as_str(),
            failed[0].detail.as_str()
        ),
        ("webhook", "failed", "HTTP 500"),
        "a failure is visible with why"
    );
    let later = kindred
        .activity(&ActivityFilter {
            since: Some((Utc::now() + Duration::hours(1)).to_rfc3339()),
            ..ActivityFilter::default()
        })
        .await
        .unwrap();
    assert!(later.is_empty(), "nothing was recorded in the future");

    let error = kindred
        .activity(&ActivityFilter {
            actor: Some("robot".to_owned()),
            ..ActivityFilter::default()
        })
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert!(error.message.contains("robot"), "{}", error.message);
    let error = kindred
        .activity(&ActivityFilter {
            since: Some("yesterday".to_owned()),
            ..ActivityFilter::default()
        })
        .await
        .unwrap_err();
    assert!(error.message.contains("yesterday"), "{}", error.message);
}

#[tokio::test]
async fn pruning_forgets_entries_past_the_retention_period_only() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open(dir.path()).await;
    kindred
        .record_activity(&entry(Actor::Sync, "sync", true))
        .await
        .unwrap();
    assert_eq!(
        kindred.activity_retention_days().await.unwrap(),
        kindred_api::DEFAULT_RETENTION_DAYS
    );
    kindred.set_activity_retention_days(30).await.unwrap();
    assert_eq!(kindred.activity_retention_days().await.unwrap(), 30);
    assert!(kindred.set_activity_retention_days(0).await.is_err());

    let in_29_days = Utc::now() + Duration::days(29);
    assert_eq!(kindred.prune_activity(in_29_days).await.unwrap(), 0);
    let in_31_days = Utc::now() + Duration::days(31);
    assert_eq!(
        kindred.prune_activity(in_31_days).await.unwrap(),
        1,
        "an entry older than the retention period is forgotten"
    );
    assert!(kindred
        .activity(&ActivityFilter::default())
        .await
        .unwrap()
        .is_empty());
}
