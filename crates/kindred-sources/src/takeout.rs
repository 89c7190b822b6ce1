//! Google Takeout archives: the `Mail/*.mbox` and `Calendar/*.ics` entries of a `.zip`.
//! Entries are read as streams, so a large Takeout never sits in memory whole.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use zip::ZipArchive;

/// What an archive entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Mbox,
    Ics,
}

/// A Takeout entry Kindred reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakeoutEntry {
    pub name: String,
    pub kind: EntryKind,
    /// Uncompressed size in bytes.
    pub size: u64,
}

/// The mail and calendar entries of a Takeout zip, in archive order.
///
/// # Errors
/// The file cannot be opened or is not a zip archive.
pub fn entries(path: &Path) -> io::Result<Vec<TakeoutEntry>> {
    let mut archive = open(path)?;
    let mut found = Vec::new();
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(io::Error::other)?;
        let name = entry.name().to_owned();
        let lower = name.to_ascii_lowercase();
        let kind = if lower.ends_with(".mbox") {
            EntryKind::Mbox
        } else if lower.ends_with(".ics") {
            EntryKind::Ics
        } else {
            continue;
        };
        found.push(TakeoutEntry {
            name,
            kind,
            size: entry.size(),
        });
    }
    Ok(found)
}

/// Opens the archive at `path`.
///
/// # Errors
/// The file cannot be opened or is not a zip archive.
pub fn open(path: &Path) -> io::Result<ZipArchive<BufReader<File>>> {
    ZipArchive::new(BufReader::new(File::open(path)?)).map_err(|error| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not a zip archive ({error})"),
        )
    })
}

/// Streams the entry `name` of `archive` to `read`.
///
/// # Errors
/// The entry is missing or cannot be decompressed, or `read` failed.
pub fn read_entry<T>(
    archive: &mut ZipArchive<BufReader<File>>,
    name: &str,
    read: impl FnOnce(&mut dyn Read) -> io::Result<T>,
) -> io::Result<T> {
    let mut entry = archive.by_name(name).map_err(io::Error::other)?;
    read(&mut entry)
}
