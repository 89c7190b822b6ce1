//! Artifacts: derived results stored as JSON, keyed by kind and subject and by the
//! evidence version they were computed from. Triggers move the version on whenever the
//! evidence changes (see the migration that creates `evidence_version`), so an artifact
//! whose version is behind is stale and is never served as current.

use crate::{Store, StoreError};

/// A stored artifact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub input_version: i64,
    pub computed_at: i64,
    pub body: String,
}

impl Store {
    /// The current evidence version.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn evidence_version(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT version FROM evidence_version WHERE id = 1")
                .fetch_one(self.reader())
                .await?,
        )
    }

    /// The artifact `kind` of `subject` computed at evidence `version`, if that is the
    /// one stored (a stale one is not read at all: some are megabytes).
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn artifact(
        &self,
        kind: &str,
        subject: &str,
        version: i64,
    ) -> Result<Option<Artifact>, StoreError> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT computed_at, body FROM artifacts
             WHERE kind = ?1 AND subject = ?2 AND input_version = ?3",
        )
        .bind(kind)
        .bind(subject)
        .bind(version)
        .fetch_optional(self.reader())
        .await?;
        Ok(row.map(|(computed_at, body)| Artifact {
            input_version: version,
            computed_at,
            body,
        }))
    }

    /// Stores the artifact `kind` of `subject`, replacing the one before, unless the
    /// evidence has moved past `input_version` meanwhile (then the result is already
    /// stale and is not kept). Returns whether it was stored.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn put_artifact(
        &self,
        kind: &str,
        subject: &str,
        input_version: i64,
        computed_at: i64,
        body: &str,
    ) -> Result<bool, StoreError> {
        let stored = sqlx::query(
            "INSERT INTO artifacts (kind, subject, input_version, computed_at, body)
             SELECT ?1, ?2, ?3, ?4, ?5 FROM evidence_version WHERE id = 1 AND version = ?3
             ON CONFLICT (kind, subject) DO UPDATE SET input_version = excluded.input_version,
               computed_at = excluded.computed_at, body = excluded.body",
        )
        .bind(kind)
        .bind(subject)
        .bind(input_version)
        .bind(computed_at)
        .bind(body)
        .execute(self.writer())
        .await?;
        Ok(stored.rows_affected() > 0)
    }

    /// Forgets the artifacts of `kind` computed before evidence version `current`: they
    /// can never be served again.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn prune_artifacts(&self, kind: &str, current: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM artifacts WHERE kind = ?1 AND input_version < ?2")
            .bind(kind)
            .bind(current)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Forgets every artifact, so the next reads compute from scratch.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn clear_artifacts(&self) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM artifacts")
            .execute(self.writer())
            .await?;
        Ok(())
    }
}
