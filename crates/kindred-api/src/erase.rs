//! "Delete all my data": revoke every Google account's tokens at Google, delete every
//! secret Kindred keeps (the database key, the tokens, the LLM API key), close the store
//! and delete the database with its WAL and shared-memory files, the sample files, the
//! logs and the caches. Nothing is recorded anywhere afterwards: the activity log goes
//! with the database.
//!
//! The platform's application-data folder is Kindred's own and goes entirely (with the
//! webview's storage kept there); a folder chosen with `--data-dir` or `KINDRED_DATA_DIR`
//! may hold other files, so only Kindred's entries are deleted from it, and whatever
//! else is there is named in the summary.

use std::path::{Path, PathBuf};

use kindred_google::{access_token_entry, refresh_token_entry, Google};
use kindred_store::secrets::SecretStore;
use kindred_store::DATABASE_FILE;
use serde::Serialize;
use ts_rs::TS;

use crate::{ApiError, Config, ErrorCode, Kindred, APP_IDENTIFIER};

/// What Kindred puts in its data folder, besides the database's own files.
const DATA_ENTRIES: [&str; 3] = ["sync.lock", "sample", crate::logging::LOG_DIR];

/// What deleting everything did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ErasureSummary {
    /// Accounts whose tokens Google confirmed revoked.
    pub revoked: Vec<String>,
    /// Accounts whose tokens were deleted here but whose revocation Google did not
    /// confirm (unreachable, or no OAuth client configured): revoke Kindred's access at
    /// <https://myaccount.google.com/permissions>.
    pub not_confirmed: Vec<String>,
    /// Secret-store entries deleted.
    pub secrets_deleted: u32,
    /// Files and folders deleted.
    pub removed: Vec<String>,
    /// Files in a chosen data folder that are not Kindred's and were left alone.
    pub left_alone: Vec<String>,
    /// The store could not be read, so its Google accounts are unknown: revoke Kindred's
    /// access at <https://myaccount.google.com/permissions>.
    pub accounts_unknown: bool,
}

impl Kindred {
    /// Deletes everything Kindred keeps, as the module says; the store is closed and
    /// gone afterwards, so every later call on this engine fails (a shell that keeps
    /// running, like the desktop app, ends or starts afresh).
    ///
    /// # Errors
    /// The secret store cannot be reached (the data is then still there), or a file
    /// cannot be deleted (`io`; the database key is gone by then, so what is left cannot
    /// be read).
    pub async fn delete_all(&self, secrets: &dyn SecretStore) -> Result<ErasureSummary, ApiError> {
        let mut summary = ErasureSummary::default();
        let accounts = self.store.accounts().await?;
        // Revoking needs the OAuth client's configuration; without one the tokens are
        // still deleted here.
        let google = Google::from_env().ok();
        for account in &accounts {
            let confirmed = match &google {
                Some(google) => google.revoke(secrets, &account.email).await?,
                None => false,
            };
            for entry in [
                refresh_token_entry(&account.email),
                access_token_entry(&account.email),
            ] {
                secrets.delete(&entry)?;
                summary.secrets_deleted += 1;
            }
            if confirmed {
                summary.revoked.push(account.email.clone());
            } else {
                summary.not_confirmed.push(account.email.clone());
            }
        }
        self.close().await;
        delete_secrets_and_files(&self.data_dir, secrets, &mut summary).await?;
        tracing::info!(
            accounts = accounts.len(),
            secrets = summary.secrets_deleted,
            "deleted all data"
        );
        Ok(summary)
    }
}

/// Deletes everything of a store that cannot be opened (its key is lost or wrong, or the
/// file is damaged): the secrets Kindred knows by name and the files. Its accounts
/// cannot be read, so their tokens cannot be revoked or found (`accounts_unknown`).
///
/// # Errors
/// The secret store cannot be reached, or a file cannot be deleted.
pub async fn delete_unreadable(config: &Config) -> Result<ErasureSummary, ApiError> {
    let mut summary = ErasureSummary {
        accounts_unknown: true,
        ..ErasureSummary::default()
    };
    delete_secrets_and_files(&config.data_dir, config.secrets.as_ref(), &mut summary).await?;
    tracing::info!("deleted all data of an unreadable store");
    Ok(summary)
}

/// Deletes the database key and the LLM key, then the files.
async fn delete_secrets_and_files(
    data_dir: &Path,
    secrets: &dyn SecretStore,
    summary: &mut ErasureSummary,
) -> Result<(), ApiError> {
    let key_name = kindred_store::key_name(data_dir);
    for entry in [key_name.as_str(), crate::llm::API_KEY_SECRET] {
        secrets.delete(entry)?;
        summary.secrets_deleted += 1;
    }
    let data_dir = data_dir.to_owned();
    let (removed, left_alone) = tokio::task::spawn_blocking(move || delete_files(&data_dir))
        .await
        .map_err(|e| ApiError::internal("deleting the data", &e))??;
    summary.removed = removed;
    summary.left_alone = left_alone;
    Ok(())
}

/// The platform's own Kindred folders: application data and cache.
fn platform_dirs() -> Option<(PathBuf, PathBuf)> {
    directories::BaseDirs::new().map(|dirs| {
        (
            dirs.data_dir().join(APP_IDENTIFIER),
            dirs.cache_dir().join(APP_IDENTIFIER),
        )
    })
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Deletes Kindred's files; returns what was deleted and what was left alone.
fn delete_files(data_dir: &Path) -> Result<(Vec<String>, Vec<String>), ApiError> {
    let mut removed = Vec::new();
    let mut left_alone = Vec::new();
    let platform = platform_dirs();
    let ours = platform
        .as_ref()
        .is_some_and(|(data, _)| same_dir(data, data_dir));
    if ours {
        remove(data_dir, &mut removed)?;
        if let Some((_, cache)) = &platform {
            remove(cache, &mut removed)?;
        }
        return Ok((removed, left_alone));
    }
    let database = [
        DATABASE_FILE.to_owned(),
        format!("{DATABASE_FILE}-wal"),
        format!("{DATABASE_FILE}-shm"),
        format!("{DATABASE_FILE}-journal"),
    ];
    for name in database.iter().map(String::as_str).chain(DATA_ENTRIES) {
        remove(&data_dir.join(name), &mut removed)?;
    }
    match std::fs::read_dir(data_dir) {
        Ok(entries) => {
            left_alone = entries
                .filter_map(Result::ok)
                .map(|entry| entry.path().display().to_string())
                .collect();
            left_alone.sort();
            if left_alone.is_empty() {
                remove(data_dir, &mut removed)?;
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(io_error(data_dir, &error)),
    }
    Ok((removed, left_alone))
}

/// Deletes a file or a folder with everything in it; a missing one is no error.
fn remove(path: &Path, removed: &mut Vec<String>) -> Result<(), ApiError> {
    let result = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => Err(error),
    };
    result.map_err(|error| io_error(path, &error))?;
    removed.push(path.display().to_string());
    Ok(())
}

fn io_error(path: &Path, error: &std::io::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Io,
        format!(
            "cannot delete {}: {error}; delete it by hand (the database key is already gone, \
             so it cannot be read)",
            path.display()
        ),
    )
}
