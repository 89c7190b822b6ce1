//! The assistant's conversations as lists show them (newest first, with their size), and
//! the one change an answer takes after it is stored: the state of its proposed actions
//! once the person confirms one.

use sqlx::FromRow;

use crate::{Store, StoreError};

/// A conversation in the list.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChatThreadRow {
    pub id: i64,
    pub title: String,
    /// Unix milliseconds, UTC.
    pub created_at: i64,
    pub updated_at: i64,
    pub messages: i64,
}

/// An answer with the conversation it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredAnswerRow {
    pub thread_id: i64,
    pub role: String,
    /// JSON array.
    pub citations: String,
    /// JSON array.
    pub proposed_actions: String,
}

impl Store {
    /// Every conversation, the one last added to first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chat_threads(&self) -> Result<Vec<ChatThreadRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT t.id, t.title, t.created_at, t.updated_at,
                    (SELECT COUNT(*) FROM chat_messages m WHERE m.thread_id = t.id) AS messages
             FROM chat_threads t ORDER BY t.updated_at DESC, t.id DESC",
        )
        .fetch_all(self.reader())
        .await?)
    }

    /// Chat message `id` (its conversation, role, citations and proposed actions), or
    /// `None` if there is none.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chat_answer(&self, id: i64) -> Result<Option<StoredAnswerRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT thread_id, role, citations, proposed_actions FROM chat_messages WHERE id = ?1",
        )
        .bind(id)
        .fetch_optional(self.reader())
        .await?)
    }

    /// Replaces the proposed actions of chat message `id` with `proposed_actions` (JSON)
    /// if they still are `expected`; returns whether they were replaced (false: another
    /// change came first).
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn replace_proposed_actions(
        &self,
        id: i64,
        expected: &str,
        proposed_actions: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE chat_messages SET proposed_actions = ?3 WHERE id = ?1 AND proposed_actions = ?2",
        )
        .bind(id)
        .bind(expected)
        .bind(proposed_actions)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
