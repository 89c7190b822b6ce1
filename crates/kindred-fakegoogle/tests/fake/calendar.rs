//! Calendar: calendarList paging, events.list paging and time bounds, incremental sync
//! with cancelled events, and the 410 after sync tokens expire.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kindred_fakegoogle::{EventTime, FakeAttendee, FakeEvent, FakeGoogle, FakeResponseStatus};
use serde_json::Value;

use crate::support::{fake, get, reason, USER};

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0)
        .single()
        .expect("a real time")
}

fn meeting(summary: &str, day: u32) -> FakeEvent {
    let start = EventTime::DateTime(at(day, 9).fixed_offset());
    let end = EventTime::DateTime(at(day, 10).fixed_offset());
    let mut event = FakeEvent::new(summary, start, end);
    event.attendees = vec![
        FakeAttendee::new(USER, FakeResponseStatus::Accepted),
        FakeAttendee::new("bob@example.com", FakeResponseStatus::Tentative),
    ];
    event
}

fn summaries(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["summary"].as_str().unwrap_or("-").to_owned())
        .collect()
}

fn events_path(query: &str) -> String {
    format!("/calendar/v3/calendars/{USER}/events?{query}")
}

/// Lists every page; returns the items' summaries, the pages and the final sync token.
async fn list_all(fake: &FakeGoogle, token: &str, query: &str) -> (Vec<Value>, usize, String) {
    let mut items = Vec::new();
    let mut pages = 0;
    let mut page_token = String::new();
    loop {
        let (status, body) = get(
            fake,
            token,
            &events_path(&format!("{query}&pageToken={page_token}")),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        pages += 1;
        items.extend(body["items"].as_array().expect("items").iter().cloned());
        if let Some(next) = body["nextPageToken"].as_str() {
            assert!(
                body.get("nextSyncToken").is_none(),
                "nextSyncToken only on the last page"
            );
            page_token = next.to_owned();
        } else {
            let sync = body["nextSyncToken"]
                .as_str()
                .expect("the last page has nextSyncToken");
            return (items, pages, sync.to_owned());
        }
    }
}

#[tokio::test]
async fn calendar_list_pages_with_primary_first() {
    let fake = fake().await;
    fake.add_calendar(USER, "team@group.calendar.google.com", "Team");
    fake.add_calendar(USER, "alpha@group.calendar.google.com", "Alpha");
    let (token, _) = fake.issue_tokens(USER);
    let (_, first) = get(
        &fake,
        &token,
        "/calendar/v3/users/me/calendarList?maxResults=2",
    )
    .await;
    assert_eq!(first["items"][0]["id"], USER);
    assert_eq!(first["items"][0]["primary"], true);
    let next = first["nextPageToken"].as_str().expect("a second page");
    let (_, second) = get(
        &fake,
        &token,
        &format!("/calendar/v3/users/me/calendarList?maxResults=2&pageToken={next}"),
    )
    .await;
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    assert!(second.get("nextPageToken").is_none());
}

#[tokio::test]
async fn events_page_and_respect_exclusive_time_bounds() {
    let fake = fake().await;
    for day in 1..=5 {
        fake.add_event(USER, "primary", meeting(&format!("day {day}"), day));
    }
    let all_day = FakeEvent::new(
        "holiday",
        EventTime::Date(NaiveDate::from_ymd_opt(2026, 3, 6).expect("date")),
        EventTime::Date(NaiveDate::from_ymd_opt(2026, 3, 7).expect("date")),
    );
    fake.add_event(USER, USER, all_day);
    let (token, _) = fake.issue_tokens(USER);

    let (items, pages, _) = list_all(&fake, &token, "maxResults=2&singleEvents=true").await;
    assert_eq!(pages, 3, "6 events at 2 a page");
    assert_eq!(items.len(), 6);
    assert_eq!(
        items[5]["start"]["date"], "2026-03-06",
        "all-day events use date"
    );
    assert_eq!(items[0]["attendees"][1]["responseStatus"], "tentative");
    assert_eq!(
        items[0]["attendees"][0]["self"], true,
        "the owner is marked self"
    );
    assert_eq!(
        items[0]["organizer"]["email"], USER,
        "the owner organises by default"
    );

    // Day 2 ends at 10:00 and day 4 starts at 09:00: both bounds are exclusive.
    let window = format!(
        "timeMin={}&timeMax={}",
        at(2, 10).to_rfc3339().replace('+', "%2B"),
        at(4, 9).to_rfc3339().replace('+', "%2B")
    );
    let (status, body) = get(&fake, &token, &events_path(&window)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        summaries(&body),
        ["day 3"],
        "timeMin bounds the end, timeMax the start"
    );

    let (status, body) = get(
        &fake,
        &token,
        &events_path(&format!(
            "timeMin={}&timeMax={}",
            "2026-03-05T00:00:00Z", "2026-03-01T00:00:00Z"
        )),
    )
    .await;
    assert_eq!((status, reason(&body)), (400, "timeRangeEmpty"));
    let (status, body) = get(
        &fake,
        &token,
        "/calendar/v3/calendars/nobody@example.com/events",
    )
    .await;
    assert_eq!(
        (status, reason(&body)),
        (404, "notFound"),
        "unknown calendars are 404"
    );
}

#[tokio::test]
async fn sync_token_returns_changes_with_cancellations_then_410_after_expiry() {
    let fake = fake().await;
    let keep = fake.add_event(USER, "primary", meeting("keep", 1));
    let change = fake.add_event(USER, "primary", meeting("change", 2));
    let cancel = fake.add_event(USER, "primary", meeting("cancel", 3));
    let (token, _) = fake.issue_tokens(USER);
    let (items, _, sync) = list_all(&fake, &token, "maxResults=250").await;
    assert_eq!(items.len(), 3);

    let added = fake.add_event(USER, "primary", meeting("added", 4));
    fake.update_event(USER, "primary", &change, meeting("changed", 2));
    fake.cancel_event(USER, "primary", &cancel);

    let (changes, _, next_sync) =
        list_all(&fake, &token, &format!("syncToken={sync}&maxResults=2")).await;
    let mut ids: Vec<&str> = changes
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    ids.sort_unstable();
    let mut expected = vec![added.as_str(), change.as_str(), cancel.as_str()];
    expected.sort_unstable();
    assert_eq!(ids, expected, "exactly the changed events, over pages");
    assert!(!ids.contains(&keep.as_str()));
    let cancelled = changes
        .iter()
        .find(|e| e["id"] == cancel.as_str())
        .expect("cancelled one");
    assert_eq!(cancelled["status"], "cancelled");
    assert!(
        cancelled.get("summary").is_none(),
        "a cancelled event in a listing is id and status"
    );
    let changed = changes
        .iter()
        .find(|e| e["id"] == change.as_str())
        .expect("changed one");
    assert_eq!(changed["summary"], "changed");
    assert_eq!(changed["sequence"], 1);

    let (quiet, _, _) = list_all(&fake, &token, &format!("syncToken={next_sync}")).await;
    assert!(quiet.is_empty(), "nothing changed since the last token");
    let (full, _, _) = list_all(&fake, &token, "maxResults=250").await;
    assert_eq!(
        full.len(),
        3,
        "a full listing leaves the cancelled event out"
    );
    let (with_deleted, _, _) = list_all(&fake, &token, "showDeleted=true").await;
    assert_eq!(with_deleted.len(), 4, "showDeleted includes it");
    let (status, body) = get(
        &fake,
        &token,
        &format!("/calendar/v3/calendars/primary/events/{cancel}"),
    )
    .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("cancelled")),
        "events.get shows it"
    );

    let (status, body) = get(
        &fake,
        &token,
        &events_path(&format!(
            "syncToken={next_sync}&timeMin=2026-01-01T00:00:00Z"
        )),
    )
    .await;
    assert_eq!(
        status, 400,
        "syncToken cannot be combined with timeMin: {body}"
    );

    fake.expire_sync_tokens(USER);
    let (status, body) = get(
        &fake,
        &token,
        &events_path(&format!("syncToken={next_sync}")),
    )
    .await;
    assert_eq!((status, reason(&body)), (410, "fullSyncRequired"));
    let (_, _, fresh) = list_all(&fake, &token, "maxResults=250").await;
    fake.add_event(USER, "primary", meeting("after expiry", 5));
    let (after, _, _) = list_all(&fake, &token, &format!("syncToken={fresh}")).await;
    assert_eq!(
        summaries(&serde_json::json!({ "items": after })),
        ["after expiry"],
        "new tokens work"
    );
}

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
BEGIN:VEVENT\r\nUID:standup-1@example.com\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART:20260302T090000Z\r\nDTEND:20260302T091500Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n\
SUMMARY:Standup\r\nORGANIZER;CN=Bob:mailto:bob@example.com\r\n\
ATTENDEE;PARTSTAT=ACCEPTED;CN=Ada:mailto:ada@example.com\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:offsite@example.com\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART;VALUE=DATE:20260310\r\nDTEND;VALUE=DATE:20260311\r\nSUMMARY:Offsite\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[tokio::test]
async fn ics_occurrences_become_instances_of_their_series() {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("calendar.ics");
    std::fs::write(&path, ICS).expect("written");
    assert_eq!(
        fake.load_ics(USER, "primary", &path).expect("reads"),
        4,
        "three standups and an offsite"
    );
    assert_eq!(fake.load_ics(USER, "primary", &path).expect("reads"), 4);
    assert_eq!(
        fake.event_ids(USER, USER).len(),
        4,
        "loading again updates the same events"
    );
    let (token, _) = fake.issue_tokens(USER);
    let (items, _, _) = list_all(&fake, &token, "singleEvents=true").await;
    let standups: Vec<&Value> = items.iter().filter(|e| e["summary"] == "Standup").collect();
    assert_eq!(standups.len(), 3);
    let series = standups[0]["recurringEventId"]
        .as_str()
        .expect("an instance names its series");
    assert!(standups
        .iter()
        .all(|e| e["recurringEventId"] == series && e["iCalUID"] == "standup-1@example.com"));
    assert_eq!(
        standups[1]["originalStartTime"]["dateTime"],
        "2026-03-09T09:00:00Z"
    );
    assert_eq!(standups[0]["organizer"]["email"], "bob@example.com");
    let ada = standups[0]["attendees"]
        .as_array()
        .expect("attendees")
        .iter()
        .find(|a| a["email"] == USER)
        .expect("Ada attends");
    assert_eq!(ada["responseStatus"], "accepted");
    let offsite = items
        .iter()
        .find(|e| e["summary"] == "Offsite")
        .expect("the offsite");
    assert_eq!(offsite["start"]["date"], "2026-03-10");
    assert!(
        offsite.get("recurringEventId").is_none(),
        "a single event is no instance"
    );
}
