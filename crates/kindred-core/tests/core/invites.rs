//! Invitations: which stored event an invitation is about, and what REQUEST, CANCEL and
//! REPLY make of it.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use kindred_core::invites::{apply, normalise_title, same_event, Change, InviteMethod};
use kindred_core::{Address, Attendee, AttendeeRole, Event, EventStatus, ResponseStatus};
use proptest::prelude::*;

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 4, hour, minute, 0).unwrap()
}

fn person(role: AttendeeRole, address: &str, response: ResponseStatus) -> Attendee {
    Attendee {
        role,
        address: Address::parse(address).unwrap(),
        name: None,
        response,
    }
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
            person(
                AttendeeRole::Organizer,
                "dana@acme.com",
                ResponseStatus::Accepted,
            ),
            person(
                AttendeeRole::Attendee,
                "me@home.org",
                ResponseStatus::NeedsAction,
            ),
        ],
    }
}

#[test]
fn methods_read_case_insensitively_and_a_plain_calendar_is_a_request() {
    assert_eq!(InviteMethod::parse(Some("request")), InviteMethod::Request);
    assert_eq!(InviteMethod::parse(Some("PUBLISH")), InviteMethod::Request);
    assert_eq!(InviteMethod::parse(None), InviteMethod::Request);
    assert_eq!(InviteMethod::parse(Some("Cancel")), InviteMethod::Cancel);
    assert_eq!(InviteMethod::parse(Some("REPLY")), InviteMethod::Reply);
    assert_eq!(InviteMethod::parse(Some("COUNTER")), InviteMethod::Other);
    for method in [
        InviteMethod::Request,
        InviteMethod::Cancel,
        InviteMethod::Reply,
        InviteMethod::Other,
    ] {
        assert_eq!(InviteMethod::from_stored(method.as_str()), method);
    }
}

#[test]
fn titles_compare_without_calendar_prefixes_case_or_punctuation() {
    assert_eq!(
        normalise_title("Updated invitation: Q3 Budget — review!"),
        "q3 budget review"
    );
    assert_eq!(
        normalise_title("Canceled event:  q3 budget review"),
        "q3 budget review"
    );
    assert_eq!(normalise_title("Fwd: Invitation: Lunch"), "lunch");
}

#[test]
fn one_meeting_from_two_sources_is_the_same_event() {
    let calendar = meeting("cal-1", "Q3 budget review", at(10, 0), "Room 4");
    let invited = meeting(
        "mail-9",
        "Invitation: Q3 Budget Review",
        at(10, 10),
        "room 4",
    );
    assert!(
        same_event(&calendar, &invited),
        "same title, 10 minutes apart, same room: one meeting"
    );
    let elsewhere = meeting("mail-9", "Q3 budget review", at(10, 0), "Room 5");
    assert!(
        !same_event(&calendar, &elsewhere),
        "another room is another meeting"
    );
    let later = meeting("mail-9", "Q3 budget review", at(10, 30), "Room 4");
    assert!(
        !same_event(&calendar, &later),
        "30 minutes apart is beyond the tolerance"
    );
    let unplaced = meeting("mail-9", "Q3 budget review", at(9, 50), "");
    assert!(
        same_event(&calendar, &unplaced),
        "no place on one side matches any"
    );
    let moved = meeting("cal-1", "Renamed", at(15, 0), "Elsewhere");
    assert!(
        same_event(&calendar, &moved),
        "the same UID is the same event"
    );
}

#[test]
fn a_request_creates_then_updates_keeping_identity_and_known_answers() {
    let first = meeting("u1", "Planning", at(10, 0), "Room 1");
    let Some(Change::Created(created)) = apply(InviteMethod::Request, None, &first) else {
        panic!("a request for an unknown event creates it");
    };
    assert_eq!(created, first);

    let mut stored = created;
    stored.attendees[1].response = ResponseStatus::Accepted;
    stored.description = "agenda".to_owned();
    let mut moved = meeting("u1", "Planning", at(11, 0), "Room 2");
    moved.source_key = "ics:u1@moved".to_owned();
    let Some(Change::Updated(updated)) = apply(InviteMethod::Request, Some(&stored), &moved) else {
        panic!("a changed request updates the stored event");
    };
    assert_eq!(
        updated.source_key, stored.source_key,
        "the event keeps its key"
    );
    assert_eq!(updated.starts_at, at(11, 0));
    assert_eq!(updated.location, "Room 2");
    assert_eq!(
        updated.description, "agenda",
        "what the update leaves empty is kept"
    );
    assert_eq!(
        updated.attendees[1].response,
        ResponseStatus::Accepted,
        "asking again does not forget my answer"
    );
    assert_eq!(
        apply(InviteMethod::Request, Some(&updated), &moved),
        None,
        "the same request twice changes nothing the second time"
    );
}

