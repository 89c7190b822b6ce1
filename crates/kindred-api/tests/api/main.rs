//! Integration tests of the kindred-api facade.

mod background;
mod bindings;
mod jobs;
mod progress;
