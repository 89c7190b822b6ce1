//! Conversations with the assistant: threads and their messages, with the citations and
//! proposed actions of each answer as JSON.

use sqlx::FromRow;

use crate::{Store, StoreError};

/// One stored message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChatMessageRow {
    pub id: i64,
    /// `user` or `assistant`.
    pub role: String,
    pub content: String,
    /// JSON array.
    pub citations: String,
    /// JSON array.
    pub proposed_actions: String,
    pub created_at: i64,
}

/// A message to append to a conversation.
#[derive(Debug, Clone, Copy)]
pub struct NewChatMessage<'a> {
    pub role: &'a str,
    pub content: &'a str,
    pub citations: &'a str,
    pub proposed_actions: &'a str,
}

impl Store {
    /// Starts a conversation titled `title` at `at` (unix milliseconds); returns its id.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn create_chat_thread(&self, title: &str, at: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO chat_threads (title, created_at, updated_at) VALUES (?1, ?2, ?2)
             RETURNING id",
        )
        .bind(title)
        .bind(at)
        .fetch_one(self.writer())
        .await?)
    }

    /// Whether conversation `id` exists.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chat_thread_exists(&self, id: i64) -> Result<bool, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM chat_threads WHERE id = ?1)")
                .bind(id)
                .fetch_one(self.reader())
                .await?,
        )
    }

    /// Appends `messages` to conversation `thread` at `at`, in one transaction.
    ///
    /// # Errors
    /// The database refused the write (e.g. no such conversation).
    pub async fn append_chat_messages(
        &self,
        thread: i64,
        messages: &[NewChatMessage<'_>],
        at: i64,
    ) -> Result<(), StoreError> {
        let mut transaction = self.writer().begin().await?;
        for message in messages {
            sqlx::query(
                "INSERT INTO chat_messages
                   (thread_id, role, content, citations, proposed_actions, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .bind(thread)
            .bind(message.role)
            .bind(message.content)
            .bind(message.citations)
            .bind(message.proposed_actions)
            .bind(at)
            .execute(&mut *transaction)
            .await?;
        }
        sqlx::query("UPDATE chat_threads SET updated_at = ?2 WHERE id = ?1")
            .bind(thread)
            .bind(at)
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// The messages of conversation `thread`, oldest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chat_messages(&self, thread: i64) -> Result<Vec<ChatMessageRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, role, content, citations, proposed_actions, created_at
             FROM chat_messages WHERE thread_id = ?1 ORDER BY id",
        )
        .bind(thread)
        .fetch_all(self.reader())
        .await?)
    }
}
