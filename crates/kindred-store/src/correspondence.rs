//! Correspondence with one person: the messages and meetings that involve any of a set of
//! addresses, with what a story cites of them (subject, direction, an excerpt, a title).

use sqlx::FromRow;

use crate::{Store, StoreError};

/// The longest excerpt of a message body returned, in characters.
pub const EXCERPT_CHARS: i64 = 600;

/// A message exchanged with the person (not bulk mail).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ExchangedMessage {
    pub id: i64,
    /// Unix milliseconds, UTC.
    pub sent_at: i64,
    pub subject: String,
    pub thread_key: String,
    /// Whether I sent it.
    pub from_me: bool,
    /// The start of the body.
    pub excerpt: String,
}

/// A meeting the person attended (not cancelled).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SharedMeeting {
    pub id: i64,
    /// Unix milliseconds, UTC.
    pub starts_at: i64,
    pub minutes: i64,
    pub title: String,
}

fn id_list(addresses: &[i64]) -> String {
    serde_json::to_string(addresses).unwrap_or_else(|_| "[]".to_owned())
}

impl Store {
    /// The messages sent by or to (To, Cc) any of `addresses`, oldest first, bulk mail
    /// left out.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn messages_with(
        &self,
        addresses: &[i64],
    ) -> Result<Vec<ExchangedMessage>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.sent_at, m.subject, m.thread_key, coalesce(f.is_me, 0) AS from_me,
                    substr(m.body_text, 1, ?2) AS excerpt
             FROM messages m LEFT JOIN addresses f ON f.id = m.from_address_id
             WHERE m.is_automated = 0 AND m.id IN (
               SELECT p.message_id FROM message_participants p
               WHERE p.address_id IN (SELECT value FROM json_each(?1))
                 AND p.role IN ('from', 'to', 'cc'))
             ORDER BY m.sent_at, m.id",
        )
        .bind(id_list(addresses))
        .bind(EXCERPT_CHARS)
        .fetch_all(self.reader())
        .await?)
    }

    /// The meetings, not cancelled, any of `addresses` attended, oldest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn meetings_with(&self, addresses: &[i64]) -> Result<Vec<SharedMeeting>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT e.id, e.starts_at, (e.ends_at - e.starts_at) / 60000 AS minutes,
                    e.summary AS title
             FROM events e
             WHERE e.status != 'cancelled' AND e.id IN (
               SELECT a.event_id FROM event_attendees a
               WHERE a.address_id IN (SELECT value FROM json_each(?1)))
             ORDER BY e.starts_at, e.id",
        )
        .bind(id_list(addresses))
        .fetch_all(self.reader())
        .await?)
    }
}

/// A message of a thread, as the assistant reads it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ThreadMessage {
    pub id: i64,
    /// Unix milliseconds, UTC.
    pub sent_at: i64,
    pub subject: String,
    /// "Name <address>".
    pub sender: String,
    /// The start of the body.
    pub excerpt: String,
}

impl Store {
    /// The messages of the thread message `id` belongs to, oldest first (none when there
    /// is no such message).
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn thread_of(&self, id: i64) -> Result<Vec<ThreadMessage>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.sent_at, m.subject, m.sender, substr(m.body_text, 1, ?2) AS excerpt
             FROM messages m
             WHERE m.thread_key = (SELECT thread_key FROM messages WHERE id = ?1)
             ORDER BY m.sent_at, m.id",
        )
        .bind(id)
        .bind(EXCERPT_CHARS)
        .fetch_all(self.reader())
        .await?)
    }
}
