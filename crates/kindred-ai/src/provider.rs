//! The LLM provider: any OpenAI-compatible endpoint (OpenAI, Azure-style gateways,
//! Ollama, LM Studio, llama.cpp server, vLLM) reached through async-openai with a
//! configurable base URL.
//!
//! async-openai brings the transport: the key as a bearer token, SSE parsing, and retries
//! of 429 and 5xx answers and refused connections with exponential backoff that honours
//! `Retry-After` (three retries). Requests and replies use this module's own lenient
//! reading of the JSON rather than the client's strict types, because servers differ: a
//! tool call's `arguments` may be a JSON text (OpenAI) or an object (Ollama), a streamed
//! call may come whole in one chunk or in pieces, `id`, `index`, `created` and `usage`
//! may be missing. Timeouts: ten seconds to connect, and [`ProviderSettings::timeout`]
//! of silence while reading a reply.

use std::time::{Duration, Instant};

use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::Client;
use futures_util::StreamExt as _;
use kindred_store::secrets::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use thiserror::Error;

/// How long a connection may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the LLM is and how to reach it.
#[derive(Debug)]
pub struct ProviderSettings {
    /// The API's base URL, ending before `/chat/completions`, e.g.
    /// `https://api.openai.com/v1` or `http://localhost:11434/v1`.
    pub base_url: String,
    /// The chat model.
    pub model: String,
    /// The embeddings model; none means embeddings are computed locally.
    pub embeddings_model: Option<String>,
    /// The API key, sent as a bearer token; local servers usually need none.
    pub api_key: Option<SecretString>,
    /// The longest silence while waiting for a reply (or the next streamed piece).
    pub timeout: Duration,
}

/// The default for [`ProviderSettings::timeout`]: local models can be slow to start.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// Why the provider failed. Each message names the endpoint and says what to do.
#[derive(Debug, Error)]
pub enum ProviderError {
    #[error("the LLM endpoint {base_url} cannot be reached ({reason}); check the base URL and that the server is running")]
    Unreachable { base_url: String, reason: String },
    #[error("the LLM endpoint {base_url} did not answer within {seconds} s; try again, or a smaller or faster model")]
    Timeout { base_url: String, seconds: u64 },
    #[error("the LLM endpoint {base_url} refused the API key ({status}): {message}; set the key with `kindred llm set --api-key-stdin` or KINDRED_LLM_API_KEY")]
    Unauthorized {
        base_url: String,
        status: u16,
        message: String,
    },
    #[error("the LLM endpoint {base_url} is rate-limiting requests and still refused after retries: {message}; try again later")]
    RateLimited { base_url: String, message: String },
    #[error("the LLM endpoint {base_url} answered {status}: {message}")]
    Refused {
        base_url: String,
        status: u16,
        message: String,
    },
    #[error("the LLM endpoint {base_url} sent a reply that is not an OpenAI-compatible answer ({reason}); is the base URL the API's (often ending in /v1)?")]
    Malformed { base_url: String, reason: String },
}

impl ProviderError {
    /// Whether trying again later may succeed.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Unreachable { .. } | Self::Timeout { .. } | Self::RateLimited { .. } => true,
            Self::Refused { status, .. } => *status >= 500,
            Self::Unauthorized { .. } | Self::Malformed { .. } => false,
        }
    }
}

/// Who wrote a message of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
    Tool,
}

/// A tool the model may call: a name, what it does, and a JSON schema of its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
    pub parameters: Value,
}

/// A call of a tool by the model; `arguments` is a JSON text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    pub arguments: String,
}

/// One message of a conversation with the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
    /// The tools an assistant message calls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCall>,
    /// The call a tool message answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
}

impl ChatMessage {
    #[must_use]
    pub fn system(content: impl Into<String>) -> Self {
        Self::with_role(Role::System, content)
    }

    #[must_use]
    pub fn user(content: impl Into<String>) -> Self {
        Self::with_role(Role::User, content)
    }

