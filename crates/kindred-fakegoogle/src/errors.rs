//! Google's error answers: the JSON error body the Gmail and Calendar APIs share
//! (`{"error":{"code","message","errors":[{"domain","reason","message"}],"status"}}`) and the
//! OAuth token endpoint's `{"error","error_description"}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An API error as Google writes it.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    code: StatusCode,
    message: String,
    domain: &'static str,
    reason: &'static str,
    /// The parameter or header at fault, and where it sits ("parameter", "header").
    location: Option<(String, &'static str)>,
    retry_after_seconds: Option<u64>,
}

impl ApiError {
    fn new(code: StatusCode, domain: &'static str, reason: &'static str, message: String) -> Self {
        Self {
            code,
            message,
            domain,
            reason,
            location: None,
            retry_after_seconds: None,
        }
    }

    /// 400 `badRequest`.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "global",
            "badRequest",
            message.into(),
        )
    }

    /// 400 `invalidParameter` naming the parameter.
    pub(crate) fn invalid_parameter(parameter: &str, message: impl Into<String>) -> Self {
        let mut error = Self::new(
            StatusCode::BAD_REQUEST,
            "global",
            "invalidParameter",
            message.into(),
        );
        error.location = Some((parameter.to_owned(), "parameter"));
        error
    }

    /// 400 `required`: a mandatory parameter is missing.
    pub(crate) fn required(parameter: &str) -> Self {
        let mut error = Self::new(
            StatusCode::BAD_REQUEST,
            "global",
            "required",
            format!("Required parameter: {parameter}"),
        );
        error.location = Some((parameter.to_owned(), "parameter"));
        error
    }

    /// Calendar's 400 `timeRangeEmpty`.
    pub(crate) fn time_range_empty() -> Self {
        let mut error = Self::new(
            StatusCode::BAD_REQUEST,
            "calendar",
            "timeRangeEmpty",
            "The specified time range is empty.".to_owned(),
        );
        error.location = Some(("timeMax".to_owned(), "parameter"));
        error
    }

    /// 401 `authError`: missing, unknown, expired or revoked bearer token.
    pub(crate) fn unauthenticated() -> Self {
        let mut error = Self::new(
            StatusCode::UNAUTHORIZED,
            "global",
            "authError",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, \
             login cookie or other valid authentication credential."
                .to_owned(),
        );
        error.location = Some(("Authorization".to_owned(), "header"));
        error
    }

    /// 403 `insufficientPermissions`: the token's scopes do not cover the API.
    pub(crate) fn insufficient_scope() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "global",
            "insufficientPermissions",
            "Request had insufficient authentication scopes.".to_owned(),
        )
    }

    /// 403 `forbidden`: the path names another user's mailbox.
    pub(crate) fn delegation_denied(user_id: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "global",
            "forbidden",
            format!("Delegation denied for {user_id}"),
        )
    }

    /// 404 `notFound`.
    pub(crate) fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "global",
            "notFound",
            "Requested entity was not found.".to_owned(),
        )
    }

    /// Calendar's 410 `fullSyncRequired`.
    pub(crate) fn full_sync_required() -> Self {
        Self::new(
            StatusCode::GONE,
            "calendar",
            "fullSyncRequired",
            "Sync token is no longer valid, a full sync is required.".to_owned(),
        )
    }

    /// 429 `rateLimitExceeded`, or 403 `userRateLimitExceeded`, with `Retry-After`.
    pub(crate) fn rate_limited(forbidden: bool, retry_after_seconds: u64) -> Self {
        let mut error = if forbidden {
            Self::new(
                StatusCode::FORBIDDEN,
                "usageLimits",
                "userRateLimitExceeded",
                "User rate limit exceeded.".to_owned(),
            )
        } else {
            Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "usageLimits",
                "rateLimitExceeded",
                "Too many concurrent requests for user.".to_owned(),
            )
        };
        error.retry_after_seconds = Some(retry_after_seconds);
        error
    }

    /// 500 `backendError`.
    pub(crate) fn backend_error() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "global",
            "backendError",
            "Backend Error".to_owned(),
        )
    }

    /// 503 `backendError`, "The service is currently unavailable."
    pub(crate) fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "global",
            "backendError",
            "The service is currently unavailable.".to_owned(),
        )
    }

    /// The gRPC-style status name Google puts beside the code.
    fn status_name(&self) -> &'static str {
        match self.code.as_u16() {
            400 => "INVALID_ARGUMENT",
            401 => "UNAUTHENTICATED",
            403 => "PERMISSION_DENIED",
            404 => "NOT_FOUND",
            410 => "FAILED_PRECONDITION",
            429 => "RESOURCE_EXHAUSTED",
            503 => "UNAVAILABLE",
            _ => "INTERNAL",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut detail = json!({
            "message": self.message,
            "domain": self.domain,
            "reason": self.reason,
        });
        if let Some((location, location_type)) = &self.location {
            detail["location"] = json!(location);
            detail["locationType"] = json!(location_type);
        }
        let body = json!({
            "error": {
                "code": self.code.as_u16(),
                "message": self.message,
                "errors": [detail],
                "status": self.status_name(),
            }
        });
        let mut response = (self.code, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after_seconds {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.code == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(
                    "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"",
                ),
            );
        }
        response
    }
}

/// An error of the OAuth token and revocation endpoints.
#[derive(Debug, Clone)]
pub(crate) struct TokenError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl TokenError {
    /// 400 `invalid_grant`: bad, reused or revoked code or refresh token, wrong verifier.
    pub(crate) fn invalid_grant(description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_grant",
            description: description.into(),
        }
    }

    /// 400 `invalid_request`: a parameter is missing or malformed.
    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_request",
            description: description.into(),
        }
    }

    /// 401 `invalid_client`: unknown client or wrong secret.
    pub(crate) fn invalid_client(description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            error: "invalid_client",
            description: description.into(),
        }
    }

    /// 400 `unsupported_grant_type`.
    pub(crate) fn unsupported_grant_type(grant_type: &str) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error: "unsupported_grant_type",
            description: format!("Invalid grant_type: {grant_type}"),
        }
    }

    /// 400 `invalid_token`, the revocation endpoint's answer for an unknown token.
    pub(crate) fn invalid_token() -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_token",
            description: "Token expired or revoked".to_owned(),
        }
    }
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.error, "error_description": self.description });
        (self.status, axum::Json(body)).into_response()
    }
}
