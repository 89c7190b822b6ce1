//! kindred-ai's tests, against the fake OpenAI-compatible server on 127.0.0.1.

mod chat;
mod provider;
mod retrieval;
mod story;
