//! [`FakeEvent`], the calendar event a test hands the fake: the fields of Calendar v3's
//! `Event` that Kindred reads, written as Rust values.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

/// An event's start or end: Calendar's `EventDateTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventTime {
    /// `dateTime`: a moment with the offset it was written in.
    DateTime(DateTime<FixedOffset>),
    /// `date`: an all-day event's day (the end is the day after the last one).
    Date(NaiveDate),
}

impl EventTime {
    /// The moment, an all-day date counting from midnight UTC.
    #[must_use]
    pub fn instant(&self) -> DateTime<Utc> {
        match self {
            Self::DateTime(moment) => moment.with_timezone(&Utc),
            Self::Date(day) => Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default()),
        }
    }

    /// Calendar's JSON: `{"dateTime": RFC 3339}` or `{"date": "yyyy-mm-dd"}`.
    pub(crate) fn to_json(self) -> serde_json::Value {
        match self {
            Self::DateTime(moment) => serde_json::json!({
                "dateTime": moment.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            }),
            Self::Date(day) => serde_json::json!({ "date": day.format("%Y-%m-%d").to_string() }),
        }
    }
}

/// An event's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FakeEventStatus {
    #[default]
    Confirmed,
    Tentative,
    Cancelled,
}

impl FakeEventStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Tentative => "tentative",
            Self::Cancelled => "cancelled",
        }
    }
}

/// An attendee's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FakeResponseStatus {
    #[default]
    NeedsAction,
    Declined,
    Tentative,
    Accepted,
}

impl FakeResponseStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NeedsAction => "needsAction",
            Self::Declined => "declined",
            Self::Tentative => "tentative",
            Self::Accepted => "accepted",
        }
    }
}

/// An attendee or organizer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeAttendee {
    pub email: String,
    pub display_name: Option<String>,
    pub response_status: FakeResponseStatus,
}

impl FakeAttendee {
    #[must_use]
    pub fn new(email: &str, response_status: FakeResponseStatus) -> Self {
        Self {
            email: email.to_owned(),
            display_name: None,
            response_status,
        }
    }
}

/// A single event (or one instance of a recurring one) as the fake stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeEvent {
    pub summary: String,
    pub description: String,
    pub location: String,
    pub start: EventTime,
    pub end: EventTime,
    pub attendees: Vec<FakeAttendee>,
    /// `None`: the calendar's owner organises it.
    pub organizer: Option<FakeAttendee>,
    pub status: FakeEventStatus,
    /// `None`: `{id}@google.com`, as Google makes for events created in Calendar.
    pub ical_uid: Option<String>,
    /// For an instance of a recurring event: the series' event id and this instance's
    /// original start (`recurringEventId`, `originalStartTime`).
    pub recurrence: Option<(String, EventTime)>,
}

impl FakeEvent {
    /// A confirmed event with no attendees, description or location.
    #[must_use]
    pub fn new(summary: &str, start: EventTime, end: EventTime) -> Self {
        Self {
            summary: summary.to_owned(),
            description: String::new(),
            location: String::new(),
            start,
            end,
            attendees: Vec::new(),
            organizer: None,
            status: FakeEventStatus::Confirmed,
            ical_uid: None,
            recurrence: None,
        }
    }
}
