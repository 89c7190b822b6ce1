//! Events from mail: a message's calendar parts are kept with it, and each invitation is
//! applied to the events in the same transaction as the message (see
//! [`kindred_core::invites`] for what REQUEST, CANCEL and REPLY do, and which stored event
//! an invitation is about). The other way round, a calendar's event for a meeting first
//! known from an invitation updates the event the invitation made. Also the reads of
//! events with the messages they came from, and of the event changes the rules fire on;
//! and the once-only record of the mail the extraction label sends to `extract_event`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use kindred_core::invites::{apply, same_event, Change, InviteMethod, START_TOLERANCE};
use kindred_core::{Event, Message};
use serde_json::json;
use sqlx::{Sqlite, SqliteConnection, Transaction};

use crate::export::{assemble_events, AttendeeRow, EventRow};
use crate::ingest::{write_events, BatchOutcome};
use crate::jobs::{write_job, NewJob};
use crate::{Store, StoreError};

const EVENT_COLUMNS: &str = "id, source_key, uid, recurrence_id, summary, description, \
     location, starts_at, ends_at, all_day, status";

/// A stored event, with the messages whose invitations it came from or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: i64,
    pub event: Event,
    /// Ids of those messages, oldest first.
    pub messages: Vec<i64>,
}

/// What reading an event out of a message's text needs of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageText {
    pub subject: String,
    pub sender: String,
    pub body: String,
    pub sent_at: DateTime<Utc>,
}

/// A creation or a change of an event, as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventChange {
    /// Increases with every change: a cursor for "changes since".
    pub id: i64,
    pub event_id: i64,
    /// A change to a known event, else its creation.
    pub updated: bool,
}

impl Store {
    /// Events (occurrences) starting in `[from, to)`, by start, at most `limit`, each with
    /// the messages it came from.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn events_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let mut connection = self.reader().acquire().await?;
        let rows: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE starts_at >= ?1 AND starts_at < ?2
             ORDER BY starts_at, id LIMIT ?3"
        ))
        .bind(from.timestamp_millis())
        .bind(to.timestamp_millis())
        .bind(limit)
        .fetch_all(&mut *connection)
        .await?;
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let events = with_attendees(&mut connection, rows).await?;
        let links: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT l.event_id, l.message_id FROM json_each(?1) j
             JOIN event_messages l ON l.event_id = j.value ORDER BY l.sent_at, l.message_id",
        )
        .bind(json!(ids).to_string())
        .fetch_all(&mut *connection)
        .await?;
        let mut messages_of: HashMap<i64, Vec<i64>> = HashMap::new();
        for (event_id, message_id) in links {
            messages_of.entry(event_id).or_default().push(message_id);
        }
        Ok(ids
            .into_iter()
            .zip(events)
            .map(|(id, event)| StoredEvent {
                id,
                event,
                messages: messages_of.remove(&id).unwrap_or_default(),
            })
            .collect())
    }

    /// Up to `limit` event changes after change `after` (0: from the first), oldest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn event_changes_after(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<EventChange>, StoreError> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, event_id, kind FROM event_changes WHERE id > ?1 ORDER BY id LIMIT ?2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, event_id, kind)| EventChange {
                id,
                event_id,
                updated: kind == "updated",
            })
            .collect())
    }

    /// The id of the latest event change, 0 when there is none.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn last_event_change(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT coalesce(max(id), 0) FROM event_changes")
                .fetch_one(self.reader())
                .await?,
        )
    }

    /// Which of the messages `ids` carry a calendar part.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn messages_with_invitations(&self, ids: &[i64]) -> Result<HashSet<i64>, StoreError> {
        let rows: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT i.message_id FROM json_each(?1) j
             JOIN message_invitations i ON i.message_id = j.value",
        )
        .bind(json!(ids).to_string())
        .fetch_all(self.reader())
        .await?;
        Ok(rows.into_iter().collect())
    }

    /// The subject, sender, text and date of message `id`, if it exists.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn message_text(&self, id: i64) -> Result<Option<MessageText>, StoreError> {
        let row: Option<(String, String, String, i64)> = sqlx::query_as(
            "SELECT subject, sender, body_text, sent_at FROM messages WHERE id = ?1",
        )
        .bind(id)
        .fetch_optional(self.reader())
        .await?;
        Ok(row.map(|(subject, sender, body, sent_at)| MessageText {
            subject,
            sender,
            body,
            sent_at: DateTime::from_timestamp_millis(sent_at).unwrap_or_default(),
        }))
    }

    /// The events message `id` created or changed, by id.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn events_of_message(&self, id: i64) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT event_id FROM event_messages WHERE message_id = ?1 ORDER BY event_id",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?)
    }

    /// Stores `event`, read out of the text of message `message_id` sent at `sent_at`,
    /// as that message's invitation would be: it creates the event, or updates the same
    /// meeting already known. Returns the event's id.
    ///
    /// # Errors
    /// The database refused the write; nothing is stored then.
    pub async fn apply_extracted_event(
        &self,
        message_id: i64,
        sent_at: DateTime<Utc>,
        event: &Event,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        let applied = Applied {
            message_id,
            sent_at: sent_at.timestamp_millis(),
            method: InviteMethod::Request,
        };
        let now = Utc::now().timestamp_millis();
        let id = applied
            .apply(&mut tx, event, now, &mut BatchOutcome::default())
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Queues `job` (an `extract_event` of message `message_id`, which carries the
    /// extraction label `label`) unless the label queued one for that message before:
    /// the record and the job are one transaction. Returns whether it queued the job.
    ///
    /// # Errors
    /// The database refused the write; nothing is queued then.
    pub async fn queue_label_extraction(
        &self,
        message_id: i64,
        label: &str,
        job: &NewJob,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        let recorded = sqlx::query(
            "INSERT INTO label_extractions (message_id, label, queued_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (message_id) DO NOTHING",
        )
        .bind(message_id)
        .bind(label)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if recorded {
            write_job(&mut tx, job, now).await?;
            tx.commit().await?;
        }
        Ok(recorded)
    }

    /// Every message that carries a calendar part.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn all_messages_with_invitations(&self) -> Result<HashSet<i64>, StoreError> {
        let rows: Vec<i64> =
            sqlx::query_scalar("SELECT DISTINCT message_id FROM message_invitations")
                .fetch_all(self.reader())
                .await?;
        Ok(rows.into_iter().collect())
    }
}

