//! The write path of ingestion: a batch of normalised messages and events, and the import
//! checkpoint that covers them, stored in one `BEGIN IMMEDIATE` transaction. Upserts make
//! it idempotent; copies of a message count once.
//!
//! Rows are written set-wise: each table gets one statement per batch that reads a JSON
//! array with `json_each`, so a batch of thousands of messages costs a dozen statements.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use kindred_core::{Address, Event, Message};
use serde_json::json;
use sqlx::{Sqlite, Transaction};

use crate::{Store, StoreError};

/// Where an import source stands, written with the items it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub source_key: String,
    /// Identifies the content the position refers to, so a replaced file starts afresh.
    pub fingerprint: String,
    pub position: u64,
    pub finished: bool,
}

/// What one batch changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    pub messages_inserted: u64,
    pub messages_duplicate: u64,
    pub events_inserted: u64,
    pub events_updated: u64,
}

impl Store {
    /// Stores `messages` and `events` and, in the same transaction, `checkpoint`.
    /// `me` are the person's own addresses, marked as such when first stored.
    ///
    /// # Errors
    /// The database refused the write; nothing of the batch is stored then.
    pub async fn write_batch(
        &self,
        messages: &[Message],
        events: &[Event],
        checkpoint: Option<&Checkpoint>,
        me: &BTreeSet<Address>,
    ) -> Result<BatchOutcome, StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        let now = Utc::now().timestamp_millis();
        let mut outcome = BatchOutcome::default();
        if !messages.is_empty() {
            write_messages(&mut tx, messages, me, now, &mut outcome).await?;
        }
        if !events.is_empty() {
            write_events(&mut tx, events, now, &mut outcome).await?;
        }
        if let Some(checkpoint) = checkpoint {
            sqlx::query(
                "INSERT INTO import_checkpoints (source_key, fingerprint, position, finished, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (source_key) DO UPDATE SET fingerprint = excluded.fingerprint,
                   position = excluded.position, finished = excluded.finished,
                   updated_at = excluded.updated_at",
            )
            .bind(&checkpoint.source_key)
            .bind(&checkpoint.fingerprint)
            .bind(i64::try_from(checkpoint.position).unwrap_or(i64::MAX))
            .bind(checkpoint.finished)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// The checkpoint stored for `source_key`, if any.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn checkpoint(&self, source_key: &str) -> Result<Option<Checkpoint>, StoreError> {
        let row: Option<(String, i64, bool)> = sqlx::query_as(
            "SELECT fingerprint, position, finished FROM import_checkpoints WHERE source_key = ?1",
        )
        .bind(source_key)
        .fetch_optional(self.reader())
        .await?;
        Ok(row.map(|(fingerprint, position, finished)| Checkpoint {
            source_key: source_key.to_owned(),
            fingerprint,
            position: u64::try_from(position).unwrap_or(0),
            finished,
        }))
    }
}

/// Which stored or earlier-in-batch message each message duplicates, if any.
async fn find_duplicates(
    tx: &mut Transaction<'_, Sqlite>,
    messages: &[Message],
    content_keys: &[String],
) -> Result<Vec<Option<DuplicateOf>>, StoreError> {
    let ids: Vec<Option<&str>> = messages
        .iter()
        .map(|m| m.rfc_message_id.as_deref())
        .collect();
    let mut stored: HashMap<usize, i64> = HashMap::new();
    for (sql, keys) in [
        (
            "SELECT j.key, m.id FROM json_each(?1) j JOIN messages m ON m.rfc_message_id = j.value",
            json!(ids),
        ),
        (
            "SELECT j.key, m.id FROM json_each(?1) j JOIN messages m ON m.content_key = j.value",
            json!(content_keys),
        ),
    ] {
        let rows: Vec<(i64, i64)> = sqlx::query_as(sql)
            .bind(keys.to_string())
            .fetch_all(&mut **tx)
            .await?;
        for (index, id) in rows {
            stored
                .entry(usize::try_from(index).unwrap_or(usize::MAX))
                .or_insert(id);
        }
    }
    let mut by_message_id: HashMap<&str, usize> = HashMap::new();
    let mut by_content: HashMap<&str, usize> = HashMap::new();
    let mut result = Vec::with_capacity(messages.len());
    for (index, message) in messages.iter().enumerate() {
        if let Some(&id) = stored.get(&index) {
            result.push(Some(DuplicateOf::Stored(id)));
            continue;
        }
        let earlier = message
            .rfc_message_id
            .as_deref()
            .and_then(|id| by_message_id.get(id))
            .or_else(|| by_content.get(content_keys[index].as_str()))
            .copied();
        if let Some(earlier) = earlier {
            result.push(Some(DuplicateOf::InBatch(earlier)));
            continue;
        }
        if let Some(id) = message.rfc_message_id.as_deref() {
            by_message_id.insert(id, index);
        }
        by_content.insert(content_keys[index].as_str(), index);
        result.push(None);
    }
    Ok(result)
}

