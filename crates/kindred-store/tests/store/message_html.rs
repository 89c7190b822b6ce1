//! A message's HTML part: stored beside it, read back by the viewer, filled in by a later
//! copy only when missing, and gone with its message (retention, Gmail deletions).

use std::collections::BTreeSet;

use kindred_store::secrets::MemoryStore;
use kindred_store::sync::{FetchedMessage, GmailChanges, SyncPhase, SyncState};
use kindred_store::Store;
use sqlx::Connection;

use crate::{message, nobody, raw_connection};

fn with_html(id: &str, subject: &str, html: Option<&str>) -> kindred_core::Message {
    let mut message = message(Some(id), "dana@acme.com", "me@home.org", subject, "text");
    message.body_html = html.map(str::to_owned);
    message
}

async fn html_of(store: &Store, subject: &str) -> Option<String> {
    let id = store.search_messages(subject, 1).await.unwrap()[0].id;
    store.message_view(id).await.unwrap().unwrap().0.html
}

async fn html_rows(dir: &std::path::Path, secrets: &MemoryStore) -> i64 {
    let mut connection = raw_connection(dir, secrets).await;
    let rows = sqlx::query_scalar("SELECT count(*) FROM message_html")
        .fetch_one(&mut connection)
        .await
        .unwrap();
    connection.close().await.unwrap();
    rows
}

#[tokio::test]
async fn the_html_part_is_read_back_and_a_copy_fills_it_in_only_when_missing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    let batch = [
        with_html("a@x", "Rich", Some("<p>first</p>")),
        with_html("b@x", "Plain", None),
    ];
    store
        .write_batch(&batch, &[], None, &nobody())
        .await
        .unwrap();
    assert_eq!(
        html_of(&store, "Rich").await.as_deref(),
        Some("<p>first</p>")
    );
    assert_eq!(
        html_of(&store, "Plain").await,
        None,
        "text-only mail has no HTML"
    );

    let copies = [
        with_html("a@x", "Rich", Some("<p>second</p>")),
        with_html("b@x", "Plain", Some("<p>found later</p>")),
    ];
    let outcome = store
        .write_batch(&copies, &[], None, &nobody())
        .await
        .unwrap();
    assert_eq!(outcome.messages_duplicate, 2);
    assert_eq!(
        html_of(&store, "Rich").await.as_deref(),
        Some("<p>first</p>"),
        "a copy does not replace the stored HTML"
    );
    assert_eq!(
        html_of(&store, "Plain").await.as_deref(),
        Some("<p>found later</p>"),
        "a copy gives HTML to a message stored without it"
    );
}

#[tokio::test]
async fn the_retention_window_deletes_the_html_with_its_message() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::default();
    let store = Store::open(dir.path(), &secrets).await.unwrap();
    let old = with_html("old@x", "Old", Some("<p>old</p>"));
    let mut recent = with_html("new@x", "Recent", Some("<p>recent</p>"));
    recent.sent_at += chrono::TimeDelta::days(400);
    let cutoff = (old.sent_at + chrono::TimeDelta::days(200)).timestamp_millis();
    store
        .write_batch(&[old, recent], &[], None, &nobody())
        .await
        .unwrap();

    let (messages, _) = store.delete_evidence_before(cutoff).await.unwrap();
    assert_eq!(messages, 1);
    store.close().await;
    assert_eq!(
        html_rows(dir.path(), &secrets).await,
        1,
        "only the kept message's HTML is left"
    );
}

#[tokio::test]
async fn a_gmail_deletion_deletes_the_html_with_its_message() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::default();
    let store = Store::open(dir.path(), &secrets).await.unwrap();
    let account = store
        .connect_account("google", "me@home.org", None)
        .await
        .unwrap();
    let mut fetched = with_html("g@x", "Synced", Some("<p>synced</p>"));
    fetched.source_key = "gmail:me@home.org/g1".to_owned();
    let fetched = FetchedMessage {
        gmail_id: "g1".to_owned(),
        message: fetched,
    };
    store
        .write_gmail_messages(account.id, &[fetched], &[], &BTreeSet::new(), None)
        .await
        .unwrap();
    assert_eq!(
        html_of(&store, "Synced").await.as_deref(),
        Some("<p>synced</p>")
    );

    let changes = GmailChanges {
        deleted: vec!["g1".to_owned()],
        ..GmailChanges::default()
    };
    let state = SyncState {
        phase: SyncPhase::Incremental,
        cursor: Some("2".to_owned()),
        page_token: None,
        window_start: None,
    };
    let counts = store
        .apply_gmail_changes(account.id, &changes, &state)
        .await
        .unwrap();
    assert_eq!(counts.mail_deleted, 1);
    store.close().await;
    assert_eq!(
        html_rows(dir.path(), &secrets).await,
        0,
        "the HTML went with it"
    );
}
