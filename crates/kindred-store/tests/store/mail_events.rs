//! Invitations in mail: kept with their message, applied to the events in the same
//! transaction, deduplicated against the calendar, ordered by the messages' dates, and
//! every creation and change recorded once for the rules.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use kindred_core::invites::{Invitation, InviteMethod};
use kindred_core::{Address, Attendee, AttendeeRole, Event, EventStatus, Message, ResponseStatus};
use kindred_store::mail_events::StoredEvent;
use kindred_store::secrets::MemoryStore;
use kindred_store::sync::FetchedMessage;
use kindred_store::Store;

use crate::{message, nobody};

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, day, hour, 0, 0).unwrap()
}

fn meeting(uid: &str, title: &str, start: DateTime<Utc>, location: &str) -> Event {
    Event {
        source_key: format!("ics:{uid}@{}", start.to_rfc3339()),
        uid: uid.to_owned(),
        recurrence_id: None,
        summary: title.to_owned(),
        description: String::new(),
        location: location.to_owned(),
        starts_at: start,
        ends_at: start + TimeDelta::hours(1),
        all_day: false,
        status: EventStatus::Confirmed,
        attendees: vec![
            Attendee {
                role: AttendeeRole::Organizer,
                address: Address::parse("dana@acme.com").unwrap(),
                name: Some("Dana".to_owned()),
                response: ResponseStatus::Accepted,
            },
            Attendee {
                role: AttendeeRole::Attendee,
                address: Address::parse("me@home.org").unwrap(),
                name: None,
                response: ResponseStatus::NeedsAction,
            },
        ],
    }
}

/// A message sent on `day` carrying one invitation with `method` for `event`.
fn invitation(subject: &str, day: u32, method: InviteMethod, event: Event) -> Message {
    let mut carrier = message(
        Some(&format!("{subject}@acme.com")),
        "dana@acme.com",
        "me@home.org",
        subject,
        "see the invitation",
    );
    carrier.sent_at = at(day, 8);
    carrier.invitations = vec![Invitation {
        method,
        text: format!(
            "BEGIN:VCALENDAR\r\nMETHOD:{}\r\nEND:VCALENDAR\r\n",
            method.as_str()
        ),
        events: vec![event],
    }];
    carrier
}

async fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &MemoryStore::default())
        .await
        .unwrap();
    (dir, store)
}

async fn all_events(store: &Store) -> Vec<StoredEvent> {
    store
        .events_between(at(1, 0), at(31, 0), 100)
        .await
        .unwrap()
}

#[tokio::test]
async fn request_then_cancel_then_reply_shape_one_event_linked_to_its_messages() {
    let (_dir, store) = open().await;
    let request = invitation(
        "Invitation: Planning",
        1,
        InviteMethod::Request,
        meeting("plan-1", "Planning", at(10, 14), "Room 1"),
    );
    let first = store
        .write_batch(std::slice::from_ref(&request), &[], None, &nobody())
        .await
        .unwrap();
    assert_eq!(first.events_inserted, 1, "a request creates its event");
    let events = all_events(&store).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event.summary, "Planning");

    let mut answer = meeting("plan-1", "Planning", at(10, 14), "");
    answer.attendees.remove(0);
    answer.attendees[0].response = ResponseStatus::Accepted;
    let reply = invitation("Accepted: Planning", 2, InviteMethod::Reply, answer);
    let cancel = invitation(
        "Canceled event: Planning",
        3,
        InviteMethod::Cancel,
        meeting("plan-1", "Planning", at(10, 14), "Room 1"),
    );
    // Both in one batch, the later one first: they apply in the order they were sent.
    store
        .write_batch(&[cancel, reply], &[], None, &nobody())
        .await
        .unwrap();
    let events = all_events(&store).await;
    assert_eq!(events.len(), 1, "updates merge into the event: {events:?}");
    let event = &events[0];
    assert_eq!(event.event.status, EventStatus::Cancelled);
    let me = event
        .event
        .attendees
        .iter()
        .find(|a| a.address.as_str() == "me@home.org")
        .unwrap();
    assert_eq!(
        me.response,
        ResponseStatus::Accepted,
        "the reply was applied"
    );
    assert_eq!(
        event.messages.len(),
        3,
        "each message is linked to the event"
    );

    let changes = store.event_changes_after(0, 100).await.unwrap();
    let kinds: Vec<bool> = changes.iter().map(|c| c.updated).collect();
    assert_eq!(
        kinds,
        [false, true, true],
        "created, then answered, then cancelled"
    );

    // Reading the same mail again changes nothing and records nothing.
    store
        .write_batch(&[request], &[], None, &nobody())
        .await
        .unwrap();
    assert_eq!(store.event_changes_after(0, 100).await.unwrap(), changes);
    assert_eq!(
        all_events(&store).await[0].event.status,
        EventStatus::Cancelled
    );
    let carriers: Vec<i64> = event.messages.clone();
    assert_eq!(
        store
            .messages_with_invitations(&carriers)
            .await
            .unwrap()
            .len(),
        3,
        "the calendar parts are kept with their messages"
    );
}

