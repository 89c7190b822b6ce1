//! Integration tests of the kindred-api facade.

mod activity;
mod background;
mod bindings;
mod jobs;
mod progress;
