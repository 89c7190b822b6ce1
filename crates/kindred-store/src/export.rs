//! Reading the evidence back out as the normalised `Message` and `Event` records, a page
//! at a time in id order, for export (pages keep memory bounded however large the store),
//! and the stored artifacts of a kind.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kindred_core::{
    Address, Attendee, AttendeeRole, Event, EventStatus, Message, Participant, ParticipantRole,
    ResponseStatus,
};
use sqlx::FromRow;

use crate::{Store, StoreError};

/// A page of messages, and the id to continue after.
#[derive(Debug, Clone)]
pub struct MessagePage {
    pub messages: Vec<Message>,
    /// Pass as `after` for the next page; `None` when this was the last one.
    pub next: Option<i64>,
}

/// A page of events, and the id to continue after.
#[derive(Debug, Clone)]
pub struct EventPage {
    pub events: Vec<Event>,
    pub next: Option<i64>,
}

#[derive(FromRow)]
struct MessageRow {
    id: i64,
    source_key: String,
    rfc_message_id: Option<String>,
    thread_key: String,
    in_reply_to: Option<String>,
    subject: String,
    body_text: String,
    sent_at: i64,
    is_automated: bool,
    has_attachments: bool,
    size_bytes: i64,
}

#[derive(FromRow)]
struct ParticipantRow {
    message_id: i64,
    role: String,
    address: String,
    display_name: Option<String>,
}

/// An `events` row: `SELECT id, source_key, uid, recurrence_id, summary, description,
/// location, starts_at, ends_at, all_day, status`.
#[derive(FromRow)]
pub(crate) struct EventRow {
    pub id: i64,
    source_key: String,
    uid: String,
    recurrence_id: Option<i64>,
    summary: String,
    description: String,
    location: String,
    starts_at: i64,
    ends_at: i64,
    all_day: bool,
    status: String,
}

/// An attendee of an event: `SELECT e.event_id, e.role, a.address, e.display_name,
/// e.response FROM event_attendees e JOIN addresses a ON a.id = e.address_id`.
#[derive(FromRow)]
pub(crate) struct AttendeeRow {
    event_id: i64,
    role: String,
    address: String,
    display_name: Option<String>,
    response: String,
}

/// Events from their rows, in the rows' order, each with its attendees (organisers
/// first, as calendars write them).
pub(crate) fn assemble_events(rows: Vec<EventRow>, attendees: Vec<AttendeeRow>) -> Vec<Event> {
    let mut attendees_of: HashMap<i64, Vec<Attendee>> = HashMap::new();
    for row in attendees {
        let Ok(address) = Address::parse(&row.address) else {
            continue;
        };
        let role = if row.role == AttendeeRole::Organizer.as_str() {
            AttendeeRole::Organizer
        } else {
            AttendeeRole::Attendee
        };
        attendees_of
            .entry(row.event_id)
            .or_default()
            .push(Attendee {
                role,
                address,
                name: row.display_name,
                response: ResponseStatus::parse(&row.response.replace('_', "")),
            });
    }
    rows.into_iter()
        .map(|row| {
            let mut attendees = attendees_of.remove(&row.id).unwrap_or_default();
            attendees.sort_by_key(|a| a.role != AttendeeRole::Organizer);
            Event {
                source_key: row.source_key,
                uid: row.uid,
                recurrence_id: row.recurrence_id.map(instant),
                summary: row.summary,
                description: row.description,
                location: row.location,
                starts_at: instant(row.starts_at),
                ends_at: instant(row.ends_at),
                all_day: row.all_day,
                status: match row.status.as_str() {
                    "cancelled" => EventStatus::Cancelled,
                    "tentative" => EventStatus::Tentative,
                    _ => EventStatus::Confirmed,
                },
                attendees,
            }
        })
        .collect()
}

