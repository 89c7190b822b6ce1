//! Calendar sync for one account: every calendar of `calendarList`, its events over the
//! window with recurrences expanded (`singleEvents=true`), each page committed with the
//! next page token; the last page's `nextSyncToken` makes later runs incremental, where
//! cancelled events are deleted. An expired sync token (410) clears that calendar and
//! syncs it afresh.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use kindred_core::{Address, Attendee, AttendeeRole, Event, EventStatus, ResponseStatus};
use kindred_store::sync::{calendar_source, CalendarItem, SyncPhase, SyncState};
use serde::Deserialize;
use url::Url;

use crate::error::GoogleError;
use crate::quota::cost;
use crate::sync::{AccountSync, SyncStage};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CalendarList {
    #[serde(default)]
    items: Vec<CalendarEntry>,
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
struct CalendarEntry {
    id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Events {
    #[serde(default)]
    items: Vec<GoogleEvent>,
    next_page_token: Option<String>,
    next_sync_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GoogleEvent {
    id: String,
    status: Option<String>,
    #[serde(rename = "iCalUID")]
    ical_uid: Option<String>,
    summary: Option<String>,
    description: Option<String>,
    location: Option<String>,
    start: Option<EventTime>,
    end: Option<EventTime>,
    original_start_time: Option<EventTime>,
    organizer: Option<GooglePerson>,
    #[serde(default)]
    attendees: Vec<GoogleAttendee>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventTime {
    date: Option<String>,
    date_time: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GooglePerson {
    email: Option<String>,
    display_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GoogleAttendee {
    email: Option<String>,
    display_name: Option<String>,
    response_status: Option<String>,
    #[serde(default)]
    organizer: bool,
}

impl EventTime {
    /// The instant, and whether it is an all-day date (taken at midnight UTC).
    fn instant(&self) -> Option<(DateTime<Utc>, bool)> {
        if let Some(text) = &self.date_time {
            return DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| (t.with_timezone(&Utc), false));
        }
        let date = NaiveDate::parse_from_str(self.date.as_deref()?, "%Y-%m-%d").ok()?;
        Some((date.and_hms_opt(0, 0, 0)?.and_utc(), true))
    }
}

fn calendar_url(base: &Url, path: &str) -> Result<Url, GoogleError> {
    let text = format!("{}/{path}", base.as_str().trim_end_matches('/'));
    Url::parse(&text)
        .map_err(|error| GoogleError::Config(format!("bad Calendar URL {text}: {error}")))
}

/// A path segment with `/`, `@`, `#` and the like escaped (calendar ids are addresses).
fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// Brings every calendar of the account up to date.
pub(crate) async fn sync(sync: &AccountSync<'_>) -> Result<(), GoogleError> {
    let calendars = calendar_ids(sync).await?;
    let meter = sync.meter(0);
    let total = calendars.len() as u64;
    for (index, calendar_id) in calendars.iter().enumerate() {
        sync_calendar(sync, calendar_id).await?;
        sync.report(
            SyncStage::FetchingCalendar,
            &meter,
            index as u64 + 1,
            Some(total),
        );
    }
    Ok(())
}

async fn calendar_ids(sync: &AccountSync<'_>) -> Result<Vec<String>, GoogleError> {
    let mut ids = Vec::new();
    let mut page_token: Option<String> = None;
    loop {
        let mut url = calendar_url(&sync.google.endpoints.calendar_url, "users/me/calendarList")?;
        if let Some(token) = &page_token {
            url.query_pairs_mut().append_pair("pageToken", token);
        }
        let page: CalendarList = sync
            .calendar
            .get(&url, cost::CALENDAR_REQUEST, "listing calendars")
            .await?;
        ids.extend(page.items.into_iter().map(|c| c.id));
        match page.next_page_token {
            Some(token) => page_token = Some(token),
            None => return Ok(ids),
        }
    }
}

async fn sync_calendar(sync: &AccountSync<'_>, calendar_id: &str) -> Result<(), GoogleError> {
    let source = calendar_source(calendar_id);
    let account_id = sync.account.id;
    let window_start = sync
        .account
        .window_days
        .map(|days| (sync.now - chrono::Duration::days(i64::from(days))).timestamp_millis());
    let mut state = sync
        .store
        .sync_state(account_id, &source)
        .await?
        .unwrap_or(SyncState {
            phase: SyncPhase::Listing,
            cursor: None,
            page_token: None,
            window_start,
        });
    loop {
        match pages(sync, calendar_id, &state).await {
            Ok(()) => return Ok(()),
            Err(error) if error.is_gone() && state.phase == SyncPhase::Incremental => {
                tracing::info!("a calendar's sync token expired; syncing it afresh");
                let deleted = sync.store.clear_calendar(account_id, calendar_id).await?;
                sync.add(kindred_store::sync::SyncCounts {
                    events_deleted: deleted,
                    ..Default::default()
                });
                state = SyncState {
                    phase: SyncPhase::Listing,
                    cursor: None,
                    page_token: None,
                    window_start: state.window_start,
                };
            }
            Err(error) => return Err(error),
        }
    }
}

/// Reads the pages of one calendar from where `state` stands, committing each.
async fn pages(
    sync: &AccountSync<'_>,
    calendar_id: &str,
    state: &SyncState,
) -> Result<(), GoogleError> {
    let incremental = state.phase == SyncPhase::Incremental;
    let mut page_token = state.page_token.clone();
    loop {
        let mut url = calendar_url(
            &sync.google.endpoints.calendar_url,
            &format!("calendars/{}/events", segment(calendar_id)),
        )?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("singleEvents", "true");
            query.append_pair("maxResults", "2500");
            match (&state.cursor, incremental) {
                (Some(token), true) => {
                    query.append_pair("syncToken", token);
                }
                _ => {
                    if let Some(start) =
                        state.window_start.and_then(DateTime::from_timestamp_millis)
                    {
                        query.append_pair(
                            "timeMin",
                            &start.to_rfc3339_opts(SecondsFormat::Secs, true),
                        );
                    }
                }
            }
            if let Some(token) = &page_token {
                query.append_pair("pageToken", token);
            }
        }
        let page: Events = sync
            .calendar
            .get(&url, cost::CALENDAR_REQUEST, "fetching calendar events")
            .await?;
        let mut items = Vec::new();
        let mut cancelled = Vec::new();
        for event in page.items {
            if event.status.as_deref() == Some("cancelled") {
                cancelled.push(event.id);
            } else if let Some(item) = convert(event) {
                items.push(item);
            }
        }
        let next = match (&page.next_page_token, page.next_sync_token) {
            (Some(token), _) => SyncState {
                page_token: Some(token.clone()),
                ..state.clone()
            },
            (None, cursor) => SyncState {
                phase: SyncPhase::Incremental,
                cursor: cursor.or_else(|| state.cursor.clone()),
                page_token: None,
                window_start: state.window_start,
            },
        };
        let counts = sync
            .store
            .write_calendar_page(sync.account.id, calendar_id, &items, &cancelled, &next)
            .await?;
        sync.add(counts);
        if page.next_page_token.is_none() {
            return Ok(());
        }
        page_token = next.page_token;
    }
}

/// A Google event as Kindred's normalised event; `None` without a usable time.
fn convert(event: GoogleEvent) -> Option<CalendarItem> {
    let (starts_at, all_day) = event.start.as_ref()?.instant()?;
    let ends_at = event
        .end
        .as_ref()
        .and_then(EventTime::instant)
        .map_or(starts_at, |(end, _)| end)
        .max(starts_at);
    let original = event
        .original_start_time
        .as_ref()
        .and_then(EventTime::instant);
    let uid = event.ical_uid.clone().unwrap_or_else(|| event.id.clone());
    // Keyed by the series and the occurrence's original start, which moving an
    // occurrence does not change; a single event by its UID alone.
    let source_key = match original {
        Some((at, _)) => format!("google:{uid}@{}", at.to_rfc3339()),
        None => format!("google:{uid}"),
    };
    let mut attendees: Vec<Attendee> = event
        .attendees
        .iter()
        .filter_map(|a| {
            Some(Attendee {
                role: if a.organizer {
                    AttendeeRole::Organizer
                } else {
                    AttendeeRole::Attendee
                },
                address: Address::parse(a.email.as_deref()?).ok()?,
                name: a.display_name.clone(),
                response: a
                    .response_status
                    .as_deref()
                    .map_or(ResponseStatus::Unknown, ResponseStatus::parse),
            })
        })
        .collect();
    if let Some(organizer) = &event.organizer {
        let address = organizer
            .email
            .as_deref()
            .and_then(|e| Address::parse(e).ok());
        if let Some(address) = address {
            if !attendees
                .iter()
                .any(|a| a.role == AttendeeRole::Organizer && a.address == address)
            {
                attendees.push(Attendee {
                    role: AttendeeRole::Organizer,
                    address,
                    name: organizer.display_name.clone(),
                    response: ResponseStatus::Accepted,
                });
            }
        }
    }
    Some(CalendarItem {
        google_event_id: event.id,
        event: Event {
            source_key,
            uid,
            recurrence_id: original.map(|(at, _)| at),
            summary: event.summary.unwrap_or_default(),
            description: event.description.unwrap_or_default(),
            location: event.location.unwrap_or_default(),
            starts_at,
            ends_at,
            all_day,
            status: match event.status.as_deref() {
                Some("tentative") => EventStatus::Tentative,
                _ => EventStatus::Confirmed,
            },
            attendees,
        },
    })
}
