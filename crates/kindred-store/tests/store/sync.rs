//! Sync state: Gmail ids mapped to stored messages, deletions that respect other
//! references, and cursors written only with the data they cover.

use std::collections::BTreeSet;

use kindred_store::secrets::MemoryStore;
use kindred_store::sync::{FetchedMessage, GmailChanges, SyncPhase, SyncState};
use kindred_store::Store;

use crate::message;

fn gmail(id: &str, subject: &str) -> FetchedMessage {
    let mut message = message(
        Some(&format!("{subject}@acme.com")),
        "dana@acme.com",
        "me@home.org",
        subject,
        "body",
    );
    message.source_key = format!("gmail:me@home.org/{id}");
    message.labels = vec!["INBOX".to_owned()];
    FetchedMessage {
        gmail_id: id.to_owned(),
        message,
    }
}

fn caught_up(cursor: &str) -> SyncState {
    SyncState {
        phase: SyncPhase::Incremental,
        cursor: Some(cursor.to_owned()),
        page_token: None,
        window_start: None,
    }
}

#[tokio::test]
async fn a_gmail_deletion_keeps_a_message_another_account_or_a_file_still_holds() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    let ada = store
        .connect_account("google", "ada@x.org", None)
        .await
        .unwrap();
    let bea = store
        .connect_account("google", "bea@x.org", None)
        .await
        .unwrap();
    let none = BTreeSet::new();
    let shared = gmail("a1", "Shared");
    store
        .write_gmail_messages(
            ada.id,
            &[shared.clone(), gmail("a2", "Alone")],
            &[],
            &none,
            None,
        )
        .await
        .unwrap();
    let copy = FetchedMessage {
        gmail_id: "b1".to_owned(),
        ..shared
    };
    store
        .write_gmail_messages(bea.id, &[copy], &[], &none, None)
        .await
        .unwrap();
    let from_file = message(
        Some("File@acme.com"),
        "dana@acme.com",
        "me@home.org",
        "File",
        "f",
    );
    store
        .write_batch(&[from_file], &[], None, &none)
        .await
        .unwrap();
    let mut also_in_gmail = gmail("a3", "File");
    also_in_gmail.message.rfc_message_id = Some("File@acme.com".to_owned());
    store
        .write_gmail_messages(ada.id, &[also_in_gmail], &[], &none, None)
        .await
        .unwrap();
    assert_eq!(
        store.totals().await.unwrap().messages,
        3,
        "copies merge into one row"
    );

    let changes = GmailChanges {
        deleted: vec!["a1".to_owned(), "a2".to_owned(), "a3".to_owned()],
        ..GmailChanges::default()
    };
    let counts = store
        .apply_gmail_changes(ada.id, &changes, &caught_up("9"))
        .await
        .unwrap();
    assert_eq!(counts.mail_deleted, 3, "three ids of the account are gone");
    assert_eq!(
        store.totals().await.unwrap().messages,
        2,
        "only the message nothing else holds is deleted"
    );
    assert!(
        store.search_messages("Alone", 5).await.unwrap().is_empty(),
        "and its text index entry"
    );
    assert_eq!(store.search_messages("Shared", 5).await.unwrap().len(), 1);
    assert_eq!(
        store.sync_state(ada.id, "gmail").await.unwrap(),
        Some(caught_up("9")),
        "the cursor moved with the changes"
    );
}

#[tokio::test]
async fn label_changes_apply_to_the_mapped_message() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    let ada = store
        .connect_account("google", "ada@x.org", None)
        .await
        .unwrap();
    store
        .write_gmail_messages(ada.id, &[gmail("a1", "Plan")], &[], &BTreeSet::new(), None)
        .await
        .unwrap();
    let changes = GmailChanges {
        labels_added: vec![("a1".to_owned(), "STARRED".to_owned())],
        labels_removed: vec![("a1".to_owned(), "INBOX".to_owned())],
        ..GmailChanges::default()
    };
    let counts = store
        .apply_gmail_changes(ada.id, &changes, &caught_up("3"))
        .await
        .unwrap();
    assert_eq!(counts.mail_updated, 1);
    assert_eq!(
        store.gmail_labels(ada.id, "a1").await.unwrap(),
        BTreeSet::from(["STARRED".to_owned()])
    );
}
