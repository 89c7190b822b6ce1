//! Google's OAuth 2.0 for installed apps: the consent page (auto-approved, with PKCE and a
//! loopback redirect required), the token endpoint (code and refresh grants), revocation
//! and OpenID Connect userinfo.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::Params;
use crate::config::Consent;
use crate::errors::{ApiError, TokenError};
use crate::grants::{is_pkce_text, Authorization, Issued};
use crate::state::Shared;

/// The consent screen's error page, as Google shows one instead of redirecting when the
/// request itself is wrong.
fn error_page(status: StatusCode, error: &str, detail: &str) -> Response {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body = format!(
        "<!doctype html><html><head><title>Error {code}: {error}</title></head><body>\
         <h1>Access blocked: authorization error</h1><p>Error {code}: {error}</p><p>{detail}</p>\
         </body></html>",
        code = status.as_u16(),
        error = escape(error),
        detail = escape(detail),
    );
    (status, Html(body)).into_response()
}

/// Whether `uri` is a loopback redirect Google accepts for desktop clients:
/// `http://127.0.0.1:PORT`, `http://[::1]:PORT` or `http://localhost:PORT`, any path.
fn is_loopback(uri: &str) -> bool {
    url::Url::parse(uri).is_ok_and(|url| {
        url.scheme() == "http"
            && url.port().is_some()
            && matches!(url.host_str(), Some("127.0.0.1" | "[::1]" | "localhost"))
    })
}

/// `GET /o/oauth2/v2/auth`: checks the request, picks the account (`login_hint`, else the
/// first added) and redirects back with a code — or with `error=access_denied` when the
/// fake is set to deny consent.
pub(super) async fn authorize(State(shared): State<Shared>, RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.as_deref());
    let mut world = shared.lock();
    world.count("oauth2.authorize");
    let client_id = params.get("client_id").unwrap_or_default();
    if client_id != world.config.client_id {
        return error_page(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            &format!("The OAuth client was not found: client_id '{client_id}'."),
        );
    }
    let redirect_uri = params.get("redirect_uri").unwrap_or_default();
    if !is_loopback(redirect_uri) {
        return error_page(
            StatusCode::BAD_REQUEST,
            "redirect_uri_mismatch",
            &format!(
                "redirect_uri '{redirect_uri}' is not a loopback address: desktop clients use \
                 http://127.0.0.1:PORT, http://[::1]:PORT or http://localhost:PORT."
            ),
        );
    }
    if params.get("response_type") != Some("code") {
        return error_page(
            StatusCode::BAD_REQUEST,
            "unsupported_response_type",
            "response_type must be 'code'.",
        );
    }
    let scope = params.get("scope").unwrap_or_default();
    if scope.trim().is_empty() {
        return error_page(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Missing required parameter: scope",
        );
    }
    let challenge = params.get("code_challenge").unwrap_or_default();
    if !is_pkce_text(challenge) || params.get("code_challenge_method") != Some("S256") {
        return error_page(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Missing or malformed PKCE: send code_challenge (base64url of the SHA-256 of the code_verifier) \
             with code_challenge_method=S256.",
        );
    }
    let email = match params.get("login_hint") {
        Some(hint) if world.accounts.contains_key(&hint.to_ascii_lowercase()) => {
            hint.to_ascii_lowercase()
        }
        Some(hint) => {
            return error_page(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                &format!("login_hint '{hint}' names no account of this fake; add it with add_user or --user."),
            )
        }
        None => match world.account_order.first() {
            Some(first) => first.clone(),
            None => {
                return error_page(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "The fake has no accounts to sign in with; add one with add_user or --user.",
                )
            }
        },
    };
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    let mut back = url::form_urlencoded::Serializer::new(String::new());
    if world.config.consent == Consent::Deny {
        back.append_pair("error", "access_denied");
    } else {
        let code = world.grants.new_code(Authorization {
            email,
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            code_challenge: challenge.to_owned(),
            scope: scope.to_owned(),
            offline: params.get("access_type") == Some("offline"),
        });
        back.append_pair("code", &code);
        back.append_pair("scope", scope);
    }
    if let Some(state) = params.get("state") {
        back.append_pair("state", state);
    }
    let location = format!("{redirect_uri}{separator}{}", back.finish());
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

/// The client's id and secret, from the form or from HTTP Basic authentication.
fn client_credentials(
    form: &HashMap<String, String>,
    headers: &HeaderMap,
) -> Option<(String, String)> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Basic "))
        .and_then(|encoded| STANDARD.decode(encoded.trim()).ok())
        .and_then(|decoded| String::from_utf8(decoded).ok())
        .and_then(|pair| {
            let (id, secret) = pair.split_once(':')?;
            let decode = |text: &str| {
                url::form_urlencoded::parse(format!("x={text}").as_bytes())
                    .next()
                    .map(|(_, value)| value.into_owned())
            };
            Some((decode(id)?, decode(secret)?))
        });
    basic.or_else(|| {
        Some((
            form.get("client_id")?.clone(),
            form.get("client_secret").cloned().unwrap_or_default(),
        ))
    })
}

