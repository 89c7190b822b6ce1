//! Maildir (and Maildir++) folders: finds every message file under a root, each labelled
//! with its folder, in a stable order so an interrupted import can resume by position.

use std::io;
use std::path::{Path, PathBuf};

/// A message file and the folder it was filed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaildirFile {
    pub path: PathBuf,
    /// The folder as a label: `Inbox` for the root, `Sent` for `.Sent`, `Work/Clients`
    /// for `.Work.Clients` or nested `Work/Clients`.
    pub folder: String,
}

/// Whether `path` is a Maildir: a directory with `cur` and `new` inside.
#[must_use]
pub fn is_maildir(path: &Path) -> bool {
    path.join("cur").is_dir() && path.join("new").is_dir()
}

/// Every message file in the Maildirs at or below `root`, sorted by folder then name.
///
/// # Errors
/// Reading a directory failed.
pub fn message_files(root: &Path) -> io::Result<Vec<MaildirFile>> {
    let mut files = Vec::new();
    collect(root, root, &mut files)?;
    files.sort_by(|a, b| (&a.folder, &a.path).cmp(&(&b.folder, &b.path)));
    Ok(files)
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<MaildirFile>) -> io::Result<()> {
    if is_maildir(dir) {
        let folder = folder_label(root, dir);
        for sub in ["cur", "new"] {
            for entry in std::fs::read_dir(dir.join(sub))? {
                let entry = entry?;
                if entry.file_type()?.is_file()
                    && !entry.file_name().to_string_lossy().starts_with('.')
                {
                    files.push(MaildirFile {
                        path: entry.path(),
                        folder: folder.clone(),
                    });
                }
            }
        }
    }
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if entry.file_type()?.is_dir() && !matches!(name.to_str(), Some("cur" | "new" | "tmp")) {
            collect(root, &entry.path(), files)?;
        }
    }
    Ok(())
}

fn folder_label(root: &Path, dir: &Path) -> String {
    let relative = dir.strip_prefix(root).unwrap_or(dir);
    let parts: Vec<String> = relative
        .components()
        .flat_map(|part| {
            part.as_os_str()
                .to_string_lossy()
                .trim_start_matches('.')
                .split('.')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|part| !part.is_empty())
        .collect();
    if parts.is_empty() {
        "Inbox".to_owned()
    } else {
        parts.join("/")
    }
}

/// The part of a Maildir file name that survives flag changes (`:2,S` suffixes).
#[must_use]
pub fn stable_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.split(':').next().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_messages_in_every_folder_with_labels() {
        let root = tempfile::tempdir().unwrap();
        for folder in ["", ".Sent", ".Work.Clients"] {
            for sub in ["cur", "new", "tmp"] {
                std::fs::create_dir_all(root.path().join(folder).join(sub)).unwrap();
            }
        }
        std::fs::write(root.path().join("new/1.host"), "Subject: a\n\nx").unwrap();
        std::fs::write(root.path().join(".Sent/cur/2.host:2,S"), "Subject: b\n\nx").unwrap();
        std::fs::write(root.path().join(".Work.Clients/cur/3.host:2,"), "x").unwrap();
        std::fs::write(root.path().join("tmp/4.host"), "being delivered").unwrap();
        let files = message_files(root.path()).unwrap();
        let folders: Vec<&str> = files.iter().map(|f| f.folder.as_str()).collect();
        assert_eq!(
            folders,
            ["Inbox", "Sent", "Work/Clients"],
            "tmp/ is never read"
        );
        assert_eq!(stable_name(&files[1].path), "2.host");
    }
}
