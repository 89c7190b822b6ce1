//! One RFC 5322 / MIME message → one normalised [`Message`], with `mail-parser` doing the
//! lenient parsing real mail needs.

use chrono::{DateTime, TimeDelta, Utc};
use kindred_core::invites::{Invitation, InviteMethod};
use kindred_core::{Address, Message, Participant, ParticipantRole};
use mail_parser::{HeaderValue, MessageParser, MimeHeaders, PartType};

use crate::ics::{parse_ics, ExpansionWindow};

/// Bodies longer than this are cut: enough for search and reading, bounded for memory.
const MAX_BODY_CHARS: usize = 512 * 1024;

/// HTML bodies longer than this many bytes are cut (markup is bulkier than text).
const MAX_HTML_BYTES: usize = 1024 * 1024;

/// What a cut HTML body starts with, so the reader knows the end is missing.
const HTML_CUT_NOTE: &str =
    "<p><em>This message is longer than Kindred keeps (1 MiB of HTML); its end was cut.</em></p>\n";

/// Where a raw message came from, and what the container knows about it.
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    /// Stable key of this item in its source (`mbox:<file>@<offset>`, `maildir:<path>`).
    pub source_key: String,
    /// Labels from the container: the mbox file name, the Maildir folder.
    pub labels: Vec<String>,
    /// A date to use when the message has no usable Date header (the mbox `From ` line,
    /// the Maildir delivery time).
    pub fallback_date: Option<DateTime<Utc>>,
}

/// A parsed message, with the addresses that normalisation dropped as garbage and what
/// could not be read in its calendar parts.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub message: Message,
    pub dropped_addresses: u32,
    /// Where in the message (`calendar part 2, line 7`) and why; a part with no readable
    /// event is skipped, the message is kept.
    pub calendar_problems: Vec<(String, String)>,
}

/// Parses one raw message.
///
/// # Errors
/// A reason in words when the bytes are not a message: empty, no header at all, or no
/// date anywhere to place it in time.
pub fn parse_message(raw: &[u8], envelope: Envelope) -> Result<Parsed, String> {
    // mail-parser panics on a few malformed structures; one bad message must not stop an
    // import, so a panic becomes this message's error.
    std::panic::catch_unwind(|| parse_unguarded(raw, envelope)).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(format!("the MIME structure cannot be parsed ({detail})"))
    })
}

fn parse_unguarded(raw: &[u8], envelope: Envelope) -> Result<Parsed, String> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err("empty message".to_owned());
    }
    let parsed = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| "not a MIME message".to_owned())?;
    if parsed.headers().is_empty() {
        return Err("no header found".to_owned());
    }
    let sent_at = parsed
        .date()
        .filter(|date| date.is_valid())
        .and_then(|date| DateTime::from_timestamp(date.to_timestamp(), 0))
        .or(envelope.fallback_date)
        .ok_or_else(|| "no usable Date header and no other date for the message".to_owned())?;

    let mut participants = Vec::new();
    let mut dropped_addresses = 0;
    let roles = [
        (ParticipantRole::From, parsed.from()),
        (ParticipantRole::To, parsed.to()),
        (ParticipantRole::Cc, parsed.cc()),
        (ParticipantRole::Bcc, parsed.bcc()),
        (ParticipantRole::ReplyTo, parsed.reply_to()),
    ];
    for (role, list) in roles {
        for addr in list.into_iter().flat_map(mail_parser::Address::iter) {
            let Some(Ok(address)) = addr.address.as_deref().map(Address::parse) else {
                dropped_addresses += 1;
                continue;
            };
            if participants
                .iter()
                .any(|p: &Participant| p.role == role && p.address == address)
            {
                continue;
            }
            let name = addr
                .name
                .as_deref()
                .map(|name| name.trim().trim_matches(['"', '\'']).trim().to_owned())
                .filter(|name| !name.is_empty() && !name.eq_ignore_ascii_case(address.as_str()));
            participants.push(Participant {
                role,
                address,
                name,
            });
        }
    }

    let mut labels = envelope.labels;
    if let Some(gmail_labels) = parsed.header_raw("X-Gmail-Labels") {
        labels.extend(split_gmail_labels(gmail_labels));
    }
    labels.sort();
    labels.dedup();

    let from_automated = participants
        .iter()
        .any(|p| p.role == ParticipantRole::From && p.address.looks_automated());
    let header_text = |name: &str| {
        parsed
            .header_raw(name)
            .map(|value| value.trim().to_ascii_lowercase())
    };
    let is_automated = from_automated
        || parsed.header_raw("List-Unsubscribe").is_some()
        || parsed.header_raw("List-Id").is_some()
        || header_text("Precedence")
            .is_some_and(|p| matches!(p.as_str(), "bulk" | "list" | "junk"))
        || header_text("Auto-Submitted").is_some_and(|value| value != "no");

    let mut body_text = parsed
        .body_text(0)
        .map(std::borrow::Cow::into_owned)
        .unwrap_or_default();
    if body_text.len() > MAX_BODY_CHARS {
        body_text.truncate(char_boundary_at_most(&body_text, MAX_BODY_CHARS));
    }
    let body_html = html_body(&parsed);

    let mut calendar_problems = Vec::new();
    let invitations = invitations(&parsed, sent_at, &mut calendar_problems);
    let message = Message {
        source_key: envelope.source_key,
        rfc_message_id: parsed
            .message_id()
            .map(clean_id)
            .filter(|id| !id.is_empty()),
        in_reply_to: id_list(parsed.in_reply_to()).into_iter().next(),
        references: id_list(parsed.references()),
        subject: parsed.subject().unwrap_or_default().trim().to_owned(),
        sent_at,
        participants,
        body_text,
        body_html,
        labels,
        is_automated,
        has_attachments: parsed.attachment_count() > 0,
        size_bytes: raw.len() as u64,
        invitations,
    };
    Ok(Parsed {
        message,
        dropped_addresses,
        calendar_problems,
    })
}

