//! One account's calendars and their events, with the change sequence that sync tokens
//! point into, and the queries `calendarList.list` and `events.list` answer from.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::errors::ApiError;
use crate::event::{FakeAttendee, FakeEvent, FakeEventStatus};
use crate::paging;

/// Every calendar's time zone; the fake keeps times as written, so this is only reported.
const TIME_ZONE: &str = "UTC";

#[derive(Debug, Clone)]
struct StoredEvent {
    id: String,
    event: FakeEvent,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
    sequence: u32,
    /// The account-wide change number of its last change; sync tokens compare against it.
    change: u64,
}

#[derive(Debug)]
struct Calendar {
    summary: String,
    primary: bool,
    events: BTreeMap<String, StoredEvent>,
}

/// `orderBy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrderBy {
    StartTime,
    Updated,
}

/// An `events.list` request, parsed.
#[derive(Debug, Default)]
pub(crate) struct EventsRequest {
    pub time_min: Option<DateTime<Utc>>,
    pub time_max: Option<DateTime<Utc>>,
    pub updated_min: Option<DateTime<Utc>>,
    pub show_deleted: bool,
    pub order_by: Option<OrderBy>,
    pub page_size: usize,
    pub page_token: Option<String>,
    pub sync_token: Option<String>,
}

/// Where a listing stands, carried by its page tokens.
#[derive(Debug, Serialize, Deserialize)]
struct Position {
    calendar: String,
    /// The sync token's change number, for an incremental listing.
    since: Option<u64>,
    /// The change number when the listing's first page was served: the next sync token.
    snapshot: u64,
    order_by_updated: bool,
    key: i64,
    id: String,
}

/// A sync token: the calendar and the change number it was issued at.
#[derive(Debug, Serialize, Deserialize)]
struct SyncPoint {
    calendar: String,
    change: u64,
}

/// One account's calendars.
#[derive(Debug)]
pub(crate) struct Calendars {
    owner: String,
    calendars: BTreeMap<String, Calendar>,
    change: u64,
    /// Sync tokens issued below this change number are expired.
    sync_floor: u64,
    events_made: u64,
}

impl Calendars {
    /// The account's calendars: its primary one, whose id is the address.
    pub(crate) fn new(owner: &str) -> Self {
        let mut calendars = BTreeMap::new();
        calendars.insert(
            owner.to_owned(),
            Calendar {
                summary: owner.to_owned(),
                primary: true,
                events: BTreeMap::new(),
            },
        );
        Self {
            owner: owner.to_owned(),
            calendars,
            change: 1,
            sync_floor: 0,
            events_made: 0,
        }
    }

    /// `primary` means the owner's calendar.
    fn resolve<'a>(&'a self, calendar_id: &'a str) -> &'a str {
        if calendar_id == "primary" {
            &self.owner
        } else {
            calendar_id
        }
    }

    pub(crate) fn add_calendar(&mut self, calendar_id: &str, summary: &str) {
        self.calendars
            .entry(calendar_id.to_owned())
            .or_insert_with(|| Calendar {
                summary: summary.to_owned(),
                primary: false,
                events: BTreeMap::new(),
            });
    }

    fn calendar_mut(&mut self, calendar_id: &str) -> &mut Calendar {
        let owner = self.owner.clone();
        let id = self.resolve(calendar_id).to_owned();
        self.calendars
            .get_mut(&id)
            .unwrap_or_else(|| panic!("{owner} has no calendar {id}; add it with add_calendar"))
    }

    /// A new event id: lowercase hex, inside Google's base32hex alphabet.
    fn new_event_id(&mut self, calendar_id: &str) -> String {
        self.events_made += 1;
        let seed = format!("{}|{calendar_id}|{}", self.owner, self.events_made);
        hex_digest(&seed)[..26].to_owned()
    }

    /// Stores `event` under `id` (a new one when `None`), as a change; returns the id.
    pub(crate) fn put_event(
        &mut self,
        calendar_id: &str,
        id: Option<String>,
        event: FakeEvent,
    ) -> String {
        let id = id.unwrap_or_else(|| self.new_event_id(calendar_id));
        self.change += 1;
        let change = self.change;
        let now = Utc::now();
        let calendar = self.calendar_mut(calendar_id);
        match calendar.events.get_mut(&id) {
            Some(stored) => {
                stored.event = event;
                stored.updated = now;
                stored.sequence += 1;
                stored.change = change;
            }
            None => {
                calendar.events.insert(
                    id.clone(),
                    StoredEvent {
                        id: id.clone(),
                        event,
                        created: now,
                        updated: now,
                        sequence: 0,
                        change,
                    },
                );
            }
        }
        id
    }

