//! One Gmail mailbox: messages, labels, threads and the history log, with the queries
//! `messages.list` and `history.list` answer from. No HTTP here.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::message::{Envelope, StoredMessage};
use crate::paging;

/// Gmail's system labels, all listed by `labels.list`.
const SYSTEM_LABELS: [&str; 13] = [
    "INBOX",
    "SENT",
    "DRAFT",
    "SPAM",
    "TRASH",
    "UNREAD",
    "STARRED",
    "IMPORTANT",
    "CHAT",
    "CATEGORY_PERSONAL",
    "CATEGORY_SOCIAL",
    "CATEGORY_PROMOTIONS",
    "CATEGORY_UPDATES",
];

/// The first history id of a new mailbox; Google's are large numbers too.
const FIRST_HISTORY_ID: u64 = 100_000;

/// What one history record says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    MessageAdded,
    MessageDeleted,
    LabelAdded,
    LabelRemoved,
}

impl Change {
    pub(crate) fn parse(history_type: &str) -> Option<Self> {
        match history_type {
            "messageAdded" => Some(Self::MessageAdded),
            "messageDeleted" => Some(Self::MessageDeleted),
            "labelAdded" => Some(Self::LabelAdded),
            "labelRemoved" => Some(Self::LabelRemoved),
            _ => None,
        }
    }
}

/// One history record: one change to one message.
#[derive(Debug, Clone)]
struct HistoryRecord {
    id: u64,
    change: Change,
    message_id: String,
    thread_id: String,
    /// The message's labels just after the change.
    labels_after: BTreeSet<String>,
    /// The labels added or removed.
    changed: Vec<String>,
}

/// Why `history.list` refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HistoryRefusal {
    /// The start is older than what the mailbox keeps: 404.
    Expired,
    /// The page token is not one this mailbox issued.
    BadPageToken,
}

/// A `messages.list` request, parsed.
#[derive(Debug, Default)]
pub(crate) struct ListRequest {
    /// Inclusive lower bound on internalDate, epoch ms.
    pub after: Option<i64>,
    /// Exclusive upper bound on internalDate, epoch ms.
    pub before: Option<i64>,
    /// Labels every listed message carries.
    pub label_ids: Vec<String>,
    pub include_spam_trash: bool,
    pub page_size: usize,
    pub page_token: Option<String>,
}

