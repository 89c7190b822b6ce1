//! Invitations carried by mail: the `text/calendar` parts of a message (iTIP, RFC 5546)
//! and what each does to the events already known. Pure: the parts arrive parsed (the
//! .ics reader in kindred-sources turns their text into [`Event`]s), and this module
//! decides which stored event an invitation is about and what the event becomes.
//!
//! - `REQUEST` (and `PUBLISH`, `ADD`, or no METHOD) creates the event or updates the one
//!   it is about; `CANCEL` marks it cancelled; `REPLY` changes the replying attendee's
//!   answer; other methods (`COUNTER`, `REFRESH`, `DECLINECOUNTER`) change nothing.
//! - An invitation is about a stored event with its UID (and the same occurrence of a
//!   series), or failing that one that is the same meeting seen from elsewhere: the same
//!   normalised title, a start within [`START_TOLERANCE`], and the same place (or no place
//!   on either side). That is how a meeting both in a synced calendar and in an invitation
//!   counts once.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::evidence::{AttendeeRole, Event, EventStatus, ResponseStatus};

/// How far apart two starts may be for the events to be one meeting: calendars round and
/// shift times (an "about 10:00" announcement, a slot moved by a few minutes).
pub const START_TOLERANCE: TimeDelta = TimeDelta::minutes(15);

/// What an invitation asks for: its calendar's METHOD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InviteMethod {
    /// A new or changed meeting (`REQUEST`, `PUBLISH`, `ADD`, or no METHOD at all).
    Request,
    /// The meeting (or some of its occurrences) is called off.
    Cancel,
    /// An attendee's answer.
    Reply,
    /// `COUNTER`, `REFRESH`, `DECLINECOUNTER`: kept, but they change no event.
    Other,
}

impl InviteMethod {
    /// Reads a METHOD value, case-insensitively; none means a plain calendar (`PUBLISH`).
    #[must_use]
    pub fn parse(method: Option<&str>) -> Self {
        match method.map(|m| m.trim().to_ascii_uppercase()).as_deref() {
            None | Some("REQUEST" | "PUBLISH" | "ADD" | "") => Self::Request,
            Some("CANCEL") => Self::Cancel,
            Some("REPLY") => Self::Reply,
            Some(_) => Self::Other,
        }
    }

    /// The stored representation.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Cancel => "cancel",
            Self::Reply => "reply",
            Self::Other => "other",
        }
    }

    /// The inverse of [`InviteMethod::as_str`]; unknown text reads as [`InviteMethod::Other`].
    #[must_use]
    pub fn from_stored(stored: &str) -> Self {
        match stored {
            "request" => Self::Request,
            "cancel" => Self::Cancel,
            "reply" => Self::Reply,
            _ => Self::Other,
        }
    }
}

/// One `text/calendar` part of a message: its text as sent and the events read from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub method: InviteMethod,
    /// The part's text, kept so the invitation can be read again.
    pub text: String,
    /// Its events (occurrences of a series expanded), in the order the reader gave them.
    pub events: Vec<Event>,
}

/// What applying an invitation's event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A new event: store it.
    Created(Event),
    /// The stored event it is about, as it is now (its `source_key` kept).
    Updated(Event),
}

impl Change {
    /// The event to store.
    #[must_use]
    pub fn event(&self) -> &Event {
        match self {
            Self::Created(event) | Self::Updated(event) => event,
        }
    }
}

/// A title as it compares across sources: lower case, words only, without the prefixes
/// calendars put before a title in mail ("Invitation:", "Updated invitation:",
/// "Canceled event:", "Accepted:", "Fwd:" …).
#[must_use]
pub fn normalise_title(title: &str) -> String {
    const PREFIXES: [&str; 14] = [
        "invitation:",
        "updated invitation:",
        "invitation updated:",
        "canceled event:",
        "cancelled event:",
        "canceled:",
        "cancelled:",
        "accepted:",
        "declined:",
        "tentative:",
        "tentatively accepted:",
        "re:",
        "fw:",
        "fwd:",
    ];
    let mut rest = title.trim().to_lowercase();
    while let Some(prefix) = PREFIXES.iter().find(|p| rest.starts_with(*p)) {
        rest = rest[prefix.len()..].trim_start().to_owned();
    }
    words(&rest)
}