#[tokio::test]
async fn an_invitation_for_a_meeting_already_in_the_calendar_updates_it() {
    let (_dir, store) = open().await;
    let calendar = meeting("google-abc", "Q3 budget review", at(12, 10), "Room 4");
    store
        .write_batch(&[], std::slice::from_ref(&calendar), None, &nobody())
        .await
        .unwrap();
    let mut update = meeting(
        "outlook-xyz",
        "Updated invitation: Q3 Budget Review",
        at(12, 10) + TimeDelta::minutes(5),
        "room 4",
    );
    update.description = "Bring the numbers".to_owned();
    store
        .write_batch(
            &[invitation(
                "Updated invitation",
                5,
                InviteMethod::Request,
                update,
            )],
            &[],
            None,
            &nobody(),
        )
        .await
        .unwrap();
    let events = all_events(&store).await;
    assert_eq!(events.len(), 1, "the same meeting counts once: {events:?}");
    assert_eq!(events[0].event.source_key, calendar.source_key);
    assert_eq!(events[0].event.description, "Bring the numbers");
    assert_eq!(
        events[0].event.starts_at,
        at(12, 10) + TimeDelta::minutes(5)
    );
}

#[tokio::test]
async fn an_older_invitation_read_later_does_not_undo_a_newer_one() {
    let (_dir, store) = open().await;
    let moved = invitation(
        "Updated invitation: Sync",
        6,
        InviteMethod::Request,
        meeting("sync-1", "Sync", at(20, 15), ""),
    );
    let original = invitation(
        "Invitation: Sync",
        4,
        InviteMethod::Request,
        meeting("sync-1", "Sync", at(20, 9), ""),
    );
    store
        .write_batch(&[moved], &[], None, &nobody())
        .await
        .unwrap();
    store
        .write_batch(&[original], &[], None, &nobody())
        .await
        .unwrap();
    let events = all_events(&store).await;
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].event.starts_at,
        at(20, 15),
        "the newer time stands"
    );
    assert_eq!(events[0].messages.len(), 2, "the older one is still linked");
}

#[tokio::test]
async fn an_invitation_synced_from_gmail_is_kept_and_applied_like_an_imported_one() {
    let (_dir, store) = open().await;
    let account = store
        .connect_account("google", "me@home.org", None)
        .await
        .unwrap();
    let mut synced = invitation(
        "Invitation: Offsite",
        7,
        InviteMethod::Request,
        meeting("offsite-1", "Offsite", at(27, 9), "Lisbon"),
    );
    synced.source_key = "gmail:me@home.org/g1".to_owned();
    let fetched = FetchedMessage {
        gmail_id: "g1".to_owned(),
        message: synced,
    };
    store
        .write_gmail_messages(account.id, &[fetched], &[], &nobody(), None)
        .await
        .unwrap();
    let events = all_events(&store).await;
    assert_eq!(events.len(), 1, "the synced invitation made its event");
    assert_eq!(events[0].event.location, "Lisbon");
    assert_eq!(
        store
            .messages_with_invitations(&events[0].messages)
            .await
            .unwrap()
            .len(),
        1,
        "the synced message keeps its calendar part"
    );
}

#[tokio::test]
async fn a_calendar_event_for_a_meeting_first_known_from_mail_updates_that_event() {
    let (_dir, store) = open().await;
    store
        .write_batch(
            &[
                invitation(
                    "Invitation: Kickoff",
                    2,
                    InviteMethod::Request,
                    meeting("kick-1", "Kickoff", at(15, 9), "Room 2"),
                ),
                invitation(
                    "Invitation: Retro",
                    3,
                    InviteMethod::Request,
                    meeting("outlook-retro", "Retro", at(16, 9), "Room 3"),
                ),
            ],
            &[],
            None,
            &nobody(),
        )
        .await
        .unwrap();
    // The calendar's copies: Google keys the first by its UID, the second has its own UID.
    let mut kickoff = meeting("kick-1", "Kickoff", at(15, 9), "Room 2");
    kickoff.source_key = "google:kick-1".to_owned();
    kickoff.description = "From the calendar".to_owned();
    let mut retro = meeting(
        "google-retro",
        "Retro",
        at(16, 9) + TimeDelta::minutes(10),
        "",
    );
    retro.source_key = "google:google-retro".to_owned();
    let outcome = store
        .write_batch(&[], &[kickoff, retro], None, &nobody())
        .await
        .unwrap();
    assert_eq!(
        outcome.events_inserted, 0,
        "both meetings were known from mail"
    );
    let events = all_events(&store).await;
    let keys: Vec<&str> = events.iter().map(|e| e.event.source_key.as_str()).collect();
    assert_eq!(keys, ["google:kick-1", "google:google-retro"]);
    assert_eq!(events[0].event.description, "From the calendar");
    assert!(
        events.iter().all(|e| e.messages.len() == 1),
        "each keeps the message it came from"
    );
}