impl ListRequest {
    /// Reads the Gmail search terms the fake understands into the request: `after:`,
    /// `before:` (epoch seconds or `YYYY/MM/DD`, midnight UTC), `newer:`/`older:` as
    /// synonyms, `in:`/`label:` (system labels in any case, user labels as named) and
    /// `is:unread`/`is:starred`. Other terms are ignored.
    pub(crate) fn apply_search(&mut self, search: &str) -> Result<(), String> {
        for term in search.split_whitespace() {
            let Some((operator, value)) = term.split_once(':') else {
                continue;
            };
            match operator.to_ascii_lowercase().as_str() {
                "after" | "newer" => self.after = Some(search_time(value)?),
                "before" | "older" => self.before = Some(search_time(value)?),
                "in" | "label" => {
                    let upper = value.to_ascii_uppercase();
                    let system = SYSTEM_LABELS.contains(&upper.as_str());
                    self.label_ids
                        .push(if system { upper } else { value.to_owned() });
                }
                "is" if value.eq_ignore_ascii_case("unread") => {
                    self.label_ids.push("UNREAD".to_owned());
                }
                "is" if value.eq_ignore_ascii_case("starred") => {
                    self.label_ids.push("STARRED".to_owned());
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// A date of a search term as epoch milliseconds.
fn search_time(value: &str) -> Result<i64, String> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value
            .parse::<i64>()
            .map(|seconds| seconds * 1000)
            .map_err(|_| format!("Invalid date in search: {value}"));
    }
    let day = NaiveDate::parse_from_str(value, "%Y/%m/%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%Y-%m-%d"))
        .map_err(|_| {
            format!("Invalid date in search: {value} (use YYYY/MM/DD or epoch seconds)")
        })?;
    Ok(day
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        .timestamp_millis())
}

/// One page of `messages.list` or `threads.list`.
#[derive(Debug)]
pub(crate) struct ListPage {
    pub items: Vec<Value>,
    pub next_page_token: Option<String>,
    pub result_size_estimate: usize,
}

/// A Gmail account's mail.
#[derive(Debug)]
pub(crate) struct Mailbox {
    email: String,
    messages: HashMap<String, StoredMessage>,
    /// (internalDate, id) of every message, for newest-first listing.
    by_date: BTreeSet<(i64, String)>,
    history: Vec<HistoryRecord>,
    history_id: u64,
    /// Starts below this id are expired.
    history_floor: u64,
    /// RFC 822 Message-ID → Gmail thread id.
    threads_by_message_id: HashMap<String, String>,
    user_labels: BTreeSet<String>,
    /// Draws message ids and the gaps between history ids.
    random: StdRng,
}

impl Mailbox {
    pub(crate) fn new(email: &str, seed: u64) -> Self {
        let digest = Sha256::digest(email.as_bytes());
        let mut bytes = [0_u8; 8];
        bytes.copy_from_slice(&digest[..8]);
        Self {
            email: email.to_owned(),
            messages: HashMap::new(),
            by_date: BTreeSet::new(),
            history: Vec::new(),
            history_id: FIRST_HISTORY_ID,
            history_floor: 0,
            threads_by_message_id: HashMap::new(),
            user_labels: BTreeSet::new(),
            random: StdRng::seed_from_u64(seed ^ u64::from_le_bytes(bytes)),
        }
    }

    pub(crate) fn history_id(&self) -> u64 {
        self.history_id
    }

    /// Advances the history id by a gap of 1–4: ids increase but are not contiguous.
    fn next_history_id(&mut self) -> u64 {
        self.history_id += self.random.gen_range(1..=4);
        self.history_id
    }

    /// Stores `raw` with `labels`; returns the new Gmail id.
    pub(crate) fn add(&mut self, raw: &[u8], labels: &[&str]) -> String {
        self.store(raw, Envelope::read(raw), labels, None)
    }

    /// Stores a message as it arrives from a mail file: labelled SENT when it is from the
    /// owner, INBOX otherwise; `fallback_date` (epoch ms, the mbox envelope's) stands in
    /// for a missing Date header. Returns the new Gmail id.
    pub(crate) fn deliver(&mut self, raw: &[u8], fallback_date: Option<i64>) -> String {
        let envelope = Envelope::read(raw);
        let label = if envelope.from.as_deref() == Some(self.email.as_str()) {
            "SENT"
        } else {
            "INBOX"
        };
        self.store(raw, envelope, &[label], fallback_date)
    }

    fn store(
        &mut self,
        raw: &[u8],
        envelope: Envelope,
        labels: &[&str],
        fallback_date: Option<i64>,
    ) -> String {
        let id = loop {
            let candidate = format!("{:016x}", self.random.gen::<u64>() >> 1);
            if !self.messages.contains_key(&candidate) {
                break candidate;
            }
        };
        let thread_id = envelope
            .parents
            .iter()
            .find_map(|parent| self.threads_by_message_id.get(parent).cloned())
            .unwrap_or_else(|| id.clone());
        if let Some(message_id) = &envelope.message_id {
            self.threads_by_message_id
                .entry(message_id.clone())
                .or_insert_with(|| thread_id.clone());
        }
        let internal_date = envelope
            .date_millis
            .or(fallback_date)
            .unwrap_or_else(|| Utc::now().timestamp_millis());
        let label_ids: BTreeSet<String> = labels.iter().map(|l| (*l).to_owned()).collect();
        self.remember_user_labels(&label_ids);
        let history_id = self.next_history_id();
        let message = StoredMessage {
            id: id.clone(),
            thread_id: thread_id.clone(),
            raw: Arc::from(raw),
            label_ids: label_ids.clone(),
            internal_date,
            history_id,
            snippet: envelope.snippet,
        };
        self.by_date.insert((internal_date, id.clone()));
        self.messages.insert(id.clone(), message);
        self.history.push(HistoryRecord {
            id: history_id,
            change: Change::MessageAdded,
            message_id: id.clone(),
            thread_id,
            labels_after: label_ids,
            changed: Vec::new(),
        });
        id
    }

    /// Deletes a message for good; false when there is no such message.
    pub(crate) fn delete(&mut self, id: &str) -> bool {
        let Some(message) = self.messages.remove(id) else {
            return false;
        };
        self.by_date
            .remove(&(message.internal_date, message.id.clone()));
        let history_id = self.next_history_id();
        self.history.push(HistoryRecord {
            id: history_id,
            change: Change::MessageDeleted,
            message_id: message.id,
            thread_id: message.thread_id,
            labels_after: BTreeSet::new(),
            changed: Vec::new(),
        });
        true
    }

    /// Adds and removes labels, one history record for each kind of change that happened;
    /// false when there is no such message.
    pub(crate) fn modify_labels(&mut self, id: &str, add: &[&str], remove: &[&str]) -> bool {
        let Some(current) = self.messages.get(id) else {
            return false;
        };
        let added: Vec<String> = add
            .iter()
            .filter(|label| !current.label_ids.contains(**label))
            .map(|label| (*label).to_owned())
            .collect();
        let removed: Vec<String> = remove
            .iter()
            .filter(|label| current.label_ids.contains(**label))
            .map(|label| (*label).to_owned())
            .collect();
        self.remember_user_labels(&added);
        for (change, labels) in [(Change::LabelAdded, added), (Change::LabelRemoved, removed)] {
            if labels.is_empty() {
                continue;
            }
            let history_id = self.next_history_id();
            let Some(message) = self.messages.get_mut(id) else {
                return false;
            };
            for label in &labels {
                if change == Change::LabelAdded {
                    message.label_ids.insert(label.clone());
                } else {
                    message.label_ids.remove(label);
                }
            }
            message.history_id = history_id;
            self.history.push(HistoryRecord {
                id: history_id,
                change,
                message_id: message.id.clone(),
                thread_id: message.thread_id.clone(),
                labels_after: message.label_ids.clone(),
                changed: labels,
            });
        }
        true
    }

    fn remember_user_labels<'a>(&mut self, labels: impl IntoIterator<Item = &'a String>) {
        for label in labels {
            if !SYSTEM_LABELS.contains(&label.as_str()) {
                self.user_labels.insert(label.clone());
            }
        }
    }

    /// Every start id issued so far becomes too old; ids issued from now on are valid.
    pub(crate) fn expire_history(&mut self) {
        self.history_floor = self.history_id + 1;
        self.history_id = self.history_floor;
    }

    pub(crate) fn message(&self, id: &str) -> Option<&StoredMessage> {
        self.messages.get(id)
    }

    pub(crate) fn message_ids(&self) -> BTreeSet<String> {
        self.messages.keys().cloned().collect()
    }

    /// `getProfile`.
    pub(crate) fn profile(&self) -> Value {
        let threads: BTreeSet<&str> = self
            .messages
            .values()
            .map(|message| message.thread_id.as_str())
            .collect();
        json!({
            "emailAddress": self.email,
            "messagesTotal": self.messages.len(),
            "threadsTotal": threads.len(),
            "historyId": self.history_id.to_string(),
        })
    }

    /// `labels.list`.
    pub(crate) fn labels(&self) -> Value {
        let system = SYSTEM_LABELS
            .iter()
            .map(|label| json!({ "id": label, "name": label, "type": "system" }));
        let user = self.user_labels.iter().map(|label| {
            json!({
                "id": label,
                "name": label,
                "type": "user",
                "messageListVisibility": "show",
                "labelListVisibility": "labelShow",
            })
        });
        json!({ "labels": system.chain(user).collect::<Vec<_>>() })
    }

    /// `labels.get`: a system label or one seen on a message, with its counts.
    pub(crate) fn label(&self, id: &str) -> Option<Value> {
        let system = SYSTEM_LABELS.contains(&id);
        if !system && !self.user_labels.contains(id) {
            return None;
        }
        let carrying: Vec<&StoredMessage> = self
            .messages
            .values()
            .filter(|message| message.label_ids.contains(id))
            .collect();
        let unread: Vec<&&StoredMessage> = carrying
            .iter()
            .filter(|message| message.label_ids.contains("UNREAD"))
            .collect();
        let threads = |messages: &mut dyn Iterator<Item = &StoredMessage>| {
            messages
                .map(|message| message.thread_id.as_str())
                .collect::<HashSet<_>>()
                .len()
        };
        Some(json!({
            "id": id,
            "name": id,
            "type": if system { "system" } else { "user" },
            "messagesTotal": carrying.len(),
            "messagesUnread": unread.len(),
            "threadsTotal": threads(&mut carrying.iter().copied()),
            "threadsUnread": threads(&mut unread.iter().map(|message| **message)),
        }))
    }

    /// `messages.list`: newest first by internalDate. The page token is the last
    /// (internalDate, id) listed, so pages stay right while mail arrives.
    pub(crate) fn list(&self, request: &ListRequest) -> Result<ListPage, String> {
        self.page(request, false)
    }

    /// `threads.list`: threads with a matching message, ordered by their newest one.
    pub(crate) fn list_threads(&self, request: &ListRequest) -> Result<ListPage, String> {
        self.page(request, true)
    }

    /// One page of messages, or of threads (each at its newest matching message).
    fn page(&self, request: &ListRequest, by_thread: bool) -> Result<ListPage, String> {
        let cursor = match &request.page_token {
            Some(token) => Some(paging::decode_cursor(token).ok_or("Invalid pageToken")?),
            None => None,
        };
        let matches = |message: &StoredMessage| {
            let hidden = message.label_ids.contains("SPAM") || message.label_ids.contains("TRASH");
            let asks_hidden = request
                .label_ids
                .iter()
                .any(|l| l == "SPAM" || l == "TRASH");
            request
                .after
                .is_none_or(|after| message.internal_date >= after)
                && request
                    .before
                    .is_none_or(|before| message.internal_date < before)
                && request
                    .label_ids
                    .iter()
                    .all(|label| message.label_ids.contains(label))
                && (request.include_spam_trash || asks_hidden || !hidden)
        };
        let mut seen_threads = HashSet::new();
        let mut result_size_estimate = 0;
        let mut listed = Vec::new();
        let mut last: Option<(i64, &str)> = None;
        let mut next_page_token = None;
        for (date, id) in self.by_date.iter().rev() {
            let Some(message) = self.messages.get(id) else {
                continue;
            };
            if !matches(message) || (by_thread && !seen_threads.insert(&message.thread_id)) {
                continue;
            }
            result_size_estimate += 1;
            let past_cursor = cursor
                .as_ref()
                .is_none_or(|(cursor_date, cursor_id)| (date, id) < (cursor_date, cursor_id));
            if !past_cursor {
                continue;
            }
            if listed.len() < request.page_size {
                listed.push(if by_thread {
                    self.thread_summary(&message.thread_id)
                } else {
                    message.reference()
                });
                last = Some((*date, id));
            } else if next_page_token.is_none() {
                next_page_token = last.map(|(date, id)| paging::encode_cursor(date, id));
            }
        }
        Ok(ListPage {
            items: listed,
            next_page_token,
            result_size_estimate,
        })
    }

    /// The messages of a thread, oldest first.
    pub(crate) fn thread(&self, thread_id: &str) -> Vec<StoredMessage> {
        let mut messages: Vec<StoredMessage> = self
            .messages
            .values()
            .filter(|message| message.thread_id == thread_id)
            .cloned()
            .collect();
        messages.sort_by(|a, b| (a.internal_date, &a.id).cmp(&(b.internal_date, &b.id)));
        messages
    }

    /// `{id, snippet, historyId}` of a thread, as threads.list gives it.
    fn thread_summary(&self, thread_id: &str) -> Value {
        let messages = self.thread(thread_id);
        let snippet = messages
            .last()
            .map(|m| m.snippet.clone())
            .unwrap_or_default();
        let history_id = messages.iter().map(|m| m.history_id).max().unwrap_or(0);
        json!({ "id": thread_id, "snippet": snippet, "historyId": history_id.to_string() })
    }

    /// `history.list`: the records after `start`, of the `types` asked (all when empty),
    /// touching `label_id` when given, `page_size` at a time.
    pub(crate) fn history(
        &self,
        start: u64,
        types: &[Change],
        label_id: Option<&str>,
        page_size: usize,
        page_token: Option<&str>,
    ) -> Result<Value, HistoryRefusal> {
        if start < self.history_floor {
            return Err(HistoryRefusal::Expired);
        }
        let after = match page_token {
            Some(token) => paging::decode_number(token).ok_or(HistoryRefusal::BadPageToken)?,
            None => start,
        };
        let mut records = Vec::new();
        let mut next_page_token = None;
        let wanted = self.history.iter().filter(|record| {
            record.id > after
                && (types.is_empty() || types.contains(&record.change))
                && label_id.is_none_or(|label| {
                    record.labels_after.contains(label) || record.changed.iter().any(|l| l == label)
                })
        });
        for record in wanted {
            if records.len() == page_size {
                let last = records.last().and_then(|r: &Value| r["id"].as_str());
                let last = last.and_then(|id| id.parse::<u64>().ok()).unwrap_or(after);
                next_page_token = Some(paging::encode_number(last));
                break;
            }
            records.push(record_json(record));
        }
        let mut body = json!({ "historyId": self.history_id.to_string() });
        if !records.is_empty() {
            body["history"] = Value::Array(records);
        }
        if let Some(token) = next_page_token {
            body["nextPageToken"] = json!(token);
        }
        Ok(body)
    }
}

fn record_json(record: &HistoryRecord) -> Value {
    let reference = json!({ "id": record.message_id, "threadId": record.thread_id });
    let labelled = json!({
        "id": record.message_id,
        "threadId": record.thread_id,
        "labelIds": record.labels_after,
    });
    let mut json = json!({ "id": record.id.to_string(), "messages": [reference] });
    match record.change {
        Change::MessageAdded => json["messagesAdded"] = json!([{ "message": labelled }]),
        Change::MessageDeleted => json["messagesDeleted"] = json!([{ "message": reference }]),
        Change::LabelAdded => {
            json["labelsAdded"] = json!([{ "message": labelled, "labelIds": record.changed }]);
        }
        Change::LabelRemoved => {
            json["labelsRemoved"] = json!([{ "message": labelled, "labelIds": record.changed }]);
        }
    }
    json
}