    /// Replaces an existing event; panics when there is none, which is a test's mistake.
    pub(crate) fn update_event(&mut self, calendar_id: &str, event_id: &str, event: FakeEvent) {
        assert!(
            self.calendar_mut(calendar_id).events.contains_key(event_id),
            "{} has no event {event_id} in calendar {calendar_id}",
            self.owner
        );
        self.put_event(calendar_id, Some(event_id.to_owned()), event);
    }

    /// Marks an event cancelled, which incremental sync then reports.
    pub(crate) fn cancel_event(&mut self, calendar_id: &str, event_id: &str) {
        let owner = self.owner.clone();
        let mut event = self
            .calendar_mut(calendar_id)
            .events
            .get(event_id)
            .unwrap_or_else(|| panic!("{owner} has no event {event_id} in calendar {calendar_id}"))
            .event
            .clone();
        event.status = FakeEventStatus::Cancelled;
        self.put_event(calendar_id, Some(event_id.to_owned()), event);
    }

    pub(crate) fn event_ids(&self, calendar_id: &str) -> std::collections::BTreeSet<String> {
        self.calendars
            .get(self.resolve(calendar_id))
            .map(|calendar| calendar.events.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Every sync token issued so far becomes expired; tokens issued later work.
    pub(crate) fn expire_sync_tokens(&mut self) {
        self.sync_floor = self.change + 1;
        self.change = self.sync_floor;
    }

    /// `calendarList.list`: the primary calendar first, then by id.
    pub(crate) fn calendar_list(
        &self,
        page_size: usize,
        page_token: Option<&str>,
    ) -> Result<Value, ApiError> {
        let skip = match page_token {
            Some(token) => paging::decode_number(token)
                .ok_or_else(|| ApiError::invalid_parameter("pageToken", "Invalid page token."))?,
            None => 0,
        };
        let mut entries: Vec<(&String, &Calendar)> = self.calendars.iter().collect();
        entries.sort_by_key(|(id, calendar)| (!calendar.primary, (*id).clone()));
        let skip = usize::try_from(skip).unwrap_or(usize::MAX);
        let items: Vec<Value> = entries
            .iter()
            .skip(skip)
            .take(page_size)
            .map(|(id, calendar)| {
                let mut entry = json!({
                    "kind": "calendar#calendarListEntry",
                    "etag": format!("\"{}\"", calendar.events.len()),
                    "id": id,
                    "summary": calendar.summary,
                    "timeZone": TIME_ZONE,
                    "accessRole": "owner",
                    "selected": true,
                    "defaultReminders": [],
                });
                if calendar.primary {
                    entry["primary"] = json!(true);
                }
                entry
            })
            .collect();
        let mut body =
            json!({ "kind": "calendar#calendarList", "etag": "\"fake\"", "items": items });
        if skip + page_size < entries.len() {
            body["nextPageToken"] = json!(paging::encode_number((skip + page_size) as u64));
        }
        Ok(body)
    }

    /// `calendars.get` and `calendarList.get`.
    pub(crate) fn calendar(&self, calendar_id: &str) -> Option<Value> {
        let id = self.resolve(calendar_id);
        let calendar = self.calendars.get(id)?;
        Some(json!({
            "kind": "calendar#calendar",
            "etag": "\"fake\"",
            "id": id,
            "summary": calendar.summary,
            "timeZone": TIME_ZONE,
        }))
    }

    /// `events.get`: the full event, cancelled ones included.
    pub(crate) fn event(&self, calendar_id: &str, event_id: &str) -> Option<Value> {
        let calendar = self.calendars.get(self.resolve(calendar_id))?;
        let stored = calendar.events.get(event_id)?;
        Some(self.event_json(stored, false))
    }

    /// `events.list`, full or incremental (`sync_token`).
    pub(crate) fn list_events(
        &self,
        calendar_id: &str,
        request: &EventsRequest,
    ) -> Result<Value, ApiError> {
        let id = self.resolve(calendar_id).to_owned();
        let calendar = self.calendars.get(&id).ok_or_else(ApiError::not_found)?;
        let position = match &request.page_token {
            Some(token) => Some(
                paging::decode_json::<Position>(token)
                    .filter(|position| position.calendar == id)
                    .ok_or_else(|| {
                        ApiError::invalid_parameter("pageToken", "Invalid page token.")
                    })?,
            ),
            None => None,
        };
        let since = match (&position, &request.sync_token) {
            (Some(position), _) => position.since,
            (None, Some(token)) => {
                let point = paging::decode_json::<SyncPoint>(token)
                    .filter(|point| point.calendar == id)
                    .ok_or_else(|| {
                        ApiError::invalid_parameter("syncToken", "Invalid sync token.")
                    })?;
                Some(point.change)
            }
            (None, None) => None,
        };
        if since.is_some_and(|since| since < self.sync_floor) {
            return Err(ApiError::full_sync_required());
        }
        let snapshot = position.as_ref().map_or(self.change, |p| p.snapshot);
        let by_updated = position
            .as_ref()
            .map_or(request.order_by == Some(OrderBy::Updated), |p| {
                p.order_by_updated
            });
        let key = |stored: &StoredEvent| -> i64 {
            if since.is_some() {
                i64::try_from(stored.change).unwrap_or(i64::MAX)
            } else if by_updated {
                stored.updated.timestamp_millis()
            } else {
                stored.event.start.instant().timestamp_millis()
            }
        };
        let mut chosen: Vec<(i64, &StoredEvent)> = calendar
            .events
            .values()
            .filter(|stored| match since {
                Some(since) => stored.change > since,
                None => {
                    let event = &stored.event;
                    (request.show_deleted || event.status != FakeEventStatus::Cancelled)
                        && request.time_min.is_none_or(|min| event.end.instant() > min)
                        && request
                            .time_max
                            .is_none_or(|max| event.start.instant() < max)
                        && request.updated_min.is_none_or(|min| stored.updated >= min)
                }
            })
            .map(|stored| (key(stored), stored))
            .filter(|(key, stored)| {
                position
                    .as_ref()
                    .is_none_or(|p| (*key, stored.id.as_str()) > (p.key, p.id.as_str()))
            })
            .collect();
        chosen.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
        let more = chosen.len() > request.page_size;
        chosen.truncate(request.page_size);
        let items: Vec<Value> = chosen
            .iter()
            .map(|(_, stored)| self.event_json(stored, true))
            .collect();
        let mut body = json!({
            "kind": "calendar#events",
            "etag": format!("\"{snapshot}\""),
            "summary": calendar.summary,
            "updated": stamp(Utc::now()),
            "timeZone": TIME_ZONE,
            "accessRole": "owner",
            "defaultReminders": [],
            "items": items,
        });
        match chosen.last() {
            Some((key, stored)) if more => {
                body["nextPageToken"] = json!(paging::encode_json(&Position {
                    calendar: id.clone(),
                    since,
                    snapshot,
                    order_by_updated: by_updated,
                    key: *key,
                    id: stored.id.clone(),
                }));
            }
            _ => {
                body["nextSyncToken"] = json!(paging::encode_json(&SyncPoint {
                    calendar: id.clone(),
                    change: snapshot,
                }));
            }
        }
        Ok(body)
    }

    /// Calendar's `Event`. In a listing a cancelled event is only its id and status, as
    /// Google answers for deleted events.
    fn event_json(&self, stored: &StoredEvent, listing: bool) -> Value {
        let event = &stored.event;
        let mut json = json!({
            "kind": "calendar#event",
            "etag": format!("\"{}\"", stored.change),
            "id": stored.id,
            "status": event.status.as_str(),
        });
        if let Some((series, original_start)) = &event.recurrence {
            json["recurringEventId"] = json!(series);
            json["originalStartTime"] = original_start.to_json();
        }
        if listing && event.status == FakeEventStatus::Cancelled {
            return json;
        }
        json["created"] = json!(stamp(stored.created));
        json["updated"] = json!(stamp(stored.updated));
        json["summary"] = json!(event.summary);
        if !event.description.is_empty() {
            json["description"] = json!(event.description);
        }
        if !event.location.is_empty() {
            json["location"] = json!(event.location);
        }
        let organizer = event
            .organizer
            .clone()
            .unwrap_or_else(|| FakeAttendee::new(&self.owner, crate::FakeResponseStatus::Accepted));
        json["creator"] = self.person_json(&organizer);
        json["organizer"] = self.person_json(&organizer);
        json["start"] = event.start.to_json();
        json["end"] = event.end.to_json();
        json["iCalUID"] = json!(event
            .ical_uid
            .clone()
            .unwrap_or_else(|| format!("{}@google.com", stored.id)));
        json["sequence"] = json!(stored.sequence);
        json["eventType"] = json!("default");
        if !event.attendees.is_empty() {
            json["attendees"] = event
                .attendees
                .iter()
                .map(|attendee| {
                    let mut person = self.person_json(attendee);
                    person["responseStatus"] = json!(attendee.response_status.as_str());
                    if attendee.email.eq_ignore_ascii_case(&organizer.email) {
                        person["organizer"] = json!(true);
                    }
                    person
                })
                .collect();
        }
        json
    }

    fn person_json(&self, person: &FakeAttendee) -> Value {
        let mut json = json!({ "email": person.email });
        if let Some(name) = &person.display_name {
            json["displayName"] = json!(name);
        }
        if person.email.eq_ignore_ascii_case(&self.owner) {
            json["self"] = json!(true);
        }
        json
    }
}

/// RFC 3339 in UTC with milliseconds, as Calendar writes `created` and `updated`.
fn stamp(moment: DateTime<Utc>) -> String {
    moment.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Lowercase hex SHA-256 of `text`.
pub(crate) fn hex_digest(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
