//! The evidence the insights read, kept in memory for as long as Kindred is open: the
//! first insight reads it whole, later ones read only what arrived since (see
//! [`kindred_store::interactions::Evidence`]). The directory of people built from it is
//! kept too, until the evidence version moves on. A long-running app recomputes after a sync
//! in the time the new mail takes; a one-shot CLI call reads it once.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, PoisonError};

use kindred_store::interactions::Evidence;
use tokio::sync::{Mutex, RwLock};
use tokio::task::JoinSet;

use crate::directory::Directory;
use crate::{ApiError, Kindred};

/// The last evidence read, and the directory of people last built, shared by the
/// insights that read them.
#[derive(Debug, Default)]
pub(crate) struct EvidenceCache {
    evidence: Mutex<Arc<Evidence>>,
    pub(crate) directory: Mutex<Option<Arc<Directory>>>,
    /// The insights last computed or read, by kind and subject, with the evidence version
    /// they are of: what the next read of one serves without reading its stored form.
    results: std::sync::Mutex<HashMap<(String, String), Remembered>>,
    /// One gate per result, held while it is read or computed: a second caller waits for
    /// the first and takes its result, instead of computing it again beside it.
    gates: std::sync::Mutex<HashMap<(String, String), Gate>>,
    /// The stored copies of results still being written.
    writes: std::sync::Mutex<JoinSet<()>>,
    /// Held by a recompute while it runs: the stored copies wait for it, so they never
    /// take a core from the insights still being computed.
    pub(crate) recomputing: Arc<RwLock<()>>,
}

type Remembered = (i64, Arc<dyn Any + Send + Sync>);

/// Held while one result is read or computed.
pub(crate) type Gate = Arc<Mutex<()>>;

impl EvidenceCache {
    /// The gate of the result `kind` of `subject` (see `gates`).
    pub(crate) fn gate(&self, kind: &str, subject: &str) -> Gate {
        let mut gates = self.gates.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            gates
                .entry((kind.to_owned(), subject.to_owned()))
                .or_default(),
        )
    }

    /// The result `kind` of `subject` remembered at evidence `version`, if any.
    pub(crate) fn remembered<T: Send + Sync + 'static>(
        &self,
        kind: &str,
        subject: &str,
        version: i64,
    ) -> Option<Arc<T>> {
        let results = self.results.lock().unwrap_or_else(PoisonError::into_inner);
        let (at, value) = results.get(&(kind.to_owned(), subject.to_owned()))?;
        if *at != version {
            return None;
        }
        Arc::clone(value).downcast().ok()
    }

    /// Remembers `value` as the result `kind` of `subject` at evidence `version`, and
    /// forgets the results of older versions.
    pub(crate) fn remember<T: Send + Sync + 'static>(
        &self,
        kind: &str,
        subject: &str,
        version: i64,
        value: Arc<T>,
    ) {
        let mut results = self.results.lock().unwrap_or_else(PoisonError::into_inner);
        results.retain(|_, (at, _)| *at >= version);
        results.insert((kind.to_owned(), subject.to_owned()), (version, value));
    }

    /// Runs `write` (the stored copy of a result) beside whatever comes next, once no
    /// recompute is running.
    pub(crate) fn write_behind(&self, write: impl Future<Output = ()> + Send + 'static) {
        let recomputing = Arc::clone(&self.recomputing);
        let mut writes = self.writes.lock().unwrap_or_else(PoisonError::into_inner);
        while writes.try_join_next().is_some() {}
        writes.spawn(async move {
            drop(recomputing.read().await);
            write.await;
        });
    }

    /// Waits until every result is stored.
    pub(crate) async fn written(&self) {
        let mut writes =
            std::mem::take(&mut *self.writes.lock().unwrap_or_else(PoisonError::into_inner));
        while let Some(done) = writes.join_next().await {
            if let Err(error) = done {
                tracing::warn!("storing an insight stopped: {error}");
            }
        }
    }

    /// Forgets every result remembered.
    pub(crate) fn forget_results(&self) {
        self.results
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
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
