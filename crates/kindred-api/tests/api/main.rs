//! Integration tests of the kindred-api facade.

mod activity;
mod background;
mod bindings;
mod export;
mod instructions;
mod jobs;
mod progress;
mod retention;
mod rules;
