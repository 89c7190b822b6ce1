//! Turns the paths a person gives into sources, and reads each source as a sequence of
//! parsed batches, each carrying the position to resume from once it is committed.
//! Parsing runs in parallel; batches come out in file order.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use kindred_core::Event;
use rayon::prelude::*;

use crate::ics::{parse_ics, ExpansionWindow};
use crate::maildir::{self, MaildirFile};
use crate::mbox::{MboxReader, RawMessage};
use crate::mime::{parse_message, Envelope, Parsed};
use crate::takeout::{self, EntryKind};
use crate::SourceError;

/// What kind of container a source is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    Mbox,
    Eml,
    Maildir,
    Ics,
    /// An entry of a Google Takeout zip.
    TakeoutEntry {
        entry: String,
        kind: EntryKind,
    },
}

/// One importable source: a file, a Maildir, or an entry of an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: PathBuf,
    pub kind: SourceKind,
    /// Bytes to read, for progress.
    pub bytes: u64,
}

impl Source {
    /// The key its import checkpoint is stored under.
    #[must_use]
    pub fn checkpoint_key(&self) -> String {
        match &self.kind {
            SourceKind::TakeoutEntry { entry, .. } => format!("{}!{entry}", self.path.display()),
            _ => self.path.display().to_string(),
        }
    }

    /// How the person would name it in a message.
    #[must_use]
    pub fn display_name(&self) -> String {
        self.checkpoint_key()
    }

    /// The label its messages carry from the container: the mbox file name.
    fn container_label(&self) -> Option<String> {
        let name = match &self.kind {
            SourceKind::Mbox => self.path.file_stem()?.to_string_lossy().into_owned(),
            SourceKind::TakeoutEntry { entry, .. } => {
                Path::new(entry).file_stem()?.to_string_lossy().into_owned()
            }
            _ => return None,
        };
        Some(name)
    }
}

/// A parsed piece of a source, ready to be stored in one transaction.
#[derive(Debug, Default)]
pub struct Batch {
    pub messages: Vec<Parsed>,
    pub events: Vec<Event>,
    pub errors: Vec<SourceError>,
    /// The position to resume from once this batch is committed (a byte offset for mbox,
    /// a file count for Maildir).
    pub resume_at: u64,
    /// Whether the source has been read to its end.
    pub finished: bool,
    /// Bytes of the source covered so far, for progress.
    pub bytes_done: u64,
}

/// How sources are read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub window: ExpansionWindow,
    /// Messages per batch; a batch is also closed at [`ReadOptions::batch_bytes`].
    pub batch_messages: usize,
    pub batch_bytes: usize,
}

