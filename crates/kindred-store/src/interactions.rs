//! The interactions between the person and each of their people, read from the evidence
//! for ranking: messages I sent to them, messages they sent, meetings we shared. People
//! here are addresses that are neither mine nor automated.

use kindred_core::ranking::InteractionKind;
use sqlx::FromRow;

use crate::{Store, StoreError};

/// One interaction with one address, at a time in unix milliseconds, in the terms the
/// ranking reads. `automated` marks bulk mail from them: counted, but not a relationship.
#[derive(Debug, Clone, PartialEq)]
pub struct Interaction {
    pub address_id: i64,
    /// The message's id, or the meeting's event id: one message to two addresses of one
    /// person is one interaction with that person.
    pub item: i64,
    pub at: i64,
    pub automated: bool,
    pub kind: InteractionKind,
}

#[derive(FromRow)]
struct MessageRow {
    address_id: i64,
    item: i64,
    at: i64,
    starts_thread: bool,
    recipients: i64,
    automated: bool,
}

#[derive(FromRow)]
struct MeetingRow {
    address_id: i64,
    item: i64,
    at: i64,
    minutes: i64,
    attendees: i64,
}

fn count(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}

impl Store {
    /// Every interaction with an address that is not mine, over deduplicated messages and
    /// meetings that were not cancelled.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn interactions(&self) -> Result<Vec<Interaction>, StoreError> {
        let sent: Vec<MessageRow> = sqlx::query_as(
            // From my addresses to my messages to their recipients: never a scan of every
            // participant, never a look at the wide message rows.
            "WITH mine AS (
               SELECT m.id, m.sent_at, m.in_reply_to IS NULL AS starts_thread
               FROM addresses f CROSS JOIN messages m INDEXED BY messages_from
                 ON m.from_address_id = f.id WHERE f.is_me = 1),
             recipients AS (
               SELECT DISTINCT mine.id AS message_id, mine.sent_at, mine.starts_thread, p.address_id
               FROM mine CROSS JOIN message_participants p ON p.message_id = mine.id
               JOIN addresses a ON a.id = p.address_id
               WHERE p.role IN ('to', 'cc', 'bcc') AND a.is_me = 0)
             SELECT address_id, message_id AS item, sent_at AS at, starts_thread,
                    count(*) OVER (PARTITION BY message_id) AS recipients, 0 AS automated
             FROM recipients",
        )
        .fetch_all(self.reader())
        .await?;
        let received: Vec<MessageRow> = sqlx::query_as(
            "SELECT m.from_address_id AS address_id, m.id AS item, m.sent_at AS at,
                    m.in_reply_to IS NULL AS starts_thread,
                    (SELECT count(DISTINCT p.address_id) FROM message_participants p
                     WHERE p.message_id = m.id AND p.role IN ('to', 'cc', 'bcc')) AS recipients,
                    m.is_automated AS automated
             FROM messages m JOIN addresses a ON a.id = m.from_address_id
             WHERE a.is_me = 0",
        )
        .fetch_all(self.reader())
        .await?;
        let meetings: Vec<MeetingRow> = sqlx::query_as(
            "WITH attending AS (
               SELECT DISTINCT x.event_id, x.address_id FROM event_attendees x
               JOIN addresses a ON a.id = x.address_id WHERE a.is_me = 0)
             SELECT t.address_id, e.id AS item, e.starts_at AS at, (e.ends_at - e.starts_at) / 60000 AS minutes,
                    (SELECT count(*) FROM attending y WHERE y.event_id = e.id) + 1 AS attendees
             FROM attending t JOIN events e ON e.id = t.event_id
             WHERE e.status != 'cancelled'",
        )
        .fetch_all(self.reader())
        .await?;

        let mut interactions = Vec::with_capacity(sent.len() + received.len() + meetings.len());
        let messages = sent
            .into_iter()
            .map(|row| (true, row))
            .chain(received.into_iter().map(|row| (false, row)));
        interactions.extend(messages.map(|(mine, row)| {
            let (recipients, starts_thread) = (count(row.recipients).max(1), row.starts_thread);
            Interaction {
                address_id: row.address_id,
                item: row.item,
                at: row.at,
                automated: row.automated,
                kind: if mine {
                    InteractionKind::Sent {
                        recipients,
                        starts_thread,
                    }
                } else {
                    InteractionKind::Received {
                        recipients,
                        starts_thread,
                    }
                },
            }
        }));
        interactions.extend(meetings.into_iter().map(|row| Interaction {
            address_id: row.address_id,
            item: row.item,
            at: row.at,
            automated: false,
            kind: InteractionKind::Meeting {
                minutes: count(row.minutes),
                attendees: count(row.attendees).max(2),
            },
        }));
        Ok(interactions)
    }
}

/// Groups larger than this are left out of co-participation: an announcement to a hundred
/// people says little about how any two of them relate.
const LARGEST_GROUP: i64 = 50;

impl Store {
    /// For each non-automated message and each meeting that was not cancelled, the people
    /// in it together (from, to and cc; attendees), when there are at least two. Me and
    /// automated addresses are left out.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn co_participation(&self) -> Result<Vec<Vec<i64>>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT group_concat(address_id) FROM (
               SELECT DISTINCT p.message_id AS item, p.address_id
               FROM message_participants p JOIN messages m INDEXED BY messages_narrow ON m.id = p.message_id
               JOIN addresses a ON a.id = p.address_id
               WHERE m.is_automated = 0 AND a.is_me = 0 AND a.is_automated = 0
                 AND p.role IN ('from', 'to', 'cc'))
             GROUP BY item HAVING count(*) BETWEEN 2 AND ?1
             UNION ALL
             SELECT group_concat(address_id) FROM (
               SELECT DISTINCT x.event_id AS item, x.address_id
               FROM event_attendees x JOIN events e ON e.id = x.event_id
               JOIN addresses a ON a.id = x.address_id
               WHERE e.status != 'cancelled' AND a.is_me = 0 AND a.is_automated = 0)
             GROUP BY item HAVING count(*) BETWEEN 2 AND ?1",
        )
        .bind(LARGEST_GROUP)
        .fetch_all(self.reader())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(ids,)| ids.split(',').filter_map(|id| id.parse().ok()).collect())
            .collect())
    }
}

