//! The HTTP side of the fake: routes, OpenAI-shaped bodies, SSE streams and errors.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::{Recorded, Reply, Shared, ToolCall, ToolCallStreaming};

pub(crate) fn app(shared: Shared) -> Router {
    Router::new()
        .route("/v1/chat/completions", post(chat))
        .route("/v1/embeddings", post(embeddings))
        .route("/v1/models", get(models))
        .with_state(shared)
}

/// Why a request is refused before any reply: its status and message.
struct Refusal(u16, &'static str);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        error_response(self.0, self.1, "invalid_request_error", None)
    }
}

/// Records the request and checks its key and body.
fn receive(
    shared: &Shared,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Recorded, Refusal> {
    let authorization = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let recorded = Recorded {
        path: uri.path().to_owned(),
        authorization: authorization.clone(),
        body: serde_json::from_slice(body).unwrap_or(Value::Null),
    };
    let mut state = shared.lock();
    state.requests.push(recorded.clone());
    if let Some(key) = &state.api_key {
        if authorization.as_deref() != Some(&format!("Bearer {key}")) {
            return Err(Refusal(401, "Incorrect API key provided"));
        }
    }
    if !body.is_empty() && recorded.body.is_null() {
        return Err(Refusal(
            400,
            "We could not parse the JSON body of your request",
        ));
    }
    Ok(recorded)
}

fn error_response(status: u16, message: &str, kind: &str, retry_after: Option<u64>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = json!({"error": {"message": message, "type": kind, "param": null, "code": null}});
    let mut response = (status, axum::Json(body)).into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", seconds.to_string().parse().expect("digits"));
    }
    response
}

async fn models(AxumState(shared): AxumState<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    if let Err(refused) = receive(&shared, &uri, &headers, &Bytes::new()) {
        return refused.into_response();
    }
    let models: Vec<Value> = shared
        .lock()
        .models
        .iter()
        .map(|id| json!({"id": id, "object": "model", "created": 0, "owned_by": "kindred-fakellm"}))
        .collect();
    axum::Json(json!({"object": "list", "data": models})).into_response()
}

async fn embeddings(
    AxumState(shared): AxumState<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = match receive(&shared, &uri, &headers, &body) {
        Ok(request) => request,
        Err(refused) => return refused.into_response(),
    };
    let inputs: Vec<String> = match &request.body["input"] {
        Value::String(text) => vec![text.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect(),
        _ => {
            return error_response(
                400,
                "'input' must be a string or an array of strings",
                "invalid_request_error",
                None,
            )
        }
    };
    let (dimensions, scripted) = {
        let mut state = shared.lock();
        (state.dimensions, state.embeddings_queue.pop_front())
    };
    let mut scripted = scripted;
    while let Some(Reply::Slow { delay, reply }) = scripted {
        tokio::time::sleep(delay).await;
        scripted = Some(*reply);
    }
    match scripted {
        Some(Reply::Error {
            status,
            message,
            retry_after,
        }) => return refusal(status, &message, retry_after),
        Some(Reply::Malformed) => return malformed(),
        _ => {}
    }
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(index, text)| {
            json!({"object": "embedding", "index": index, "embedding": embed(text, dimensions)})
        })
        .collect();
    let tokens: usize = inputs.iter().map(|text| count_tokens(text)).sum();
    axum::Json(json!({
        "object": "list",
        "data": data,
        "model": request.body["model"],
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }))
    .into_response()
}

/// A deterministic embedding: the words of `text` hashed into `dimensions` buckets,
/// normalised. Texts sharing words point the same way, which is all tests need.
fn embed(text: &str, dimensions: usize) -> Vec<f32> {
    let mut vector = vec![0f32; dimensions];
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let hash = word
            .to_lowercase()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
        let bucket = usize::try_from(hash % dimensions as u64).unwrap_or(0);
        vector[bucket] += 1.0;
    }
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in &mut vector {
            *x /= norm;
        }
    }
    vector
}

fn count_tokens(text: &str) -> usize {
    text.split_whitespace().count()
}