/// The words of `text`, lower-cased, joined by single spaces; punctuation dropped.
fn words(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether `a` and `b` are one meeting seen from two places: the same UID and occurrence,
/// or the same normalised title, starts within [`START_TOLERANCE`] and the same location
/// (compared by its words; no location on one side matches any).
#[must_use]
pub fn same_event(a: &Event, b: &Event) -> bool {
    if !a.uid.is_empty() && a.uid == b.uid && a.recurrence_id == b.recurrence_id {
        return true;
    }
    let (place_a, place_b) = (words(&a.location), words(&b.location));
    normalise_title(&a.summary) == normalise_title(&b.summary)
        && (a.starts_at - b.starts_at).abs() <= START_TOLERANCE
        && (place_a.is_empty() || place_b.is_empty() || place_a == place_b)
}

/// What `incoming`, an event of an invitation with `method`, does to `existing`, the
/// stored event it is about (see [`same_event`]), if any. A cancellation of an unknown
/// event is stored as a cancelled event, so the person sees it was called off. `None`
/// when nothing changes: a reply about an unknown event, a method that changes no event,
/// or an invitation that repeats what is known.
#[must_use]
pub fn apply(method: InviteMethod, existing: Option<&Event>, incoming: &Event) -> Option<Change> {
    match (method, existing) {
        (InviteMethod::Request, None) => Some(Change::Created(incoming.clone())),
        (InviteMethod::Cancel, None) => Some(Change::Created(Event {
            status: EventStatus::Cancelled,
            ..incoming.clone()
        })),
        (InviteMethod::Reply | InviteMethod::Other, None) | (InviteMethod::Other, Some(_)) => None,
        (InviteMethod::Request, Some(existing)) => {
            changed(existing, merge_request(existing, incoming))
        }
        (InviteMethod::Cancel, Some(existing)) => changed(
            existing,
            Event {
                status: EventStatus::Cancelled,
                ..existing.clone()
            },
        ),
        (InviteMethod::Reply, Some(existing)) => changed(existing, merge_reply(existing, incoming)),
    }
}

fn changed(existing: &Event, merged: Event) -> Option<Change> {
    (merged != *existing).then_some(Change::Updated(merged))
}

/// An update of `existing`: what the invitation says wins, except that the event keeps
/// its identity (source key, UID, occurrence), what the invitation leaves empty is kept,
/// and an attendee's known answer is kept when the invitation only asks again.
fn merge_request(existing: &Event, incoming: &Event) -> Event {
    let keep_if_empty = |new: &str, old: &str| {
        if new.trim().is_empty() {
            old.to_owned()
        } else {
            new.to_owned()
        }
    };
    let attendees = incoming
        .attendees
        .iter()
        .map(|attendee| {
            let known = existing
                .attendees
                .iter()
                .find(|a| a.address == attendee.address && a.role == attendee.role);
            let mut attendee = attendee.clone();
            if let Some(known) = known {
                if matches!(
                    attendee.response,
                    ResponseStatus::NeedsAction | ResponseStatus::Unknown
                ) {
                    attendee.response = known.response;
                }
                if attendee.name.is_none() {
                    attendee.name.clone_from(&known.name);
                }
            }
            attendee
        })
        .collect();
    Event {
        source_key: existing.source_key.clone(),
        uid: existing.uid.clone(),
        recurrence_id: existing.recurrence_id,
        summary: keep_if_empty(&incoming.summary, &existing.summary),
        description: keep_if_empty(&incoming.description, &existing.description),
        location: keep_if_empty(&incoming.location, &existing.location),
        starts_at: incoming.starts_at,
        ends_at: incoming.ends_at,
        all_day: incoming.all_day,
        status: incoming.status,
        attendees: if incoming.attendees.is_empty() {
            existing.attendees.clone()
        } else {
            attendees
        },
    }
}

/// `existing` with the answers of the reply's attendees (an organizer in a reply is the
/// one asked, not one answering).
fn merge_reply(existing: &Event, reply: &Event) -> Event {
    let mut merged = existing.clone();
    for answer in reply
        .attendees
        .iter()
        .filter(|a| a.role == AttendeeRole::Attendee)
    {
        match merged
            .attendees
            .iter_mut()
            .find(|a| a.address == answer.address && a.role == AttendeeRole::Attendee)
        {
            Some(attendee) => {
                attendee.response = answer.response;
                if attendee.name.is_none() {
                    attendee.name.clone_from(&answer.name);
                }
            }
            None => merged.attendees.push(answer.clone()),
        }
    }
    merged
}
