//! Completions, streams, tool calls, embeddings, models and faults, as an OpenAI client
//! sees them.

use std::time::Duration;

use kindred_fakellm::{FakeLlm, Reply, ToolCallStreaming};
use serde_json::{json, Value};

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("an HTTP client builds")
}

async fn post(fake: &FakeLlm, path: &str, body: &Value) -> reqwest::Response {
    client()
        .post(format!("{}{path}", fake.base_url()))
        .json(body)
        .send()
        .await
        .expect("the fake answers")
}

fn chat_body(stream: bool) -> Value {
    json!({"model": "fake-chat", "stream": stream, "stream_options": {"include_usage": true},
           "messages": [{"role": "system", "content": "be brief"},
                        {"role": "user", "content": "hello there"}]})
}

/// The `data:` payloads of an SSE body.
fn events(body: &str) -> Vec<String> {
    body.lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn queued_replies_are_served_in_order_with_usage_and_requests_recorded() {
    let fake = FakeLlm::start().expect("the fake starts");
    fake.push(Reply::text("first answer"));
    fake.push(Reply::text("second"));
    let first: Value = post(&fake, "/chat/completions", &chat_body(false))
        .await
        .json()
        .await
        .unwrap();
    let second: Value = post(&fake, "/chat/completions", &chat_body(false))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["choices"][0]["message"]["content"], "first answer");
    assert_eq!(first["choices"][0]["finish_reason"], "stop");
    assert_eq!(
        first["usage"]["completion_tokens"], 2,
        "usage counts the reply's words"
    );
    assert_eq!(second["choices"][0]["message"]["content"], "second");
    let requests = fake.chat_requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].last_message(), "hello there");
    assert!(requests[0].prompt_text().contains("be brief"));
    let unscripted = post(&fake, "/chat/completions", &chat_body(false)).await;
    assert_eq!(
        unscripted.status(),
        500,
        "an unscripted completion is refused, never invented"
    );
}

#[tokio::test]
async fn a_responder_answers_as_a_function_of_the_request() {
    let fake = FakeLlm::start().expect("the fake starts");
    fake.respond_with(|request| Reply::text(format!("you said: {}", request.last_message())));
    let reply: Value = post(&fake, "/chat/completions", &chat_body(false))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        reply["choices"][0]["message"]["content"],
        "you said: hello there"
    );
}

#[tokio::test]
async fn streamed_text_arrives_in_pieces_then_usage_then_done() {
    let fake = FakeLlm::start().expect("the fake starts");
    fake.push(Reply::text("one two three"));
    let response = post(&fake, "/chat/completions", &chat_body(true)).await;
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let events = events(&response.text().await.unwrap());
    assert_eq!(events.last().map(String::as_str), Some("[DONE]"));
    let chunks: Vec<Value> = events[..events.len() - 1]
        .iter()
        .map(|event| serde_json::from_str(event).expect("each event is JSON"))
        .collect();
    let text: String = chunks
        .iter()
        .filter_map(|chunk| chunk["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(text, "one two three", "the pieces add up to the reply");
    assert!(
        chunks.len() >= 5,
        "role, three words, finish, usage: {chunks:?}"
    );
    let usage = chunks.last().unwrap();
    assert_eq!(usage["choices"], json!([]));
    assert_eq!(usage["usage"]["completion_tokens"], 3);
}

#[tokio::test]
async fn tool_calls_stream_in_pieces_or_whole_and_join_to_the_arguments() {
    for style in [ToolCallStreaming::Pieces, ToolCallStreaming::Whole] {
        let fake = FakeLlm::start().expect("the fake starts");
        fake.set_tool_call_streaming(style);
        let arguments = json!({"query": "acme invoice", "limit": 5});
        fake.push(Reply::tool_call("search_messages", &arguments));
        let body = post(&fake, "/chat/completions", &chat_body(true))
            .await
            .text()
            .await
            .unwrap();
        let chunks: Vec<Value> = events(&body)
            .iter()
            .filter(|event| *event != "[DONE]")
            .map(|event| serde_json::from_str(event).unwrap())
            .collect();
        let calls: Vec<&Value> = chunks
            .iter()
            .filter_map(|chunk| chunk["choices"][0]["delta"]["tool_calls"].as_array())
            .flatten()
            .collect();
        let joined: String = calls
            .iter()
            .filter_map(|call| call["function"]["arguments"].as_str())
            .collect();
        assert_eq!(serde_json::from_str::<Value>(&joined).unwrap(), arguments);
        assert_eq!(calls[0]["function"]["name"], "search_messages");
        assert_eq!(calls[0]["index"], 0);
        match style {
            ToolCallStreaming::Whole => assert_eq!(calls.len(), 1),
            ToolCallStreaming::Pieces => assert!(calls.len() > 2, "{calls:?}"),
        }
        let finish = chunks
            .iter()
            .find_map(|chunk| chunk["choices"][0]["finish_reason"].as_str());
        assert_eq!(finish, Some("tool_calls"));
    }
}

#[tokio::test]
async fn faults_on_demand_rate_limit_server_error_malformed_and_slow() {
    let fake = FakeLlm::start().expect("the fake starts");
    fake.push(Reply::rate_limited(7));
    fake.push(Reply::server_error(503));
    fake.push(Reply::Malformed);
    fake.push(Reply::text("late").after(Duration::from_millis(300)));
    let limited = post(&fake, "/chat/completions", &chat_body(false)).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "7");
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["error"]["type"], "rate_limit_error");
    assert_eq!(
        post(&fake, "/chat/completions", &chat_body(false))
            .await
            .status(),
        503
    );
    let malformed = post(&fake, "/chat/completions", &chat_body(false)).await;
    assert_eq!(malformed.status(), 200);
    assert!(
        malformed.json::<Value>().await.is_err(),
        "the body is not JSON"
    );
    let started = std::time::Instant::now();
    let late: Value = post(&fake, "/chat/completions", &chat_body(false))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "a slow reply waits its delay"
    );
    assert_eq!(late["choices"][0]["message"]["content"], "late");
}