impl ReadOptions {
    #[must_use]
    pub fn new(window: ExpansionWindow) -> Self {
        Self {
            window,
            batch_messages: 2_000,
            batch_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Finds the sources in `paths`: files by their content (mbox, .eml, .ics, zip), and
/// directories as Maildirs or, failing that, by walking them for such files.
/// Paths that cannot be read become errors; the others are still returned.
#[must_use]
pub fn discover(paths: &[PathBuf]) -> (Vec<Source>, Vec<SourceError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if let Err(error) = discover_path(path, true, &mut sources) {
            errors.push(SourceError {
                path: path.display().to_string(),
                location: "file".to_owned(),
                reason: error.to_string(),
            });
        }
    }
    (sources, errors)
}

fn discover_path(path: &Path, explicit: bool, sources: &mut Vec<Source>) -> io::Result<()> {
    let metadata = std::fs::metadata(path)?;
    if metadata.is_dir() {
        if maildir::is_maildir(path) || has_maildir_folders(path)? {
            let bytes = maildir::message_files(path)?
                .iter()
                .filter_map(|file| std::fs::metadata(&file.path).ok())
                .map(|m| m.len())
                .sum();
            sources.push(Source {
                path: path.to_owned(),
                kind: SourceKind::Maildir,
                bytes,
            });
            return Ok(());
        }
        let mut children: Vec<PathBuf> = std::fs::read_dir(path)?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<io::Result<_>>()?;
        children.sort();
        for child in children {
            discover_path(&child, false, sources)?;
        }
        return Ok(());
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let known = matches!(extension.as_str(), "mbox" | "mbx" | "eml" | "ics" | "zip");
    if !explicit && !known {
        return Ok(());
    }
    let mut head = [0u8; 512];
    let read = File::open(path)?.read(&mut head)?;
    let head = &head[..read];
    let kind = if head.starts_with(b"PK\x03\x04") {
        return discover_takeout(path, sources);
    } else if head.starts_with(b"From ") || extension == "mbox" || extension == "mbx" {
        SourceKind::Mbox
    } else if extension == "ics"
        || String::from_utf8_lossy(head)
            .trim_start_matches('\u{feff}')
            .trim_start()
            .to_ascii_uppercase()
            .starts_with("BEGIN:VCALENDAR")
    {
        SourceKind::Ics
    } else {
        SourceKind::Eml
    };
    sources.push(Source {
        path: path.to_owned(),
        kind,
        bytes: metadata.len(),
    });
    Ok(())
}

fn has_maildir_folders(path: &Path) -> io::Result<bool> {
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.')
            && maildir::is_maildir(&entry.path())
        {
            return Ok(true);
        }
    }
    Ok(false)
}

fn discover_takeout(path: &Path, sources: &mut Vec<Source>) -> io::Result<()> {
    for entry in takeout::entries(path)? {
        sources.push(Source {
            path: path.to_owned(),
            bytes: entry.size,
            kind: SourceKind::TakeoutEntry {
                entry: entry.name,
                kind: entry.kind,
            },
        });
    }
    Ok(())
}

/// Reads `source` from `resume_at` (0 for the start) and hands each batch to `emit`,
/// which returns `false` to stop early.
///
/// # Errors
/// The source itself cannot be opened or read; items that cannot be parsed are not
/// errors here but part of the batches.
pub fn read(
    source: &Source,
    resume_at: u64,
    options: &ReadOptions,
    emit: &mut dyn FnMut(Batch) -> bool,
) -> io::Result<()> {
    match &source.kind {
        SourceKind::Mbox => {
            let mut file = File::open(&source.path)?;
            let start = verified_mbox_offset(&mut file, resume_at)?;
            let input = BufReader::with_capacity(1 << 20, file);
            read_mbox(source, input, start, options, emit);
            Ok(())
        }
        SourceKind::Eml => {
            let raw = std::fs::read(&source.path)?;
            let fallback = modified_at(&source.path);
            let envelope = Envelope {
                source_key: format!("eml:{}", source.path.display()),
                labels: Vec::new(),
                fallback_date: fallback,
            };
            let mut batch = Batch {
                resume_at: 1,
                finished: true,
                bytes_done: raw.len() as u64,
                ..Batch::default()
            };
            match parse_message(&raw, envelope) {
                Ok(parsed) => keep(&mut batch, source, "message 1", parsed),
                Err(reason) => batch.errors.push(error_at(source, "message 1", reason)),
            }
            emit(batch);
            Ok(())
        }
        SourceKind::Maildir => {
            read_maildir(source, resume_at, options, emit)?;
            Ok(())
        }
        SourceKind::Ics => {
            let text = String::from_utf8_lossy(&std::fs::read(&source.path)?).into_owned();
            emit(ics_batch(source, &text, options));
            Ok(())
        }
        SourceKind::TakeoutEntry { entry, kind } => {
            let mut archive = takeout::open(&source.path)?;
            takeout::read_entry(&mut archive, entry, |reader| {
                match kind {
                    EntryKind::Mbox => {
                        io::copy(&mut reader.take(resume_at), &mut io::sink())?;
                        let input = BufReader::with_capacity(1 << 20, reader);
                        read_mbox(source, input, resume_at, options, emit);
                    }
                    EntryKind::Ics => {
                        let mut bytes = Vec::new();
                        reader.read_to_end(&mut bytes)?;
                        emit(ics_batch(source, &String::from_utf8_lossy(&bytes), options));
                    }
                }
                Ok(())
            })
        }
    }
}

/// A saved offset is used only if a message separator starts there; otherwise the file
/// changed under us and it is read again from the start (storing is idempotent).
fn verified_mbox_offset(file: &mut File, resume_at: u64) -> io::Result<u64> {
    if resume_at == 0 {
        return Ok(0);
    }
    let mut head = [0u8; 5];
    file.seek(SeekFrom::Start(resume_at))?;
    let read = file.read(&mut head)?;
    let offset = if read == 0 || head.starts_with(b"From ") {
        resume_at
    } else {
        0
    };
    file.seek(SeekFrom::Start(offset))?;
    Ok(offset)
}

fn read_mbox(
    source: &Source,
    input: impl BufRead,
    start: u64,
    options: &ReadOptions,
    emit: &mut dyn FnMut(Batch) -> bool,
) {
    let label = source.container_label();
    let name = source.display_name();
    let mut reader = MboxReader::new(input, start, 0);
    let mut pending: Vec<RawMessage> = Vec::with_capacity(options.batch_messages);
    let mut pending_bytes = 0;
    let mut read_error = None;
    loop {
        let next = match reader.next() {
            Some(Ok(raw)) => Some(raw),
            Some(Err(error)) => {
                read_error = Some(error);
                None
            }
            None => None,
        };
        let at_end = next.is_none();
        if let Some(raw) = next {
            pending_bytes += raw.bytes.len();
            pending.push(raw);
        }
        if at_end || pending.len() >= options.batch_messages || pending_bytes >= options.batch_bytes
        {
            let resume_at = pending.last().map_or(reader.offset(), |raw| raw.end);
            let mut batch = parse_raw(source, &name, label.as_ref(), std::mem::take(&mut pending));
            pending_bytes = 0;
            batch.resume_at = resume_at;
            batch.bytes_done = resume_at;
            batch.finished = at_end && read_error.is_none();
            if let Some(error) = read_error.take() {
                batch.errors.push(error_at(
                    source,
                    &format!("byte {resume_at}"),
                    format!("reading stopped: {error}"),
                ));
            }
            if !emit(batch) || at_end {
                return;
            }
        }
    }
}

fn parse_raw(source: &Source, name: &str, label: Option<&String>, raw: Vec<RawMessage>) -> Batch {
    let results: Vec<(String, Result<Parsed, String>)> = raw
        .into_par_iter()
        .map(|raw| {
            let envelope = Envelope {
                source_key: format!("mbox:{name}@{}", raw.offset),
                labels: label.into_iter().cloned().collect(),
                fallback_date: raw.envelope_date,
            };
            let location = format!("message {} at byte {}", raw.index + 1, raw.offset);
            (location, parse_message(&raw.bytes, envelope))
        })
        .collect();
    let mut batch = Batch::default();
    for (location, result) in results {
        match result {
            Ok(parsed) => keep(&mut batch, source, &location, parsed),
            Err(reason) => batch.errors.push(error_at(source, &location, reason)),
        }
    }
    batch
}

fn read_maildir(
    source: &Source,
    resume_at: u64,
    options: &ReadOptions,
    emit: &mut dyn FnMut(Batch) -> bool,
) -> io::Result<()> {
    let files = maildir::message_files(&source.path)?;
    let skip = usize::try_from(resume_at)
        .unwrap_or(usize::MAX)
        .min(files.len());
    let mut bytes_done: u64 = files[..skip]
        .iter()
        .filter_map(|f| std::fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .sum();
    let mut position = skip;
    for chunk in files[skip..].chunks(options.batch_messages) {
        let results: Vec<(u64, String, Result<Parsed, String>)> = chunk
            .par_iter()
            .map(|file| read_maildir_file(source, file))
            .collect();
        let mut batch = Batch::default();
        for (bytes, location, result) in results {
            bytes_done += bytes;
            match result {
                Ok(parsed) => keep(&mut batch, source, &location, parsed),
                Err(reason) => batch.errors.push(error_at(source, &location, reason)),
            }
        }
        position += chunk.len();
        batch.resume_at = position as u64;
        batch.bytes_done = bytes_done;
        batch.finished = position == files.len();
        if !emit(batch) {
            return Ok(());
        }
    }
    if skip == files.len() {
        emit(Batch {
            resume_at: position as u64,
            finished: true,
            bytes_done,
            ..Batch::default()
        });
    }
    Ok(())
}

fn read_maildir_file(source: &Source, file: &MaildirFile) -> (u64, String, Result<Parsed, String>) {
    let location = file
        .path
        .strip_prefix(&source.path)
        .unwrap_or(&file.path)
        .display()
        .to_string();
    let raw = match std::fs::read(&file.path) {
        Ok(raw) => raw,
        Err(error) => return (0, location, Err(error.to_string())),
    };
    let envelope = Envelope {
        source_key: format!(
            "maildir:{}/{}",
            file.folder,
            maildir::stable_name(&file.path)
        ),
        labels: vec![file.folder.clone()],
        fallback_date: modified_at(&file.path),
    };
    let result = parse_message(&raw, envelope);
    (raw.len() as u64, location, result)
}

/// Adds a parsed message to `batch`, and what could not be read in its calendar parts to
/// the batch's errors at the message's `location`.
fn keep(batch: &mut Batch, source: &Source, location: &str, mut parsed: Parsed) {
    for (place, reason) in parsed.calendar_problems.drain(..) {
        batch
            .errors
            .push(error_at(source, &format!("{location}, {place}"), reason));
    }
    batch.messages.push(parsed);
}

fn ics_batch(source: &Source, text: &str, options: &ReadOptions) -> Batch {
    let outcome = parse_ics(text, &source.display_name(), &options.window);
    Batch {
        messages: Vec::new(),
        events: outcome.events,
        errors: outcome.errors,
        resume_at: source.bytes,
        finished: true,
        bytes_done: source.bytes,
    }
}

fn modified_at(path: &Path) -> Option<DateTime<Utc>> {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(DateTime::<Utc>::from)
}

fn error_at(source: &Source, location: &str, reason: impl Into<String>) -> SourceError {
    SourceError {
        path: source.display_name(),
        location: location.to_owned(),
        reason: reason.into(),
    }
}
