//! Messages as an mboxrd file: a `From ` separator line per message, every body line that
//! starts with `From ` (after any `>`s) quoted with one more `>`, so that the mbox reader
//! splits the file exactly where the messages start and gives every line back.
//!
//! Kindred keeps a message's normalised form, not its original bytes, so each message is
//! rebuilt as a plain-text RFC 5322 message: the participants, Date, Subject, Message-ID,
//! In-Reply-To, References (the thread it belongs to), labels as `X-Gmail-Labels`, and
//! `Precedence: bulk` for automated mail; attachments are not kept and are not written.

use std::io::{self, Write};

use kindred_core::{Message, ParticipantRole};

/// Writes `message` to `out` as one mbox entry (separator line included).
///
/// # Errors
/// Writing to `out` failed.
pub fn write_message(out: &mut impl Write, message: &Message) -> io::Result<()> {
    let sender = message
        .from()
        .map_or("MAILER-DAEMON", |p| p.address.as_str());
    writeln!(
        out,
        "From {sender} {}",
        message.sent_at.format("%a %b %e %H:%M:%S %Y")
    )?;
    out.write_all(headers(message).as_bytes())?;
    out.write_all(b"\n")?;
    for line in message.body_text.split_inclusive('\n') {
        let quotes = line.bytes().take_while(|&b| b == b'>').count();
        if line[quotes..].starts_with("From ") {
            out.write_all(b">")?;
        }
        out.write_all(line.as_bytes())?;
    }
    if !message.body_text.is_empty() && !message.body_text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    // The blank line before the next separator.
    out.write_all(b"\n")
}

/// The header block, each field on its own LF-ended line.
fn headers(message: &Message) -> String {
    let mut text = String::new();
    let roles = [
        (ParticipantRole::From, "From"),
        (ParticipantRole::To, "To"),
        (ParticipantRole::Cc, "Cc"),
        (ParticipantRole::Bcc, "Bcc"),
        (ParticipantRole::ReplyTo, "Reply-To"),
    ];
    for (role, field) in roles {
        let mailboxes: Vec<String> = message
            .participants
            .iter()
            .filter(|p| p.role == role)
            .map(|p| match &p.name {
                Some(name) => format!("{} <{}>", display_name(name), p.address),
                None => p.address.to_string(),
            })
            .collect();
        if !mailboxes.is_empty() {
            text.push_str(&format!("{field}: {}\n", mailboxes.join(",\n ")));
        }
    }
    text.push_str(&format!("Date: {}\n", message.sent_at.to_rfc2822()));
    text.push_str(&format!("Subject: {}\n", unstructured(&message.subject)));
    if let Some(id) = &message.rfc_message_id {
        text.push_str(&format!("Message-ID: <{}>\n", single_line(id)));
    }
    if let Some(id) = &message.in_reply_to {
        text.push_str(&format!("In-Reply-To: <{}>\n", single_line(id)));
    }
    if !message.references.is_empty() {
        let ids: Vec<String> = message
            .references
            .iter()
            .map(|id| format!("<{}>", single_line(id)))
            .collect();
        text.push_str(&format!("References: {}\n", ids.join("\n ")));
    }
    if !message.labels.is_empty() {
        let labels: Vec<String> = message
            .labels
            .iter()
            .map(|label| format!("\"{}\"", single_line(label).replace('"', "")))
            .collect();
        text.push_str(&format!("X-Gmail-Labels: {}\n", labels.join(",")));
    }
    if message.is_automated {
        text.push_str("Precedence: bulk\n");
    }
    text.push_str("MIME-Version: 1.0\n");
    text.push_str("Content-Type: text/plain; charset=utf-8\n");
    text.push_str("Content-Transfer-Encoding: 8bit\n");
    text
}

/// Line breaks inside a header value would end the header: they become spaces.
fn single_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

