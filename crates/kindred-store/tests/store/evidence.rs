//! The evidence kept in memory for the insights: brought up to date by reading only what
//! is new, it derives exactly what a fresh read of the whole store derives.

use chrono::{TimeDelta, TimeZone, Utc};
use kindred_core::{Address, Attendee, AttendeeRole, Event, EventStatus, ResponseStatus};
use kindred_store::interactions::Evidence;
use kindred_store::secrets::MemoryStore;
use kindred_store::Store;

use crate::message;

/// Everything the insights derive from `evidence`, in a comparable form.
fn derived(evidence: &Evidence) -> String {
    let always = i64::MIN..i64::MAX;
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        evidence.interactions().collect::<Vec<_>>(),
        evidence.co_participation().collect::<Vec<_>>(),
        evidence.message_facts(&always),
        evidence.my_recipients(&always),
        evidence.meeting_facts(),
        evidence.first_appearances(),
        evidence.first_contacts()
    )
}

/// A meeting of Dana, Bob and me.
fn meeting() -> Event {
    let attendee = |email: &str| Attendee {
        role: AttendeeRole::Attendee,
        address: Address::parse(email).unwrap(),
        name: None,
        response: ResponseStatus::Accepted,
    };
    let start = Utc.with_ymd_and_hms(2024, 3, 4, 10, 0, 0).unwrap();
    Event {
        source_key: "ics:review".to_owned(),
        uid: "review".to_owned(),
        recurrence_id: None,
        summary: "Review".to_owned(),
        description: String::new(),
        location: String::new(),
        starts_at: start,
        ends_at: start + TimeDelta::minutes(45),
        all_day: false,
        status: EventStatus::Confirmed,
        attendees: ["dana@acme.com", "bob@acme.com", "me@home.org"]
            .map(attendee)
            .into(),
    }
}

async fn fresh(store: &Store) -> Evidence {
    let mut evidence = Evidence::default();
    store.refresh_evidence(&mut evidence).await.unwrap();
    evidence
}

#[tokio::test]
async fn evidence_brought_up_to_date_derives_what_a_fresh_read_derives() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    let me = [Address::parse("me@home.org").unwrap()].into();
    let mut answer = message(
        Some("<b@x>"),
        "me@home.org",
        "dana@acme.com",
        "Re: Plan",
        "ok",
    );
    answer.in_reply_to = Some("<a@x>".to_owned());
    answer.sent_at = Utc.with_ymd_and_hms(2024, 3, 2, 9, 0, 0).unwrap();
    let first = [
        answer,
        message(
            Some("<c@x>"),
            "bob@acme.com",
            "me@home.org",
            "Lunch",
            "when",
        ),
    ];
    store.write_batch(&first, &[], None, &me).await.unwrap();

    let mut kept = Evidence::default();
    assert!(store.refresh_evidence(&mut kept).await.unwrap());
    assert_eq!(kept.message_facts(&(i64::MIN..i64::MAX)).len(), 2);
    assert_eq!(
        kept.message_facts(&(i64::MIN..i64::MAX))[0].parent_at,
        None,
        "its parent is not stored yet"
    );
    assert!(
        !store.refresh_evidence(&mut kept).await.unwrap(),
        "nothing new, nothing read"
    );

    // The parent of a message already read arrives later, with mail to a group.
    let mut group = message(Some("<d@x>"), "me@home.org", "dana@acme.com", "Team", "all");
    group.participants.push(kindred_core::Participant {
        role: kindred_core::ParticipantRole::Cc,
        address: Address::parse("bob@acme.com").unwrap(),
        name: None,
    });
    group.participants.push(kindred_core::Participant {
        role: kindred_core::ParticipantRole::Cc,
        address: Address::parse("dana@acme.com").unwrap(),
        name: None,
    });
    let later = [
        message(
            Some("<a@x>"),
            "dana@acme.com",
            "me@home.org",
            "Plan",
            "shall we",
        ),
        group,
    ];
    store
        .write_batch(&later, &[meeting()], None, &me)
        .await
        .unwrap();
    assert!(store.refresh_evidence(&mut kept).await.unwrap());
    let parent_at = later[0].sent_at.timestamp_millis();
    assert!(
        kept.message_facts(&(i64::MIN..i64::MAX))
            .iter()
            .any(|fact| fact.parent_at == Some(parent_at) && fact.from_me),
        "the answer read before now knows its parent"
    );
    assert_eq!(derived(&kept), derived(&fresh(&store).await));
    assert_eq!(
        kept.co_participation().collect::<Vec<_>>().len(),
        2,
        "Dana and Bob together in the group message and in the meeting"
    );
    let owed: Vec<String> = store
        .unanswered(&kept, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|message| message.subject)
        .collect();
    assert_eq!(
        owed,
        ["Lunch"],
        "mail to me is owed a reply until I write in its thread after it"
    );

    // Who is me changes what every message means: the whole evidence is read again.
    let both = [
        Address::parse("me@home.org").unwrap(),
        Address::parse("bob@acme.com").unwrap(),
    ]
    .into();
    store.set_me_addresses(&both).await.unwrap();
    assert!(store.refresh_evidence(&mut kept).await.unwrap());
    assert_eq!(derived(&kept), derived(&fresh(&store).await));
    let bob = store
        .address_id(&Address::parse("bob@acme.com").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(
        kept.interactions()
            .all(|interaction| interaction.address_id != bob),
        "an address of mine is nobody's interaction"
    );
}

#[tokio::test]
async fn a_large_read_split_in_two_derives_what_reads_in_small_steps_derive() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    let me = [Address::parse("me@home.org").unwrap()].into();
    let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let mut kept = Evidence::default();
    // 25,000 messages, read 5,000 at a time: each read is one query in the snapshot.
    for batch in 0..5 {
        let messages: Vec<_> = (batch * 5_000..(batch + 1) * 5_000)
            .map(|n| {
                let person = format!("person{}@org{}.com", n % 97, n % 7);
                let (from, to) = if n % 3 == 0 {
                    ("me@home.org", person.as_str())
                } else {
                    (person.as_str(), "me@home.org")
                };
                let id = format!("<m{n}@x>");
                let mut mail = message(Some(&id), from, to, &format!("note {n}"), "hi");
                // Later messages answer earlier ones, and some arrive before their parent.
                mail.in_reply_to = Some(format!("<m{}@x>", (n * 7 + 3) % 25_000));
                mail.sent_at = start + TimeDelta::minutes(i64::from(n) * 13 % 50_000);
                mail
            })
            .collect();
        store.write_batch(&messages, &[], None, &me).await.unwrap();
        assert!(store.refresh_evidence(&mut kept).await.unwrap());
    }
    // Read at once, the 25,000 are read in two halves side by side.
    assert_eq!(derived(&kept), derived(&fresh(&store).await));
    assert_eq!(
        kept.message_facts(&(i64::MIN..i64::MAX)).len(),
        25_000,
        "every message read once"
    );
}