    #[must_use]
    pub fn assistant(content: impl Into<String>) -> Self {
        Self::with_role(Role::Assistant, content)
    }

    fn with_role(role: Role, content: impl Into<String>) -> Self {
        Self {
            role,
            content: content.into(),
            tool_calls: Vec::new(),
            tool_call_id: None,
        }
    }

    fn to_wire(&self) -> Value {
        let mut message = json!({"role": self.role, "content": self.content});
        if !self.tool_calls.is_empty() {
            message["tool_calls"] = self
                .tool_calls
                .iter()
                .map(|call| {
                    json!({"id": call.id, "type": "function",
                           "function": {"name": call.name, "arguments": call.arguments}})
                })
                .collect();
        }
        if let Some(id) = &self.tool_call_id {
            message["tool_call_id"] = json!(id);
        }
        message
    }
}

/// Tokens a request used, as the server counted them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

impl Usage {
    fn from_wire(value: &Value) -> Option<Self> {
        let count = |field: &str| {
            value[field]
                .as_u64()
                .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
        };
        Some(Self {
            prompt_tokens: count("prompt_tokens")?,
            completion_tokens: count("completion_tokens").unwrap_or(0),
        })
    }
}

/// The model's answer: text, tool calls, or both.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completion {
    pub content: String,
    pub tool_calls: Vec<ToolCall>,
    /// What the server reported; some servers report nothing.
    pub usage: Option<Usage>,
}

/// What [`Provider::test_connection`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectionReport {
    /// The models the endpoint lists (some servers list none).
    pub models: Vec<String>,
    /// Whether the configured chat model is among them.
    pub model_listed: bool,
    /// The time a one-word completion took.
    pub reply_milliseconds: u64,
    pub usage: Option<Usage>,
}

/// A configured LLM endpoint.
#[derive(Debug, Clone)]
pub struct Provider {
    client: Client<OpenAIConfig>,
    base_url: String,
    model: String,
    embeddings_model: Option<String>,
    timeout: Duration,
}

impl Provider {
    /// A provider for `settings`. Nothing is sent until it is used.
    ///
    /// # Errors
    /// The HTTP client cannot be built (no TLS roots on the system).
    pub fn new(settings: &ProviderSettings) -> Result<Self, ProviderError> {
        let base_url = settings.base_url.trim_end_matches('/').to_owned();
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(settings.timeout)
            .build()
            .map_err(|error| ProviderError::Unreachable {
                base_url: base_url.clone(),
                reason: error.to_string(),
            })?;
        let mut config = OpenAIConfig::new().with_api_base(&base_url);
        if let Some(key) = &settings.api_key {
            config = config.with_api_key(key.expose());
        }
        Ok(Self {
            client: Client::build(http, config),
            base_url,
            model: settings.model.clone(),
            embeddings_model: settings.embeddings_model.clone(),
            timeout: settings.timeout,
        })
    }

    /// The chat model in use.
    #[must_use]
    pub fn model(&self) -> &str {
        &self.model
    }

    /// The endpoint's base URL, without a trailing `/`.
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The embeddings model in use, if the endpoint computes embeddings.
    #[must_use]
    pub fn embeddings_model(&self) -> Option<&str> {
        self.embeddings_model.as_deref()
    }

    fn request(&self, messages: &[ChatMessage], tools: &[ToolSpec], stream: bool) -> Value {
        let mut request = json!({
            "model": self.model,
            "messages": messages.iter().map(ChatMessage::to_wire).collect::<Vec<_>>(),
            "temperature": 0.2,
            "stream": stream,
        });
        if stream {
            request["stream_options"] = json!({"include_usage": true});
        }
        if !tools.is_empty() {
            request["tools"] = tools
                .iter()
                .map(|tool| {
                    json!({"type": "function", "function": {
                        "name": tool.name, "description": tool.description,
                        "parameters": tool.parameters}})
                })
                .collect();
        }
        request
    }

