//! Logging for every shell: structured `tracing` events to stderr (coloured only on a
//! terminal) and to daily-rotated files in `<data dir>/logs` (the app's log folder), the
//! last [`KEPT_LOG_FILES`] days kept. `KINDRED_LOG` sets the level of both (an
//! `EnvFilter` directive such as `debug` or `kindred_api=debug,info`); without it stderr
//! shows what the shell asks for and the files keep `info`.
//!
//! Every event is redacted before it is written, to the files and to stderr alike: email
//! addresses (plain or percent-encoded), anything shaped like a token or key (the
//! database key in a logged PRAGMA included), and the values of fields that carry names,
//! subjects, addresses or secrets (`subject=…`, `name=…`, `token=…`). What the shells
//! print themselves (progress lines, results) is not logging and is not touched.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// The folder inside the data directory that holds the log files.
pub const LOG_DIR: &str = "logs";
/// Daily log files kept; older ones are deleted as new ones start.
pub const KEPT_LOG_FILES: usize = 7;
/// What the files keep when `KINDRED_LOG` says nothing.
const FILE_DEFAULT_FILTER: &str = "info";
/// Log files are named `kindred.<date>.log`.
const FILE_PREFIX: &str = "kindred";

/// What stands in for a redacted value.
pub const REDACTED: &str = "[redacted]";

/// Installs the process-wide log subscriber, logging to files in the log folder of the
/// data directory Kindred uses without an explicit one (`KINDRED_DATA_DIR`, else the
/// platform's). Call once, first thing.
pub fn init(default_filter: &str) {
    init_in(default_filter, None);
}

/// As [`init`], with the data directory the shell was given (`--data-dir`), if any.
/// When the log folder cannot be created the files are left out and stderr says why.
pub fn init_in(default_filter: &str, data_dir: Option<&Path>) {
    let filter = |default: &str| {
        EnvFilter::try_from_env("KINDRED_LOG").unwrap_or_else(|_| EnvFilter::new(default))
    };
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(Redacting(io::stderr))
        .with_ansi(io::stderr().is_terminal())
        .with_filter(filter(default_filter));
    let (files, problem) = match log_dir(data_dir).map(|dir| file_appender(&dir)) {
        Some(Ok(appender)) => (
            Some(
                tracing_subscriber::fmt::layer()
                    .with_writer(Redacting(appender))
                    .with_ansi(false)
                    .with_filter(filter(FILE_DEFAULT_FILTER)),
            ),
            None,
        ),
        Some(Err(problem)) => (None, Some(problem)),
        None => (None, None),
    };
    tracing_subscriber::registry()
        .with(stderr)
        .with(files)
        .init();
    if let Some(problem) = problem {
        tracing::warn!("logging to stderr only: {problem}");
    }
}

/// The log folder for `data_dir`, or for the data directory Kindred would choose.
#[must_use]
pub fn log_dir(data_dir: Option<&Path>) -> Option<PathBuf> {
    data_dir
        .map(Path::to_owned)
        .or_else(|| std::env::var_os("KINDRED_DATA_DIR").map(PathBuf::from))
        .or_else(|| directories::BaseDirs::new().map(|d| d.data_dir().join(crate::APP_IDENTIFIER)))
        .map(|dir| dir.join(LOG_DIR))
}

/// A daily-rotating appender in `dir`, keeping [`KEPT_LOG_FILES`] files.
///
/// # Errors
/// The folder cannot be created or the file opened, in words.
pub fn file_appender(dir: &Path) -> Result<RollingFileAppender, String> {
    // The appender prunes old files before it creates the folder: create it first.
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the log folder {}: {e}", dir.display()))?;
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEPT_LOG_FILES)
        .build(dir)
        .map_err(|e| format!("cannot write log files in {}: {e}", dir.display()))
}

/// A writer factory whose writers redact each formatted event before passing it on.
#[derive(Debug)]
pub struct Redacting<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter(self.0.make_writer())
    }
}

/// Redacts what is written to it, then writes it on. The formatter writes each event
/// whole, so each write is redacted on its own.
#[derive(Debug)]
pub struct RedactingWriter<W>(W);

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(bytes);
        self.0.write_all(redact(&text).as_bytes())?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Field names whose values are personal or secret.
const SENSITIVE_FIELDS: [&str; 18] = [
    "subject",
    "name",
    "display_name",
    "sender",
    "from",
    "to",
    "cc",
    "email",
    "address",
    "query",
    "title",
    "token",
    "access_token",
    "refresh_token",
    "api_key",
    "authorization",
    "password",
    "secret",
];

/// Tokens are at least this long (Google's access and refresh tokens, API keys).
const TOKEN_MIN_LEN: usize = 24;

/// `text` with addresses, token-like strings and sensitive field values replaced.
#[must_use]
pub fn redact(text: &str) -> Cow<'_, str> {
    let fields = redact_fields(text);
    let addresses = redact_addresses(&fields);
    let tokens = redact_tokens(&addresses);
    if tokens == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(tokens.into_owned())
    }
}

