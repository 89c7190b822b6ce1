//! Gmail v1 under `/gmail/v1/users/{userId}/…`: getProfile, labels.list/get,
//! messages.list/get, messages.attachments.get, threads.list/get and history.list.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};

use super::{check_user, Params};
use crate::errors::ApiError;
use crate::mailbox::{Change, HistoryRefusal, ListPage, ListRequest, Mailbox};
use crate::message::Format;
use crate::state::{Api, Shared, World};

/// Gmail's page sizes: default 100, at most 500.
const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 500;

fn mailbox<'a>(world: &'a World, email: &str) -> Result<&'a Mailbox, ApiError> {
    world
        .accounts
        .get(email)
        .map(|account| &account.mailbox)
        .ok_or_else(ApiError::not_found)
}

/// Whether the only Gmail scope granted is `gmail.metadata`, which forbids `q` and the
/// full and raw formats.
fn metadata_only(scope: &str) -> bool {
    let gmail: Vec<&str> = scope
        .split_whitespace()
        .filter(|s| s.contains("/auth/gmail.") || *s == "https://mail.google.com/")
        .collect();
    !gmail.is_empty() && gmail.iter().all(|s| s.ends_with("/auth/gmail.metadata"))
}

pub(super) async fn profile(
    State(shared): State<Shared>,
    Path(user_id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "gmail.users.getProfile", Api::Gmail)
        .await?;
    check_user(&user_id, &bearer.email)?;
    let world = shared.lock();
    Ok(Json(mailbox(&world, &bearer.email)?.profile()))
}

pub(super) async fn labels(
    State(shared): State<Shared>,
    Path(user_id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "gmail.users.labels.list", Api::Gmail)
        .await?;
    check_user(&user_id, &bearer.email)?;
    let world = shared.lock();
    Ok(Json(mailbox(&world, &bearer.email)?.labels()))
}

/// Reads the parameters `messages.list` and `threads.list` share.
fn list_request(params: &Params, scope: &str) -> Result<ListRequest, ApiError> {
    let mut request = ListRequest {
        label_ids: params
            .all("labelIds")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        include_spam_trash: params.flag("includeSpamTrash", false)?,
        page_size: params.page_size("maxResults", DEFAULT_PAGE, MAX_PAGE)?,
        page_token: params.get("pageToken").map(str::to_owned),
        ..ListRequest::default()
    };
    if let Some(search) = params.get("q") {
        if metadata_only(scope) {
            return Err(ApiError::insufficient_scope());
        }
        request
            .apply_search(search)
            .map_err(|message| ApiError::invalid_parameter("q", message))?;
    }
    Ok(request)
}

/// A list answer: `{messages|threads, nextPageToken, resultSizeEstimate}`, the list left
/// out when empty as Gmail does.
fn page_body(page: ListPage, key: &str) -> Value {
    let mut body = json!({ "resultSizeEstimate": page.result_size_estimate });
    if !page.items.is_empty() {
        body[key] = Value::Array(page.items);
    }
    if let Some(token) = page.next_page_token {
        body["nextPageToken"] = json!(token);
    }
    body
}

pub(super) async fn list(
    State(shared): State<Shared>,
    Path(user_id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "gmail.users.messages.list", Api::Gmail)
        .await?;
    check_user(&user_id, &bearer.email)?;
    let request = list_request(&Params::parse(query.as_deref()), &bearer.scope)?;
    let world = shared.lock();
    let page = mailbox(&world, &bearer.email)?
        .list(&request)
        .map_err(|message| ApiError::invalid_parameter("pageToken", message))?;
    Ok(Json(page_body(page, "messages")))
}

pub(super) async fn threads(
    State(shared): State<Shared>,
    Path(user_id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "gmail.users.threads.list", Api::Gmail)
        .await?;
    check_user(&user_id, &bearer.email)?;
    let request = list_request(&Params::parse(query.as_deref()), &bearer.scope)?;
    let world = shared.lock();
    let page = mailbox(&world, &bearer.email)?
        .list_threads(&request)
        .map_err(|message| ApiError::invalid_parameter("pageToken", message))?;
    Ok(Json(page_body(page, "threads")))
}