    /// One completion of `messages`, offering `tools`.
    ///
    /// # Errors
    /// See [`ProviderError`]; 429 and 5xx answers are retried first.
    pub async fn complete(
        &self,
        messages: &[ChatMessage],
        tools: &[ToolSpec],
    ) -> Result<Completion, ProviderError> {
        let request = self.request(messages, tools, false);
        let reply: Value = self
            .client
            .chat()
            .create_byot(request)
            .await
            .map_err(|error| self.error(error))?;
        let message = &reply["choices"][0]["message"];
        if !message.is_object() {
            return Err(self.malformed("no choices[0].message in the reply"));
        }
        let mut calls = ToolCalls::default();
        for (position, call) in message["tool_calls"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            calls.add(position, call);
        }
        Ok(Completion {
            content: message["content"].as_str().unwrap_or_default().to_owned(),
            tool_calls: calls.finish(),
            usage: Usage::from_wire(&reply["usage"]),
        })
    }

    /// A completion of `messages`, offering `tools`, streamed: `on_token` receives each
    /// piece of text as it arrives; the whole answer is returned at the end.
    ///
    /// # Errors
    /// See [`ProviderError`]; a stream that breaks off is an error, not a short answer.
    pub async fn stream(
        &self,
        messages: &[ChatMessage],
        tools: &[ToolSpec],
        on_token: &mut (dyn FnMut(&str) + Send),
    ) -> Result<Completion, ProviderError> {
        let request = self.request(messages, tools, true);
        let mut stream = self
            .client
            .chat()
            .create_stream_byot::<Value, Value>(request)
            .await
            .map_err(|error| self.error(error))?;
        let mut completion = Completion::default();
        let mut calls = ToolCalls::default();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|error| self.error(error))?;
            if let Some(usage) = Usage::from_wire(&chunk["usage"]) {
                completion.usage = Some(usage);
            }
            let delta = &chunk["choices"][0]["delta"];
            if let Some(text) = delta["content"].as_str().filter(|text| !text.is_empty()) {
                on_token(text);
                completion.content.push_str(text);
            }
            for (position, call) in delta["tool_calls"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                calls.add(position, call);
            }
        }
        completion.tool_calls = calls.finish();
        Ok(completion)
    }

    /// Embeddings of `texts` from the endpoint's embeddings model, in order.
    ///
    /// # Errors
    /// No embeddings model is configured ([`ProviderError::Refused`] with status 0), or
    /// see [`ProviderError`].
    pub async fn embed(
        &self,
        texts: &[String],
    ) -> Result<(Vec<Vec<f32>>, Option<Usage>), ProviderError> {
        let Some(model) = &self.embeddings_model else {
            return Err(ProviderError::Refused {
                base_url: self.base_url.clone(),
                status: 0,
                message: "no embeddings model is configured (KINDRED_EMBEDDINGS_MODEL)".to_owned(),
            });
        };
        let reply: Value = self
            .client
            .embeddings()
            .create_byot(json!({"model": model, "input": texts}))
            .await
            .map_err(|error| self.error(error))?;
        let mut data: Vec<(u64, Vec<f32>)> = Vec::with_capacity(texts.len());
        for (position, item) in reply["data"].as_array().into_iter().flatten().enumerate() {
            let vector: Vec<f32> = serde_json::from_value(item["embedding"].clone())
                .map_err(|_| self.malformed("an embedding that is not a list of numbers"))?;
            let index = item["index"].as_u64().unwrap_or(position as u64);
            data.push((index, vector));
        }
        if data.len() != texts.len() {
            return Err(self.malformed(&format!(
                "{} embeddings for {} texts",
                data.len(),
                texts.len()
            )));
        }
        data.sort_by_key(|(index, _)| *index);
        Ok((
            data.into_iter().map(|(_, vector)| vector).collect(),
            Usage::from_wire(&reply["usage"]),
        ))
    }

    /// Checks the endpoint: lists its models and has the chat model answer one word.
    ///
    /// # Errors
    /// See [`ProviderError`].
    pub async fn test_connection(&self) -> Result<ConnectionReport, ProviderError> {
        let listed: Value = self
            .client
            .models()
            .list_byot()
            .await
            .map_err(|error| self.error(error))?;
        let models: Vec<String> = listed["data"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|model| model["id"].as_str().map(str::to_owned))
            .collect();
        let started = Instant::now();
        let reply = self
            .complete(&[ChatMessage::user("Reply with the single word OK.")], &[])
            .await?;
        Ok(ConnectionReport {
            model_listed: models.contains(&self.model),
            models,
            reply_milliseconds: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            usage: reply.usage,
        })
    }

    fn malformed(&self, reason: &str) -> ProviderError {
        ProviderError::Malformed {
            base_url: self.base_url.clone(),
            reason: reason.to_owned(),
        }
    }

    fn error(&self, error: OpenAIError) -> ProviderError {
        let base_url = self.base_url.clone();
        match error {
            OpenAIError::Reqwest(error) if error.is_timeout() => ProviderError::Timeout {
                base_url,
                seconds: self.timeout.as_secs(),
            },
            OpenAIError::Reqwest(error) => ProviderError::Unreachable {
                base_url,
                reason: error.to_string(),
            },
            OpenAIError::ApiError(response) => {
                let status = response.status_code.as_u16();
                let message = response.api_error.message;
                match status {
                    401 | 403 => ProviderError::Unauthorized {
                        base_url,
                        status,
                        message,
                    },
                    429 => ProviderError::RateLimited { base_url, message },
                    _ => ProviderError::Refused {
                        base_url,
                        status,
                        message,
                    },
                }
            }
            OpenAIError::JSONDeserialize(error, _) => ProviderError::Malformed {
                base_url,
                reason: error.to_string(),
            },
            OpenAIError::StreamError(error) => ProviderError::Malformed {
                base_url,
                reason: format!("the stream broke off: {error}"),
            },
            other => ProviderError::Malformed {
                base_url,
                reason: other.to_string(),
            },
        }
    }
}