#[test]
fn a_cancel_marks_the_event_cancelled_and_an_unknown_one_is_kept_cancelled() {
    let stored = meeting("u2", "Standup", at(9, 0), "");
    let cancel = meeting("u2", "Standup", at(9, 0), "");
    let Some(Change::Updated(cancelled)) = apply(InviteMethod::Cancel, Some(&stored), &cancel)
    else {
        panic!("a cancellation updates the event");
    };
    assert_eq!(cancelled.status, EventStatus::Cancelled);
    assert_eq!(apply(InviteMethod::Cancel, Some(&cancelled), &cancel), None);
    let Some(Change::Created(unknown)) = apply(InviteMethod::Cancel, None, &cancel) else {
        panic!("a cancellation of an unknown event is kept");
    };
    assert_eq!(unknown.status, EventStatus::Cancelled);
}

#[test]
fn a_reply_changes_only_the_answer_of_who_replied() {
    let stored = meeting("u3", "Review", at(14, 0), "Room 1");
    let mut reply = meeting("u3", "Review", at(14, 0), "");
    reply.attendees = vec![
        person(
            AttendeeRole::Organizer,
            "dana@acme.com",
            ResponseStatus::Unknown,
        ),
        person(
            AttendeeRole::Attendee,
            "me@home.org",
            ResponseStatus::Declined,
        ),
        person(
            AttendeeRole::Attendee,
            "new@acme.com",
            ResponseStatus::Tentative,
        ),
    ];
    let Some(Change::Updated(answered)) = apply(InviteMethod::Reply, Some(&stored), &reply) else {
        panic!("a reply updates the event");
    };
    assert_eq!(
        answered.attendees[0].response,
        ResponseStatus::Accepted,
        "the organiser is untouched"
    );
    assert_eq!(answered.attendees[1].response, ResponseStatus::Declined);
    assert_eq!(answered.attendees[2].address.as_str(), "new@acme.com");
    assert_eq!(answered.location, "Room 1", "a reply changes nothing else");
    assert_eq!(
        apply(InviteMethod::Reply, None, &reply),
        None,
        "a reply to nothing known"
    );
    assert_eq!(apply(InviteMethod::Other, Some(&stored), &reply), None);
}

proptest! {
    #[test]
    fn normalising_a_title_twice_changes_nothing(title in "\\PC{0,40}") {
        let once = normalise_title(&title);
        prop_assert_eq!(normalise_title(&once), once);
    }

    #[test]
    fn being_the_same_meeting_does_not_depend_on_which_side_is_asked(
        title_a in "(Invitation: )?[A-Za-z ]{1,12}",
        title_b in "(Updated invitation: )?[A-Za-z ]{1,12}",
        minutes in -40i64..40,
        place_a in "(Room [1-3])?",
        place_b in "(room [1-3])?",
    ) {
        let a = meeting("a", &title_a, at(10, 0), &place_a);
        let b = meeting(
            "b",
            &title_b,
            at(10, 0) + TimeDelta::minutes(minutes),
            &place_b,
        );
        prop_assert_eq!(same_event(&a, &b), same_event(&b, &a));
        prop_assert!(same_event(&a, &a));
    }

    #[test]
    fn applying_the_same_invitation_again_changes_nothing(
        method in prop::sample::select(vec![
            InviteMethod::Request,
            InviteMethod::Cancel,
            InviteMethod::Reply,
        ]),
        minutes in 0i64..600,
    ) {
        let stored = meeting("u", "Planning", at(9, 0), "Room 1");
        let incoming = meeting("u", "Planning", at(9, 0) + TimeDelta::minutes(minutes), "Room 2");
        let once = match apply(method, Some(&stored), &incoming) {
            Some(change) => change.event().clone(),
            None => stored,
        };
        prop_assert_eq!(apply(method, Some(&once), &incoming), None);
    }
}