/// Events from their rows, with their attendees.
async fn with_attendees(
    connection: &mut SqliteConnection,
    rows: Vec<EventRow>,
) -> Result<Vec<Event>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let attendees: Vec<AttendeeRow> = sqlx::query_as(
        "SELECT e.event_id, e.role, a.address, e.display_name, e.response
         FROM json_each(?1) j JOIN event_attendees e ON e.event_id = j.value
         JOIN addresses a ON a.id = e.address_id",
    )
    .bind(json!(ids).to_string())
    .fetch_all(&mut *connection)
    .await?;
    Ok(assemble_events(rows, attendees))
}

/// Keeps the calendar parts of the messages at `new` (indexes into `messages`, stored as
/// `ids`) and applies their invitations, oldest message first, to the stored events.
pub(crate) async fn write_invitations(
    tx: &mut Transaction<'_, Sqlite>,
    messages: &[Message],
    ids: &[i64],
    new: &[usize],
    now: i64,
    outcome: &mut BatchOutcome,
) -> Result<(), StoreError> {
    let mut carrying: Vec<usize> = new
        .iter()
        .copied()
        .filter(|&i| !messages[i].invitations.is_empty())
        .collect();
    carrying.sort_by_key(|&i| (messages[i].sent_at, ids[i]));
    for i in carrying {
        let message = &messages[i];
        let sent_at = message.sent_at.timestamp_millis();
        for (part, invitation) in message.invitations.iter().enumerate() {
            sqlx::query(
                "INSERT OR IGNORE INTO message_invitations (message_id, part, method, content)
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .bind(ids[i])
            .bind(i64::try_from(part + 1).unwrap_or(i64::MAX))
            .bind(invitation.method.as_str())
            .bind(&invitation.text)
            .execute(&mut **tx)
            .await?;
            for incoming in &invitation.events {
                let applied = Applied {
                    message_id: ids[i],
                    sent_at,
                    method: invitation.method,
                };
                applied.apply(tx, incoming, now, outcome).await?;
            }
        }
    }
    Ok(())
}

/// Before calendar `events` are written: each that is not stored yet but is the meeting an
/// invitation already made an event for (see [`same_event`]) gives that event its key,
/// UID and occurrence, so the calendar's write updates it rather than adding the meeting
/// twice (a Google Calendar event keys differently from its invitation's .ics).
pub(crate) async fn adopt_invited_events(
    tx: &mut Transaction<'_, Sqlite>,
    events: &[&Event],
) -> Result<(), StoreError> {
    let any_invited: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM event_messages)")
        .fetch_one(&mut **tx)
        .await?;
    if !any_invited || events.is_empty() {
        return Ok(());
    }
    let keys: Vec<&str> = events.iter().map(|e| e.source_key.as_str()).collect();
    let stored: HashSet<String> = sqlx::query_scalar(
        "SELECT j.value FROM json_each(?1) j JOIN events e ON e.source_key = j.value",
    )
    .bind(json!(keys).to_string())
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect();
    for event in events.iter().filter(|e| !stored.contains(&e.source_key)) {
        let rows: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM events e
             WHERE (e.uid = ?1 OR e.starts_at BETWEEN ?2 AND ?3)
               AND EXISTS (SELECT 1 FROM event_messages l WHERE l.event_id = e.id)
             ORDER BY e.uid = ?1 DESC, abs(e.starts_at - ?4), e.id"
        ))
        .bind(&event.uid)
        .bind((event.starts_at - START_TOLERANCE).timestamp_millis())
        .bind((event.starts_at + START_TOLERANCE).timestamp_millis())
        .bind(event.starts_at.timestamp_millis())
        .fetch_all(&mut **tx)
        .await?;
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let invited = with_attendees(tx, rows).await?;
        let Some((id, _)) = ids
            .into_iter()
            .zip(invited)
            .find(|(_, invited)| same_event(invited, event))
        else {
            continue;
        };
        sqlx::query(
            "UPDATE events SET source_key = ?2, uid = ?3, recurrence_id = ?4 WHERE id = ?1",
        )
        .bind(id)
        .bind(&event.source_key)
        .bind(&event.uid)
        .bind(event.recurrence_id.map(|at| at.timestamp_millis()))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// One invitation's event being applied: the message it came in and its method.
