//! Integration tests of kindred-store: the promises of the encrypted store.

mod activity;
mod artifacts;
mod encryption;
mod evidence;
mod extensions;
mod ingest;
mod jobs;
mod keyring;
mod mail_events;
mod message_html;
mod sync;

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{TimeZone, Utc};
use kindred_core::{Address, Message, Participant, ParticipantRole};
use kindred_store::secrets::MemoryStore;
use kindred_store::{key_name, DATABASE_FILE};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::ConnectOptions;

/// A message from `from` to `to` with the given subject and body.
pub fn message(id: Option<&str>, from: &str, to: &str, subject: &str, body: &str) -> Message {
    Message {
        source_key: format!("test:{subject}"),
        rfc_message_id: id.map(str::to_owned),
        in_reply_to: None,
        references: Vec::new(),
        subject: subject.to_owned(),
        sent_at: Utc.with_ymd_and_hms(2024, 3, 1, 9, 30, 0).unwrap(),
        participants: vec![
            Participant {
                role: ParticipantRole::From,
                address: Address::parse(from).unwrap(),
                name: Some("Sender".to_owned()),
            },
            Participant {
                role: ParticipantRole::To,
                address: Address::parse(to).unwrap(),
                name: None,
            },
        ],
        body_text: body.to_owned(),
        body_html: None,
        labels: vec!["Inbox".to_owned()],
        is_automated: false,
        has_attachments: false,
        size_bytes: body.len() as u64,
        invitations: Vec::new(),
    }
}

/// A connection to the store in `dir` that bypasses `Store`, for tests that must reach
/// under it (its key comes from `secrets`).
pub async fn raw_connection(dir: &Path, secrets: &MemoryStore) -> SqliteConnection {
    let key = kindred_store::secrets::database_key(secrets, &key_name(dir), false)
        .unwrap()
        .unwrap();
    SqliteConnectOptions::new()
        .filename(dir.join(DATABASE_FILE))
        .pragma("key", key.sqlcipher_pragma().to_string())
        .connect()
        .await
        .unwrap()
}

pub fn nobody() -> BTreeSet<Address> {
    BTreeSet::new()
}
