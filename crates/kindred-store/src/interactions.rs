//! The evidence as the insights read it, kept in memory ([`Evidence`]), and what they
//! derive from it: the interactions between the person and each of their people for
//! ranking (messages I sent to them, messages they sent, meetings we shared), who was in
//! what together for the graph, and the facts of each message and meeting for Wrapped.

use std::collections::HashMap;
use std::ops::Range;

use kindred_core::ranking::InteractionKind;
use sqlx::{FromRow, SqlitePool};

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

/// One deduplicated message as Wrapped reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// How an address took part in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    From,
    To,
    Cc,
    Bcc,
    ReplyTo,
}

impl Role {
    /// A recipient: To, Cc or Bcc.
    fn receives(self) -> bool {
        matches!(self, Self::To | Self::Cc | Self::Bcc)
    }

    /// Seen by the others in it: From, To or Cc.
    fn visible(self) -> bool {
        matches!(self, Self::From | Self::To | Self::Cc)
    }
}

/// One message as the insights read it.
#[derive(Debug, Clone)]
struct MessageRecord {
    id: i64,
    at: i64,
    from: Option<i64>,
    /// The message's own bulk flag (its sender's is in the address flags).
    bulk: bool,
    starts_thread: bool,
    /// The stored message it answers: its time and sender.
    parent: Option<(i64, Option<i64>)>,
    participants: Vec<(Role, i64)>,
    /// Its thread, as an index into [`Evidence::threads`].
    thread: u32,
}

/// One event occurrence as the insights read it.
#[derive(Debug, Clone)]
struct EventRecord {
    starts_at: i64,
    ends_at: i64,
    cancelled: bool,
    attendees: Vec<i64>,
}

/// Whether an address is mine, and whether it is automated.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    me: bool,
    automated: bool,
}

/// The flags of every address read.
#[derive(Debug, Clone, Default)]
struct AddressFlags(HashMap<i64, Flags>);

impl AddressFlags {
    fn get(&self, address: i64) -> Flags {
        self.0.get(&address).copied().unwrap_or_default()
    }

    fn is_me(&self, address: i64) -> bool {
        self.get(address).me
    }

    /// Neither mine nor automated.
    fn is_other_person(&self, address: i64) -> bool {
        let flags = self.get(address);
        !flags.me && !flags.automated
    }
}

/// What the insights read of the evidence that depends only on each message or meeting
/// and what came before it: derived as each is read, so an update derives only the new.
#[derive(Debug, Clone, Default)]
struct Derived {
    /// Grouped by message, in the order of the messages.
    message_interactions: Vec<Interaction>,
    /// Grouped by meeting, in the order of the events.
    meeting_interactions: Vec<Interaction>,
    /// The people together in each message (not bulk), then in each meeting, of a size
    /// the graph reads.
    message_groups: Vec<Vec<i64>>,
    meeting_groups: Vec<Vec<i64>>,
    /// The time of my last message in each thread.
    my_last: HashMap<u32, i64>,
    /// The first message (not bulk) each address took part in visibly, as an index into
    /// [`Evidence::messages`].
    first_seen: HashMap<i64, usize>,
    /// When each address was first in touch: mail not automated from them or from me to
    /// them, or a meeting together.
    first_contact: HashMap<i64, i64>,
}

/// Where a read of the evidence stood, to bring it up to date later.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Mark {
    version: i64,
    rewrites: i64,
    last_message: i64,
    last_event: i64,
    last_address: i64,
}

/// The evidence the insights read — every message with its participants, every event
/// with its attendees, who is me and who is automated — in memory, read and kept up to
/// date by [`Store::refresh_evidence`], which reads only what is new while nothing older
/// changed. The interactions, co-participation and facts the ranking, the
/// graph and Wrapped need are derived from it.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    messages: Vec<MessageRecord>,
    /// The index of each message in `messages`, by id.
    message_index: HashMap<i64, usize>,
    events: Vec<(i64, EventRecord)>,
    flags: AddressFlags,
    /// Thread keys, numbered in order of appearance.
    threads: HashMap<String, u32>,
    derived: Derived,
    mark: Mark,
}

