//! Derived results kept in the store so the UI opens instantly: each is computed once per
//! evidence version and served from the store until new evidence makes it stale.
//! [`Kindred::recompute`] is the job run after an import or a sync.

use std::future::Future;
use std::sync::Arc;

use chrono::Utc;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::dto::RecomputeSummary;
use crate::evidence::off_workers;
use crate::{ApiError, Kindred, WrappedWindow};
use kindred_store::Store;

impl Kindred {
    /// The artifact `kind` of `subject` if it is of the current evidence — as remembered
    /// in memory, or else as stored; otherwise `compute`s it and stores the result. Callers
    /// asking for one artifact at once read or compute it once: the later ones wait.
    pub(crate) async fn cached<T, F>(
        &self,
        kind: &str,
        subject: &str,
        compute: F,
    ) -> Result<Arc<T>, ApiError>
    where
        T: Serialize + DeserializeOwned + Send + Sync + 'static,
        F: Future<Output = Result<T, ApiError>>,
    {
        let version = self.store.evidence_version().await?;
        if let Some(value) = self.evidence.remembered(kind, subject, version) {
            return Ok(value);
        }
        let gate = self.evidence.gate(kind, subject);
        let _reading = gate.lock().await;
        // Whoever held the gate before may have just read or computed it.
        if let Some(value) = self.evidence.remembered(kind, subject, version) {
            return Ok(value);
        }
        if let Some(artifact) = self.store.artifact(kind, subject, version).await? {
            match serde_json::from_str(&artifact.body) {
                Ok(value) => {
                    let value = Arc::new(value);
                    self.evidence
                        .remember(kind, subject, version, Arc::clone(&value));
                    return Ok(value);
                }
                Err(error) => {
                    tracing::warn!("the stored {kind} is unreadable ({error}); recomputing");
                }
            }
        }
        let value = Arc::new(compute.await?);
        self.evidence
            .remember(kind, subject, version, Arc::clone(&value));
        self.store_behind(kind, subject, version, Arc::clone(&value));
        Ok(value)
    }

    /// Stores `value` as the artifact `kind` of `subject` at evidence `version`, behind
    /// the caller: it is served from memory meanwhile, and [`Kindred::close`] waits for
    /// the write. A result of evidence that moved on meanwhile is not stored.
    fn store_behind<T>(&self, kind: &str, subject: &str, version: i64, value: Arc<T>)
    where
        T: Serialize + Send + Sync + 'static,
    {
        let store = self.store.clone();
        let (kind, subject) = (kind.to_owned(), subject.to_owned());
        self.evidence.write_behind(async move {
            if let Err(error) = store_artifact(&store, &kind, &subject, version, value).await {
                tracing::warn!(
                    "the {kind} could not be stored, it will be computed again: {error}"
                );
            }
        });
    }

    /// Brings every insight the app opens with up to date with the evidence: people and
    /// organisations, the graph, and Wrapped of the last 90 days. What is current already
    /// is not computed again.
    ///
    /// # Errors
    /// The store cannot be read or written.
    pub async fn recompute(&self) -> Result<RecomputeSummary, ApiError> {
        let started = std::time::Instant::now();
        let _recomputing = self.evidence.recomputing.write().await;
        // The graph starts with work on one core (its ties, communities and PageRank), and
        // Wrapped takes the other meanwhile; the ranking before them uses both.
        let people = self.ranked_people().await?.len();
        let (graph, _) = tokio::try_join!(
            self.shared_graph(),
            self.wrapped(WrappedWindow::LastDays(90))
        )?;
        Ok(RecomputeSummary {
            evidence_version: self.store.evidence_version().await?,
            people: u32::try_from(people).unwrap_or(u32::MAX),
            graph_nodes: u32::try_from(graph.nodes.len()).unwrap_or(u32::MAX),
            milliseconds: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
    }

    /// Forgets every stored insight: the next reads (or [`Kindred::recompute`]) compute
    /// them from scratch.
    ///
    /// # Errors
    /// The store cannot be written.
    pub async fn invalidate_insights(&self) -> Result<(), ApiError> {
        // A copy still being written would otherwise be stored again after the clearing.
        self.evidence.written().await;
        self.evidence.forget_results();
        Ok(self.store.clear_artifacts().await?)
    }
}

/// Serialises `value` and stores it as the artifact `kind` of `subject` at evidence
/// `version`, forgetting older ones; nothing if the evidence has moved on.
async fn store_artifact<T>(
    store: &Store,
    kind: &str,
    subject: &str,
    version: i64,
    value: Arc<T>,
) -> Result<(), ApiError>
where
    T: Serialize + Send + Sync + 'static,
{
    let body = off_workers("storing an insight", move || serde_json::to_string(&*value))
        .await?
        .map_err(|error| ApiError::internal(&format!("storing the {kind}"), &error))?;
    let now = Utc::now().timestamp_millis();
    if store
        .put_artifact(kind, subject, version, now, &body)
        .await?
    {
        store.prune_artifacts(kind, version).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use kindred_store::secrets::MemoryStore;
    use tokio::sync::Notify;

    use crate::{ApiError, Config, Kindred};

    #[tokio::test]
    async fn an_artifact_asked_for_twice_at_once_is_computed_once() {
        let dir = tempfile::tempdir().unwrap();
        let kindred = Kindred::open(&Config {
            data_dir: dir.path().join("data"),
            secrets: Box::new(MemoryStore::default()),
        })
        .await
        .unwrap();
        let computed = AtomicU32::new(0);
        let release = Notify::new();
        // The first computation holds on until the second caller is either computing too
        // or waiting at the artifact's gate (holding a handle on it beside the map's, the
        // first caller's and this test's).
        let compute = || async {
            if computed.fetch_add(1, Ordering::SeqCst) == 0 {
                release.notified().await;
            }
            Ok::<_, ApiError>(vec![7_u32])
        };
        let gate = kindred.evidence.gate("test", "today");
        let releaser = async {
            while computed.load(Ordering::SeqCst) < 2 && Arc::strong_count(&gate) < 4 {
                tokio::task::yield_now().await;
            }
            release.notify_one();
        };
        let (first, second, ()) = tokio::join!(
            kindred.cached("test", "today", compute()),
            kindred.cached("test", "today", compute()),
            releaser
        );
        assert_eq!(*first.unwrap(), vec![7]);
        assert_eq!(*second.unwrap(), vec![7]);
        assert_eq!(
            computed.load(Ordering::SeqCst),
            1,
            "the second caller waited"
        );
        kindred.close().await;
    }
}