/// One deduplicated message as Wrapped reads it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MessageFact {
    pub id: i64,
    pub at: i64,
    pub from_address_id: Option<i64>,
    pub from_me: bool,
    /// Bulk mail, or from an automated address.
    pub automated: bool,
    pub starts_thread: bool,
    /// The message it replies to, when that is stored: its time and whether it was mine.
    pub parent_at: Option<i64>,
    pub parent_mine: bool,
}

/// One meeting that was not cancelled, with the people in it other than me.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFact {
    pub starts_at: i64,
    pub minutes: u32,
    pub people: Vec<i64>,
}

impl Store {
    /// Every message, with who sent it and what it replies to.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn message_facts(&self) -> Result<Vec<MessageFact>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.sent_at AS at, m.from_address_id,
                    coalesce(f.is_me, 0) AS from_me,
                    (m.is_automated OR coalesce(f.is_automated, 0)) AS automated,
                    m.in_reply_to IS NULL AS starts_thread,
                    r.sent_at AS parent_at, coalesce(rf.is_me, 0) AS parent_mine
             FROM messages m
             LEFT JOIN addresses f ON f.id = m.from_address_id
             LEFT JOIN messages r INDEXED BY messages_parent ON r.rfc_message_id = m.in_reply_to
             LEFT JOIN addresses rf ON rf.id = r.from_address_id",
        )
        .fetch_all(self.reader())
        .await?)
    }

    /// The people each of my messages went to (To/Cc/Bcc; not me, not automated), as
    /// `(message id, address id)`.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn my_recipients(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT DISTINCT p.message_id, p.address_id
             FROM message_participants p JOIN messages m INDEXED BY messages_narrow ON m.id = p.message_id
             JOIN addresses f ON f.id = m.from_address_id
             JOIN addresses a ON a.id = p.address_id
             WHERE f.is_me = 1 AND a.is_me = 0 AND a.is_automated = 0
               AND p.role IN ('to', 'cc', 'bcc')",
        )
        .fetch_all(self.reader())
        .await?)
    }

    /// Every meeting that was not cancelled.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn meeting_facts(&self) -> Result<Vec<MeetingFact>, StoreError> {
        let rows: Vec<(i64, i64, Option<String>)> = sqlx::query_as(
            "SELECT e.starts_at, (e.ends_at - e.starts_at) / 60000,
                    (SELECT group_concat(DISTINCT x.address_id) FROM event_attendees x
                     JOIN addresses a ON a.id = x.address_id
                     WHERE x.event_id = e.id AND a.is_me = 0 AND a.is_automated = 0)
             FROM events e WHERE e.status != 'cancelled'",
        )
        .fetch_all(self.reader())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(starts_at, minutes, people)| MeetingFact {
                starts_at,
                minutes: count(minutes),
                people: people
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|id| id.parse().ok())
                    .collect(),
            })
            .collect())
    }
}

/// A message from one of my people that I have not answered.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Unanswered {
    pub message_id: i64,
    pub from_address_id: i64,
    pub at: i64,
    pub subject: String,
}

impl Store {
    /// Messages since `since_ms` that a person (not me, not bulk) sent with me among To or
    /// Cc, in threads where I have written nothing after them.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn unanswered(&self, since_ms: i64) -> Result<Vec<Unanswered>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT m.id AS message_id, m.from_address_id, m.sent_at AS at, m.subject
             FROM messages m JOIN addresses f ON f.id = m.from_address_id
             WHERE m.sent_at >= ?1 AND f.is_me = 0 AND f.is_automated = 0 AND m.is_automated = 0
               AND EXISTS (SELECT 1 FROM message_participants p
                           JOIN addresses a ON a.id = p.address_id
                           WHERE p.message_id = m.id AND p.role IN ('to', 'cc') AND a.is_me = 1)
               AND NOT EXISTS (SELECT 1 FROM messages r JOIN addresses ra ON ra.id = r.from_address_id
                               WHERE r.thread_key = m.thread_key AND ra.is_me = 1
                                 AND r.sent_at > m.sent_at)
             ORDER BY m.sent_at DESC",
        )
        .bind(since_ms)
        .fetch_all(self.reader())
        .await?)
    }
}

impl Store {
    /// For each address, how it first appeared in my mail: the sender of the first message
    /// (not bulk) it was part of, and the sender of the message that one answered, as
    /// `(address id, first sender, answered sender)`.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn first_appearances(
        &self,
    ) -> Result<Vec<(i64, Option<i64>, Option<i64>)>, StoreError> {
        Ok(sqlx::query_as(
            "WITH firsts AS (
               SELECT p.address_id, m.from_address_id, m.in_reply_to,
                      row_number() OVER (PARTITION BY p.address_id ORDER BY m.sent_at, m.id) AS n
               FROM message_participants p JOIN messages m INDEXED BY messages_narrow ON m.id = p.message_id
               WHERE m.is_automated = 0 AND p.role IN ('from', 'to', 'cc'))
             SELECT f.address_id, f.from_address_id, r.from_address_id
             FROM firsts f LEFT JOIN messages r INDEXED BY messages_parent ON r.rfc_message_id = f.in_reply_to
             WHERE f.n = 1",
        )
        .fetch_all(self.reader())
        .await?)
    }
}
