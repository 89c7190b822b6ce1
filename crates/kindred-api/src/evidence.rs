//! The evidence the insights read, kept in memory for as long as Kindred is open: the
//! first insight reads it whole, later ones read only what arrived since (see
//! [`kindred_store::interactions::Evidence`]). The directory of people built from it is
//! kept too, until the evidence version moves on. A long-running app recomputes after a sync
//! in the time the new mail takes; a one-shot CLI call reads it once.

use std::sync::Arc;

use kindred_store::interactions::Evidence;
use tokio::sync::Mutex;

use crate::directory::Directory;
use crate::{ApiError, Kindred};

/// The last evidence read, and the directory of people last built, shared by the
/// insights that read them.
#[derive(Debug, Default)]
pub(crate) struct EvidenceCache {
    evidence: Mutex<Arc<Evidence>>,
    /// With the evidence version it was built at.
    pub(crate) directory: Mutex<Option<(i64, Arc<Directory>)>>,
}

impl Kindred {
    /// The evidence as the store holds it now.
    pub(crate) async fn evidence(&self) -> Result<Arc<Evidence>, ApiError> {
        let mut cached = self.evidence.evidence.lock().await;
        // Unchanged, it is shared as it is: a copy for the update is only made (while
        // another insight still reads the previous one) when there is something to add.
        if cached.version() != self.store.evidence_version().await? {
            self.store
                .refresh_evidence(Arc::make_mut(&mut cached))
                .await?;
        }
        Ok(Arc::clone(&cached))
    }
}

/// Runs CPU or file work (`what`, "computing the ranking") on the blocking pool: off the
/// async workers, and beside the other insights a recompute computes at the same time.
pub(crate) async fn off_workers<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ApiError::internal(what, &error))
}
