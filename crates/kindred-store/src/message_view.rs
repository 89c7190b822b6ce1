//! One stored message as the message viewer shows it: its headers, who it went to, its
//! text and its HTML part as it was sent. The HTML here is untrusted markup: the API
//! sanitises it before anything shows it.

use sqlx::FromRow;

use crate::{Store, StoreError};

/// A message's headers, text and HTML.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MessageViewRow {
    pub id: i64,
    pub subject: String,
    /// "Name <address>" of the sender.
    pub sender: String,
    /// Unix milliseconds, UTC.
    pub sent_at: i64,
    pub body_text: String,
    /// The message's own HTML part, unsanitised; `None` for text-only mail and mail stored
    /// before HTML was kept.
    pub html: Option<String>,
    pub thread_key: String,
    pub has_attachments: bool,
    pub is_automated: bool,
}

/// One recipient of a message.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MessageRecipientRow {
    /// `to`, `cc`, `bcc` or `reply_to`.
    pub role: String,
    pub address: String,
    /// The name the message gave, else the one known for the address.
    pub display_name: Option<String>,
}

impl Store {
    /// Message `id` with its recipients (by role, then address), or `None` if there is
    /// no such message.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn message_view(
        &self,
        id: i64,
    ) -> Result<Option<(MessageViewRow, Vec<MessageRecipientRow>)>, StoreError> {
        let message: Option<MessageViewRow> = sqlx::query_as(
            "SELECT m.id, m.subject, m.sender, m.sent_at, m.body_text, h.html, m.thread_key,
                    m.has_attachments, m.is_automated
             FROM messages m LEFT JOIN message_html h ON h.message_id = m.id
             WHERE m.id = ?1",
        )
        .bind(id)
        .fetch_optional(self.reader())
        .await?;
        let Some(message) = message else {
            return Ok(None);
        };
        let recipients = sqlx::query_as(
            "SELECT p.role, a.address, COALESCE(p.display_name, a.display_name) AS display_name
             FROM message_participants p JOIN addresses a ON a.id = p.address_id
             WHERE p.message_id = ?1 AND p.role <> 'from'
             ORDER BY CASE p.role WHEN 'to' THEN 0 WHEN 'cc' THEN 1 WHEN 'bcc' THEN 2 ELSE 3 END,
                      a.address",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        Ok(Some((message, recipients)))
    }
}