/// Tool calls assembled from a reply or from streamed pieces. Pieces name their call by
/// `index` (OpenAI, vLLM) or come whole without one (some Ollama and llama.cpp versions);
/// `arguments` come as JSON text in pieces, or as one object.
#[derive(Default)]
struct ToolCalls {
    calls: Vec<(u64, ToolCall)>,
}

impl ToolCalls {
    fn add(&mut self, position: usize, piece: &Value) {
        let index = piece["index"].as_u64().unwrap_or(position as u64);
        let id = piece["id"].as_str().filter(|id| !id.is_empty());
        // A new id at a known index is a new call (servers that restart indices per chunk).
        let existing = self
            .calls
            .iter()
            .position(|(i, call)| *i == index && id.is_none_or(|id| call.id == id));
        let slot = match existing {
            Some(slot) => slot,
            None => {
                self.calls.push((
                    index,
                    ToolCall {
                        id: id.map_or_else(|| format!("call_{index}"), str::to_owned),
                        name: String::new(),
                        arguments: String::new(),
                    },
                ));
                self.calls.len() - 1
            }
        };
        let call = &mut self.calls[slot].1;
        let function = &piece["function"];
        if let Some(name) = function["name"].as_str() {
            call.name.push_str(name);
        }
        match &function["arguments"] {
            Value::String(text) => call.arguments.push_str(text),
            Value::Null => {}
            object => call.arguments = object.to_string(),
        }
    }

    fn finish(self) -> Vec<ToolCall> {
        self.calls
            .into_iter()
            .map(|(_, mut call)| {
                if call.arguments.trim().is_empty() {
                    "{}".clone_into(&mut call.arguments);
                }
                call
            })
            .collect()
    }
}
