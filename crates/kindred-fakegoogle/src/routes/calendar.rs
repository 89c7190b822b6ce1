//! Calendar v3 under `/calendar/v3`: calendarList.list/get, calendars.get, events.list
//! (full and incremental) and events.get.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{check_user, Params};
use crate::calendar::{Calendars, EventsRequest, OrderBy};
use crate::errors::ApiError;
use crate::state::{Api, Shared, World};

/// Parameters that may not accompany a `syncToken`.
const NOT_WITH_SYNC_TOKEN: [&str; 8] = [
    "iCalUID",
    "orderBy",
    "privateExtendedProperty",
    "q",
    "sharedExtendedProperty",
    "timeMin",
    "timeMax",
    "updatedMin",
];

fn calendars<'a>(world: &'a World, email: &str) -> Result<&'a Calendars, ApiError> {
    world
        .accounts
        .get(email)
        .map(|account| &account.calendars)
        .ok_or_else(ApiError::not_found)
}

fn time(params: &Params, name: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    params
        .get(name)
        .map(|value| {
            DateTime::parse_from_rfc3339(value)
                .map(|moment| moment.with_timezone(&Utc))
                .map_err(|_| {
                    ApiError::invalid_parameter(
                        name,
                        format!("Invalid {name} '{value}': RFC 3339 with an offset, such as 2026-01-01T00:00:00Z"),
                    )
                })
        })
        .transpose()
}

pub(super) async fn calendar_list(
    State(shared): State<Shared>,
    Path(user_id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "calendar.calendarList.list", Api::Calendar)
        .await?;
    check_user(&user_id, &bearer.email)?;
    let params = Params::parse(query.as_deref());
    let page_size = params.page_size("maxResults", 100, 250)?;
    let world = shared.lock();
    calendars(&world, &bearer.email)?
        .calendar_list(page_size, params.get("pageToken"))
        .map(Json)
}

pub(super) async fn calendar_list_entry(
    State(shared): State<Shared>,
    Path((user_id, calendar_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "calendar.calendarList.get", Api::Calendar)
        .await?;
    check_user(&user_id, &bearer.email)?;
    let world = shared.lock();
    calendars(&world, &bearer.email)?
        .calendar(&calendar_id)
        .map(Json)
        .ok_or_else(ApiError::not_found)
}

pub(super) async fn calendar(
    State(shared): State<Shared>,
    Path(calendar_id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "calendar.calendars.get", Api::Calendar)
        .await?;
    let world = shared.lock();
    calendars(&world, &bearer.email)?
        .calendar(&calendar_id)
        .map(Json)
        .ok_or_else(ApiError::not_found)
}

pub(super) async fn events(
    State(shared): State<Shared>,
    Path(calendar_id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "calendar.events.list", Api::Calendar)
        .await?;
    let params = Params::parse(query.as_deref());
    let sync_token = params.get("syncToken").map(str::to_owned);
    if sync_token.is_some() {
        if let Some(conflict) = NOT_WITH_SYNC_TOKEN.iter().find(|name| params.has(name)) {
            return Err(ApiError::invalid_parameter(
                "syncToken",
                format!("syncToken cannot be combined with {conflict}; drop {conflict} or the sync token"),
            ));
        }
    }
    let single_events = params.flag("singleEvents", false)?;
    let order_by = match params.get("orderBy") {
        None => None,
        Some("startTime") if single_events => Some(OrderBy::StartTime),
        Some("startTime") => {
            return Err(ApiError::invalid_parameter(
                "orderBy",
                "orderBy=startTime needs singleEvents=true",
            ))
        }
        Some("updated") => Some(OrderBy::Updated),
        Some(other) => {
            return Err(ApiError::invalid_parameter(
                "orderBy",
                format!("Invalid orderBy '{other}': startTime or updated"),
            ))
        }
    };
    let request = EventsRequest {
        time_min: time(&params, "timeMin")?,
        time_max: time(&params, "timeMax")?,
        updated_min: time(&params, "updatedMin")?,
        show_deleted: params.flag("showDeleted", false)?,
        order_by,
        page_size: params.page_size("maxResults", 250, 2500)?,
        page_token: params.get("pageToken").map(str::to_owned),
        sync_token,
    };
    if let (Some(min), Some(max)) = (request.time_min, request.time_max) {
        if max <= min {
            return Err(ApiError::time_range_empty());
        }
    }
    let world = shared.lock();
    calendars(&world, &bearer.email)?
        .list_events(&calendar_id, &request)
        .map(Json)
}

pub(super) async fn event(
    State(shared): State<Shared>,
    Path((calendar_id, event_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "calendar.events.get", Api::Calendar)
        .await?;
    let world = shared.lock();
    calendars(&world, &bearer.email)?
        .event(&calendar_id, &event_id)
        .map(Json)
        .ok_or_else(ApiError::not_found)
}
