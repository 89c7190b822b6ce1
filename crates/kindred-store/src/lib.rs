//! Kindred's store: one encrypted SQLite database (SQLCipher) reached through sqlx, with
//! FTS5 and sqlite-vec, migrations applied at open, and a repository module per
//! aggregate. It owns the connection policy and the database key's life cycle.

pub mod accounts;
pub mod activity;
pub mod artifacts;
pub mod chat;
pub mod chunks;
pub mod conversations;
pub mod correspondence;
pub mod export;
mod extension;
pub mod identities;
pub mod ingest;
pub mod instructions;
pub mod interactions;
pub mod jobs;
pub mod llm;
pub mod mail_events;
pub mod maintenance;
pub mod message_view;
pub mod queries;
mod quiet;
pub mod rules;
pub mod secrets;
mod settings;
pub mod sync;
pub mod tasks;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use thiserror::Error;
use tokio::sync::watch;

pub use crate::quiet::{sqlite_memory_used, RELEASE_AFTER};
use crate::secrets::{DatabaseKey, SecretError, SecretStore};

static MIGRATOR: Migrator = sqlx::migrate!("../../migrations");

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "kindred.db";

/// Why the store could not be opened or used. Every message names the file and what to do.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error(transparent)]
    Secrets(#[from] SecretError),
    #[error(
        "{path} exists but its key is not in the secret store ({store}); restore the keyring \
         entry, or move the file away to start afresh. Kindred has not modified the file"
    )]
    MissingKey { path: PathBuf, store: String },
    #[error(
        "{path} cannot be read with the key in the secret store: the key is wrong or the file \
         is corrupt. Kindred has not modified the file; restore the keyring entry or a backup"
    )]
    WrongKeyOrCorrupt { path: PathBuf },
    #[error(
        "{path} is an unencrypted SQLite database, not a Kindred store; Kindred has not \
         modified it. Move it away or choose another data directory"
    )]
    Unencrypted { path: PathBuf },
    #[error(
        "{path} was written by a newer Kindred (schema {found}, this version knows up to \
         {supported}); update Kindred. The file has not been modified"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrating the database failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Whether trying again later may succeed (a busy database, a locked keyring).
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Secrets(SecretError::Unavailable(_)) => true,
            Self::Database(sqlx::Error::Database(error)) => {
                error.message().contains("database is locked")
            }
            Self::Database(sqlx::Error::PoolTimedOut) => true,
            _ => false,
        }
    }
}

/// The open store: a single-connection writer pool (one writer, always) and a small
/// reader pool; WAL lets readers run beside the writer. A minute after a use, the store
/// gives its memory back ([`Store::release_memory`]).
#[derive(Debug, Clone)]
pub struct Store {
    writer: SqlitePool,
    reader: SqlitePool,
    path: PathBuf,
    _watcher: Arc<quiet::Watcher>,
}

impl Store {
    /// Opens — or on first run creates — the store in `data_dir`, with its key from
    /// `secrets` (created there on first run). An existing file is never re-created or
    /// overwritten: a missing or wrong key is an error.
    ///
    /// # Errors
    /// See [`StoreError`]: the key is missing or wrong, the file is corrupt, unencrypted
    /// or from a newer version, or the directory cannot be used.
    pub async fn open(data_dir: &Path, secrets: &dyn SecretStore) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let path = data_dir.join(DATABASE_FILE);
        let exists = path.exists();
        if exists && starts_with_plain_header(&path)? {
            return Err(StoreError::Unencrypted { path });
        }
        let key_name = key_name(data_dir);
        let Some(key) = secrets::database_key(secrets, &key_name, !exists)? else {
            return Err(StoreError::MissingKey {
                path,
                store: secrets.describe(),
            });
        };
        extension::register_sqlite_vec();
        let (activity, uses) = watch::channel(0);
        let activity = Arc::new(activity);
        let writer = pool_options(&activity)
            .max_connections(1)
            .connect_with(connection_options(&path, &key, !exists))
            .await
            .map_err(|error| classify_open_error(error, &path))?;
        let found: i64 = sqlx::query_scalar("PRAGMA user_version")
            .fetch_one(&writer)
            .await
            .map_err(|error| classify_open_error(error, &path))?;
        let supported = schema_version();
        if found > supported {
            return Err(StoreError::NewerSchema {
                path,
                found,
                supported,
            });
        }
        MIGRATOR.run(&writer).await?;
        sqlx::query(&format!("PRAGMA user_version = {supported}"))
            .execute(&writer)
            .await?;
        let reader = pool_options(&activity)
            .max_connections(2)
            .connect_with(connection_options(&path, &key, false).read_only(true))
            .await?;
        // The watcher reaches the pools through a weak handle, so that they close when the
        // store goes, not when the runtime does.
        let pools = Arc::new([writer.clone(), reader.clone()]);
        let watched = Arc::downgrade(&pools);
        let watcher = tokio::spawn(quiet::release_after_use(uses, RELEASE_AFTER, move || {
            let pools = watched.upgrade();
            async move {
                if let Some(pools) = pools {
                    quiet::release(&pools[..]).await;
                }
            }
        }));
        Ok(Self {
            writer,
            reader,
            path,
            _watcher: Arc::new(quiet::Watcher::new(watcher.abort_handle(), pools)),
        })
    }

    /// Drops the page cache of every idle connection and returns the process heap's free
    /// pages to the system. The store does this by itself [`RELEASE_AFTER`] a use.
    pub async fn release_memory(&self) {
        quiet::release(&[self.writer.clone(), self.reader.clone()]).await;
    }

    /// The database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes every connection after moving the WAL's content into the database file, so
    /// a closed store is one self-contained file.
    pub async fn close(&self) {
        self.reader.close().await;
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.writer)
            .await
        {
            tracing::warn!("the WAL could not be checkpointed at close: {error}");
        }
        self.writer.close().await;
    }

    pub(crate) fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    pub(crate) fn reader(&self) -> &SqlitePool {
        &self.reader
    }
}

