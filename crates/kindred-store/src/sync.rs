//! Sync state of connected accounts, written atomically with the data it covers: Gmail
//! ids listed but not yet fetched, which stored message or event each provider item is,
//! each source's cursor (historyId, syncToken) and listing page, and an audit row per run.
//!
//! Every write that moves a cursor stores the items it covers in the same `BEGIN
//! IMMEDIATE` transaction, so a sync killed at any instant resumes without losing or
//! duplicating anything. A stored message or event is deleted only when no account's
//! item refers to it any more and the row was created by a sync (a copy imported from a
//! file keeps it).

use std::collections::BTreeSet;

use chrono::Utc;
use kindred_core::{Address, Event, Message};
use serde_json::json;
use sqlx::{Sqlite, Transaction};

use crate::ingest::{write_events, write_messages, BatchOutcome};
use crate::{Store, StoreError};

/// Where a source of an account is in its sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncPhase {
    /// Collecting the ids of the initial window, page by page.
    Listing,
    /// Fetching the ids listed.
    Fetching,
    /// Caught up: the cursor is where the next incremental pass starts.
    Incremental,
    /// Re-listing the window after the cursor expired, to diff with the store.
    Reconcile,
}

impl SyncPhase {
    fn as_str(self) -> &'static str {
        match self {
            Self::Listing => "listing",
            Self::Fetching => "fetching",
            Self::Incremental => "incremental",
            Self::Reconcile => "reconcile",
        }
    }

    fn parse(value: &str) -> Self {
        match value {
            "fetching" => Self::Fetching,
            "incremental" => Self::Incremental,
            "reconcile" => Self::Reconcile,
            _ => Self::Listing,
        }
    }
}

/// The state of one source (`gmail`, `calendar:<id>`) of one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub phase: SyncPhase,
    /// Gmail historyId or Calendar syncToken.
    pub cursor: Option<String>,
    /// The next page of an unfinished listing.
    pub page_token: Option<String>,
    /// Unix milliseconds: the initial sync's lower bound, fixed when it started.
    pub window_start: Option<i64>,
}

/// One fetched Gmail message.
#[derive(Debug, Clone)]
pub struct FetchedMessage {
    pub gmail_id: String,
    pub message: Message,
}

/// Label changes and deletions replayed from Gmail's history.
#[derive(Debug, Clone, Default)]
pub struct GmailChanges {
    pub deleted: Vec<String>,
    /// `(gmail id, label)`, applied after the removals.
    pub labels_added: Vec<(String, String)>,
    pub labels_removed: Vec<(String, String)>,
}

/// What a sync write changed, as the account sees it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncCounts {
    pub mail_added: u64,
    pub mail_updated: u64,
    pub mail_deleted: u64,
    pub events_added: u64,
    pub events_updated: u64,
    pub events_deleted: u64,
}

impl SyncCounts {
    /// Adds `other` to these counts.
    pub fn add(&mut self, other: Self) {
        self.mail_added += other.mail_added;
        self.mail_updated += other.mail_updated;
        self.mail_deleted += other.mail_deleted;
        self.events_added += other.events_added;
        self.events_updated += other.events_updated;
        self.events_deleted += other.events_deleted;
    }
}

/// One sync run of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRun {
    pub id: i64,
    pub account_id: i64,
    /// Unix milliseconds.
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub counts: SyncCounts,
    pub error_class: Option<String>,
    pub error_message: Option<String>,
}

/// One Google Calendar event, as stored for a calendar of an account.
#[derive(Debug, Clone)]
pub struct CalendarItem {
    pub google_event_id: String,
    pub event: Event,
}