#[tokio::test]
async fn embeddings_are_deterministic_and_models_are_listed() {
    let fake = FakeLlm::start().expect("the fake starts");
    fake.set_dimensions(16);
    let body = json!({"model": "fake-embed", "input": ["acme invoice", "acme invoice", "lunch"]});
    let reply: Value = post(&fake, "/embeddings", &body)
        .await
        .json()
        .await
        .unwrap();
    let vectors: Vec<Vec<f64>> = reply["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| serde_json::from_value(item["embedding"].clone()).unwrap())
        .collect();
    assert_eq!(vectors.len(), 3);
    assert_eq!(vectors[0].len(), 16);
    assert_eq!(vectors[0], vectors[1], "the same text embeds the same");
    assert_ne!(vectors[0], vectors[2]);
    let models: Value = client()
        .get(format!("{}/models", fake.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(models["data"][0]["id"], kindred_fakellm::MODEL);
}

#[tokio::test]
async fn a_required_key_refuses_requests_without_it() {
    let fake = FakeLlm::start().expect("the fake starts");
    fake.require_api_key("sk-test");
    fake.push(Reply::text("hi"));
    assert_eq!(
        post(&fake, "/chat/completions", &chat_body(false))
            .await
            .status(),
        401
    );
    let accepted = client()
        .post(format!("{}/chat/completions", fake.base_url()))
        .bearer_auth("sk-test")
        .json(&chat_body(false))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 200);
    assert_eq!(
        fake.requests()[1].authorization.as_deref(),
        Some("Bearer sk-test")
    );
}

#[tokio::test]
async fn embeddings_follow_their_own_script_of_refusals_and_malformed_bodies() {
    let fake = FakeLlm::start().expect("the fake starts");
    fake.set_dimensions(8);
    fake.push_embeddings(Reply::rate_limited(1));
    fake.push_embeddings(Reply::Malformed);
    fake.push(Reply::text("a chat reply, not for embeddings"));
    let body = json!({"model": "fake-embed", "input": ["acme invoice"]});
    let limited = post(&fake, "/embeddings", &body).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "1");
    let malformed = post(&fake, "/embeddings", &body).await;
    assert_eq!(malformed.status(), 200);
    assert!(
        serde_json::from_str::<Value>(&malformed.text().await.unwrap()).is_err(),
        "a malformed body is not JSON"
    );
    let answered: Value = post(&fake, "/embeddings", &body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        answered["data"][0]["embedding"].as_array().unwrap().len(),
        8,
        "with the script used up, embeddings are answered"
    );
    assert_eq!(fake.embeddings_requests().len(), 3);
    let chat: Value = post(&fake, "/chat/completions", &chat_body(false))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        chat["choices"][0]["message"]["content"], "a chat reply, not for embeddings",
        "the completions' queue is apart from the embeddings'"
    );
}
