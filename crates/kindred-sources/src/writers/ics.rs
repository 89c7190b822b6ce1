//! Events as one iCalendar file. Kindred stores occurrences (recurring events expanded),
//! so each occurrence is its own VEVENT in UTC; an occurrence of a series keeps its UID
//! and carries its original start as RECURRENCE-ID, which gives it back the same
//! `source_key` when the file is imported again.

use kindred_core::{AttendeeRole, Event, EventStatus, ResponseStatus};

use super::{escape_text, parameter_value, push_folded};

/// The calendar's opening lines.
#[must_use]
pub fn header() -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kindred//Export//EN",
        "CALSCALE:GREGORIAN",
    ] {
        push_folded(&mut out, line);
    }
    out
}

/// The calendar's closing line.
#[must_use]
pub fn footer() -> String {
    "END:VCALENDAR\r\n".to_owned()
}

/// One VEVENT for `event`.
#[must_use]
pub fn event(event: &Event) -> String {
    let mut out = String::new();
    push_folded(&mut out, "BEGIN:VEVENT");
    push_folded(&mut out, &format!("UID:{}", escape_text(&event.uid)));
    if let Some(original) = event.recurrence_id {
        push_folded(&mut out, &format!("RECURRENCE-ID:{}", timestamp(original)));
    }
    if event.all_day {
        push_folded(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", event.starts_at.format("%Y%m%d")),
        );
        push_folded(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", event.ends_at.format("%Y%m%d")),
        );
    } else {
        push_folded(&mut out, &format!("DTSTART:{}", timestamp(event.starts_at)));
        push_folded(&mut out, &format!("DTEND:{}", timestamp(event.ends_at)));
    }
    for (name, value) in [
        ("SUMMARY", &event.summary),
        ("DESCRIPTION", &event.description),
        ("LOCATION", &event.location),
    ] {
        if !value.is_empty() {
            push_folded(&mut out, &format!("{name}:{}", escape_text(value)));
        }
    }
    let status = match event.status {
        EventStatus::Confirmed => "CONFIRMED",
        EventStatus::Tentative => "TENTATIVE",
        EventStatus::Cancelled => "CANCELLED",
    };
    push_folded(&mut out, &format!("STATUS:{status}"));
    for attendee in &event.attendees {
        let name = match attendee.role {
            AttendeeRole::Organizer => "ORGANIZER",
            AttendeeRole::Attendee => "ATTENDEE",
        };
        let mut line = name.to_owned();
        if let Some(cn) = &attendee.name {
            line.push_str(&format!(";CN={}", parameter_value(cn)));
        }
        if let Some(partstat) = partstat(attendee.response) {
            line.push_str(&format!(";PARTSTAT={partstat}"));
        }
        line.push_str(&format!(":mailto:{}", attendee.address));
        push_folded(&mut out, &line);
    }
    push_folded(&mut out, "END:VEVENT");
    out
}

fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// PARTSTAT for a response; an unknown one is left unsaid.
fn partstat(response: ResponseStatus) -> Option<&'static str> {
    match response {
        ResponseStatus::NeedsAction => Some("NEEDS-ACTION"),
        ResponseStatus::Accepted => Some("ACCEPTED"),
        ResponseStatus::Declined => Some("DECLINED"),
        ResponseStatus::Tentative => Some("TENTATIVE"),
        ResponseStatus::Delegated => Some("DELEGATED"),
        ResponseStatus::Unknown => None,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use kindred_core::{Address, Attendee};

    use super::*;
    use crate::ics::{parse_ics, ExpansionWindow};

    fn sample() -> Vec<Event> {
        let at = |d, h| Utc.with_ymd_and_hms(2024, 5, d, h, 0, 0).unwrap();
        let single = Event {
            source_key: "gcal:x".to_owned(),
            uid: "kickoff@acme.com".to_owned(),
            recurrence_id: None,
            summary: "Kick-off; phase 1, room \\ B".to_owned(),
            description: "Agenda:\n1. intro\n2. plan".to_owned(),
            location: "Zürich".to_owned(),
            starts_at: at(6, 9),
            ends_at: at(6, 10),
            all_day: false,
            status: EventStatus::Tentative,
            attendees: vec![
                Attendee {
                    role: AttendeeRole::Organizer,
                    address: Address::parse("ada@example.org").unwrap(),
                    name: Some("Ada Lovelace".to_owned()),
                    response: ResponseStatus::Accepted,
                },
                Attendee {
                    role: AttendeeRole::Attendee,
                    address: Address::parse("grace@example.org").unwrap(),
                    name: Some("Grace, H.".to_owned()),
                    response: ResponseStatus::Declined,
                },
            ],
        };
        let occurrence = |day| Event {
            source_key: String::new(),
            uid: "weekly@acme.com".to_owned(),
            recurrence_id: Some(at(day, 8)),
            summary: "Weekly".to_owned(),
            description: String::new(),
            location: String::new(),
            starts_at: at(day, 8),
            ends_at: at(day, 9),
            all_day: false,
            status: EventStatus::Confirmed,
            attendees: Vec::new(),
        };
        let holiday = Event {
            source_key: String::new(),
            uid: "holiday".to_owned(),
            recurrence_id: None,
            summary: "Holiday".to_owned(),
            description: String::new(),
            location: String::new(),
            starts_at: at(20, 0),
            ends_at: at(22, 0),
            all_day: true,
            status: EventStatus::Confirmed,
            attendees: Vec::new(),
        };
        vec![single, occurrence(7), occurrence(14), holiday]
    }

    #[test]
    fn written_events_read_back_with_their_details_and_keys() {
        let events = sample();
        let mut text = header();
        for e in &events {
            text.push_str(&event(e));
        }
        text.push_str(&footer());
        let window = ExpansionWindow::around(Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0).unwrap());
        let outcome = parse_ics(&text, "export.ics", &window);
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        assert_eq!(
            outcome.events.len(),
            events.len(),
            "every occurrence comes back"
        );
        for original in &events {
            let read = outcome
                .events
                .iter()
                .find(|e| e.uid == original.uid && e.starts_at == original.starts_at)
                .unwrap_or_else(|| panic!("{} at {} is missing", original.uid, original.starts_at));
            assert_eq!(read.summary, original.summary);
            assert_eq!(read.description, original.description);
            assert_eq!(read.location, original.location);
            assert_eq!(read.ends_at, original.ends_at);
            assert_eq!(read.all_day, original.all_day);
            assert_eq!(read.status, original.status);
            assert_eq!(read.recurrence_id, original.recurrence_id);
            assert_eq!(read.attendees, original.attendees);
        }
    }
}