/// `field=value` (a quoted string, or up to the next space) for sensitive fields.
fn redact_fields(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        let at_word_start = index == 0 || !is_field_char(bytes[index - 1]);
        let field = at_word_start
            .then(|| {
                SENSITIVE_FIELDS.iter().find(|field| {
                    bytes[index..].starts_with(field.as_bytes())
                        && bytes.get(index + field.len()) == Some(&b'=')
                })
            })
            .flatten();
        let Some(field) = field else {
            index += 1;
            continue;
        };
        let value_start = index + field.len() + 1;
        let value_end = value_end(bytes, value_start);
        out.push_str(&text[copied..value_start]);
        out.push_str(REDACTED);
        copied = value_end;
        index = value_end.max(index + 1);
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

fn is_field_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'.'
}

/// Where a field's value ends: after its closing quote, or at whitespace.
fn value_end(bytes: &[u8], start: usize) -> usize {
    if bytes.get(start) == Some(&b'"') {
        let mut index = start + 1;
        while index < bytes.len() {
            match bytes[index] {
                b'\\' => index += 2,
                b'"' => return index + 1,
                _ => index += 1,
            }
        }
        return bytes.len();
    }
    bytes[start..]
        .iter()
        .position(u8::is_ascii_whitespace)
        .map_or(bytes.len(), |offset| start + offset)
}

fn is_local_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"._%+-'".contains(&byte)
}

fn is_domain_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'.' || byte == b'-'
}

/// `local@domain.tld` and `local%40domain.tld` become `[redacted]`.
fn redact_addresses(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut index = 0;
    while index < bytes.len() {
        let separator = if bytes[index] == b'@' {
            1
        } else if bytes[index..].starts_with(b"%40") {
            3
        } else {
            index += 1;
            continue;
        };
        let mut start = index;
        while start > copied && is_local_char(bytes[start - 1]) {
            start -= 1;
        }
        let domain_start = index + separator;
        let mut end = domain_start;
        while end < bytes.len() && is_domain_char(bytes[end]) {
            end += 1;
        }
        // A trailing dot ends the sentence, not the domain.
        while end > domain_start && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let domain = &text[domain_start..end];
        if start < index && domain.contains('.') && !domain.starts_with('.') {
            out.push_str(&text[copied..start]);
            out.push_str(REDACTED);
            copied = end;
            index = end;
        } else {
            index += separator;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

fn is_token_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"_-+=".contains(&byte)
}

/// Long runs of token characters holding both letters and digits become `[redacted]`.
fn redact_tokens(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut index = 0;
    while index < bytes.len() {
        if !is_token_char(bytes[index]) {
            index += 1;
            continue;
        }
        let start = index;
        while index < bytes.len() && is_token_char(bytes[index]) {
            index += 1;
        }
        let run = &bytes[start..index];
        let letters = run.iter().any(u8::is_ascii_alphabetic);
        let digits = run.iter().any(u8::is_ascii_digit);
        if run.len() >= TOKEN_MIN_LEN && letters && digits {
            out.push_str(&text[copied..start]);
            out.push_str(REDACTED);
            copied = index;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_plain_and_percent_encoded_are_redacted() {
        assert_eq!(
            redact("synced ada.lovelace+work@example.co.uk. Then GET /calendars/ada%40example.com/events"),
            "synced [redacted]. Then GET /calendars/[redacted]/events"
        );
        assert_eq!(
            redact("at @ noon, user@localhost"),
            "at @ noon, user@localhost"
        );
    }

    #[test]
    fn token_shaped_strings_are_redacted_and_ordinary_words_are_not() {
        assert_eq!(
            redact("refresh 1//0gAbCdEfGhIjKlMnOpQrStUvWxYz0123456789 bearer ya29.a0AfB_byC1234567890abcdefghijk"),
            "refresh 1//[redacted] bearer ya29.[redacted]"
        );
        let plain = "committed a batch position=123456 in /root/.cache/kindred/target/debug";
        assert_eq!(redact(plain), plain);
    }

    #[test]
    fn sensitive_fields_lose_their_values_quoted_or_not() {
        assert_eq!(
            redact(r#"INFO sync: fetched subject="Re: \"Budget\" Q3" name=Ada count=3"#),
            "INFO sync: fetched subject=[redacted] name=[redacted] count=3"
        );
        assert_eq!(
            redact("…subject=x"),
            "…subject=[redacted]",
            "a field after a multi-byte character"
        );
        assert_eq!(
            redact("account_name=x file_name=y"),
            "account_name=x file_name=y",
            "only whole field names count"
        );
    }

    #[test]
    fn the_folder_keeps_a_weeks_log_files_and_nothing_else_is_touched() {
        let dir = tempfile::tempdir().unwrap();
        for day in 1..=12 {
            std::fs::write(
                dir.path().join(format!("kindred.2026-10-{day:02}.log")),
                "old",
            )
            .unwrap();
        }
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let appender = file_appender(dir.path()).unwrap();
        drop(appender);
        let mut logs: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".log"))
            .collect();
        logs.sort();
        assert_eq!(logs.len(), KEPT_LOG_FILES, "{logs:?}");
        // Which old files go is the appender's choice (by creation time, here all alike).
        let today = format!("kindred.{}.log", chrono::Utc::now().format("%Y-%m-%d"));
        assert!(
            logs.contains(&today),
            "today's file is one of them: {logs:?}"
        );
        assert!(dir.path().join("notes.txt").exists(), "other files stay");
    }

    #[test]
    fn the_writer_redacts_what_passes_through() {
        let mut written = Vec::new();
        let mut writer = RedactingWriter(&mut written);
        writer.write_all(b"signed in as dana@acme.com\n").unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            "signed in as [redacted]\n"
        );
    }
}