/// Groups larger than this are left out of co-participation: an announcement to a hundred
/// people says little about how any two of them relate.
const LARGEST_GROUP: usize = 50;

impl Store {
    /// Brings `evidence` up to date, as one consistent snapshot: nothing to do while the
    /// evidence version stands still; only the new messages, events and addresses while
    /// nothing older changed; a fresh read otherwise (and from an empty `Evidence`).
    /// Returns whether anything changed.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn refresh_evidence(&self, evidence: &mut Evidence) -> Result<bool, StoreError> {
        loop {
            let mut tx = self.reader().begin().await?;
            let mark = read_mark(&mut tx, evidence.mark).await?;
            if mark.version == evidence.mark.version {
                return Ok(false);
            }
            if mark.rewrites != evidence.mark.rewrites {
                *evidence = Evidence::default();
            }
            if evidence.extend(&mut tx, self.reader(), mark).await? {
                tx.commit().await?;
                return Ok(true);
            }
            // Something older changed while a part was read beside the snapshot.
            *evidence = Evidence::default();
        }
    }
}

type Transaction = sqlx::Transaction<'static, sqlx::Sqlite>;

/// A message as read: id, time, sender, bulk, starts a thread, the parent's time and
/// sender, thread key, and the participants folded into one string.
type MessageRow = (
    i64,
    i64,
    Option<i64>,
    bool,
    bool,
    Option<i64>,
    Option<i64>,
    String,
    Option<String>,
);

/// The counters and the last ids now; the ids of rows added later are above these.
async fn read_mark(tx: &mut Transaction, before: Mark) -> Result<Mark, StoreError> {
    let (version, rewrites): (i64, i64) =
        sqlx::query_as("SELECT version, rewrites FROM evidence_version WHERE id = 1")
            .fetch_one(&mut **tx)
            .await?;
    if version == before.version {
        return Ok(before);
    }
    let (last_message, last_event, last_address): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT coalesce(max(id), 0) FROM messages),
                (SELECT coalesce(max(id), 0) FROM events),
                (SELECT coalesce(max(id), 0) FROM addresses)",
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(Mark {
        version,
        rewrites,
        last_message,
        last_event,
        last_address,
    })
}

/// One row per message, its participants folded into one string ("f12,t40,c7"): a fifth
/// of the rows a row per participant would be.
const MESSAGES: &str =
    "SELECT m.id, m.sent_at, m.from_address_id, m.is_automated, m.in_reply_to IS NULL,
        r.sent_at, r.from_address_id, m.thread_key,
        (SELECT group_concat(substr(p.role, 1, 1) || p.address_id)
         FROM message_participants p INDEXED BY message_participants_narrow
         WHERE p.message_id = m.id)
 FROM messages m INDEXED BY messages_narrow
 LEFT JOIN messages r INDEXED BY messages_parent ON r.rfc_message_id = m.in_reply_to
 WHERE m.id > ?1 AND m.id <= ?2 ORDER BY m.id";

/// Above this many messages, a read is split in two halves read side by side.
const SPLIT_ABOVE: i64 = 20_000;

