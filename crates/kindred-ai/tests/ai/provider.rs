//! The provider against the fake server: completions, streaming, tool calls in both
//! streaming styles, embeddings, usage, retries honouring Retry-After, timeouts and
//! errors that say what to do.

use std::time::{Duration, Instant};

use kindred_ai::{ChatMessage, Provider, ProviderError, ProviderSettings, ToolSpec};
use kindred_fakellm::{FakeLlm, Reply, ToolCallStreaming, EMBEDDINGS_MODEL, MODEL};
use kindred_store::secrets::SecretString;
use serde_json::json;

pub fn settings(fake: &FakeLlm) -> ProviderSettings {
    ProviderSettings {
        base_url: fake.base_url(),
        model: MODEL.to_owned(),
        embeddings_model: Some(EMBEDDINGS_MODEL.to_owned()),
        api_key: None,
        timeout: Duration::from_secs(20),
    }
}

pub fn provider(fake: &FakeLlm) -> Provider {
    Provider::new(&settings(fake)).expect("the provider builds")
}

fn search_tool() -> ToolSpec {
    ToolSpec {
        name: "search_messages".to_owned(),
        description: "Search mail".to_owned(),
        parameters: json!({"type": "object", "properties": {"query": {"type": "string"}}}),
    }
}

#[tokio::test]
async fn a_completion_returns_text_and_usage_and_sends_model_key_and_messages() {
    let fake = FakeLlm::start().unwrap();
    fake.require_api_key("sk-secret");
    fake.push(Reply::text("Hello Ada"));
    let mut settings = settings(&fake);
    settings.api_key = Some(SecretString::new("sk-secret".to_owned()));
    let provider = Provider::new(&settings).unwrap();
    let completion = provider
        .complete(
            &[ChatMessage::system("be brief"), ChatMessage::user("hi")],
            &[],
        )
        .await
        .expect("the completion succeeds");
    assert_eq!(completion.content, "Hello Ada");
    let usage = completion.usage.expect("usage is reported");
    assert_eq!(usage.completion_tokens, 2);
    assert!(usage.prompt_tokens >= 2);
    let request = &fake.chat_requests()[0];
    assert_eq!(request.body["model"], MODEL);
    assert_eq!(request.body["messages"][0]["role"], "system");
    assert_eq!(request.last_message(), "hi");
    assert_eq!(request.authorization.as_deref(), Some("Bearer sk-secret"));
}

#[tokio::test]
async fn streaming_hands_over_each_piece_and_returns_the_whole_with_usage() {
    let fake = FakeLlm::start().unwrap();
    fake.push(Reply::text("Ada introduced you to Bob"));
    let mut pieces = Vec::new();
    let completion = provider(&fake)
        .stream(&[ChatMessage::user("who?")], &[], &mut |piece| {
            pieces.push(piece.to_owned());
        })
        .await
        .expect("the stream succeeds");
    assert!(pieces.len() >= 5, "the text arrives in pieces: {pieces:?}");
    assert_eq!(pieces.concat(), "Ada introduced you to Bob");
    assert_eq!(completion.content, "Ada introduced you to Bob");
    assert_eq!(completion.usage.map(|u| u.completion_tokens), Some(5));
    assert_eq!(fake.chat_requests()[0].body["stream"], true);
}

#[tokio::test]
async fn tool_calls_are_assembled_whether_streamed_in_pieces_or_whole_or_not_streamed() {
    let arguments = json!({"query": "invoice from acme", "limit": 3});
    for style in [ToolCallStreaming::Pieces, ToolCallStreaming::Whole] {
        let fake = FakeLlm::start().unwrap();
        fake.set_tool_call_streaming(style);
        fake.push(Reply::tool_call("search_messages", &arguments));
        fake.push(Reply::tool_call("search_messages", &arguments));
        let provider = provider(&fake);
        let streamed = provider
            .stream(
                &[ChatMessage::user("find it")],
                &[search_tool()],
                &mut |_| {},
            )
            .await
            .unwrap();
        let plain = provider
            .complete(&[ChatMessage::user("find it")], &[search_tool()])
            .await
            .unwrap();
        for completion in [streamed, plain] {
            assert_eq!(completion.tool_calls.len(), 1, "{style:?}: {completion:?}");
            let call = &completion.tool_calls[0];
            assert_eq!(call.name, "search_messages");
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&call.arguments).unwrap(),
                arguments
            );
        }
        let sent = &fake.chat_requests()[0].body["tools"][0];
        assert_eq!(sent["type"], "function");
        assert_eq!(sent["function"]["name"], "search_messages");
    }
}