#[derive(Debug, Clone, Copy)]
enum DuplicateOf {
    Stored(i64),
    InBatch(usize),
}

/// Stores `messages`, merging copies, and returns the stored row of each, in order.
pub(crate) async fn write_messages(
    tx: &mut Transaction<'_, Sqlite>,
    messages: &[Message],
    me: &BTreeSet<Address>,
    now: i64,
    outcome: &mut BatchOutcome,
) -> Result<Vec<i64>, StoreError> {
    let content_keys: Vec<String> = messages.iter().map(Message::content_key).collect();
    let duplicates = find_duplicates(tx, messages, &content_keys).await?;
    let first_id: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM messages")
        .fetch_one(&mut **tx)
        .await?;

    let mut ids: Vec<i64> = Vec::with_capacity(messages.len());
    let mut next_id = first_id;
    for duplicate in &duplicates {
        let id = match duplicate {
            Some(DuplicateOf::Stored(id)) => *id,
            Some(DuplicateOf::InBatch(earlier)) => ids[*earlier],
            None => {
                next_id += 1;
                next_id - 1
            }
        };
        ids.push(id);
    }
    let new: Vec<usize> = (0..messages.len())
        .filter(|&i| duplicates[i].is_none())
        .collect();
    outcome.messages_inserted = new.len() as u64;
    outcome.messages_duplicate = (messages.len() - new.len()) as u64;

    let address_ids = upsert_addresses(tx, new.iter().map(|&i| &messages[i]), me).await?;

    let rows: Vec<_> = new
        .iter()
        .map(|&i| {
            let message = &messages[i];
            let from = message.from();
            json!([
                ids[i],
                message.source_key,
                message.rfc_message_id,
                content_keys[i],
                message.thread_key(),
                message.in_reply_to,
                message.subject,
                from.map_or_else(String::new, |p| match &p.name {
                    Some(name) => format!("{name} <{}>", p.address),
                    None => p.address.to_string(),
                }),
                from.and_then(|p| address_ids.get(p.address.as_str())),
                message.body_text,
                message.sent_at.timestamp_millis(),
                message.is_automated,
                message.has_attachments,
                message.size_bytes,
            ])
        })
        .collect();
    sqlx::query(
        "INSERT INTO messages (id, source_key, rfc_message_id, content_key, thread_key,
           in_reply_to, subject, sender, from_address_id, body_text, sent_at, is_automated,
           has_attachments, size_bytes, imported_at)
         SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6,
           value->>7, value->>8, value->>9, value->>10, value->>11, value->>12, value->>13, ?2
         FROM json_each(?1)",
    )
    .bind(serde_json::Value::Array(rows).to_string())
    .bind(now)
    .execute(&mut **tx)
    .await?;

    let (ids, address_ids) = (&ids, &address_ids);
    let participants: Vec<_> = new
        .iter()
        .flat_map(|&i| {
            messages[i].participants.iter().filter_map(move |p| {
                address_ids
                    .get(p.address.as_str())
                    .map(|address_id| json!([ids[i], address_id, p.role.as_str(), p.name]))
            })
        })
        .collect();
    sqlx::query(
        "INSERT OR IGNORE INTO message_participants (message_id, address_id, role, display_name)
         SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?1)",
    )
    .bind(serde_json::Value::Array(participants).to_string())
    .execute(&mut **tx)
    .await?;

    let labels: Vec<_> = messages
        .iter()
        .enumerate()
        .flat_map(|(i, message)| message.labels.iter().map(move |label| (i, label)))
        .map(|(i, label)| json!([ids[i], label]))
        .collect();
    if !labels.is_empty() {
        sqlx::query(
            "INSERT OR IGNORE INTO message_labels (message_id, label)
             SELECT value->>0, value->>1 FROM json_each(?1)",
        )
        .bind(serde_json::Value::Array(labels).to_string())
        .execute(&mut **tx)
        .await?;
    }

    if !new.is_empty() {
        sqlx::query(
            "INSERT INTO messages_fts (rowid, subject, sender, body_text)
             SELECT id, subject, sender, body_text FROM messages WHERE id >= ?1 AND id < ?2",
        )
        .bind(first_id)
        .bind(next_id)
        .execute(&mut **tx)
        .await?;
    }
    write_html(tx, messages, ids).await?;
    crate::mail_events::write_invitations(tx, messages, ids, &new, now, outcome).await?;
    Ok(ids.clone())
}

