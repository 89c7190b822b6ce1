//! A fake OpenAI-compatible LLM server, served over real HTTP on 127.0.0.1, for Kindred's
//! tests and benchmarks.
//!
//! [`FakeLlm::start`] binds a free port and serves `POST /v1/chat/completions` (plain JSON
//! and SSE streaming, text and tool calls, token usage), `POST /v1/embeddings` and
//! `GET /v1/models` on a thread of its own until the value is dropped. Tests script what
//! each completion answers — a queue of [`Reply`]s taken in order, then a responder
//! function of the request — including errors (any status, 429 with `Retry-After`), a
//! malformed body and slow answers, and read back every request received
//! ([`FakeLlm::requests`]) to assert on prompts. Embeddings are deterministic vectors of
//! a chosen length ([`FakeLlm::set_dimensions`]); their own queue
//! ([`FakeLlm::push_embeddings`]) scripts refusals, malformed bodies and delays. Bodies follow OpenAI's shapes: `choices`,
//! `delta`s, `tool_calls` with an `index`, `usage`, `{"error": {"message", "type"}}`.

mod wire;

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::oneshot;

/// A function of the request that decides the reply when no queued reply is left.
pub type Responder = Box<dyn Fn(&Recorded) -> Reply + Send + Sync>;

/// What one chat completion answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// An assistant message with this content.
    Text(String),
    /// An assistant message calling tools, with `finish_reason: "tool_calls"`.
    ToolCalls(Vec<ToolCall>),
    /// An error response with this status and message, and `Retry-After: seconds` if given.
    Error {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    /// A 200 response whose body is not the JSON promised.
    Malformed,
    /// `reply`, after a delay (before the response starts).
    Slow { delay: Duration, reply: Box<Reply> },
}

impl Reply {
    /// A text reply.
    #[must_use]
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// One tool call with `arguments` as its JSON arguments.
    #[must_use]
    pub fn tool_call(name: impl Into<String>, arguments: &Value) -> Self {
        Self::ToolCalls(vec![ToolCall {
            name: name.into(),
            arguments: arguments.to_string(),
        }])
    }

    /// A rate-limit refusal: 429 with `Retry-After: seconds`.
    #[must_use]
    pub fn rate_limited(seconds: u64) -> Self {
        Self::Error {
            status: 429,
            message: "Rate limit reached; try again later".to_owned(),
            retry_after: Some(seconds),
        }
    }

    /// A server error with `status`.
    #[must_use]
    pub fn server_error(status: u16) -> Self {
        Self::Error {
            status,
            message: "The server had an error while processing your request".to_owned(),
            retry_after: None,
        }
    }

    /// `self`, answered after `delay`.
    #[must_use]
    pub fn after(self, delay: Duration) -> Self {
        Self::Slow {
            delay,
            reply: Box::new(self),
        }
    }
}

/// One tool call in a reply; `arguments` is a JSON text, as OpenAI sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCall {
    pub name: String,
    pub arguments: String,
}

/// How streamed tool calls are cut into chunks: servers differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ToolCallStreaming {
    /// OpenAI, vLLM: the name first, then the arguments in several pieces.
    #[default]
    Pieces,
    /// Ollama, llama.cpp server: each call whole in one chunk.
    Whole,
}

/// One request received, as sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// `/v1/chat/completions`, `/v1/embeddings`, `/v1/models`.
    pub path: String,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
    /// The JSON body (`null` for a GET or a body that was not JSON).
    pub body: Value,
}

