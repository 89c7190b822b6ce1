//! Batch requests (`POST /batch`, `/batch/gmail/v1`, `/batch/calendar/v3`): a
//! `multipart/mixed` body of `application/http` parts (at most 100, or 1000 for Calendar),
//! each a whole HTTP request. Each part
//! is sent through the fake's own routes — authenticated, faulted and charged to quota like
//! a lone call — and the answers come back as `multipart/mixed` parts with
//! `Content-ID: <response-…>`.

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt as _;

use crate::calendar::hex_digest;
use crate::errors::ApiError;
use crate::state::Shared;

/// Gmail's limit on calls in one batch.
const GMAIL_MAX_PARTS: usize = 100;
/// Calendar's limit on calls in one batch.
const CALENDAR_MAX_PARTS: usize = 1000;

/// What a batch needs: the routes to send parts through, and the counters.
#[derive(Debug, Clone)]
pub(super) struct Batching {
    pub api: Router,
    pub shared: Shared,
}

/// One call of a batch, read from its part.
struct Call {
    content_id: Option<String>,
    request: Result<Request<Body>, String>,
}

pub(super) async fn batch(
    State(Batching { api, shared }): State<Batching>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.lock().count("batch");
    let max_parts = if uri.path().starts_with("/batch/calendar") {
        CALENDAR_MAX_PARTS
    } else {
        GMAIL_MAX_PARTS
    };
    let Some(boundary) = boundary(&headers) else {
        return ApiError::bad_request(
            "A batch request needs Content-Type: multipart/mixed; boundary=…",
        )
        .into_response();
    };
    let text = String::from_utf8_lossy(&body);
    let parts = split_parts(&text, &boundary);
    if parts.is_empty() {
        return ApiError::bad_request("The batch request holds no parts.").into_response();
    }
    if parts.len() > max_parts {
        return ApiError::bad_request(format!(
            "A batch holds at most {max_parts} calls; this one has {}. Split it.",
            parts.len()
        ))
        .into_response();
    }
    let authorization = headers.get(header::AUTHORIZATION);
    let response_boundary = format!("batch_{}", &hex_digest(&text)[..24]);
    let mut answer = String::new();
    for (index, part) in parts.iter().enumerate() {
        let call = read_call(part, authorization);
        let content_id = response_content_id(call.content_id.as_deref(), index);
        let (status, inner_headers, inner_body) = match call.request {
            Ok(request) => {
                let response = match api.clone().oneshot(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                };
                let (head, body) = response.into_parts();
                let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
                (head.status, head.headers, bytes)
            }
            Err(problem) => {
                let response = ApiError::bad_request(problem).into_response();
                let (head, body) = response.into_parts();
                let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
                (head.status, head.headers, bytes)
            }
        };
        write_part(
            &mut answer,
            &response_boundary,
            &content_id,
            status,
            &inner_headers,
            &inner_body,
        );
    }
    answer.push_str(&format!("--{response_boundary}--\r\n"));
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            format!("multipart/mixed; boundary={response_boundary}"),
        )],
        answer,
    )
        .into_response()
}

/// The `boundary` parameter of a `multipart/mixed` Content-Type.
fn boundary(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/mixed")
    {
        return None;
    }
    content_type.split(';').find_map(|parameter| {
        let (name, value) = parameter.trim().split_once('=')?;
        name.eq_ignore_ascii_case("boundary")
            .then(|| value.trim_matches('"').to_owned())
    })
}

/// The parts between `--boundary` lines, without their surrounding line breaks.
fn split_parts<'a>(text: &'a str, boundary: &str) -> Vec<&'a str> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for segment in text.split(delimiter.as_str()).skip(1) {
        if segment.starts_with("--") {
            break;
        }
        let segment = segment
            .strip_prefix("\r\n")
            .or_else(|| segment.strip_prefix('\n'))
            .unwrap_or(segment);
        let segment = segment
            .strip_suffix("\r\n")
            .or_else(|| segment.strip_suffix('\n'))
            .unwrap_or(segment);
        if !segment.trim().is_empty() {
            parts.push(segment);
        }
    }
    parts
}

/// Splits a head from what follows its blank line.
fn split_head(text: &str) -> (&str, &str) {
    let crlf = text.find("\r\n\r\n").map(|at| (at, 4));
    let lf = text.find("\n\n").map(|at| (at, 2));
    let first = match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    match first {
        Some((at, length)) => (&text[..at], &text[at + length..]),
        None => (text, ""),
    }
}

fn header_lines(head: &str) -> impl Iterator<Item = (&str, &str)> {
    head.lines().filter_map(|line| {
        let (name, value) = line.split_once(':')?;
        Some((name.trim(), value.trim()))
    })
}

/// Reads one part: its Content-ID and the HTTP request inside. The batch's own
/// Authorization applies to parts that carry none.
fn read_call(part: &str, authorization: Option<&HeaderValue>) -> Call {
    let (part_head, http) = split_head(part);
    let content_id = header_lines(part_head)
        .find(|(name, _)| name.eq_ignore_ascii_case("content-id"))
        .map(|(_, value)| value.to_owned());
    Call {
        content_id,
        request: build_request(http, authorization),
    }
}

fn build_request(http: &str, authorization: Option<&HeaderValue>) -> Result<Request<Body>, String> {
    let (head, body) = split_head(http.trim_start());
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or_default();
    let mut words = request_line.split_whitespace();
    let method = words.next().unwrap_or_default();
    let target = words
        .next()
        .ok_or_else(|| format!("Batch part has no request line: '{request_line}'"))?;
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|_| format!("Batch part has an invalid method: '{method}'"))?;
    let path = match url::Url::parse(target) {
        Ok(absolute) => match absolute.query() {
            Some(query) => format!("{}?{query}", absolute.path()),
            None => absolute.path().to_owned(),
        },
        Err(_) => target.to_owned(),
    };
    let mut request = Request::builder().method(method).uri(path.as_str());
    let mut has_authorization = false;
    for (name, value) in header_lines(&lines.collect::<Vec<_>>().join("\n")) {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) else {
            continue;
        };
        has_authorization |= name == header::AUTHORIZATION;
        request = request.header(name, value);
    }
    if let (false, Some(authorization)) = (has_authorization, authorization) {
        request = request.header(header::AUTHORIZATION, authorization.clone());
    }
    request
        .body(Body::from(body.to_owned()))
        .map_err(|error| format!("Batch part's request '{request_line}' is invalid: {error}"))
}

/// `<response-item1>` for a part sent as `<item1>`; parts without one are numbered.
fn response_content_id(request_id: Option<&str>, index: usize) -> String {
    match request_id {
        Some(id) if id.starts_with('<') && id.ends_with('>') => {
            format!("<response-{}>", &id[1..id.len() - 1])
        }
        Some(id) => format!("response-{id}"),
        None => format!("<response-{}>", index + 1),
    }
}

fn write_part(
    answer: &mut String,
    boundary: &str,
    content_id: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) {
    answer.push_str(&format!(
        "--{boundary}\r\nContent-Type: application/http\r\nContent-ID: {content_id}\r\n\r\n"
    ));
    answer.push_str(&format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or_default()
    ));
    for (name, value) in headers {
        if name == header::CONTENT_LENGTH {
            continue;
        }
        if let Ok(value) = value.to_str() {
            answer.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    answer.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    answer.push_str(&String::from_utf8_lossy(body));
    answer.push_str("\r\n");
}