impl Store {
    /// The state of `source` of account `account_id`, if it ever synced.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn sync_state(
        &self,
        account_id: i64,
        source: &str,
    ) -> Result<Option<SyncState>, StoreError> {
        let row: Option<StateRow> = sqlx::query_as(
            "SELECT phase, cursor, page_token, window_start FROM sync_state
             WHERE account_id = ?1 AND source = ?2",
        )
        .bind(account_id)
        .bind(source)
        .fetch_optional(self.reader())
        .await?;
        Ok(
            row.map(|(phase, cursor, page_token, window_start)| SyncState {
                phase: SyncPhase::parse(&phase),
                cursor,
                page_token,
                window_start,
            }),
        )
    }

    /// Records `state` for `source` alone (a phase change that covers no items).
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn set_sync_state(
        &self,
        account_id: i64,
        source: &str,
        state: &SyncState,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        write_state(&mut tx, account_id, source, state).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Appends one listed page of Gmail ids (newest first) to the ids to fetch, with the
    /// state that points past that page. When `state` ends the listing (its phase is no
    /// longer listing or reconcile), ids already stored are dropped from those to fetch
    /// and, after a `reconcile` listing, stored ids that were not listed are deleted
    /// (they are gone from the mailbox). Returns what was deleted.
    ///
    /// # Errors
    /// The database refused the write; nothing is stored then.
    pub async fn write_gmail_listing(
        &self,
        account_id: i64,
        gmail_ids: &[String],
        reconcile: bool,
        state: &SyncState,
    ) -> Result<SyncCounts, StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT OR IGNORE INTO gmail_pending (account_id, gmail_id, position)
             SELECT ?1, j.value,
               j.key + 1 + (SELECT coalesce(max(position), 0) FROM gmail_pending
                            WHERE account_id = ?1)
             FROM json_each(?2) j",
        )
        .bind(account_id)
        .bind(json!(gmail_ids).to_string())
        .execute(&mut *tx)
        .await?;
        let mut counts = SyncCounts::default();
        if !matches!(state.phase, SyncPhase::Listing | SyncPhase::Reconcile) {
            if reconcile {
                let gone: Vec<String> = sqlx::query_scalar(
                    "SELECT gmail_id FROM gmail_messages m WHERE account_id = ?1
                     AND NOT EXISTS (SELECT 1 FROM gmail_pending p
                                     WHERE p.account_id = ?1 AND p.gmail_id = m.gmail_id)",
                )
                .bind(account_id)
                .fetch_all(&mut *tx)
                .await?;
                counts.mail_deleted = delete_gmail_ids(&mut tx, account_id, &gone).await?;
            }
            sqlx::query(
                "DELETE FROM gmail_pending WHERE account_id = ?1 AND gmail_id IN
                   (SELECT gmail_id FROM gmail_messages WHERE account_id = ?1)",
            )
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        }
        write_state(&mut tx, account_id, "gmail", state).await?;
        tx.commit().await?;
        Ok(counts)
    }

    /// Up to `limit` listed Gmail ids still to fetch, newest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn gmail_pending(
        &self,
        account_id: i64,
        limit: u32,
    ) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT gmail_id FROM gmail_pending WHERE account_id = ?1 ORDER BY position LIMIT ?2",
        )
        .bind(account_id)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    /// How many listed Gmail ids are still to fetch.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn gmail_pending_count(&self, account_id: i64) -> Result<u64, StoreError> {
        let count: i64 =
            sqlx::query_scalar("SELECT count(*) FROM gmail_pending WHERE account_id = ?1")
                .bind(account_id)
                .fetch_one(self.reader())
                .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Which of `gmail_ids` the store already holds for account `account_id`.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn gmail_known(
        &self,
        account_id: i64,
        gmail_ids: &[String],
    ) -> Result<BTreeSet<String>, StoreError> {
        let known: Vec<String> = sqlx::query_scalar(
            "SELECT m.gmail_id FROM json_each(?2) j
             JOIN gmail_messages m ON m.account_id = ?1 AND m.gmail_id = j.value",
        )
        .bind(account_id)
        .bind(json!(gmail_ids).to_string())
        .fetch_all(self.reader())
        .await?;
        Ok(known.into_iter().collect())
    }

    /// How many Gmail messages the store holds for account `account_id`.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn gmail_count(&self, account_id: i64) -> Result<u64, StoreError> {
        let count: i64 =
            sqlx::query_scalar("SELECT count(*) FROM gmail_messages WHERE account_id = ?1")
                .bind(account_id)
                .fetch_one(self.reader())
                .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Every Gmail id the store holds for account `account_id`.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn gmail_ids(&self, account_id: i64) -> Result<BTreeSet<String>, StoreError> {
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT gmail_id FROM gmail_messages WHERE account_id = ?1")
                .bind(account_id)
                .fetch_all(self.reader())
                .await?;
        Ok(ids.into_iter().collect())
    }

    /// The labels stored for Gmail message `gmail_id` of account `account_id`.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn gmail_labels(
        &self,
        account_id: i64,
        gmail_id: &str,
    ) -> Result<BTreeSet<String>, StoreError> {
        let labels: Vec<String> = sqlx::query_scalar(
            "SELECT l.label FROM gmail_messages m JOIN message_labels l ON l.message_id = m.message_id
             WHERE m.account_id = ?1 AND m.gmail_id = ?2",
        )
        .bind(account_id)
        .bind(gmail_id)
        .fetch_all(self.reader())
        .await?;
        Ok(labels.into_iter().collect())
    }

    /// Stores fetched Gmail messages (copies merge into one message row), maps each id to
    /// its row, drops them and the `gone` ids (deleted before they could be fetched) from
    /// the ids to fetch, and — in the same transaction — records `state` if given.
    ///
    /// # Errors
    /// The database refused the write; nothing is stored then.
    pub async fn write_gmail_messages(
        &self,
        account_id: i64,
        fetched: &[FetchedMessage],
        gone: &[String],
        me: &BTreeSet<Address>,
        state: Option<&SyncState>,
    ) -> Result<SyncCounts, StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        let now = Utc::now().timestamp_millis();
        let mut counts = SyncCounts::default();
        if !fetched.is_empty() {
            let messages: Vec<Message> = fetched.iter().map(|f| f.message.clone()).collect();
            let mut outcome = BatchOutcome::default();
            let ids = write_messages(&mut tx, &messages, me, now, &mut outcome).await?;
            let rows: Vec<_> = fetched
                .iter()
                .zip(&ids)
                .map(|(f, id)| json!([f.gmail_id, id]))
                .collect();
            let mapped = sqlx::query(
                "INSERT OR IGNORE INTO gmail_messages (account_id, gmail_id, message_id)
                 SELECT ?1, value->>0, value->>1 FROM json_each(?2)",
            )
            .bind(account_id)
            .bind(serde_json::Value::Array(rows).to_string())
            .execute(&mut *tx)
            .await?;
            counts.mail_added = mapped.rows_affected();
        }
        counts.mail_deleted = delete_gmail_ids(&mut tx, account_id, gone).await?;
        let done: Vec<&str> = fetched
            .iter()
            .map(|f| f.gmail_id.as_str())
            .chain(gone.iter().map(String::as_str))
            .collect();
        sqlx::query(
            "DELETE FROM gmail_pending WHERE account_id = ?1
             AND gmail_id IN (SELECT value FROM json_each(?2))",
        )
        .bind(account_id)
        .bind(json!(done).to_string())
        .execute(&mut *tx)
        .await?;
        if let Some(state) = state {
            write_state(&mut tx, account_id, "gmail", state).await?;
        }
        tx.commit().await?;
        Ok(counts)
    }

    /// Applies deletions and label changes replayed from Gmail's history and, in the
    /// same transaction, the state that points past them.
    ///
    /// # Errors
    /// The database refused the write; nothing is changed then.
    pub async fn apply_gmail_changes(
        &self,
        account_id: i64,
        changes: &GmailChanges,
        state: &SyncState,
    ) -> Result<SyncCounts, StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        let mut counts = SyncCounts {
            mail_deleted: delete_gmail_ids(&mut tx, account_id, &changes.deleted).await?,
            ..SyncCounts::default()
        };
        let mut touched: BTreeSet<&str> = BTreeSet::new();
        for (sql, changes) in [
            (
                "DELETE FROM message_labels WHERE (message_id, label) IN
                   (SELECT m.message_id, j.value->>1 FROM json_each(?2) j
                    JOIN gmail_messages m ON m.account_id = ?1 AND m.gmail_id = j.value->>0)",
                &changes.labels_removed,
            ),
            (
                "INSERT OR IGNORE INTO message_labels (message_id, label)
                 SELECT m.message_id, j.value->>1 FROM json_each(?2) j
                 JOIN gmail_messages m ON m.account_id = ?1 AND m.gmail_id = j.value->>0",
                &changes.labels_added,
            ),
        ] {
            if changes.is_empty() {
                continue;
            }
            let rows: Vec<_> = changes
                .iter()
                .map(|(id, label)| json!([id, label]))
                .collect();
            let result = sqlx::query(sql)
                .bind(account_id)
                .bind(serde_json::Value::Array(rows).to_string())
                .execute(&mut *tx)
                .await?;
            if result.rows_affected() > 0 {
                touched.extend(changes.iter().map(|(id, _)| id.as_str()));
            }
        }
        if !touched.is_empty() {
            let known: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM json_each(?2) j
                 JOIN gmail_messages m ON m.account_id = ?1 AND m.gmail_id = j.value",
            )
            .bind(account_id)
            .bind(json!(touched).to_string())
            .fetch_one(&mut *tx)
            .await?;
            counts.mail_updated = u64::try_from(known).unwrap_or(0);
        }
        write_state(&mut tx, account_id, "gmail", state).await?;
        tx.commit().await?;
        Ok(counts)
    }

    /// Stores one page of a calendar's events (new or changed) and applies its
    /// cancellations, with the state that points past the page.
    ///
    /// # Errors
    /// The database refused the write; nothing is stored then.
    pub async fn write_calendar_page(
        &self,
        account_id: i64,
        calendar_id: &str,
        items: &[CalendarItem],
        cancelled: &[String],
        state: &SyncState,
    ) -> Result<SyncCounts, StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        let now = Utc::now().timestamp_millis();
        let mut counts = SyncCounts {
            events_deleted: delete_calendar_events(
                &mut tx,
                account_id,
                calendar_id,
                Some(cancelled),
            )
            .await?,
            ..SyncCounts::default()
        };
        if !items.is_empty() {
            let events: Vec<Event> = items.iter().map(|i| i.event.clone()).collect();
            let mut outcome = BatchOutcome::default();
            write_events(&mut tx, &events, now, &mut outcome).await?;
            let rows: Vec<_> = items
                .iter()
                .map(|i| json!([i.google_event_id, i.event.source_key]))
                .collect();
            let rows = serde_json::Value::Array(rows).to_string();
            let known: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM json_each(?3) j JOIN calendar_events c
                 ON c.account_id = ?1 AND c.calendar_id = ?2 AND c.google_event_id = j.value->>0",
            )
            .bind(account_id)
            .bind(calendar_id)
            .bind(&rows)
            .fetch_one(&mut *tx)
            .await?;
            let known = u64::try_from(known).unwrap_or(0);
            sqlx::query(
                "INSERT INTO calendar_events (account_id, calendar_id, google_event_id, event_id)
                 SELECT ?1, ?2, j.value->>0, e.id FROM json_each(?3) j
                 JOIN events e ON e.source_key = j.value->>1 WHERE true
                 ON CONFLICT (account_id, calendar_id, google_event_id)
                 DO UPDATE SET event_id = excluded.event_id",
            )
            .bind(account_id)
            .bind(calendar_id)
            .bind(&rows)
            .execute(&mut *tx)
            .await?;
            counts.events_updated = known;
            counts.events_added = items.len() as u64 - known;
        }
        write_state(&mut tx, account_id, &calendar_source(calendar_id), state).await?;
        tx.commit().await?;
        Ok(counts)
    }

    /// Forgets everything of one calendar of an account — its events (unless another
    /// calendar or a file holds them) and its state — so it syncs afresh.
    ///
    /// # Errors
    /// The database refused the write; nothing is changed then.
    pub async fn clear_calendar(
        &self,
        account_id: i64,
        calendar_id: &str,
    ) -> Result<u64, StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        let deleted = delete_calendar_events(&mut tx, account_id, calendar_id, None).await?;
        sqlx::query("DELETE FROM sync_state WHERE account_id = ?1 AND source = ?2")
            .bind(account_id)
            .bind(calendar_source(calendar_id))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(deleted)
    }

    /// The Google event ids stored for `calendar_id` of account `account_id`.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn calendar_event_ids(
        &self,
        account_id: i64,
        calendar_id: &str,
    ) -> Result<BTreeSet<String>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT google_event_id FROM calendar_events WHERE account_id = ?1 AND calendar_id = ?2",
        )
        .bind(account_id)
        .bind(calendar_id)
        .fetch_all(self.reader())
        .await?;
        Ok(ids.into_iter().collect())
    }

    /// Opens the audit row of a sync run of account `account_id`, returning its id.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn start_sync_run(&self, account_id: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO sync_runs (account_id, started_at) VALUES (?1, ?2) RETURNING id",
        )
        .bind(account_id)
        .bind(Utc::now().timestamp_millis())
        .fetch_one(self.writer())
        .await?)
    }

    /// Closes the audit row `run_id` with what the run changed and, if it failed, the
    /// error's class and message.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn finish_sync_run(
        &self,
        run_id: i64,
        counts: &SyncCounts,
        error: Option<(&str, &str)>,
    ) -> Result<(), StoreError> {
        let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        sqlx::query(
            "UPDATE sync_runs SET finished_at = ?2, mail_added = ?3, mail_updated = ?4,
               mail_deleted = ?5, events_added = ?6, events_updated = ?7, events_deleted = ?8,
               error_class = ?9, error_message = ?10
             WHERE id = ?1",
        )
        .bind(run_id)
        .bind(Utc::now().timestamp_millis())
        .bind(as_i64(counts.mail_added))
        .bind(as_i64(counts.mail_updated))
        .bind(as_i64(counts.mail_deleted))
        .bind(as_i64(counts.events_added))
        .bind(as_i64(counts.events_updated))
        .bind(as_i64(counts.events_deleted))
        .bind(error.map(|(class, _)| class))
        .bind(error.map(|(_, message)| message))
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The latest `limit` sync runs of account `account_id`, newest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn sync_runs(&self, account_id: i64, limit: u32) -> Result<Vec<SyncRun>, StoreError> {
        let rows: Vec<RunRow> = sqlx::query_as(
            "SELECT id, account_id, started_at, finished_at, mail_added, mail_updated,
               mail_deleted, events_added, events_updated, events_deleted, error_class,
               error_message
             FROM sync_runs WHERE account_id = ?1 ORDER BY id DESC LIMIT ?2",
        )
        .bind(account_id)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(rows
            .into_iter()
            .map(|r| SyncRun {
                id: r.id,
                account_id: r.account_id,
                started_at: r.started_at,
                finished_at: r.finished_at,
                counts: SyncCounts {
                    mail_added: count(r.mail_added),
                    mail_updated: count(r.mail_updated),
                    mail_deleted: count(r.mail_deleted),
                    events_added: count(r.events_added),
                    events_updated: count(r.events_updated),
                    events_deleted: count(r.events_deleted),
                },
                error_class: r.error_class,
                error_message: r.error_message,
            })
            .collect())
    }
}

