//! Integration tests of the kindred-api facade.

mod bindings;
mod jobs;
mod progress;