/// The largest char boundary of `text` at or before byte `limit`.
fn char_boundary_at_most(text: &str, limit: usize) -> usize {
    (0..=limit.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

/// The message's own first `text/html` part — not the HTML mail-parser makes from a text
/// part when there is none. Past [`MAX_HTML_BYTES`] it is cut before the last tag that
/// starts within the limit (so no tag is cut in two) and opens with [`HTML_CUT_NOTE`].
fn html_body(parsed: &mail_parser::Message<'_>) -> Option<String> {
    let PartType::Html(html) = &parsed.html_part(0)?.body else {
        return None;
    };
    if html.trim().is_empty() {
        return None;
    }
    if html.len() <= MAX_HTML_BYTES {
        return Some(html.to_string());
    }
    let limit = MAX_HTML_BYTES - HTML_CUT_NOTE.len();
    let kept = &html[..char_boundary_at_most(html, limit)];
    let kept = kept.rfind('<').map_or(kept, |tag| &kept[..tag]);
    Some(format!("{HTML_CUT_NOTE}{kept}"))
}

/// The message's calendar parts (`text/calendar`, `application/ics`, a `.ics` attachment),
/// each distinct invitation kept once: calendars send one both inline and attached.
/// Series are expanded from a month before the message to a year after it.
fn invitations(
    parsed: &mail_parser::Message<'_>,
    sent_at: DateTime<Utc>,
    problems: &mut Vec<(String, String)>,
) -> Vec<Invitation> {
    let window = ExpansionWindow {
        start: sent_at - TimeDelta::days(30),
        end: sent_at + TimeDelta::days(365),
    };
    let mut invitations: Vec<Invitation> = Vec::new();
    let calendar_parts = parsed.parts.iter().filter(|part| {
        let calendar_type = part.content_type().is_some_and(|t| {
            let subtype = t.subtype().unwrap_or_default();
            (t.ctype().eq_ignore_ascii_case("text") && subtype.eq_ignore_ascii_case("calendar"))
                || (t.ctype().eq_ignore_ascii_case("application")
                    && subtype.eq_ignore_ascii_case("ics"))
        });
        let ics_file = part
            .attachment_name()
            .is_some_and(|name| name.to_ascii_lowercase().ends_with(".ics"));
        calendar_type || ics_file
    });
    for (index, part) in calendar_parts.enumerate() {
        let place = format!("calendar part {}", index + 1);
        let Some(text) = part.text_contents() else {
            problems.push((place, "the calendar is not UTF-8 text".to_owned()));
            continue;
        };
        let outcome = parse_ics(text, "", &window);
        for error in &outcome.errors {
            problems.push((format!("{place}, {}", error.location), error.reason.clone()));
        }
        if outcome.events.is_empty() {
            continue;
        }
        let method = InviteMethod::parse(
            outcome
                .method
                .as_deref()
                .or_else(|| part.content_type().and_then(|t| t.attribute("method"))),
        );
        if invitations
            .iter()
            .any(|known| known.method == method && known.events == outcome.events)
        {
            continue;
        }
        invitations.push(Invitation {
            method,
            text: text.to_owned(),
            events: outcome.events,
        });
    }
    invitations
}

fn clean_id(id: &str) -> String {
    id.trim().trim_matches(['<', '>']).trim().to_owned()
}

fn id_list(value: &HeaderValue<'_>) -> Vec<String> {
    value
        .as_text_list()
        .unwrap_or_default()
        .iter()
        .map(|id| clean_id(id))
        .filter(|id| !id.is_empty())
        .collect()
}

/// Splits Gmail's `X-Gmail-Labels` value: comma-separated, labels may be quoted.
fn split_gmail_labels(value: &str) -> Vec<String> {
    let mut labels = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in value.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => labels.push(std::mem::take(&mut current)),
            '\r' | '\n' => {}
            _ => current.push(c),
        }
    }
    labels.push(current);
    labels
        .into_iter()
        .map(|label| label.trim().to_owned())
        .filter(|label| !label.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope() -> Envelope {
        Envelope {
            source_key: "test".to_owned(),
            ..Envelope::default()
        }
    }

    #[test]
    fn headers_become_participants_threads_and_flags() {
        let raw =
            b"From: \"Dana\" <Dana@Acme.com>\r\nTo: me@home.org, undisclosed-recipients:;\r\n\
Cc: Bob <bob@acme.com>\r\nDate: Tue, 1 Feb 2022 10:00:00 +0100\r\nSubject: Re: Plan\r\n\
Message-ID: <b@acme.com>\r\nIn-Reply-To: <a@home.org>\r\nReferences: <a@home.org>\r\n\
X-Gmail-Labels: Inbox,\"Project, Alpha\"\r\nList-Unsubscribe: <mailto:u@acme.com>\r\n\r\nHello\r\n";
        let parsed = parse_message(raw, envelope()).unwrap();
        let message = parsed.message;
        assert_eq!(message.from().unwrap().address.as_str(), "dana@acme.com");
        assert_eq!(message.from().unwrap().name.as_deref(), Some("Dana"));
        assert_eq!(message.participants.len(), 3, "from, one to, one cc");
        assert_eq!(message.sent_at.to_rfc3339(), "2022-02-01T09:00:00+00:00");
        assert_eq!(message.rfc_message_id.as_deref(), Some("b@acme.com"));
        assert_eq!(message.in_reply_to.as_deref(), Some("a@home.org"));
        assert_eq!(message.thread_key(), "a@home.org");
        assert_eq!(message.labels, vec!["Inbox", "Project, Alpha"]);
        assert!(message.is_automated, "List-Unsubscribe marks bulk mail");
        assert_eq!(message.body_text.trim(), "Hello");
    }

    #[test]
    fn html_only_bodies_become_text() {
        let raw = b"From: a@b.com\r\nDate: Tue, 1 Feb 2022 10:00:00 +0000\r\n\
Content-Type: text/html\r\n\r\n<html><body><p>Hi <b>there</b></p></body></html>\r\n";
        let message = parse_message(raw, envelope()).unwrap().message;
        assert!(
            message.body_text.contains("Hi there"),
            "{:?}",
            message.body_text
        );
        assert!(!message.body_text.contains('<'));
    }

    #[test]
    fn the_html_part_is_kept_beside_the_text_part() {
        let raw = b"From: a@b.com\r\nDate: Tue, 1 Feb 2022 10:00:00 +0000\r\n\
Content-Type: multipart/alternative; boundary=XX\r\n\r\n--XX\r\n\
Content-Type: text/plain\r\n\r\nPlain words\r\n--XX\r\n\
Content-Type: text/html\r\n\r\n<p>Rich <b>words</b></p>\r\n--XX--\r\n";
        let message = parse_message(raw, envelope()).unwrap().message;
        assert_eq!(message.body_text.trim(), "Plain words");
        assert_eq!(
            message.body_html.as_deref().map(str::trim),
            Some("<p>Rich <b>words</b></p>"),
            "the HTML alternative is kept as sent"
        );
    }

    #[test]
    fn a_text_only_message_has_no_html_made_up_for_it() {
        let raw = b"From: a@b.com\r\nDate: Tue, 1 Feb 2022 10:00:00 +0000\r\n\r\nJust text\r\n";
        let message = parse_message(raw, envelope()).unwrap().message;
        assert_eq!(message.body_html, None, "no HTML is synthesised from text");
    }

    #[test]
    fn an_html_only_message_keeps_its_html_and_gets_text() {
        let raw = b"From: a@b.com\r\nDate: Tue, 1 Feb 2022 10:00:00 +0000\r\n\
Content-Type: text/html\r\n\r\n<p>Only <i>markup</i></p>\r\n";
        let message = parse_message(raw, envelope()).unwrap().message;
        assert!(
            message.body_text.contains("Only markup"),
            "{:?}",
            message.body_text
        );
        assert!(message.body_html.unwrap().contains("<i>markup</i>"));
    }

    #[test]
    fn a_huge_html_part_is_cut_between_tags_and_says_so() {
        let cell = "<td>caf\u{e9} \u{1f600}</td>";
        let body = cell.repeat(MAX_HTML_BYTES / cell.len() + 10);
        let raw = format!(
            "From: a@b.com\r\nDate: Tue, 1 Feb 2022 10:00:00 +0000\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n<table><tr>{body}</tr></table>\r\n"
        );
        let html = parse_message(raw.as_bytes(), envelope())
            .unwrap()
            .message
            .body_html
            .unwrap();
        assert!(html.len() <= MAX_HTML_BYTES, "{} bytes kept", html.len());
        assert!(
            html.len() > MAX_HTML_BYTES - cell.len() * 2,
            "not cut far short"
        );
        assert!(
            html.starts_with(HTML_CUT_NOTE),
            "a cut body says it was cut"
        );
        assert!(
            html.rfind('<') < html.rfind('>'),
            "cut before a tag, not inside one: {}",
            &html[html.len() - 20..]
        );
    }

    #[test]
    fn a_message_without_any_date_is_refused_with_a_reason() {
        let error = parse_message(b"From: a@b.com\r\n\r\nbody", envelope()).unwrap_err();
        assert!(error.contains("Date"), "{error}");
        let error = parse_message(b"  \n", envelope()).unwrap_err();
        assert_eq!(error, "empty message");
    }
}
