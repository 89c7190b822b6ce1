//! Kindred's assistant: the LLM provider over any OpenAI-compatible endpoint, and
//! relationship stories whose every claim cites the evidence behind it and is verified
//! against it. Callers gather the evidence from the store; this crate writes, checks and
//! fixes the text, and works without any LLM (offline mode) from templates.

pub mod facts;
pub mod provider;
pub mod story;

pub use facts::{gather, Correspondence};
pub use provider::{
    ChatMessage, Completion, ConnectionReport, Provider, ProviderError, ProviderSettings, Role,
    ToolCall, ToolSpec, Usage, DEFAULT_TIMEOUT,
};
pub use story::{
    offline_story, split_claims, write_story, Citation, Claim, Evidence, Fact, GeneratedBy, Story,
    StoryInput, StoryUsage,
};
