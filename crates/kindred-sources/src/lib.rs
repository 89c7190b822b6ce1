//! Kindred's sources: everything that turns outside material into the normalised
//! evidence of `kindred-core`. Each source yields `Message`s and `Event`s plus
//! [`SourceError`]s for the items it had to skip; none of them touches the store.

pub mod batches;
pub mod ics;
pub mod maildir;
pub mod mbox;
pub mod mime;
pub mod sample;
pub mod takeout;
pub mod writers;

use std::fmt;

use serde::Serialize;

/// An item a source could not read: which file, where in it, and why. The rest of the
/// source still imports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceError {
    pub path: String,
    /// Where in the file: `byte 1234`, `message 17`, `line 40`, or an entry name in an archive.
    pub location: String,
    pub reason: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.path, self.location, self.reason)
    }
}
