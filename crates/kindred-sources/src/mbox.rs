//! Streaming mbox reader: splits an mbox (mboxo or mboxrd, LF or CRLF) into raw messages
//! with their byte offsets, in constant memory however large the file. Offsets let an
//! import resume exactly where its last committed batch ended.

use std::io::{self, BufRead};

use chrono::{DateTime, NaiveDateTime, Utc};

/// One message as it sits in the mbox, with its place in the file.
#[derive(Debug, Clone)]
pub struct RawMessage {
    /// Byte offset of its `From ` separator line.
    pub offset: u64,
    /// Byte offset just past its last byte: where the next message starts.
    pub end: u64,
    /// Position of the message in the file, counting from 0.
    pub index: u64,
    /// The message without its separator line, `>From ` unescaped.
    pub bytes: Vec<u8>,
    /// The date on the separator line, a fallback for messages without a Date header.
    pub envelope_date: Option<DateTime<Utc>>,
}

/// Iterates the messages of an mbox from a starting offset.
pub struct MboxReader<R> {
    input: R,
    offset: u64,
    index: u64,
    line: Vec<u8>,
    /// A separator line already read, which starts the next message.
    pending_separator: Option<(u64, Vec<u8>)>,
    previous_blank: bool,
}

impl<R: BufRead> MboxReader<R> {
    /// Reads `input`, whose first byte sits at `offset` in the file and is the start of
    /// message number `index` (0 and 0 for a whole file).
    pub fn new(input: R, offset: u64, index: u64) -> Self {
        Self {
            input,
            offset,
            index,
            line: Vec::with_capacity(1024),
            pending_separator: None,
            previous_blank: true,
        }
    }

    /// The offset just past everything read so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    fn read_line(&mut self) -> io::Result<Option<u64>> {
        self.line.clear();
        let start = self.offset;
        let read = self.input.read_until(b'\n', &mut self.line)?;
        if read == 0 {
            return Ok(None);
        }
        self.offset += read as u64;
        Ok(Some(start))
    }

    fn next_message(&mut self) -> io::Result<Option<RawMessage>> {
        let (start, separator) = match self.pending_separator.take() {
            Some(pending) => pending,
            None => loop {
                let Some(start) = self.read_line()? else {
                    return Ok(None);
                };
                if is_separator(&self.line) {
                    break (start, self.line.clone());
                }
                // Text before the first separator is not a message of an mbox; a file
                // with no separator at all is read as one message.
                if start == 0 && !self.line.iter().all(u8::is_ascii_whitespace) {
                    break (start, Vec::new());
                }
            },
        };
        let mut bytes = Vec::with_capacity(4096);
        if separator.is_empty() {
            bytes.extend_from_slice(&self.line);
        }
        self.previous_blank = false;
        while let Some(line_start) = self.read_line()? {
            let blank = self.line.iter().all(u8::is_ascii_whitespace);
            if self.previous_blank && is_separator(&self.line) {
                self.pending_separator = Some((line_start, self.line.clone()));
                self.previous_blank = true;
                let end = line_start;
                return Ok(Some(self.finish(start, end, bytes, &separator)));
            }
            self.previous_blank = blank;
            let unescaped = unescape_from(&self.line);
            bytes.extend_from_slice(unescaped);
        }
        let end = self.offset;
        Ok(Some(self.finish(start, end, bytes, &separator)))
    }

    fn finish(&mut self, start: u64, end: u64, bytes: Vec<u8>, separator: &[u8]) -> RawMessage {
        let index = self.index;
        self.index += 1;
        RawMessage {
            offset: start,
            end,
            index,
            bytes,
            envelope_date: envelope_date(separator),
        }
    }
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = io::Result<RawMessage>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_message().transpose()
    }
}

/// A `From ` line that separates messages: `From <sender> <date>`, as written by every mbox
/// writer. A body line starting with `From ` after a blank line and carrying a year-like
/// number is indistinguishable, which is why writers escape it as `>From `.
fn is_separator(line: &[u8]) -> bool {
    line.starts_with(b"From ") && line.iter().filter(|b| b.is_ascii_digit()).count() >= 4
}

/// mboxrd: `>From `, `>>From `, … lose one `>`.
fn unescape_from(line: &[u8]) -> &[u8] {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") {
        &line[1..]
    } else {
        line
    }
}

/// The asctime date on a separator line: `From sender Thu Jan  1 00:00:00 2025`.
fn envelope_date(separator: &[u8]) -> Option<DateTime<Utc>> {
    let text = std::str::from_utf8(separator).ok()?.trim_end();
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() < 7 {
        return None;
    }
    let date = words[words.len() - 5..].join(" ");
    NaiveDateTime::parse_from_str(&date, "%a %b %e %H:%M:%S %Y")
        .ok()
        .map(|naive| naive.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &[u8], offset: u64) -> Vec<RawMessage> {
        MboxReader::new(&text[usize::try_from(offset).unwrap()..], offset, 0)
            .collect::<io::Result<Vec<_>>>()
            .unwrap()
    }

    const MBOX: &[u8] =
        b"From a@b.com Thu Jan  1 00:00:00 2015\r\nSubject: one\r\n\r\nhello\r\n>From here\r\n\r\n\
From c@d.com Fri Jan  2 10:00:00 2015\nSubject: two\n\nFrom the start\n\nbye\n";

    #[test]
    fn splits_messages_keeps_offsets_and_unescapes() {
        let messages = read_all(MBOX, 0);
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].offset, 0);
        assert_eq!(messages[0].end, messages[1].offset);
        assert_eq!(messages[1].end, MBOX.len() as u64);
        assert!(String::from_utf8_lossy(&messages[0].bytes).contains("\r\nFrom here"));
        assert!(
            String::from_utf8_lossy(&messages[1].bytes).contains("From the start"),
            "a From line without a date is body text"
        );
        assert_eq!(
            messages[1].envelope_date.unwrap().to_rfc3339(),
            "2015-01-02T10:00:00+00:00"
        );
    }

    #[test]
    fn resuming_at_an_offset_reads_the_rest() {
        let all = read_all(MBOX, 0);
        let rest = read_all(MBOX, all[1].offset);
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].bytes, all[1].bytes);
        assert_eq!(rest[0].offset, all[1].offset);
    }

    #[test]
    fn a_file_without_separator_is_one_message() {
        let messages = read_all(b"Subject: x\n\nbody\n", 0);
        assert_eq!(messages.len(), 1);
        assert!(messages[0].bytes.starts_with(b"Subject: x"));
    }
}
