//! Kindred's assistant: the LLM provider over any OpenAI-compatible endpoint, relationship
//! stories whose every claim cites the evidence behind it and is verified against it, and
//! the chat agent as a pure state machine whose changing tools are only ever proposed.
//! Callers gather the evidence and run the tools; this crate decides, writes, checks and
//! fixes, and stories work without any LLM (offline mode) from templates.

pub mod chat;
pub mod facts;
pub mod intent;
pub mod provider;
pub mod retrieval;
pub mod story;
pub mod vectors;

pub use chat::{Agent, Answer, Effect, Event, ProposedAction, Source, ToolKind, ToolOutput};
pub use facts::{gather, Correspondence};
pub use intent::{intent, Intent};
pub use provider::{
    ChatMessage, Completion, ConnectionReport, Provider, ProviderError, ProviderSettings, Role,
    ToolCall, ToolSpec, Usage, DEFAULT_TIMEOUT,
};
pub use story::{
    offline_story, split_claims, write_story, Citation, Claim, Evidence, Fact, GeneratedBy, Story,
    StoryInput, StoryUsage,
};
