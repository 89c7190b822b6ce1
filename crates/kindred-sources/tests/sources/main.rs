//! Integration tests of kindred-sources.

mod ics_oracle;
mod sample;
