//! The fake LLM's own tests: real HTTP against a server started in-process.

mod chat;