#[tokio::test]
async fn a_rate_limit_is_retried_after_the_time_it_names() {
    let fake = FakeLlm::start().unwrap();
    fake.push(Reply::rate_limited(1));
    fake.push(Reply::text("made it"));
    let started = Instant::now();
    let completion = provider(&fake)
        .complete(&[ChatMessage::user("hi")], &[])
        .await
        .expect("the retry succeeds");
    assert_eq!(completion.content, "made it");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the retry waited the Retry-After second"
    );
    assert_eq!(fake.chat_requests().len(), 2);
}

#[tokio::test]
async fn server_errors_are_retried_then_reported_with_the_endpoint() {
    let fake = FakeLlm::start().unwrap();
    fake.push(Reply::server_error(503));
    fake.push(Reply::text("recovered"));
    let provider = provider(&fake);
    let recovered = provider
        .complete(&[ChatMessage::user("hi")], &[])
        .await
        .unwrap();
    assert_eq!(recovered.content, "recovered");
    fake.respond_with(|_| Reply::server_error(500));
    let error = provider
        .complete(&[ChatMessage::user("hi")], &[])
        .await
        .expect_err("a server that keeps failing is an error");
    assert!(
        matches!(error, ProviderError::Refused { status: 500, .. }),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert!(error.to_string().contains(&fake.base_url()), "{error}");
    assert_eq!(
        fake.chat_requests().len(),
        2 + 4,
        "one try and three retries"
    );
}

#[tokio::test]
async fn a_wrong_key_a_malformed_reply_and_a_silent_server_are_errors_that_say_so() {
    let fake = FakeLlm::start().unwrap();
    fake.require_api_key("sk-right");
    let error = provider(&fake)
        .complete(&[ChatMessage::user("hi")], &[])
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        ProviderError::Unauthorized { status: 401, .. }
    ));
    assert!(error.to_string().contains("KINDRED_LLM_API_KEY"), "{error}");
    assert!(!error.is_retryable());

    let fake = FakeLlm::start().unwrap();
    fake.push(Reply::Malformed);
    let error = provider(&fake)
        .complete(&[ChatMessage::user("hi")], &[])
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProviderError::Malformed { .. }),
        "{error:?}"
    );

    let fake = FakeLlm::start().unwrap();
    fake.push(Reply::text("too late").after(Duration::from_secs(3)));
    let mut settings = settings(&fake);
    settings.timeout = Duration::from_millis(500);
    let error = Provider::new(&settings)
        .unwrap()
        .complete(&[ChatMessage::user("hi")], &[])
        .await
        .unwrap_err();
    assert!(matches!(error, ProviderError::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn nothing_listening_is_unreachable() {
    let fake = FakeLlm::start().unwrap();
    let settings = settings(&fake);
    drop(fake);
    let error = Provider::new(&settings)
        .unwrap()
        .complete(&[ChatMessage::user("hi")], &[])
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProviderError::Unreachable { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("server is running"), "{error}");
}

#[tokio::test]
async fn embeddings_come_back_in_order_one_per_text() {
    let fake = FakeLlm::start().unwrap();
    fake.set_dimensions(8);
    let texts = vec!["acme invoice".to_owned(), "lunch on friday".to_owned()];
    let (vectors, usage) = provider(&fake).embed(&texts).await.unwrap();
    assert_eq!(vectors.len(), 2);
    assert_eq!(vectors[0].len(), 8);
    assert_ne!(vectors[0], vectors[1]);
    assert_eq!(usage.map(|u| u.prompt_tokens), Some(5));
    assert_eq!(fake.requests()[0].body["model"], EMBEDDINGS_MODEL);
}

#[tokio::test]
async fn test_connection_lists_models_and_times_a_reply() {
    let fake = FakeLlm::start().unwrap();
    fake.push(Reply::text("OK"));
    let report = provider(&fake).test_connection().await.unwrap();
    assert!(report.model_listed, "{report:?}");
    assert!(report.models.contains(&MODEL.to_owned()));
    assert!(report.usage.is_some());
    let mut settings = settings(&fake);
    settings.model = "not-there".to_owned();
    fake.push(Reply::text("OK"));
    let report = Provider::new(&settings)
        .unwrap()
        .test_connection()
        .await
        .unwrap();
    assert!(!report.model_listed, "an unlisted model is reported");
}
