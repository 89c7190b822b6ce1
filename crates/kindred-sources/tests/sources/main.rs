//! Integration tests of kindred-sources.

mod ics_oracle;
mod invitations;
mod mime_torture;
mod sample;
mod takeout;