impl Recorded {
    /// Every message's text content in a chat request, joined by newlines.
    #[must_use]
    pub fn prompt_text(&self) -> String {
        self.messages()
            .iter()
            .filter_map(|message| message["content"].as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The `messages` of a chat request.
    #[must_use]
    pub fn messages(&self) -> Vec<Value> {
        self.body["messages"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The content of the last message of a chat request.
    #[must_use]
    pub fn last_message(&self) -> String {
        self.messages()
            .last()
            .and_then(|message| message["content"].as_str())
            .unwrap_or_default()
            .to_owned()
    }

    /// Whether the request asked for a streamed answer.
    #[must_use]
    pub fn streaming(&self) -> bool {
        self.body["stream"].as_bool().unwrap_or(false)
    }
}

/// The fake's state, shared with the request handlers.
struct State {
    queue: VecDeque<Reply>,
    embeddings_queue: VecDeque<Reply>,
    responder: Option<Responder>,
    requests: Vec<Recorded>,
    models: Vec<String>,
    dimensions: usize,
    tool_call_streaming: ToolCallStreaming,
    chunk_delay: Duration,
    api_key: Option<String>,
}

#[derive(Clone)]
pub(crate) struct Shared(Arc<Mutex<State>>);

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked leaves the state as consistent as any other moment.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A running fake LLM on `127.0.0.1`. Dropping it stops the server.
pub struct FakeLlm {
    address: SocketAddr,
    shared: Shared,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FakeLlm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeLlm")
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

/// The model the fake lists and accepts by default.
pub const MODEL: &str = "fake-chat";
/// The embeddings model the fake lists by default.
pub const EMBEDDINGS_MODEL: &str = "fake-embed";

impl FakeLlm {
    /// Binds a free port on 127.0.0.1 and serves on a thread with its own runtime, so it
    /// works under any test runtime or none.
    ///
    /// # Errors
    /// When the port cannot be bound or the thread or runtime cannot start.
    pub fn start() -> io::Result<FakeLlm> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let shared = Shared(Arc::new(Mutex::new(State {
            queue: VecDeque::new(),
            embeddings_queue: VecDeque::new(),
            responder: None,
            requests: Vec::new(),
            models: vec![MODEL.to_owned(), EMBEDDINGS_MODEL.to_owned()],
            dimensions: 64,
            tool_call_streaming: ToolCallStreaming::default(),
            chunk_delay: Duration::ZERO,
            api_key: None,
        })));
        let app = wire::app(shared.clone());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("kindred-fakellm")
            .enable_all()
            .build()?;
        let listener = {
            let _inside = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("kindred-fakellm".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    tokio::select! {
                        _ = axum::serve(listener, app) => {}
                        _ = stopped => {}
                    }
                });
                runtime.shutdown_background();
            })?;
        Ok(FakeLlm {
            address,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT/v1`, the base URL an OpenAI client is given.
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.address)
    }

    /// Queues `reply` as the answer to the next chat completion not yet answered.
    pub fn push(&self, reply: Reply) {
        self.shared.lock().queue.push_back(reply);
    }

    /// Queues `reply` as the answer to the next embeddings request not yet answered:
    /// [`Reply::Error`], [`Reply::Malformed`] and [`Reply::Slow`] as for completions; a
    /// text or tool-call reply answers with the embeddings as usual. With the queue
    /// empty, every embeddings request is answered.
    pub fn push_embeddings(&self, reply: Reply) {
        self.shared.lock().embeddings_queue.push_back(reply);
    }

    /// The embeddings requests received so far, oldest first.
    #[must_use]
    pub fn embeddings_requests(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|request| request.path.ends_with("/embeddings"))
            .collect()
    }

    /// Answers chat completions with `responder` once the queue is empty (without one,
    /// an unscripted completion is a 500 saying so).
    pub fn respond_with(&self, responder: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) {
        self.shared.lock().responder = Some(Box::new(responder));
    }

    /// Every request received so far, oldest first.
    #[must_use]
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().requests.clone()
    }

    /// The chat completion requests received so far, oldest first.
    #[must_use]
    pub fn chat_requests(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|request| request.path.ends_with("/chat/completions"))
            .collect()
    }

    /// Requires `Authorization: Bearer KEY` on every request (401 otherwise).
    pub fn require_api_key(&self, key: &str) {
        self.shared.lock().api_key = Some(key.to_owned());
    }

    /// How streamed tool calls are cut into chunks.
    pub fn set_tool_call_streaming(&self, style: ToolCallStreaming) {
        self.shared.lock().tool_call_streaming = style;
    }

    /// A pause between streamed chunks.
    pub fn set_chunk_delay(&self, delay: Duration) {
        self.shared.lock().chunk_delay = delay;
    }

    /// The length of the embeddings served (64 unless set).
    pub fn set_dimensions(&self, dimensions: usize) {
        self.shared.lock().dimensions = dimensions.max(1);
    }
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
