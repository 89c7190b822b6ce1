//! Test support shared by Kindred's test suites. Never a dependency of shipped code.

use std::path::{Path, PathBuf};

/// The shared test corpora (`KINDRED_CORPUS_DIR`, default `../shared/data` beside the
/// repository), or `None` after saying in one line that they are absent.
#[must_use]
pub fn corpus_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("KINDRED_CORPUS_DIR")
        .map_or_else(|| workspace_root().join("../shared/data"), PathBuf::from);
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

/// The repository's root: the nearest directory holding `Cargo.lock` above the package
/// under test. Read at run time (cargo sets `CARGO_MANIFEST_DIR` for tests), not baked in
/// at build time: a target directory shared by two checkouts must not send one checkout's
/// tests to the other's files.
fn workspace_root() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    start
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .map_or(start.clone(), Path::to_path_buf)
}