/// Stores the HTML part of each message that has one, row by row so a batch never holds a
/// second copy of its markup. A copy of a stored message gives it HTML only if it had none
/// (mail stored before HTML was kept gets it when imported again).
async fn write_html(
    tx: &mut Transaction<'_, Sqlite>,
    messages: &[Message],
    ids: &[i64],
) -> Result<(), StoreError> {
    for (message, id) in messages.iter().zip(ids) {
        if let Some(html) = &message.body_html {
            sqlx::query("INSERT OR IGNORE INTO message_html (message_id, html) VALUES (?1, ?2)")
                .bind(id)
                .bind(html)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Inserts or refreshes every address of `messages` and returns their ids.
async fn upsert_addresses<'m>(
    tx: &mut Transaction<'_, Sqlite>,
    messages: impl Iterator<Item = &'m Message>,
    me: &BTreeSet<Address>,
) -> Result<HashMap<String, i64>, StoreError> {
    struct Seen<'a> {
        name: Option<&'a str>,
        first: i64,
        last: i64,
    }
    let mut seen: HashMap<&Address, Seen<'_>> = HashMap::new();
    for message in messages {
        let at = message.sent_at.timestamp_millis();
        for participant in &message.participants {
            let entry = seen.entry(&participant.address).or_insert(Seen {
                name: None,
                first: at,
                last: at,
            });
            entry.first = entry.first.min(at);
            if at >= entry.last || entry.name.is_none() {
                entry.name = participant.name.as_deref().or(entry.name);
            }
            entry.last = entry.last.max(at);
        }
    }
    upsert_address_rows(
        tx,
        seen.iter()
            .map(|(address, s)| (*address, s.name, s.first, s.last)),
        me,
    )
    .await
}

async fn upsert_address_rows<'a>(
    tx: &mut Transaction<'_, Sqlite>,
    rows: impl Iterator<Item = (&'a Address, Option<&'a str>, i64, i64)>,
    me: &BTreeSet<Address>,
) -> Result<HashMap<String, i64>, StoreError> {
    let rows: Vec<_> = rows
        .map(|(address, name, first, last)| {
            json!([
                address.as_str(),
                address.domain(),
                name,
                me.contains(address),
                address.looks_automated(),
                first,
                last
            ])
        })
        .collect();
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = serde_json::Value::Array(rows).to_string();
    sqlx::query(
        "INSERT INTO addresses (address, domain, display_name, is_me, is_automated,
           first_seen_at, last_seen_at)
         SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6
         FROM json_each(?1) WHERE true
         ON CONFLICT (address) DO UPDATE SET
           display_name = CASE WHEN excluded.last_seen_at >= addresses.last_seen_at
                               THEN coalesce(excluded.display_name, addresses.display_name)
                               ELSE coalesce(addresses.display_name, excluded.display_name) END,
           is_me = max(addresses.is_me, excluded.is_me),
           first_seen_at = min(addresses.first_seen_at, excluded.first_seen_at),
           last_seen_at = max(addresses.last_seen_at, excluded.last_seen_at)",
    )
    .bind(&rows)
    .execute(&mut **tx)
    .await?;
    let ids: Vec<(String, i64)> = sqlx::query_as(
        "SELECT a.address, a.id FROM json_each(?1) j JOIN addresses a ON a.address = j.value->>0",
    )
    .bind(&rows)
    .fetch_all(&mut **tx)
    .await?;
    Ok(ids.into_iter().collect())
}