/// The messages after `after` up to `upto`, in id order. A large read is split: the first
/// half in the snapshot `tx`, the second on another connection at the same time (SQLCipher
/// decrypts every page it reads, so a whole read is bound by one core). The rows of both
/// halves were all there when the snapshot was taken; none when something older changed
/// before the second half was read (the rewrites counter moved).
async fn read_messages(
    tx: &mut Transaction,
    pool: &SqlitePool,
    after: Mark,
    upto: Mark,
) -> Result<Option<Vec<MessageRow>>, StoreError> {
    let (from, to) = (after.last_message, upto.last_message);
    if to - from <= SPLIT_ABOVE {
        let rows = sqlx::query_as(MESSAGES)
            .bind(from)
            .bind(to)
            .fetch_all(&mut **tx)
            .await?;
        return Ok(Some(rows));
    }
    let middle = from + (to - from) / 2;
    let first = sqlx::query_as(MESSAGES)
        .bind(from)
        .bind(middle)
        .fetch_all(&mut **tx);
    let second = async {
        let rows: Vec<MessageRow> = sqlx::query_as(MESSAGES)
            .bind(middle)
            .bind(to)
            .fetch_all(pool)
            .await?;
        let rewrites: i64 =
            sqlx::query_scalar("SELECT rewrites FROM evidence_version WHERE id = 1")
                .fetch_one(pool)
                .await?;
        Ok::<_, sqlx::Error>((rows, rewrites))
    };
    let (mut rows, (second, rewrites)): (Vec<MessageRow>, _) = tokio::try_join!(first, second)?;
    if rewrites != upto.rewrites {
        return Ok(None);
    }
    rows.extend(second);
    Ok(Some(rows))
}

impl Evidence {
    /// Reads the rows added after `self.mark`, up to `mark`, and fixes the parents of
    /// older messages that answer new ones. False, with `self` half read, when something
    /// older changed meanwhile (see [`read_messages`]).
    async fn extend(
        &mut self,
        tx: &mut Transaction,
        pool: &SqlitePool,
        mark: Mark,
    ) -> Result<bool, StoreError> {
        let (after, upto) = (self.mark, mark);
        let flags: Vec<(i64, bool, bool)> = sqlx::query_as(
            "SELECT id, is_me, is_automated FROM addresses WHERE id > ?1 AND id <= ?2",
        )
        .bind(after.last_address)
        .bind(upto.last_address)
        .fetch_all(&mut **tx)
        .await?;
        self.flags.0.extend(
            flags
                .into_iter()
                .map(|(id, me, automated)| (id, Flags { me, automated })),
        );

        let Some(messages) = read_messages(tx, pool, after, upto).await? else {
            return Ok(false);
        };
        for (id, at, from, bulk, starts_thread, parent_at, parent_from, thread, participants) in
            messages
        {
            let next = u32::try_from(self.threads.len()).unwrap_or(u32::MAX);
            let thread = *self.threads.entry(thread).or_insert(next);
            let message = MessageRecord {
                id,
                at,
                from,
                bulk,
                starts_thread,
                parent: parent_at.map(|at| (at, parent_from)),
                participants: parse_participants(participants.as_deref().unwrap_or_default()),
                thread,
            };
            self.derived
                .add_message(&self.flags, &self.messages, self.messages.len(), &message);
            self.message_index.insert(id, self.messages.len());
            self.messages.push(message);
        }
        if after.last_message > 0 && upto.last_message > after.last_message {
            let answered: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
                "SELECT m.id, r.sent_at, r.from_address_id
                 FROM messages r JOIN messages m INDEXED BY messages_reply ON m.in_reply_to = r.rfc_message_id
                 WHERE r.id > ?1 AND r.id <= ?2 AND m.id <= ?1",
            )
            .bind(after.last_message)
            .bind(upto.last_message)
            .fetch_all(&mut **tx)
            .await?;
            for (id, at, from) in answered {
                if let Some(&index) = self.message_index.get(&id) {
                    self.messages[index].parent = Some((at, from));
                }
            }
        }