fn instant(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

fn participant_role(role: &str) -> Option<ParticipantRole> {
    [
        ParticipantRole::From,
        ParticipantRole::To,
        ParticipantRole::Cc,
        ParticipantRole::Bcc,
        ParticipantRole::ReplyTo,
    ]
    .into_iter()
    .find(|r| r.as_str() == role)
}

impl Store {
    /// Up to `limit` messages with ids above `after` (`None`: from the first), in id
    /// order, each with its participants and labels. The stored thread key comes back as
    /// the message's References, so the message threads where it did.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn export_messages(
        &self,
        after: Option<i64>,
        limit: u32,
    ) -> Result<MessagePage, StoreError> {
        let rows: Vec<MessageRow> = sqlx::query_as(
            "SELECT id, source_key, rfc_message_id, thread_key, in_reply_to, subject, body_text,
                    sent_at, is_automated, has_attachments, size_bytes
             FROM messages WHERE id > ?1 ORDER BY id LIMIT ?2",
        )
        .bind(after.unwrap_or(i64::MIN))
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        let (Some(first), Some(last)) = (rows.first().map(|r| r.id), rows.last().map(|r| r.id))
        else {
            return Ok(MessagePage {
                messages: Vec::new(),
                next: None,
            });
        };
        let participants: Vec<ParticipantRow> = sqlx::query_as(
            "SELECT p.message_id, p.role, a.address, p.display_name
             FROM message_participants p JOIN addresses a ON a.id = p.address_id
             WHERE p.message_id BETWEEN ?1 AND ?2",
        )
        .bind(first)
        .bind(last)
        .fetch_all(self.reader())
        .await?;
        let labels: Vec<(i64, String)> = sqlx::query_as(
            "SELECT message_id, label FROM message_labels WHERE message_id BETWEEN ?1 AND ?2",
        )
        .bind(first)
        .bind(last)
        .fetch_all(self.reader())
        .await?;
        let mut participants_of: HashMap<i64, Vec<Participant>> = HashMap::new();
        for row in participants {
            let (Some(role), Ok(address)) =
                (participant_role(&row.role), Address::parse(&row.address))
            else {
                continue;
            };
            participants_of
                .entry(row.message_id)
                .or_default()
                .push(Participant {
                    role,
                    address,
                    name: row.display_name,
                });
        }
        let mut labels_of: HashMap<i64, Vec<String>> = HashMap::new();
        for (message_id, label) in labels {
            labels_of.entry(message_id).or_default().push(label);
        }
        let full = rows.len() == limit as usize;
        let messages = rows
            .into_iter()
            .map(|row| {
                let mut participants = participants_of.remove(&row.id).unwrap_or_default();
                participants.sort_by_key(|p| p.role);
                // A thread key is the first reference, the replied-to id, the message's own
                // id or a subject key: as the first reference it keys the thread again.
                let own_thread = row.rfc_message_id.as_deref() == Some(row.thread_key.as_str())
                    && row.in_reply_to.is_none();
                let references = if row.thread_key.starts_with("subject:") || own_thread {
                    Vec::new()
                } else {
                    vec![row.thread_key]
                };
                Message {
                    source_key: row.source_key,
                    rfc_message_id: row.rfc_message_id,
                    in_reply_to: row.in_reply_to,
                    references,
                    subject: row.subject,
                    sent_at: instant(row.sent_at),
                    participants,
                    body_text: row.body_text,
                    body_html: None,
                    labels: labels_of.remove(&row.id).unwrap_or_default(),
                    is_automated: row.is_automated,
                    has_attachments: row.has_attachments,
                    size_bytes: u64::try_from(row.size_bytes).unwrap_or(0),
                    invitations: Vec::new(),
                }
            })
            .collect();
        Ok(MessagePage {
            messages,
            next: full.then_some(last),
        })
    }

    /// Every stored artifact of `kind` (stories, for instance): its subject and JSON
    /// body, by subject.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn export_artifacts(&self, kind: &str) -> Result<Vec<(String, String)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT subject, body FROM artifacts WHERE kind = ?1 ORDER BY subject")
                .bind(kind)
                .fetch_all(self.reader())
                .await?,
        )
    }

    /// Up to `limit` events (occurrences) with ids above `after`, in id order, each with
    /// its organiser and attendees.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn export_events(
        &self,
        after: Option<i64>,
        limit: u32,
    ) -> Result<EventPage, StoreError> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT id, source_key, uid, recurrence_id, summary, description, location,
                    starts_at, ends_at, all_day, status
             FROM events WHERE id > ?1 ORDER BY id LIMIT ?2",
        )
        .bind(after.unwrap_or(i64::MIN))
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        let (Some(first), Some(last)) = (rows.first().map(|r| r.id), rows.last().map(|r| r.id))
        else {
            return Ok(EventPage {
                events: Vec::new(),
                next: None,
            });
        };
        let attendees: Vec<AttendeeRow> = sqlx::query_as(
            "SELECT e.event_id, e.role, a.address, e.display_name, e.response
             FROM event_attendees e JOIN addresses a ON a.id = e.address_id
             WHERE e.event_id BETWEEN ?1 AND ?2",
        )
        .bind(first)
        .bind(last)
        .fetch_all(self.reader())
        .await?;
        let full = rows.len() == limit as usize;
        let events = assemble_events(rows, attendees);
        Ok(EventPage {
            events,
            next: full.then_some(last),
        })
    }
}
