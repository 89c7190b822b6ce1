//! Test support shared by Kindred's test suites. Never a dependency of shipped code.

use std::path::{Path, PathBuf};

/// The shared test corpora (`KINDRED_CORPUS_DIR`, default `../shared/data` beside the
/// repository), or `None` after saying in one line that they are absent.
#[must_use]
pub fn corpus_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("KINDRED_CORPUS_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "{test}: corpus not found at {} (set KINDRED_CORPUS_DIR); corpus checks not run",
            dir.display()
        );
        None
    }
}