        let events: Vec<(i64, i64, i64, bool, Option<String>)> = sqlx::query_as(
            "SELECT e.id, e.starts_at, e.ends_at, e.status = 'cancelled',
                    (SELECT group_concat(DISTINCT x.address_id) FROM event_attendees x
                     WHERE x.event_id = e.id)
             FROM events e WHERE e.id > ?1 AND e.id <= ?2 ORDER BY e.id",
        )
        .bind(after.last_event)
        .bind(upto.last_event)
        .fetch_all(&mut **tx)
        .await?;
        for (id, starts_at, ends_at, cancelled, attendees) in events {
            let event = EventRecord {
                starts_at,
                ends_at,
                cancelled,
                attendees: attendees
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|id| id.parse().ok())
                    .collect(),
            };
            if !event.cancelled {
                self.derived.add_meeting(&self.flags, id, &event);
            }
            self.events.push((id, event));
        }
        self.mark = mark;
        Ok(true)
    }

    /// The evidence version this was read at (0 before the first read).
    #[must_use]
    pub fn version(&self) -> i64 {
        self.mark.version
    }

    /// The meetings that were not cancelled, with their ids.
    fn meetings(&self) -> impl Iterator<Item = (i64, &EventRecord)> {
        self.events
            .iter()
            .filter(|(_, event)| !event.cancelled)
            .map(|(id, event)| (*id, event))
    }

    /// Every interaction with an address that is not mine: each message I sent, to each of
    /// its recipients; each message they sent; each meeting that was not cancelled, with
    /// each attendee.
    /// Grouped by item: the interactions of one message or one meeting are consecutive.
    pub fn interactions(&self) -> impl Iterator<Item = &Interaction> {
        self.derived
            .message_interactions
            .iter()
            .chain(&self.derived.meeting_interactions)
    }

    /// For each non-automated message and each meeting that was not cancelled, the people
    /// in it together (from, to and cc; attendees), when there are at least two and at
    /// most [`LARGEST_GROUP`]. Me and automated addresses are left out.
    pub fn co_participation(&self) -> impl Iterator<Item = &[i64]> {
        self.derived
            .message_groups
            .iter()
            .chain(&self.derived.meeting_groups)
            .map(Vec::as_slice)
    }

    /// The messages sent within `window` (unix milliseconds), with who sent them and what
    /// they reply to.
    #[must_use]
    pub fn message_facts(&self, window: &Range<i64>) -> Vec<MessageFact> {
        self.messages
            .iter()
            .filter(|message| window.contains(&message.at))
            .map(|message| {
                let from = message
                    .from
                    .map(|from| self.flags.get(from))
                    .unwrap_or_default();
                MessageFact {
                    id: message.id,
                    at: message.at,
                    from_address_id: message.from,
                    from_me: from.me,
                    automated: message.bulk || from.automated,
                    starts_thread: message.starts_thread,
                    parent_at: message.parent.map(|(at, _)| at),
                    parent_mine: message
                        .parent
                        .and_then(|(_, from)| from)
                        .is_some_and(|from| self.flags.is_me(from)),
                }
            })
            .collect()
    }

    /// The people each of my messages sent within `window` went to (To/Cc/Bcc; not me,
    /// not automated), as `(message id, address id)`.
    #[must_use]
    pub fn my_recipients(&self, window: &Range<i64>) -> Vec<(i64, i64)> {
        self.messages
            .iter()
            .filter(|message| {
                window.contains(&message.at)
                    && message.from.is_some_and(|from| self.flags.is_me(from))
            })
            .flat_map(|message| {
                distinct(
                    message
                        .participants
                        .iter()
                        .filter(|(role, address)| {
                            role.receives() && self.flags.is_other_person(*address)
                        })
                        .map(|&(_, address)| address),
                )
                .into_iter()
                .map(|address| (message.id, address))
            })
            .collect()
    }

    /// Every meeting that was not cancelled.
    #[must_use]
    pub fn meeting_facts(&self) -> Vec<MeetingFact> {
        self.meetings()
            .map(|(_, event)| MeetingFact {
                starts_at: event.starts_at,
                minutes: count((event.ends_at - event.starts_at) / 60_000),
                people: distinct(
                    event
                        .attendees
                        .iter()
                        .copied()
                        .filter(|&address| self.flags.is_other_person(address)),
                ),
            })
            .collect()
    }

    /// When each address was first in touch with me, as `(address id, unix ms)`: the
    /// first mail (not automated) from them or from me to them, or the first meeting
    /// together, whichever came first. Sorted by address.
    #[must_use]
    pub fn first_contacts(&self) -> Vec<(i64, i64)> {
        let mut contacts: Vec<(i64, i64)> = self
            .derived
            .first_contact
            .iter()
            .map(|(&address, &at)| (address, at))
            .collect();
        contacts.sort_unstable();
        contacts
    }

    /// The messages [`Store::unanswered`] lists, newest first.
    /// The senders of the messages [`Store::unanswered`] lists since `since_ms`, once
    /// per message: what a ranking counts, without reading a subject.
    #[must_use]
    pub fn unanswered_senders(&self, since_ms: i64) -> Vec<i64> {
        self.unanswered(since_ms)
            .into_iter()
            .filter_map(|message| message.from)
            .collect()
    }

    fn unanswered(&self, since_ms: i64) -> Vec<&MessageRecord> {
        let mut owed: Vec<&MessageRecord> = self
            .messages
            .iter()
            .filter(|message| {
                message.at >= since_ms
                    && !message.bulk
                    && message
                        .from
                        .is_some_and(|from| self.flags.is_other_person(from))
                    && message.participants.iter().any(|&(role, address)| {
                        matches!(role, Role::To | Role::Cc) && self.flags.is_me(address)
                    })
                    && self
                        .derived
                        .my_last
                        .get(&message.thread)
                        .is_none_or(|&last| last <= message.at)
            })
            .collect();
        owed.sort_by_key(|message| std::cmp::Reverse(message.at));
        owed
    }

    /// For each address, how it first appeared in my mail: the sender of the first message
    /// (not bulk) it was part of (from, to or cc), and the sender of the message that one
    /// answered, as `(address id, first sender, answered sender)`.
    #[must_use]
    pub fn first_appearances(&self) -> Vec<(i64, Option<i64>, Option<i64>)> {
        let mut appearances: Vec<_> = self
            .derived
            .first_seen
            .iter()
            .map(|(&address, &index)| {
                let message = &self.messages[index];
                (
                    address,
                    message.from,
                    message.parent.and_then(|(_, from)| from),
                )
            })
            .collect();
        appearances.sort_unstable();
        appearances
    }
}

