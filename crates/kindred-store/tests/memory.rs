//! The store gives its page caches back. A test binary of its own: SQLite's memory
//! counter is the whole process's, so no other test may open stores beside this one.

use chrono::{Duration, TimeZone, Utc};
use kindred_core::{Address, Message, Participant, ParticipantRole};
use kindred_store::secrets::MemoryStore;
use kindred_store::{sqlite_memory_used, Store};

const MESSAGES: usize = 2_000;

fn message(n: usize) -> Message {
    let person = |address: &str| Address::parse(address).unwrap();
    Message {
        source_key: format!("test:{n}"),
        rfc_message_id: Some(format!("{n}@memory.test")),
        in_reply_to: None,
        references: Vec::new(),
        subject: format!("Report {n}"),
        sent_at: Utc.with_ymd_and_hms(2024, 3, 1, 9, 30, 0).unwrap() + Duration::minutes(n as i64),
        participants: vec![
            Participant {
                role: ParticipantRole::From,
                address: person(&format!("sender{}@acme.com", n % 50)),
                name: None,
            },
            Participant {
                role: ParticipantRole::To,
                address: person("me@home.org"),
                name: None,
            },
        ],
        body_text: format!("Figures for week {n}. ").repeat(60),
        body_html: None,
        labels: vec!["Inbox".to_owned()],
        is_automated: false,
        has_attachments: false,
        size_bytes: 1_500,
        invitations: Vec::new(),
    }
}

#[tokio::test]
async fn releasing_memory_empties_the_page_caches_and_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    let batch: Vec<Message> = (0..MESSAGES).map(message).collect();
    store
        .write_batch(&batch, &[], None, &Default::default())
        .await
        .unwrap();
    let totals = store.totals().await.unwrap();
    assert_eq!(totals.messages, MESSAGES as u64);

    // The batch wrote ~3 MB of pages through the writer's cache.
    let warm = sqlite_memory_used();
    store.release_memory().await;
    let cold = sqlite_memory_used();
    assert!(
        warm - cold > 2_000_000,
        "SQLite held {warm} bytes, then {cold}"
    );
    assert_eq!(store.totals().await.unwrap(), totals);
}
