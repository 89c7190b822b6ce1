//! The HTTP surface: which path goes to which handler, and the query-string reading the
//! handlers share. OAuth, Gmail and Calendar live beside each other on one port, as
//! `env()` tells clients.

mod batch;
mod calendar;
mod gmail;
mod oauth;

use axum::routing::{get, post};
use axum::Router;

use crate::errors::ApiError;
use crate::state::Shared;

/// The fake's routes. Batch requests are answered by sending each part through the
/// other routes, so a part is authenticated, faulted and charged like a lone call.
pub(crate) fn app(shared: Shared) -> Router {
    let api = Router::new()
        .route("/o/oauth2/v2/auth", get(oauth::authorize))
        .route("/o/oauth2/auth", get(oauth::authorize))
        .route("/token", post(oauth::token))
        .route("/o/oauth2/token", post(oauth::token))
        .route("/revoke", post(oauth::revoke).get(not_found))
        .route("/o/oauth2/revoke", post(oauth::revoke).get(not_found))
        .route("/v1/userinfo", get(oauth::userinfo))
        .route("/oauth2/v3/userinfo", get(oauth::userinfo))
        .route("/gmail/v1/users/{user_id}/profile", get(gmail::profile))
        .route("/gmail/v1/users/{user_id}/labels", get(gmail::labels))
        .route("/gmail/v1/users/{user_id}/labels/{id}", get(gmail::label))
        .route("/gmail/v1/users/{user_id}/threads", get(gmail::threads))
        .route("/gmail/v1/users/{user_id}/threads/{id}", get(gmail::thread))
        .route("/gmail/v1/users/{user_id}/messages", get(gmail::list))
        .route(
            "/gmail/v1/users/{user_id}/messages/{id}",
            get(gmail::message),
        )
        .route(
            "/gmail/v1/users/{user_id}/messages/{message_id}/attachments/{id}",
            get(gmail::attachment),
        )
        .route("/gmail/v1/users/{user_id}/history", get(gmail::history))
        .route(
            "/calendar/v3/users/{user_id}/calendarList",
            get(calendar::calendar_list),
        )
        .route(
            "/calendar/v3/users/{user_id}/calendarList/{calendar_id}",
            get(calendar::calendar_list_entry),
        )
        .route(
            "/calendar/v3/calendars/{calendar_id}",
            get(calendar::calendar),
        )
        .route(
            "/calendar/v3/calendars/{calendar_id}/events",
            get(calendar::events),
        )
        .route(
            "/calendar/v3/calendars/{calendar_id}/events/{event_id}",
            get(calendar::event),
        )
        .fallback(not_found)
        .with_state(shared.clone());
    let batch = Router::new()
        .route("/batch", post(batch::batch))
        .route("/batch/gmail/v1", post(batch::batch))
        .route("/batch/calendar/v3", post(batch::batch))
        .with_state(batch::Batching {
            api: api.clone(),
            shared,
        });
    api.merge(batch)
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// A query string's parameters, repeated ones kept (`labelIds=A&labelIds=B`).
#[derive(Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn parse(query: Option<&str>) -> Self {
        Self(
            url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`; an empty value counts as absent, as clients send
    /// `pageToken=` on a first page.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .flat_map(|(_, value)| value.split(','))
            .filter(|value| !value.is_empty())
            .collect()
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// A boolean parameter, `default` when absent.
    pub(crate) fn flag(&self, name: &str, default: bool) -> Result<bool, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(other) => Err(ApiError::invalid_parameter(
                name,
                format!("Invalid boolean value for {name}: '{other}' (use true or false)"),
            )),
        }
    }

    /// A page size: `default` when absent, at most `max`, at least 1.
    pub(crate) fn page_size(
        &self,
        name: &str,
        default: usize,
        max: usize,
    ) -> Result<usize, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some(value) => match value.parse::<usize>() {
                Ok(size) if size >= 1 => Ok(size.min(max)),
                _ => Err(ApiError::invalid_parameter(
                    name,
                    format!("Invalid value '{value}' for {name}: a number from 1 to {max}"),
                )),
            },
        }
    }
}

/// The `userId` of a path must be `me` or the token's own address.
pub(crate) fn check_user(user_id: &str, email: &str) -> Result<(), ApiError> {
    if user_id == "me" || user_id.eq_ignore_ascii_case(email) {
        Ok(())
    } else {
        Err(ApiError::delegation_denied(user_id))
    }
}