impl Derived {
    /// Takes in `message`, the `index`th of `messages` (those before it).
    fn add_message(
        &mut self,
        flags: &AddressFlags,
        messages: &[MessageRecord],
        index: usize,
        message: &MessageRecord,
    ) {
        let from_flags = message.from.map(|from| flags.get(from)).unwrap_or_default();
        if !message.bulk {
            let group = distinct(
                message
                    .participants
                    .iter()
                    .filter(|(role, address)| role.visible() && flags.is_other_person(*address))
                    .map(|&(_, address)| address),
            );
            for &(role, address) in &message.participants {
                if !role.visible() {
                    continue;
                }
                self.first_seen
                    .entry(address)
                    .and_modify(|known| {
                        // Not itself: an address can be in one message twice.
                        if let Some(first) = messages.get(*known) {
                            if (message.at, message.id) < (first.at, first.id) {
                                *known = index;
                            }
                        }
                    })
                    .or_insert(index);
            }
            if (2..=LARGEST_GROUP).contains(&group.len()) {
                self.message_groups.push(group);
            }
        }
        let Some(from) = message.from else {
            return;
        };
        let automated = message.bulk || from_flags.automated;
        if from_flags.me {
            let last = self.my_last.entry(message.thread).or_insert(message.at);
            *last = (*last).max(message.at);
            let recipients = distinct(
                message
                    .participants
                    .iter()
                    .filter(|(role, address)| role.receives() && !flags.is_me(*address))
                    .map(|&(_, address)| address),
            );
            let count = u32::try_from(recipients.len()).unwrap_or(u32::MAX).max(1);
            for &address_id in &recipients {
                if !automated && flags.is_other_person(address_id) {
                    self.touch(address_id, message.at);
                }
                self.message_interactions.push(Interaction {
                    address_id,
                    item: message.id,
                    at: message.at,
                    automated: false,
                    kind: InteractionKind::Sent {
                        recipients: count,
                        starts_thread: message.starts_thread,
                    },
                });
            }
        } else {
            if !automated {
                self.touch(from, message.at);
            }
            let recipients = message
                .participants
                .iter()
                .filter(|(role, _)| role.receives())
                .map(|&(_, address)| address);
            self.message_interactions.push(Interaction {
                address_id: from,
                item: message.id,
                at: message.at,
                automated: message.bulk,
                kind: InteractionKind::Received {
                    recipients: u32::try_from(distinct(recipients).len())
                        .unwrap_or(u32::MAX)
                        .max(1),
                    starts_thread: message.starts_thread,
                },
            });
        }
    }