pub(crate) async fn write_events(
    tx: &mut Transaction<'_, Sqlite>,
    events: &[Event],
    now: i64,
    outcome: &mut BatchOutcome,
) -> Result<(), StoreError> {
    // The last occurrence with a given key wins (a later override of the same instance).
    let mut latest: HashMap<&str, &Event> = HashMap::new();
    for event in events {
        latest.insert(event.source_key.as_str(), event);
    }
    let mut events: Vec<&Event> = latest.into_values().collect();
    events.sort_by(|a, b| a.source_key.cmp(&b.source_key));
    crate::mail_events::adopt_invited_events(tx, &events).await?;

    let keys: Vec<&str> = events.iter().map(|e| e.source_key.as_str()).collect();
    let existing: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM json_each(?1) j JOIN events e ON e.source_key = j.value",
    )
    .bind(json!(keys).to_string())
    .fetch_one(&mut **tx)
    .await?;
    let existing = u64::try_from(existing).unwrap_or(0);
    outcome.events_updated += existing;
    outcome.events_inserted += events.len() as u64 - existing;

    let rows: Vec<_> = events
        .iter()
        .map(|e| {
            json!([
                e.source_key,
                e.uid,
                e.recurrence_id.map(|r| r.timestamp_millis()),
                e.summary,
                e.description,
                e.location,
                e.starts_at.timestamp_millis(),
                e.ends_at.timestamp_millis(),
                e.all_day,
                e.status.as_str(),
            ])
        })
        .collect();
    let stored: Vec<(String, i64)> = sqlx::query_as(
        "INSERT INTO events (source_key, uid, recurrence_id, summary, description, location,
           starts_at, ends_at, all_day, status, imported_at)
         SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6,
           value->>7, value->>8, value->>9, ?2
         FROM json_each(?1) WHERE true
         ON CONFLICT (source_key) DO UPDATE SET uid = excluded.uid,
           recurrence_id = excluded.recurrence_id, summary = excluded.summary,
           description = excluded.description, location = excluded.location,
           starts_at = excluded.starts_at, ends_at = excluded.ends_at,
           all_day = excluded.all_day, status = excluded.status
         RETURNING source_key, id",
    )
    .bind(serde_json::Value::Array(rows).to_string())
    .bind(now)
    .fetch_all(&mut **tx)
    .await?;
    let event_ids: HashMap<String, i64> = stored.into_iter().collect();

    let mut seen: HashMap<&Address, (Option<&str>, i64, i64)> = HashMap::new();
    for event in &events {
        let at = event.starts_at.timestamp_millis();
        for attendee in &event.attendees {
            let entry = seen
                .entry(&attendee.address)
                .or_insert((attendee.name.as_deref(), at, at));
            entry.1 = entry.1.min(at);
            entry.2 = entry.2.max(at);
        }
    }
    let address_ids = upsert_address_rows(
        tx,
        seen.iter()
            .map(|(a, (name, first, last))| (*a, *name, *first, *last)),
        &BTreeSet::new(),
    )
    .await?;

    let address_ids = &address_ids;
    let ids: Vec<i64> = event_ids.values().copied().collect();
    sqlx::query("DELETE FROM event_attendees WHERE event_id IN (SELECT value FROM json_each(?1))")
        .bind(json!(ids).to_string())
        .execute(&mut **tx)
        .await?;
    let attendees: Vec<_> = events
        .iter()
        .filter_map(|e| event_ids.get(&e.source_key).map(|id| (*id, e)))
        .flat_map(|(id, e)| {
            e.attendees.iter().filter_map(move |a| {
                address_ids.get(a.address.as_str()).map(|address_id| {
                    json!([id, address_id, a.role.as_str(), a.name, a.response.as_str()])
                })
            })
        })
        .collect();
    sqlx::query(
        "INSERT OR IGNORE INTO event_attendees (event_id, address_id, role, display_name, response)
         SELECT value->>0, value->>1, value->>2, value->>3, value->>4 FROM json_each(?1)",
    )
    .bind(serde_json::Value::Array(attendees).to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