async fn chat(
    AxumState(shared): AxumState<Shared>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = match receive(&shared, &uri, &headers, &body) {
        Ok(request) => request,
        Err(refused) => return refused.into_response(),
    };
    let mut reply = {
        let mut state = shared.lock();
        match state.queue.pop_front() {
            Some(reply) => reply,
            None => match &state.responder {
                Some(responder) => responder(&request),
                None => Reply::Error {
                    status: 500,
                    message: "the fake LLM has no scripted reply for this request".to_owned(),
                    retry_after: None,
                },
            },
        }
    };
    while let Reply::Slow { delay, reply: then } = reply {
        tokio::time::sleep(delay).await;
        reply = *then;
    }
    let prompt_tokens = count_tokens(&request.prompt_text());
    match reply {
        Reply::Error {
            status,
            message,
            retry_after,
        } => refusal(status, &message, retry_after),
        Reply::Malformed => malformed(),
        Reply::Text(_) | Reply::ToolCalls(_) if request.streaming() => {
            let (style, delay) = {
                let state = shared.lock();
                (state.tool_call_streaming, state.chunk_delay)
            };
            let include_usage = request.body["stream_options"]["include_usage"]
                .as_bool()
                .unwrap_or(false);
            let model = request.body["model"].as_str().unwrap_or_default();
            let events = stream_events(&reply, model, style, include_usage, prompt_tokens);
            sse(events, delay)
        }
        Reply::Text(text) => {
            let usage = usage(prompt_tokens, count_tokens(&text));
            completion(
                &request,
                &json!({"role": "assistant", "content": text}),
                "stop",
                &usage,
            )
        }
        Reply::ToolCalls(calls) => {
            let tokens = calls.iter().map(|call| count_tokens(&call.arguments)).sum();
            completion(
                &request,
                &json!({"role": "assistant", "content": null, "tool_calls": tool_calls_json(&calls)}),
                "tool_calls",
                &usage(prompt_tokens, tokens),
            )
        }
        Reply::Slow { .. } => unreachable!("slow replies are unwrapped above"),
    }
}

/// A scripted error: its status and message, typed as OpenAI types it.
fn refusal(status: u16, message: &str, retry_after: Option<u64>) -> Response {
    let kind = if status == 429 {
        "rate_limit_error"
    } else {
        "server_error"
    };
    error_response(status, message, kind, retry_after)
}

/// A 200 response whose JSON body breaks off.
fn malformed() -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        "{\"id\": \"fake\", \"object\": \"list\", \"data\": [{\"embe",
    )
        .into_response()
}

fn usage(prompt: usize, completion: usize) -> Value {
    json!({"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion})
}

fn tool_calls_json(calls: &[ToolCall]) -> Vec<Value> {
    calls
        .iter()
        .enumerate()
        .map(|(index, call)| {
            json!({"id": format!("call_{index}"), "type": "function",
                   "function": {"name": call.name, "arguments": call.arguments}})
        })
        .collect()
}

fn completion(request: &Recorded, message: &Value, finish: &str, usage: &Value) -> Response {
    axum::Json(json!({
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": request.body["model"],
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": null}],
        "usage": usage,
    }))
    .into_response()
}

/// The `data:` payloads of a streamed reply, `[DONE]` last.
fn stream_events(
    reply: &Reply,
    model: &str,
    style: ToolCallStreaming,
    include_usage: bool,
    prompt_tokens: usize,
) -> Vec<String> {
    let chunk = |delta: Value, finish: Option<&str>| {
        json!({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
               "model": model,
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": null}]})
        .to_string()
    };
    let mut events = vec![chunk(json!({"role": "assistant", "content": ""}), None)];
    let (finish, completion_tokens) = match reply {
        Reply::Text(text) => {
            // Word by word, each piece keeping the whitespace before it, like real tokens.
            let mut start = 0;
            for (at, _) in text.match_indices(' ') {
                if at > start {
                    events.push(chunk(json!({"content": &text[start..at]}), None));
                    start = at;
                }
            }
            if start < text.len() {
                events.push(chunk(json!({"content": &text[start..]}), None));
            }
            ("stop", count_tokens(text))
        }
        Reply::ToolCalls(calls) => {
            for (index, call) in calls.iter().enumerate() {
                let id = format!("call_{index}");
                match style {
                    ToolCallStreaming::Whole => events.push(chunk(
                        json!({"tool_calls": [{"index": index, "id": id, "type": "function",
                            "function": {"name": call.name, "arguments": call.arguments}}]}),
                        None,
                    )),
                    ToolCallStreaming::Pieces => {
                        events.push(chunk(
                            json!({"tool_calls": [{"index": index, "id": id, "type": "function",
                                "function": {"name": call.name, "arguments": ""}}]}),
                            None,
                        ));
                        let characters: Vec<char> = call.arguments.chars().collect();
                        for piece in characters.chunks(7) {
                            let piece: String = piece.iter().collect();
                            events.push(chunk(
                                json!({"tool_calls": [{"index": index,
                                    "function": {"arguments": piece}}]}),
                                None,
                            ));
                        }
                    }
                }
            }
            (
                "tool_calls",
                calls.iter().map(|call| count_tokens(&call.arguments)).sum(),
            )
        }
        _ => ("stop", 0),
    };
    events.push(chunk(json!({}), Some(finish)));
    if include_usage {
        events.push(
            json!({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                   "model": model, "choices": [],
                   "usage": usage(prompt_tokens, completion_tokens)})
            .to_string(),
        );
    }
    events.push("[DONE]".to_owned());
    events
}

fn sse(events: Vec<String>, delay: Duration) -> Response {
    let stream = futures_util::stream::unfold(
        (events.into_iter(), true),
        move |(mut events, first)| async move {
            let event = events.next()?;
            if !first && !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            Some((
                Ok::<_, Infallible>(Bytes::from(format!("data: {event}\n\n"))),
                (events, false),
            ))
        },
    );
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-cache")
        .body(Body::from_stream(stream))
        .expect("a valid response")
}
