//! The database is encrypted at rest and never overwritten when it cannot be opened.

use std::path::Path;

use kindred_store::secrets::{self, MemoryStore, SecretStore, SecretString};
use kindred_store::{key_name, Store, StoreError, DATABASE_FILE};

use crate::{message, nobody};

const CANARY: &str = "Zanzibar lighthouse quarterly canary";

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn file_digest(path: &Path) -> String {
    sha1_smol::Sha1::from(std::fs::read(path).unwrap())
        .digest()
        .to_string()
}

async fn store_with_canary(dir: &Path, secrets: &dyn SecretStore) -> Store {
    let store = Store::open(dir, secrets).await.unwrap();
    let batch = [message(
        Some("c@x"),
        "dana@acme.com",
        "me@home.org",
        CANARY,
        CANARY,
    )];
    store
        .write_batch(&batch, &[], None, &nobody())
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn neither_the_file_nor_its_wal_holds_plaintext() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::default();
    let store = store_with_canary(dir.path(), &secrets).await;
    let db = std::fs::read(dir.path().join(DATABASE_FILE)).unwrap();
    let wal = std::fs::read(dir.path().join(format!("{DATABASE_FILE}-wal"))).unwrap();
    assert!(
        !wal.is_empty(),
        "the write is still in the WAL, so the WAL is checked too"
    );
    assert!(
        !db.starts_with(b"SQLite format 3"),
        "the header is encrypted"
    );
    assert!(
        !contains(&db, CANARY),
        "the database file holds no plaintext subject"
    );
    assert!(
        !contains(&wal, CANARY),
        "the WAL holds no plaintext subject"
    );
    let hits = store.search_messages("lighthouse", 5).await.unwrap();
    assert_eq!(hits.len(), 1, "the text is there for the key holder");
    store.close().await;
    let db = std::fs::read(dir.path().join(DATABASE_FILE)).unwrap();
    assert!(
        !contains(&db, CANARY),
        "nor after the WAL is checkpointed into it"
    );
}

#[tokio::test]
async fn a_wrong_key_is_a_clear_error_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let right = MemoryStore::default();
    store_with_canary(dir.path(), &right).await.close().await;
    let path = dir.path().join(DATABASE_FILE);
    let before = file_digest(&path);

    let wrong = MemoryStore::default();
    secrets::database_key(&wrong, &key_name(dir.path()), true).unwrap();
    let error = Store::open(dir.path(), &wrong).await.unwrap_err();
    assert!(
        matches!(error, StoreError::WrongKeyOrCorrupt { .. }),
        "a wrong key is reported as such: {error}"
    );
    let text = error.to_string();
    assert!(
        text.contains(&path.display().to_string()),
        "names the file: {text}"
    );
    assert!(
        text.contains("has not modified"),
        "says the file is safe: {text}"
    );
    assert_eq!(
        file_digest(&path),
        before,
        "the file is byte-for-byte untouched"
    );
    assert!(
        Store::open(dir.path(), &right).await.is_ok(),
        "the right key still opens it"
    );
}

#[tokio::test]
async fn a_missing_key_never_recreates_the_database() {
    let dir = tempfile::tempdir().unwrap();
    store_with_canary(dir.path(), &MemoryStore::default())
        .await
        .close()
        .await;
    let path = dir.path().join(DATABASE_FILE);
    let before = file_digest(&path);
    let error = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::MissingKey { .. }), "{error}");
    assert_eq!(
        file_digest(&path),
        before,
        "the existing file is kept as it was"
    );
}

#[tokio::test]
async fn a_corrupt_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::default();
    store_with_canary(dir.path(), &secrets).await.close().await;
    let path = dir.path().join(DATABASE_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[..64].copy_from_slice(&[0x5a; 64]);
    std::fs::write(&path, &bytes).unwrap();
    let error = Store::open(dir.path(), &secrets).await.unwrap_err();
    assert!(
        matches!(error, StoreError::WrongKeyOrCorrupt { .. }),
        "{error}"
    );
    assert!(
        std::fs::read(&path).unwrap() == bytes,
        "the damaged file is not rewritten"
    );
}

#[tokio::test]
async fn an_unencrypted_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut header = b"SQLite format 3\0".to_vec();
    header.resize(4096, 0);
    std::fs::write(dir.path().join(DATABASE_FILE), &header).unwrap();
    let error = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Unencrypted { .. }), "{error}");
}

#[tokio::test]
async fn an_older_binary_refuses_a_newer_database() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemoryStore::default();
    store_with_canary(dir.path(), &secrets).await.close().await;
    let newer = kindred_store::schema_version() + 1;
    let mut connection = crate::raw_connection(dir.path(), &secrets).await;
    sqlx::query(&format!("PRAGMA user_version = {newer}"))
        .execute(&mut connection)
        .await
        .unwrap();
    drop(connection);
    let error = Store::open(dir.path(), &secrets).await.unwrap_err();
    assert!(
        matches!(error, StoreError::NewerSchema { found, .. } if found == newer),
        "{error}"
    );
}

#[test]
fn secrets_are_redacted_in_debug_output() {
    let secret = SecretString::new("hunter2".to_owned());
    assert!(!format!("{secret:?}").contains("hunter2"));
}
