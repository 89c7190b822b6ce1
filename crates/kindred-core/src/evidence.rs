//! The normalised evidence model: one `Message` and one `Event` shape for every source
//! (Gmail, mbox, Maildir, Takeout, .ics, the sample generator). Everything downstream
//! reads only these.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::address::Address;
use crate::invites::Invitation;

/// How a participant took part in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantRole {
    From,
    To,
    Cc,
    Bcc,
    ReplyTo,
}

impl ParticipantRole {
    /// The stored representation, also used in the database's CHECK constraint.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::From => "from",
            Self::To => "to",
            Self::Cc => "cc",
            Self::Bcc => "bcc",
            Self::ReplyTo => "reply_to",
        }
    }
}

/// One address on a message, with the display name written beside it there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub role: ParticipantRole,
    pub address: Address,
    pub name: Option<String>,
}

/// A mail message after normalisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Where the source found it, stable across re-imports (e.g. `mbox:<path>@<offset>`).
    pub source_key: String,
    /// The Message-ID header without angle brackets, when present.
    pub rfc_message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub subject: String,
    /// The Date header in UTC; messages without a usable date take the source's fallback.
    pub sent_at: DateTime<Utc>,
    pub participants: Vec<Participant>,
    /// Text body; HTML-only messages are converted to text.
    pub body_text: String,
    /// The message's own first `text/html` part, unsanitised (never synthesised from the
    /// text); the viewer sanitises it when it shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    /// Labels or folders the source filed it under (Gmail labels, Maildir folder, mbox name).
    pub labels: Vec<String>,
    /// Mailing lists, newsletters, notifications and no-reply senders.
    pub is_automated: bool,
    pub has_attachments: bool,
    /// Size of the raw message in bytes.
    pub size_bytes: u64,
    /// Its calendar invitations (`text/calendar` parts), read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invitations: Vec<Invitation>,
}

impl Message {
    /// The sender, if the message names one.
    #[must_use]
    pub fn from(&self) -> Option<&Participant> {
        self.participants
            .iter()
            .find(|p| p.role == ParticipantRole::From)
    }

    /// The thread this message belongs to: the first of its References, else what it
    /// replies to, else its own Message-ID, else its normalised subject.
    #[must_use]
    pub fn thread_key(&self) -> String {
        self.references
            .first()
            .or(self.in_reply_to.as_ref())
            .or(self.rfc_message_id.as_ref())
            .cloned()
            .unwrap_or_else(|| format!("subject:{}", normalise_subject(&self.subject)))
    }

    /// The key under which copies of one message in several folders count once: the
    /// sender, the Date instant, the subject and the body with whitespace normalised.
    /// Real Outlook and Notes exports keep such copies with different Message-IDs.
    #[must_use]
    pub fn content_key(&self) -> String {
        let mut hasher = sha1_smol::Sha1::new();
        hasher.update(self.from().map_or("", |p| p.address.as_str()).as_bytes());
        hasher.update(b"\0");
        hasher.update(self.sent_at.timestamp().to_string().as_bytes());
        hasher.update(b"\0");
        hasher.update(self.subject.trim().as_bytes());
        hasher.update(b"\0");
        for (i, word) in self.body_text.split_whitespace().enumerate() {
            if i > 0 {
                hasher.update(b" ");
            }
            hasher.update(word.as_bytes());
        }
        hasher.digest().to_string()
    }
}

/// The subject with reply and forward prefixes removed, lower-cased.
#[must_use]
pub fn normalise_subject(subject: &str) -> String {
    let mut rest = subject.trim();
    loop {
        let lower = rest.to_ascii_lowercase();
        let stripped = ["re:", "fw:", "fwd:", "aw:", "wg:", "sv:"]
            .iter()
            .find(|prefix| lower.starts_with(*prefix))
            .map(|prefix| rest[prefix.len()..].trim_start());
        match stripped {
            Some(next) => rest = next,
            None => return rest.to_lowercase(),
        }
    }
}

/// An attendee's answer to an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatus {
    NeedsAction,
    Accepted,
    Declined,
    Tentative,
    Delegated,
    Unknown,
}

impl ResponseStatus {
    /// Reads an iCalendar PARTSTAT or a Google Calendar `responseStatus`.
    #[must_use]
    pub fn parse(value: &str) -> Self {
        match value.to_ascii_lowercase().replace('-', "").as_str() {
            "needsaction" => Self::NeedsAction,
            "accepted" => Self::Accepted,
            "declined" => Self::Declined,
            "tentative" => Self::Tentative,
            "delegated" => Self::Delegated,
            _ => Self::Unknown,
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NeedsAction => "needs_action",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Tentative => "tentative",
            Self::Delegated => "delegated",
            Self::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendeeRole {
    Organizer,
    Attendee,
}

impl AttendeeRole {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Organizer => "organizer",
            Self::Attendee => "attendee",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub role: AttendeeRole,
    pub address: Address,
    pub name: Option<String>,
    pub response: ResponseStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Confirmed,
    Tentative,
    Cancelled,
}

impl EventStatus {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Tentative => "tentative",
            Self::Cancelled => "cancelled",
        }
    }
}

/// One occurrence of a calendar event after recurrence expansion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Stable across re-imports: the UID and the occurrence's original start.
    pub source_key: String,
    pub uid: String,
    /// The original start of this occurrence when it belongs to a recurring series.
    pub recurrence_id: Option<DateTime<Utc>>,
    pub summary: String,
    pub description: String,
    pub location: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub all_day: bool,
    pub status: EventStatus,
    pub attendees: Vec<Attendee>,
}

impl Event {
    /// Length of the occurrence in minutes (zero for events that end where they start).
    #[must_use]
    pub fn duration_minutes(&self) -> i64 {
        (self.ends_at - self.starts_at).num_minutes().max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_prefixes_are_stripped_repeatedly() {
        assert_eq!(normalise_subject("Re: FW: re:  Budget Q3"), "budget q3");
        assert_eq!(normalise_subject("Rendezvous"), "rendezvous");
    }
}