    /// Takes in the meeting `id`, an event that was not cancelled.
    fn add_meeting(&mut self, flags: &AddressFlags, id: i64, event: &EventRecord) {
        let attending = distinct(
            event
                .attendees
                .iter()
                .copied()
                .filter(|&address| !flags.is_me(address)),
        );
        let attendees = u32::try_from(attending.len() + 1)
            .unwrap_or(u32::MAX)
            .max(2);
        let minutes = count((event.ends_at - event.starts_at) / 60_000);
        let group: Vec<i64> = attending
            .iter()
            .copied()
            .filter(|&address| flags.is_other_person(address))
            .collect();
        for &address in &group {
            self.touch(address, event.starts_at);
        }
        if (2..=LARGEST_GROUP).contains(&group.len()) {
            self.meeting_groups.push(group);
        }
        self.meeting_interactions
            .extend(attending.into_iter().map(|address_id| Interaction {
                address_id,
                item: id,
                at: event.starts_at,
                automated: false,
                kind: InteractionKind::Meeting { minutes, attendees },
            }));
    }

    /// Notes that `address` was in touch at `at`.
    fn touch(&mut self, address: i64, at: i64) {
        let first = self.first_contact.entry(address).or_insert(at);
        *first = (*first).min(at);
    }
}

/// The participants a message's folded string lists ("f12,t40,c7"), in order.
fn parse_participants(folded: &str) -> Vec<(Role, i64)> {
    folded
        .split(',')
        .filter_map(|item| {
            let role = match item.as_bytes().first()? {
                b'f' => Role::From,
                b't' => Role::To,
                b'c' => Role::Cc,
                b'b' => Role::Bcc,
                b'r' => Role::ReplyTo,
                _ => return None,
            };
            Some((role, item[1..].parse().ok()?))
        })
        .collect()
}

fn count(value: i64) -> u32 {
    u32::try_from(value.max(0)).unwrap_or(u32::MAX)
}

/// The addresses once each, in their first order.
fn distinct(addresses: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut seen = Vec::new();
    for address in addresses {
        if !seen.contains(&address) {
            seen.push(address);
        }
    }
    seen
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
    /// Cc, in threads where I have written nothing after them, newest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn unanswered(
        &self,
        evidence: &Evidence,
        since_ms: i64,
    ) -> Result<Vec<Unanswered>, StoreError> {
        let owed = evidence.unanswered(since_ms);
        let ids: Vec<i64> = owed.iter().map(|message| message.id).collect();
        let subjects: HashMap<i64, String> = sqlx::query_as(
            "SELECT id, subject FROM messages WHERE id IN (SELECT value FROM json_each(?1))",
        )
        .bind(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned()))
        .fetch_all(self.reader())
        .await?
        .into_iter()
        .collect();
        Ok(owed
            .into_iter()
            .map(|message| Unanswered {
                message_id: message.id,
                from_address_id: message.from.unwrap_or_default(),
                at: message.at,
                subject: subjects.get(&message.id).cloned().unwrap_or_default(),
            })
            .collect())
    }
}
