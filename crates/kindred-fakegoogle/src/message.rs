//! One Gmail message: what the fake keeps of the exact RFC 2822 bytes, and the `Message`
//! JSON it renders from them in each `format` (minimal, metadata, full, raw).

use std::collections::BTreeSet;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE;
use base64::Engine as _;
use mail_parser::{Header, HeaderValue, Message, MessageParser, MimeHeaders, PartType};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Characters of body text in a snippet, about what Gmail shows.
const SNIPPET_CHARS: usize = 200;

/// A message in a mailbox.
#[derive(Debug, Clone)]
pub(crate) struct StoredMessage {
    pub id: String,
    pub thread_id: String,
    /// The exact bytes received, returned untouched by `format=raw`.
    pub raw: Arc<[u8]>,
    pub label_ids: BTreeSet<String>,
    /// Epoch milliseconds: the Date header, else the mbox envelope date, else arrival.
    pub internal_date: i64,
    /// The history id of the message's last change.
    pub history_id: u64,
    pub snippet: String,
}

/// What the mailbox needs from a message's headers when it arrives.
#[derive(Debug, Default)]
pub(crate) struct Envelope {
    pub message_id: Option<String>,
    /// In-Reply-To and References, the ids a reply names.
    pub parents: Vec<String>,
    pub date_millis: Option<i64>,
    pub from: Option<String>,
    pub snippet: String,
}

impl Envelope {
    /// Reads the envelope of `raw`; a message mail-parser cannot read gives an empty one.
    pub(crate) fn read(raw: &[u8]) -> Self {
        let Some(message) = MessageParser::default().parse(raw) else {
            return Self::default();
        };
        let mut parents = Vec::new();
        for value in [message.in_reply_to(), message.references()] {
            match value {
                HeaderValue::Text(id) => parents.push(id.to_string()),
                HeaderValue::TextList(ids) => parents.extend(ids.iter().map(ToString::to_string)),
                _ => {}
            }
        }
        Self {
            message_id: message.message_id().map(str::to_owned),
            parents,
            date_millis: message.date().map(|date| date.to_timestamp() * 1000),
            from: message
                .from()
                .and_then(|from| from.first())
                .and_then(|address| address.address())
                .map(str::to_ascii_lowercase),
            snippet: snippet(&message),
        }
    }
}