/// `format` of messages.get and threads.get (`raw` only for messages).
fn format(params: &Params, scope: &str, allow_raw: bool) -> Result<Format, ApiError> {
    let name = params.get("format").unwrap_or("full");
    let format = Format::parse(name)
        .filter(|format| allow_raw || *format != Format::Raw)
        .ok_or_else(|| {
            ApiError::invalid_parameter(
                "format",
                format!(
                    "Invalid format '{name}': minimal, metadata, full or raw (not for threads)"
                ),
            )
        })?;
    if matches!(format, Format::Full | Format::Raw) && metadata_only(scope) {
        return Err(ApiError::insufficient_scope());
    }
    Ok(format)
}

pub(super) async fn thread(
    State(shared): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "gmail.users.threads.get", Api::Gmail)
        .await?;
    check_user(&user_id, &bearer.email)?;
    let params = Params::parse(query.as_deref());
    let format = format(&params, &bearer.scope, false)?;
    let messages = {
        let world = shared.lock();
        mailbox(&world, &bearer.email)?.thread(&id)
    };
    if messages.is_empty() {
        return Err(ApiError::not_found());
    }
    let wanted = params.all("metadataHeaders");
    let history_id = messages.iter().map(|m| m.history_id).max().unwrap_or(0);
    Ok(Json(json!({
        "id": id,
        "historyId": history_id.to_string(),
        "messages": messages.iter().map(|m| m.render(format, &wanted)).collect::<Vec<_>>(),
    })))
}

pub(super) async fn label(
    State(shared): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "gmail.users.labels.get", Api::Gmail)
        .await?;
    check_user(&user_id, &bearer.email)?;
    let world = shared.lock();
    mailbox(&world, &bearer.email)?
        .label(&id)
        .map(Json)
        .ok_or_else(ApiError::not_found)
}

pub(super) async fn message(
    State(shared): State<Shared>,
    Path((user_id, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "gmail.users.messages.get", Api::Gmail)
        .await?;
    check_user(&user_id, &bearer.email)?;
    let params = Params::parse(query.as_deref());
    let format = format(&params, &bearer.scope, true)?;
    let wanted = params.all("metadataHeaders");
    let stored = {
        let world = shared.lock();
        mailbox(&world, &bearer.email)?
            .message(&id)
            .cloned()
            .ok_or_else(ApiError::not_found)?
    };
    Ok(Json(stored.render(format, &wanted)))
}

pub(super) async fn attachment(
    State(shared): State<Shared>,
    Path((user_id, message_id, id)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "gmail.users.messages.attachments.get", Api::Gmail)
        .await?;
    check_user(&user_id, &bearer.email)?;
    let stored = {
        let world = shared.lock();
        mailbox(&world, &bearer.email)?
            .message(&message_id)
            .cloned()
            .ok_or_else(ApiError::not_found)?
    };
    stored
        .attachment(&id)
        .map(Json)
        .ok_or_else(ApiError::not_found)
}

pub(super) async fn history(
    State(shared): State<Shared>,
    Path(user_id): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let bearer = shared
        .admit(&headers, "gmail.users.history.list", Api::Gmail)
        .await?;
    check_user(&user_id, &bearer.email)?;
    let params = Params::parse(query.as_deref());
    let start = params
        .get("startHistoryId")
        .ok_or_else(|| ApiError::required("startHistoryId"))?;
    let start: u64 = start.parse().map_err(|_| {
        ApiError::invalid_parameter(
            "startHistoryId",
            format!("Invalid startHistoryId '{start}': a history id from getProfile or a message"),
        )
    })?;
    let mut types = Vec::new();
    for name in params.all("historyTypes") {
        types.push(Change::parse(name).ok_or_else(|| {
            ApiError::invalid_parameter(
                "historyTypes",
                format!(
                    "Invalid historyTypes '{name}': messageAdded, messageDeleted, labelAdded \
                     or labelRemoved"
                ),
            )
        })?);
    }
    let page_size = params.page_size("maxResults", DEFAULT_PAGE, MAX_PAGE)?;
    let world = shared.lock();
    mailbox(&world, &bearer.email)?
        .history(
            start,
            &types,
            params.get("labelId"),
            page_size,
            params.get("pageToken"),
        )
        .map(Json)
        .map_err(|refusal| match refusal {
            HistoryRefusal::Expired => ApiError::not_found(),
            HistoryRefusal::BadPageToken => {
                ApiError::invalid_parameter("pageToken", "Invalid pageToken")
            }
        })
}
