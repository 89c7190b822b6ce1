//! Writing batches: idempotent upserts, copies counted once, checkpoints with the data.

use kindred_store::ingest::Checkpoint;
use kindred_store::secrets::MemoryStore;
use kindred_store::Store;

use crate::{message, nobody};

#[tokio::test]
async fn writing_the_same_batch_twice_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    let batch = [
        message(Some("a@x"), "dana@acme.com", "me@home.org", "Plan", "one"),
        message(None, "bob@acme.com", "me@home.org", "Lunch", "two"),
    ];
    let first = store
        .write_batch(&batch, &[], None, &nobody())
        .await
        .unwrap();
    assert_eq!((first.messages_inserted, first.messages_duplicate), (2, 0));
    let second = store
        .write_batch(&batch, &[], None, &nobody())
        .await
        .unwrap();
    assert_eq!(
        (second.messages_inserted, second.messages_duplicate),
        (0, 2)
    );
    assert_eq!(store.totals().await.unwrap().messages, 2);
}

#[tokio::test]
async fn copies_in_several_folders_with_different_message_ids_count_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    let sent = message(
        Some("1@notes"),
        "dana@acme.com",
        "me@home.org",
        "Plan",
        "Hello  there\r\n",
    );
    let mut all_documents = message(
        Some("2@notes"),
        "dana@acme.com",
        "me@home.org",
        "Plan",
        "Hello there\n",
    );
    all_documents.labels = vec!["all_documents".to_owned()];
    let outcome = store
        .write_batch(&[sent, all_documents], &[], None, &nobody())
        .await
        .unwrap();
    assert_eq!(
        (outcome.messages_inserted, outcome.messages_duplicate),
        (1, 1),
        "same sender, instant, subject and normalised body is one message"
    );
}

#[tokio::test]
async fn a_checkpoint_is_stored_with_its_batch() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    assert_eq!(store.checkpoint("mail.mbox").await.unwrap(), None);
    let checkpoint = Checkpoint {
        source_key: "mail.mbox".to_owned(),
        fingerprint: "f".to_owned(),
        position: 4096,
        finished: false,
    };
    let batch = [message(None, "dana@acme.com", "me@home.org", "Plan", "x")];
    store
        .write_batch(&batch, &[], Some(&checkpoint), &nobody())
        .await
        .unwrap();
    assert_eq!(
        store.checkpoint("mail.mbox").await.unwrap(),
        Some(checkpoint)
    );
}

#[tokio::test]
async fn me_marks_sent_mail_and_is_not_counted_among_people() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    let batch = [
        message(None, "me@home.org", "dana@acme.com", "Plan", "x"),
        message(None, "bob@gmail.com", "me@home.org", "Hi", "y"),
    ];
    store
        .write_batch(&batch, &[], None, &nobody())
        .await
        .unwrap();
    let before = store.totals().await.unwrap();
    assert_eq!(before.people, 3, "nobody is known to be me yet");
    let me = [kindred_core::Address::parse("ME@home.org").unwrap()].into();
    store.set_me_addresses(&me).await.unwrap();
    let after = store.totals().await.unwrap();
    assert_eq!(after.people, 2, "me is not one of my people");
    assert_eq!(after.organizations, 1, "acme.com; gmail.com is freemail");
    assert_eq!(store.me_addresses().await.unwrap(), me);
}