struct Applied {
    message_id: i64,
    sent_at: i64,
    method: InviteMethod,
}

impl Applied {
    /// Applies `incoming`; returns the id of the event it is about, if any is stored.
    async fn apply(
        &self,
        tx: &mut Transaction<'_, Sqlite>,
        incoming: &Event,
        now: i64,
        outcome: &mut BatchOutcome,
    ) -> Result<Option<i64>, StoreError> {
        let existing = stored_match(tx, incoming).await?;
        if let Some((id, _)) = &existing {
            if self.is_stale(tx, *id).await? {
                return self.link(tx, *id).await;
            }
        }
        let Some(change) = apply(self.method, existing.as_ref().map(|(_, e)| e), incoming) else {
            return match existing {
                Some((id, _)) => self.link(tx, id).await,
                None => Ok(None),
            };
        };
        let event = change.event();
        write_events(tx, std::slice::from_ref(event), now, outcome).await?;
        let id: i64 = sqlx::query_scalar("SELECT id FROM events WHERE source_key = ?1")
            .bind(&event.source_key)
            .fetch_one(&mut **tx)
            .await?;
        if let (Change::Updated(updated), Some((_, before))) = (&change, &existing) {
            // Only the answers changed: no column of the event did, so no trigger
            // recorded it.
            let answers_only = Event {
                attendees: before.attendees.clone(),
                ..updated.clone()
            } == *before;
            if answers_only {
                sqlx::query(
                    "INSERT INTO event_changes (event_id, kind, changed_at)
                     VALUES (?1, 'updated', ?2)",
                )
                .bind(id)
                .bind(now)
                .execute(&mut **tx)
                .await?;
            }
        }
        self.link(tx, id).await
    }

    /// Whether a newer request or cancellation already changed event `id`: an older
    /// invitation read later (an import of old mail) must not undo it. Replies are never
    /// stale: each answers for one attendee.
    async fn is_stale(
        &self,
        tx: &mut Transaction<'_, Sqlite>,
        id: i64,
    ) -> Result<bool, StoreError> {
        if self.method == InviteMethod::Reply {
            return Ok(false);
        }
        let newest: Option<i64> = sqlx::query_scalar(
            "SELECT max(sent_at) FROM event_messages
             WHERE event_id = ?1 AND method IN ('request', 'cancel')",
        )
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
        Ok(newest.is_some_and(|newest| newest > self.sent_at))
    }

    async fn link(
        &self,
        tx: &mut Transaction<'_, Sqlite>,
        event_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        sqlx::query(
            "INSERT OR IGNORE INTO event_messages (event_id, message_id, method, sent_at)
             VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(event_id)
        .bind(self.message_id)
        .bind(self.method.as_str())
        .bind(self.sent_at)
        .execute(&mut **tx)
        .await?;
        Ok(Some(event_id))
    }
}

/// The stored event `incoming` is about: the one with its UID and occurrence, else the
/// same meeting from elsewhere (see [`same_event`]) starting closest to it.
async fn stored_match(
    tx: &mut Transaction<'_, Sqlite>,
    incoming: &Event,
) -> Result<Option<(i64, Event)>, StoreError> {
    let by_uid: Vec<EventRow> = sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE uid = ?1 AND recurrence_id IS ?2
         ORDER BY id LIMIT 1"
    ))
    .bind(&incoming.uid)
    .bind(incoming.recurrence_id.map(|at| at.timestamp_millis()))
    .fetch_all(&mut **tx)
    .await?;
    let rows = if by_uid.is_empty() {
        sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE starts_at BETWEEN ?1 AND ?2
             ORDER BY abs(starts_at - ?3), id"
        ))
        .bind((incoming.starts_at - START_TOLERANCE).timestamp_millis())
        .bind((incoming.starts_at + START_TOLERANCE).timestamp_millis())
        .bind(incoming.starts_at.timestamp_millis())
        .fetch_all(&mut **tx)
        .await?
    } else {
        by_uid
    };
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let events = with_attendees(tx, rows).await?;
    Ok(ids
        .into_iter()
        .zip(events)
        .find(|(_, event)| same_event(event, incoming)))
}
