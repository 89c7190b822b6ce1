//! Integration tests for kindred-core: one binary, one module per area.

mod graph;
mod identity;
mod invites;
mod ranking;
mod rules;
mod words;
mod wrapped;
