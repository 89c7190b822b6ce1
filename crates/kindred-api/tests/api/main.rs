//! Integration tests of the kindred-api facade.

mod activity;
mod background;
mod bindings;
mod conversations;
mod embeddings;
mod events;
mod export;
mod insights;
mod instructions;
mod jobs;
mod messages;
mod people;
mod progress;
mod retention;
mod retrieval;
mod rules;
mod support;