/// phase, cursor, page token, window start.
type StateRow = (String, Option<String>, Option<String>, Option<i64>);

#[derive(sqlx::FromRow)]
struct RunRow {
    id: i64,
    account_id: i64,
    started_at: i64,
    finished_at: Option<i64>,
    mail_added: i64,
    mail_updated: i64,
    mail_deleted: i64,
    events_added: i64,
    events_updated: i64,
    events_deleted: i64,
    error_class: Option<String>,
    error_message: Option<String>,
}

/// The `sync_state` source of a calendar.
#[must_use]
pub fn calendar_source(calendar_id: &str) -> String {
    format!("calendar:{calendar_id}")
}

async fn write_state(
    tx: &mut Transaction<'_, Sqlite>,
    account_id: i64,
    source: &str,
    state: &SyncState,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sync_state (account_id, source, phase, cursor, page_token, window_start,
           updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (account_id, source) DO UPDATE SET phase = excluded.phase,
           cursor = excluded.cursor, page_token = excluded.page_token,
           window_start = excluded.window_start, updated_at = excluded.updated_at",
    )
    .bind(account_id)
    .bind(source)
    .bind(state.phase.as_str())
    .bind(&state.cursor)
    .bind(&state.page_token)
    .bind(state.window_start)
    .bind(Utc::now().timestamp_millis())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Unmaps `gmail_ids` of an account and deletes the messages nothing refers to any more
/// that a sync created. Returns how many ids were unmapped.
async fn delete_gmail_ids(
    tx: &mut Transaction<'_, Sqlite>,
    account_id: i64,
    gmail_ids: &[String],
) -> Result<u64, StoreError> {
    if gmail_ids.is_empty() {
        return Ok(0);
    }
    let ids = json!(gmail_ids).to_string();
    let rows: Vec<i64> = sqlx::query_scalar(
        "DELETE FROM gmail_messages WHERE account_id = ?1
         AND gmail_id IN (SELECT value FROM json_each(?2)) RETURNING message_id",
    )
    .bind(account_id)
    .bind(&ids)
    .fetch_all(&mut **tx)
    .await?;
    let unmapped = rows.len() as u64;
    let orphans: Vec<i64> = sqlx::query_scalar(
        "SELECT m.id FROM messages m WHERE m.id IN (SELECT value FROM json_each(?1))
         AND m.source_key LIKE 'gmail:%'
         AND NOT EXISTS (SELECT 1 FROM gmail_messages g WHERE g.message_id = m.id)",
    )
    .bind(json!(rows).to_string())
    .fetch_all(&mut **tx)
    .await?;
    if !orphans.is_empty() {
        let orphans = json!(orphans).to_string();
        // The full-text index keeps its own copy of the text: remove it first.
        sqlx::query(
            "INSERT INTO messages_fts (messages_fts, rowid, subject, sender, body_text)
             SELECT 'delete', id, subject, sender, body_text FROM messages
             WHERE id IN (SELECT value FROM json_each(?1))",
        )
        .bind(&orphans)
        .execute(&mut **tx)
        .await?;
        sqlx::query("DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?1))")
            .bind(&orphans)
            .execute(&mut **tx)
            .await?;
    }
    Ok(unmapped)
}

/// Unmaps the events `google_event_ids` of a calendar (all of them with `None`) and
/// deletes the events nothing refers to any more that a sync created.
async fn delete_calendar_events(
    tx: &mut Transaction<'_, Sqlite>,
    account_id: i64,
    calendar_id: &str,
    google_event_ids: Option<&[String]>,
) -> Result<u64, StoreError> {
    if google_event_ids.is_some_and(<[String]>::is_empty) {
        return Ok(0);
    }
    let rows: Vec<i64> = sqlx::query_scalar(
        "DELETE FROM calendar_events WHERE account_id = ?1 AND calendar_id = ?2
         AND (?3 IS NULL OR google_event_id IN (SELECT value FROM json_each(?3)))
         RETURNING event_id",
    )
    .bind(account_id)
    .bind(calendar_id)
    .bind(google_event_ids.map(|ids| json!(ids).to_string()))
    .fetch_all(&mut **tx)
    .await?;
    let unmapped = rows.len() as u64;
    sqlx::query(
        "DELETE FROM events WHERE id IN (SELECT value FROM json_each(?1))
         AND source_key LIKE 'google:%'
         AND NOT EXISTS (SELECT 1 FROM calendar_events c WHERE c.event_id = events.id)",
    )
    .bind(json!(rows).to_string())
    .execute(&mut **tx)
    .await?;
    Ok(unmapped)
}
