//! Artifacts and the evidence version: new evidence moves the version on, and a result
//! computed before that is never stored as current.

use kindred_core::identity::Decision;
use kindred_store::secrets::MemoryStore;
use kindred_store::Store;

use crate::{message, nobody};

#[tokio::test]
async fn new_evidence_makes_artifacts_stale_and_a_late_result_is_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    let empty = store.evidence_version().await.unwrap();
    let batch = [message(
        Some("a@x"),
        "dana@acme.com",
        "me@home.org",
        "Plan",
        "one",
    )];
    store
        .write_batch(&batch, &[], None, &nobody())
        .await
        .unwrap();
    let one = store.evidence_version().await.unwrap();
    assert!(one > empty, "a new message moves the version on");

    assert!(store
        .put_artifact("people", "", one, 1, "[1]")
        .await
        .unwrap());
    let stored = store.artifact("people", "", one).await.unwrap().unwrap();
    assert_eq!((stored.input_version, stored.body.as_str()), (one, "[1]"));

    store
        .write_batch(&batch, &[], None, &nobody())
        .await
        .unwrap();
    assert_eq!(
        store.evidence_version().await.unwrap(),
        one,
        "a duplicate changes nothing, so nothing goes stale"
    );

    let late = [message(None, "bob@acme.com", "me@home.org", "Lunch", "two")];
    store
        .write_batch(&late, &[], None, &nobody())
        .await
        .unwrap();
    let two = store.evidence_version().await.unwrap();
    assert!(two > one);
    assert!(
        !store
            .put_artifact("people", "", one, 2, "[2]")
            .await
            .unwrap(),
        "a result computed from older evidence is not stored"
    );
    assert_eq!(
        store
            .artifact("people", "", one)
            .await
            .unwrap()
            .unwrap()
            .body,
        "[1]"
    );
    assert!(
        store.artifact("people", "", two).await.unwrap().is_none(),
        "the stored one is not of the current evidence"
    );

    assert!(store
        .put_artifact("people", "day2", two, 3, "[3]")
        .await
        .unwrap());
    store.prune_artifacts("people", two).await.unwrap();
    assert!(
        store.artifact("people", "", one).await.unwrap().is_none(),
        "stale ones are pruned"
    );

    let dana = store
        .address_id(&kindred_core::Address::parse("dana@acme.com").unwrap())
        .await
        .unwrap()
        .unwrap();
    store
        .record_identity_decision(Decision::Split { address: dana }, 10)
        .await
        .unwrap();
    assert!(
        store.evidence_version().await.unwrap() > two,
        "an identity decision too"
    );
    assert_eq!(
        store.identity_decisions().await.unwrap(),
        vec![Decision::Split { address: dana }]
    );
}