/// `POST /token`: `authorization_code` and `refresh_token` grants.
pub(super) async fn token(
    State(shared): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    let mut world = shared.lock();
    world.count("oauth2.token");
    let Some((client_id, secret)) = client_credentials(&form, &headers) else {
        return TokenError::invalid_request("Could not determine client ID from request.")
            .into_response();
    };
    if client_id != world.config.client_id {
        return TokenError::invalid_client("The OAuth client was not found.").into_response();
    }
    if secret != world.config.client_secret {
        return TokenError::invalid_client("Unauthorized").into_response();
    }
    let lifetime = world.config.access_token_lifetime;
    let field = |name: &str| form.get(name).map(String::as_str);
    let issued = match field("grant_type").unwrap_or_default() {
        "authorization_code" => {
            let Some(code) = field("code") else {
                return TokenError::invalid_request("Missing required parameter: code")
                    .into_response();
            };
            world.grants.redeem(
                code,
                &client_id,
                field("redirect_uri"),
                field("code_verifier"),
                lifetime,
            )
        }
        "refresh_token" => {
            let Some(refresh_token) = field("refresh_token") else {
                return TokenError::invalid_request("Missing required parameter: refresh_token")
                    .into_response();
            };
            world.grants.refresh(refresh_token, &client_id, lifetime)
        }
        other => Err(TokenError::unsupported_grant_type(other)),
    };
    match issued {
        Ok(issued) => Json(token_response(&issued, &client_id, lifetime.as_secs())).into_response(),
        Err(error) => error.into_response(),
    }
}

fn token_response(issued: &Issued, client_id: &str, lifetime_seconds: u64) -> serde_json::Value {
    let mut body = json!({
        "access_token": issued.access_token,
        "expires_in": lifetime_seconds.saturating_sub(1),
        "scope": issued.scope,
        "token_type": "Bearer",
    });
    if let Some(refresh_token) = &issued.refresh_token {
        body["refresh_token"] = json!(refresh_token);
    }
    if issued
        .scope
        .split_whitespace()
        .any(|scope| scope == "openid")
    {
        body["id_token"] = json!(id_token(&issued.email, client_id, lifetime_seconds));
    }
    body
}

/// The account's stable numeric subject id, 21 digits like Google's.
fn subject(email: &str) -> String {
    let digest = Sha256::digest(email.as_bytes());
    let mut bytes = [0_u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    format!(
        "1{:020}",
        u128::from_le_bytes(bytes) % 100_000_000_000_000_000_000
    )
}

/// An ID token shaped like Google's (RS256 header, standard claims). Its signature is
/// a placeholder: clients of the fake read the claims but cannot verify them.
fn id_token(email: &str, client_id: &str, lifetime_seconds: u64) -> String {
    let now = chrono::Utc::now().timestamp();
    let header = json!({ "alg": "RS256", "kid": "kindred-fakegoogle", "typ": "JWT" });
    let claims = json!({
        "iss": "https://accounts.google.com",
        "azp": client_id,
        "aud": client_id,
        "sub": subject(email),
        "email": email,
        "email_verified": true,
        "iat": now,
        "exp": now + i64::try_from(lifetime_seconds).unwrap_or(3600),
    });
    let part = |value: &serde_json::Value| URL_SAFE_NO_PAD.encode(value.to_string());
    format!(
        "{}.{}.{}",
        part(&header),
        part(&claims),
        URL_SAFE_NO_PAD.encode("unsigned-kindred-fakegoogle")
    )
}

/// `POST /revoke?token=…` (or the token in the form): 200, or 400 `invalid_token`.
pub(super) async fn revoke(
    State(shared): State<Shared>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let from_query = Params::parse(query.as_deref())
        .get("token")
        .map(str::to_owned);
    let token = from_query.or_else(|| {
        url::form_urlencoded::parse(&body)
            .find(|(name, _)| name == "token")
            .map(|(_, value)| value.into_owned())
    });
    let mut world = shared.lock();
    world.count("oauth2.revoke");
    if token.is_some_and(|token| world.grants.revoke(&token)) {
        world.stats.revoked_tokens += 1;
        (StatusCode::OK, Json(json!({}))).into_response()
    } else {
        TokenError::invalid_token().into_response()
    }
}

/// `GET /v1/userinfo` with a bearer token: `{sub, email, email_verified}`.
pub(super) async fn userinfo(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    let mut world = shared.lock();
    world.count("oauth2.userinfo");
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .and_then(|token| world.grants.bearer(token.trim()));
    match bearer {
        Some(bearer) => Json(json!({
            "sub": subject(&bearer.email),
            "email": bearer.email,
            "email_verified": true,
        }))
        .into_response(),
        None => {
            world.stats.unauthenticated += 1;
            ApiError::unauthenticated().into_response()
        }
    }
}
