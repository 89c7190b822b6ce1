//! Keeping the store: its health for diagnostics (SQLite's and SQLCipher's integrity
//! checks, the schema version the file carries, the size of the files on disk) and the
//! retention that deletes evidence older than the person wants kept.

use crate::{Store, StoreError};

/// What the integrity checks found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integrity {
    /// `PRAGMA integrity_check`: empty when the b-trees, indexes and constraints are sound.
    pub problems: Vec<String>,
    /// `PRAGMA cipher_integrity_check`: pages whose HMAC does not match (tampered with or
    /// damaged on disk); empty when every page checks out.
    pub cipher_problems: Vec<String>,
}

impl Integrity {
    /// Whether both checks passed.
    #[must_use]
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty() && self.cipher_problems.is_empty()
    }
}

/// At most this many problems are reported per check.
const MAX_PROBLEMS: u32 = 20;

impl Store {
    /// Runs SQLite's full integrity check and SQLCipher's page check. Reads every page,
    /// so it takes a while on a large store.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn integrity(&self) -> Result<Integrity, StoreError> {
        let problems: Vec<String> =
            sqlx::query_scalar(&format!("PRAGMA integrity_check({MAX_PROBLEMS})"))
                .fetch_all(self.reader())
                .await?
                .into_iter()
                .filter(|line: &String| line != "ok")
                .collect();
        // cipher_integrity_check answers on the connection that holds the key; any of
        // ours does. It returns one row per bad page, none when all is well.
        let cipher_problems: Vec<String> = sqlx::query_scalar("PRAGMA cipher_integrity_check")
            .fetch_all(self.reader())
            .await?;
        Ok(Integrity {
            problems,
            cipher_problems,
        })
    }

    /// The schema version written in the file (`PRAGMA user_version`).
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn stored_schema_version(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("PRAGMA user_version")
            .fetch_one(self.reader())
            .await?)
    }

    /// Deletes the messages sent and the events ended before `cutoff` (unix
    /// milliseconds) with everything that hangs off them (participants, labels, Gmail
    /// and Calendar mappings, chunks), in one transaction; returns how many messages and
    /// events went. Addresses stay: they are not evidence by themselves.
    ///
    /// # Errors
    /// The database refused the write; nothing is deleted then.
    pub async fn delete_evidence_before(&self, cutoff: i64) -> Result<(u64, u64), StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        // The full-text index keeps its own copy of the text: remove it first.
        sqlx::query(
            "INSERT INTO messages_fts (messages_fts, rowid, subject, sender, body_text)
             SELECT 'delete', id, subject, sender, body_text FROM messages WHERE sent_at < ?1",
        )
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
        let messages = sqlx::query("DELETE FROM messages WHERE sent_at < ?1")
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let events = sqlx::query("DELETE FROM events WHERE ends_at < ?1")
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok((messages, events))
    }

    /// Bytes on disk: the database file and its WAL.
    #[must_use]
    pub fn size_on_disk(&self) -> u64 {
        let wal = self.path.with_file_name(format!(
            "{}-wal",
            self.path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        [self.path.as_path(), wal.as_path()]
            .iter()
            .filter_map(|path| std::fs::metadata(path).ok())
            .map(|meta| meta.len())
            .sum()
    }
}