/// A display name: a quoted string when ASCII, RFC 2047 encoded words otherwise.
fn display_name(name: &str) -> String {
    let name = single_line(name);
    if needs_encoding(&name) {
        encoded_words(&name)
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// An unstructured header value (Subject): as is when plain ASCII, else encoded words.
fn unstructured(value: &str) -> String {
    let value = single_line(value);
    if needs_encoding(&value) {
        encoded_words(&value)
    } else {
        value
    }
}

/// Whether a value must be encoded: non-ASCII text, or text a reader would take for an
/// encoded word.
fn needs_encoding(value: &str) -> bool {
    !value.is_ascii() || value.contains("=?")
}

/// RFC 2047 "Q" encoded words of at most 75 characters, never splitting a character, on
/// folded lines (a reader joins adjacent encoded words without the space between them).
fn encoded_words(value: &str) -> String {
    const PREFIX: &str = "=?utf-8?q?";
    const SUFFIX: &str = "?=";
    const ROOM: usize = 75 - PREFIX.len() - SUFFIX.len();
    let mut words = Vec::new();
    let mut word = String::new();
    for c in value.chars() {
        let mut encoded = String::new();
        let mut buffer = [0u8; 4];
        for &byte in c.encode_utf8(&mut buffer).as_bytes() {
            match byte {
                b' ' => encoded.push('_'),
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'!' | b'*' | b'+' | b'-' | b'/' => {
                    encoded.push(char::from(byte));
                }
                _ => encoded.push_str(&format!("={byte:02X}")),
            }
        }
        if word.len() + encoded.len() > ROOM {
            words.push(format!("{PREFIX}{word}{SUFFIX}"));
            word.clear();
        }
        word.push_str(&encoded);
    }
    words.push(format!("{PREFIX}{word}{SUFFIX}"));
    words.join("\n ")
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use kindred_core::{Address, Participant};

    use super::*;
    use crate::mbox::MboxReader;
    use crate::mime::{parse_message, Envelope};

    fn participant(role: ParticipantRole, address: &str, name: Option<&str>) -> Participant {
        Participant {
            role,
            address: Address::parse(address).unwrap(),
            name: name.map(str::to_owned),
        }
    }

    fn message(body: &str) -> Message {
        Message {
            source_key: "test".to_owned(),
            rfc_message_id: Some("reply@acme.com".to_owned()),
            in_reply_to: Some("first@home.org".to_owned()),
            references: vec!["first@home.org".to_owned()],
            subject: "Re: Zürich =?plan?= für das Quartal, mit einer sehr langen Betreffzeile"
                .to_owned(),
            sent_at: Utc.with_ymd_and_hms(2024, 3, 5, 9, 30, 0).unwrap(),
            participants: vec![
                participant(
                    ParticipantRole::From,
                    "dana@acme.com",
                    Some("Dana \"D\" Þór"),
                ),
                participant(ParticipantRole::To, "me@home.org", Some("Me, Myself")),
                participant(ParticipantRole::To, "bob@acme.com", None),
                participant(ParticipantRole::Cc, "carol@acme.com", Some("Carol")),
            ],
            body_text: body.to_owned(),
            body_html: None,
            labels: vec!["Inbox".to_owned(), "Project, Alpha".to_owned()],
            is_automated: true,
            has_attachments: false,
            size_bytes: 0,
            invitations: Vec::new(),
        }
    }

    fn write_and_read(messages: &[Message]) -> Vec<Message> {
        let mut file = Vec::new();
        for message in messages {
            write_message(&mut file, message).unwrap();
        }
        MboxReader::new(file.as_slice(), 0, 0)
            .map(|raw| {
                let raw = raw.unwrap();
                let envelope = Envelope {
                    source_key: format!("test@{}", raw.offset),
                    ..Envelope::default()
                };
                parse_message(&raw.bytes, envelope).unwrap().message
            })
            .collect()
    }

    #[test]
    fn a_written_message_reads_back_the_same() {
        let original = message("Hello Dana,\n\nsee you there.\n");
        let read = write_and_read(std::slice::from_ref(&original));
        assert_eq!(read.len(), 1);
        let read = &read[0];
        assert_eq!(
            read.subject, original.subject,
            "encoded words decode to the subject"
        );
        assert_eq!(read.participants, original.participants);
        assert_eq!(read.sent_at, original.sent_at);
        assert_eq!(read.rfc_message_id, original.rfc_message_id);
        assert_eq!(read.in_reply_to, original.in_reply_to);
        assert_eq!(read.thread_key(), original.thread_key());
        assert_eq!(read.labels, original.labels);
        assert!(read.is_automated, "automated mail stays automated");
        assert_eq!(read.body_text.trim_end(), original.body_text.trim_end());
        assert_eq!(
            read.content_key(),
            original.content_key(),
            "the same message once more"
        );
    }

    #[test]
    fn from_lines_in_bodies_are_escaped_and_come_back_unchanged() {
        let tricky = "From here on\n\nFrom me 2024 Mon Jan  1 00:00:00 2024\n>From quoted\n>>From twice\nlast";
        let messages = [message(tricky), message("second\n")];
        let read = write_and_read(&messages);
        assert_eq!(read.len(), 2, "no body line was taken for a separator");
        assert_eq!(read[0].body_text.trim_end(), tricky);
        assert_eq!(read[1].body_text.trim_end(), "second");
    }

    #[test]
    fn long_non_ascii_subjects_become_encoded_words_of_at_most_75_characters() {
        let encoded = encoded_words(&"ü".repeat(100));
        for word in encoded.split("\n ") {
            assert!(word.len() <= 75, "{word} is longer than 75 characters");
        }
    }
}
