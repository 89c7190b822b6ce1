//! The activity log: appended rows read back newest first, each filter narrowing the
//! list, and pruning by age forgetting only what is older than the cut.

use kindred_store::activity::{ActivityQuery, NewActivity, Outcome};
use kindred_store::secrets::MemoryStore;
use kindred_store::Store;

fn entry<'a>(actor: &'a str, kind: &'a str, outcome: Outcome) -> NewActivity<'a> {
    NewActivity {
        actor,
        kind,
        subject: "message 1",
        outcome,
        detail: "",
    }
}

fn all() -> ActivityQuery {
    ActivityQuery {
        limit: 100,
        ..ActivityQuery::default()
    }
}

#[tokio::test]
async fn activity_is_read_newest_first_and_filtered_and_pruned_by_age() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    let recorded = [
        (entry("sync", "sync", Outcome::Ok), 1_000),
        (entry("rule 3", "rule.fired", Outcome::Ok), 2_000),
        (entry("rule 3", "webhook", Outcome::Failed), 3_000),
        (entry("person", "task.created", Outcome::Ok), 4_000),
    ];
    for (activity, at) in &recorded {
        store.append_activity(activity, *at).await.unwrap();
    }

    let kinds = |rows: Vec<kindred_store::activity::ActivityRow>| {
        rows.into_iter().map(|row| row.kind).collect::<Vec<_>>()
    };
    assert_eq!(
        kinds(store.activity(&all()).await.unwrap()),
        ["task.created", "webhook", "rule.fired", "sync"],
        "the log reads newest first"
    );
    let since = ActivityQuery {
        since: Some(3_000),
        ..all()
    };
    assert_eq!(
        kinds(store.activity(&since).await.unwrap()),
        ["task.created", "webhook"],
        "since keeps what happened at or after the instant"
    );
    let by_rule = ActivityQuery {
        actor: Some("rule 3".to_owned()),
        ..all()
    };
    assert_eq!(
        kinds(store.activity(&by_rule).await.unwrap()),
        ["webhook", "rule.fired"]
    );
    let prefix = ActivityQuery {
        kind: Some("rule.".to_owned()),
        ..all()
    };
    assert_eq!(
        kinds(store.activity(&prefix).await.unwrap()),
        ["rule.fired"],
        "a kind ending in a dot is a prefix"
    );
    let failed = ActivityQuery {
        failed_only: true,
        ..all()
    };
    let failures = store.activity(&failed).await.unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(
        (failures[0].outcome, failures[0].at),
        (Outcome::Failed, 3_000)
    );
    let two = ActivityQuery { limit: 2, ..all() };
    assert_eq!(store.activity(&two).await.unwrap().len(), 2);

    assert_eq!(store.prune_activity(2_000).await.unwrap(), 1);
    assert_eq!(
        kinds(store.activity(&all()).await.unwrap()),
        ["task.created", "webhook", "rule.fired"],
        "pruning forgets only entries older than the cut"
    );
}