/// The schema version this binary knows: the number of migrations it carries.
#[must_use]
pub fn schema_version() -> i64 {
    i64::try_from(MIGRATOR.iter().count()).unwrap_or(i64::MAX)
}

/// The secret store entry holding the key of the database in `data_dir`.
#[must_use]
pub fn key_name(data_dir: &Path) -> String {
    let dir = data_dir
        .canonicalize()
        .unwrap_or_else(|_| data_dir.to_owned());
    format!("database-key:{}", dir.display())
}

/// A pool that counts in `activity` every connection it hands out, a new one or an idle
/// one (taking idle connections to release their memory does not go through these hooks).
fn pool_options(activity: &Arc<watch::Sender<u64>>) -> SqlitePoolOptions {
    let connected = Arc::clone(activity);
    let acquired = Arc::clone(activity);
    SqlitePoolOptions::new()
        .after_connect(move |_, _| {
            connected.send_modify(|uses| *uses = uses.wrapping_add(1));
            Box::pin(std::future::ready(Ok(())))
        })
        .before_acquire(move |_, _| {
            acquired.send_modify(|uses| *uses = uses.wrapping_add(1));
            Box::pin(std::future::ready(Ok(true)))
        })
}

/// The connection policy, the same for every connection Kindred opens.
fn connection_options(path: &Path, key: &DatabaseKey, create: bool) -> SqliteConnectOptions {
    SqliteConnectOptions::from_str("sqlite:")
        .unwrap_or_default()
        .filename(path)
        .create_if_missing(create)
        // SQLCipher: the key must come before anything else touches the file. The raw-key
        // form skips PBKDF2, which would cost every connection hundreds of milliseconds;
        // the key is random, so derivation adds nothing.
        .pragma("key", key.sqlcipher_pragma().to_string())
        // Readers do not block the writer and the writer does not block readers.
        .journal_mode(SqliteJournalMode::Wal)
        // Durable at every checkpoint, and a crash loses at most the last transactions,
        // never consistency (WAL + NORMAL).
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        // Another process (the CLI beside the app) may hold the write lock briefly.
        .busy_timeout(Duration::from_secs(10))
        // Temporary tables and sort spills stay in memory: no plaintext temp files.
        .pragma("temp_store", "MEMORY")
        // 64 MiB of decrypted pages per connection: SQLCipher decrypts on every cache miss.
        .pragma("cache_size", "-65536")
}

fn starts_with_plain_header(path: &Path) -> Result<bool, StoreError> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut file| file.read(&mut header))
        .map_err(|source| StoreError::DataDir {
            path: path.to_owned(),
            source,
        })?;
    Ok(read == 16 && &header == b"SQLite format 3\0")
}

fn classify_open_error(error: sqlx::Error, path: &Path) -> StoreError {
    let not_a_database = matches!(&error, sqlx::Error::Database(db)
        if db.code().as_deref() == Some("26") || db.message().contains("file is not a database"));
    if not_a_database {
        StoreError::WrongKeyOrCorrupt {
            path: path.to_owned(),
        }
    } else {
        StoreError::Database(error)
    }
}