/// Gmail's snippet: the start of the text, whitespace collapsed, HTML-escaped.
fn snippet(message: &Message<'_>) -> String {
    let text = message.body_preview(SNIPPET_CHARS * 2).unwrap_or_default();
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut escaped = String::with_capacity(collapsed.len());
    for character in collapsed.chars().take(SNIPPET_CHARS) {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// `messages.get`'s `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Minimal,
    Metadata,
    Full,
    Raw,
}

impl Format {
    pub(crate) fn parse(value: &str) -> Option<Self> {
        match value {
            "minimal" => Some(Self::Minimal),
            "metadata" => Some(Self::Metadata),
            "full" => Some(Self::Full),
            "raw" => Some(Self::Raw),
            _ => None,
        }
    }
}

impl StoredMessage {
    /// `{id, threadId}`, as lists and history give them.
    pub(crate) fn reference(&self) -> Value {
        json!({ "id": self.id, "threadId": self.thread_id })
    }

    /// The `Message` resource in `format`; `metadata_headers` (case-insensitive) limits the
    /// headers of `format=metadata` when not empty.
    pub(crate) fn render(&self, format: Format, metadata_headers: &[&str]) -> Value {
        let mut body = json!({
            "id": self.id,
            "threadId": self.thread_id,
            "labelIds": self.label_ids,
            "snippet": self.snippet,
            "sizeEstimate": self.raw.len(),
            "historyId": self.history_id.to_string(),
            "internalDate": self.internal_date.to_string(),
        });
        match format {
            Format::Minimal => {}
            Format::Raw => body["raw"] = json!(URL_SAFE.encode(&self.raw)),
            Format::Metadata | Format::Full => {
                let payload = MessageParser::default().parse(&self.raw[..]).map_or_else(
                    || json!({ "partId": "", "mimeType": "text/plain", "headers": [] }),
                    |message| {
                        if format == Format::Full {
                            self.part_json(&message, 0, "")
                        } else {
                            metadata_payload(&message, metadata_headers)
                        }
                    },
                );
                body["payload"] = payload;
            }
        }
        body
    }

    /// `MessagePart` for part `index`, its children numbered `0`, `1`, `1.0`… as Gmail does.
    fn part_json(&self, message: &Message<'_>, index: u32, part_id: &str) -> Value {
        let Some(part) = message.parts.get(index as usize) else {
            return Value::Null;
        };
        let mut json = json!({
            "partId": part_id,
            "mimeType": mime_type(part),
            "filename": part.attachment_name().unwrap_or_default(),
            "headers": part.headers.iter().map(|h| header_json(message, h)).collect::<Vec<_>>(),
        });
        if let PartType::Multipart(children) = &part.body {
            json["body"] = json!({ "size": 0 });
            json["parts"] = children
                .iter()
                .enumerate()
                .map(|(position, child)| {
                    self.part_json(message, *child, &child_part_id(part_id, position))
                })
                .collect();
        } else {
            let contents = part.contents();
            json["body"] = if part.attachment_name().is_some() {
                json!({ "attachmentId": attachment_id(&self.id, part_id), "size": contents.len() })
            } else {
                json!({ "size": contents.len(), "data": URL_SAFE.encode(contents) })
            };
        }
        json
    }

    /// `MessagePartBody` of the attachment `attachment_id`, or `None` when no part has it.
    pub(crate) fn attachment(&self, wanted: &str) -> Option<Value> {
        let message = MessageParser::default().parse(&self.raw[..])?;
        let mut pending = vec![(0_u32, String::new())];
        while let Some((index, part_id)) = pending.pop() {
            let part = message.parts.get(index as usize)?;
            if let PartType::Multipart(children) = &part.body {
                pending.extend(
                    children
                        .iter()
                        .enumerate()
                        .map(|(position, child)| (*child, child_part_id(&part_id, position))),
                );
            } else if attachment_id(&self.id, &part_id) == wanted {
                let contents = part.contents();
                return Some(json!({
                    "attachmentId": wanted,
                    "size": contents.len(),
                    "data": URL_SAFE.encode(contents),
                }));
            }
        }
        None
    }
}

/// The payload of `format=metadata`: the top-level headers, no bodies.
fn metadata_payload(message: &Message<'_>, wanted: &[&str]) -> Value {
    let root = &message.parts[0];
    let headers: Vec<Value> = root
        .headers
        .iter()
        .map(|h| header_json(message, h))
        .filter(|h| {
            wanted.is_empty()
                || wanted.iter().any(|name| {
                    h["name"]
                        .as_str()
                        .is_some_and(|n| n.eq_ignore_ascii_case(name))
                })
        })
        .collect();
    json!({ "partId": "", "mimeType": mime_type(root), "filename": "", "headers": headers })
}

fn child_part_id(parent: &str, position: usize) -> String {
    if parent.is_empty() {
        position.to_string()
    } else {
        format!("{parent}.{position}")
    }
}

/// A stable attachment id for one part of one message.
fn attachment_id(message_id: &str, part_id: &str) -> String {
    let digest = Sha256::digest(format!("{message_id}/{part_id}").as_bytes());
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("ANGjdJ{hex}")
}

fn mime_type(part: &mail_parser::MessagePart<'_>) -> String {
    match part.content_type() {
        Some(content_type) => match content_type.subtype() {
            Some(subtype) => format!("{}/{subtype}", content_type.ctype()).to_ascii_lowercase(),
            None => content_type.ctype().to_ascii_lowercase(),
        },
        None if matches!(part.body, PartType::Message(_)) => "message/rfc822".to_owned(),
        None => "text/plain".to_owned(),
    }
}

/// `{name, value}` with the name as written and the value unfolded; unstructured values
/// (Subject…) come decoded from RFC 2047 words, as Gmail returns them.
fn header_json(message: &Message<'_>, header: &Header<'_>) -> Value {
    let raw = &message.raw_message;
    let slice = |from: u32, to: u32| {
        raw.get(from as usize..to as usize)
            .map(String::from_utf8_lossy)
            .unwrap_or_default()
    };
    let name = slice(header.offset_field, header.offset_start);
    let name = name.trim().trim_end_matches(':').trim();
    let value = match &header.value {
        HeaderValue::Text(text) => text.to_string(),
        _ => slice(header.offset_start, header.offset_end)
            .replace("\r\n", "")
            .replace('\n', "")
            .trim()
            .to_owned(),
    };
    json!({ "name": name, "value": value })
}
