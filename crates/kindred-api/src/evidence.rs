//! The evidence the insights read, kept in memory for as long as Kindred is open: the
//! first insight reads it whole, later ones read only what arrived since (see
//! [`kindred_store::interactions::Evidence`]). A long-running app recomputes after a sync
//! in the time the new mail takes; a one-shot CLI call reads it once.

use std::sync::Arc;

use kindred_store::interactions::Evidence;
use tokio::sync::Mutex;

use crate::{ApiError, Kindred};

/// The last evidence read, shared by the insights that read it.
#[derive(Debug, Default)]
pub(crate) struct EvidenceCache(Mutex<Arc<Evidence>>);

impl Kindred {
    /// The evidence as the store holds it now.
    pub(crate) async fn evidence(&self) -> Result<Arc<Evidence>, ApiError> {
        let mut cached = self.evidence.0.lock().await;
        // Readers of the previous copy keep it; the update goes to a copy of its own.
        self.store
            .refresh_evidence(Arc::make_mut(&mut cached))
            .await?;
        Ok(Arc::clone(&cached))
    }
}
