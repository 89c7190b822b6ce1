//! One sync pass of one account — Gmail, then Calendar — with its audit row, its
//! progress, and what a failure means for the account (`invalid_grant` marks it
//! "reconnect needed" so later passes skip it instead of failing again and again).

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, Utc};
use kindred_core::Address;
use kindred_store::accounts::{Account, AccountStatus};
use kindred_store::secrets::SecretStore;
use kindred_store::sync::SyncCounts;
use kindred_store::Store;

use crate::client::ApiClient;
use crate::error::GoogleError;
use crate::oauth::Google;
use crate::{calendar, gmail};

/// What a sync is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStage {
    /// Listing message ids or replaying the mailbox history.
    Listing,
    FetchingMail,
    FetchingCalendar,
    /// Updating what is derived from the new evidence.
    Computing,
}

/// Progress of one account's sync, emitted after every committed batch.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncProgress {
    pub account: String,
    pub stage: SyncStage,
    pub done: u64,
    /// Unknown while listing (Google gives only an estimate).
    pub total: Option<u64>,
    /// Items per second in this stage so far.
    pub per_second: f64,
    pub eta_seconds: Option<u64>,
}

/// The outcome of one account's pass.
#[derive(Debug)]
pub struct AccountReport {
    pub email: String,
    pub counts: SyncCounts,
    /// Items that could not be read and were skipped.
    pub skipped: Vec<String>,
    /// Why the pass stopped early, if it did; what was committed before stays.
    pub error: Option<GoogleError>,
}

/// Where a stage's rate is measured from.
pub(crate) struct Meter {
    started: Instant,
    base: u64,
}

/// Everything one account's pass needs, shared by its Gmail and Calendar parts.
pub(crate) struct AccountSync<'a> {
    pub(crate) google: &'a Google,
    pub(crate) store: &'a Store,
    pub(crate) account: &'a Account,
    pub(crate) me: &'a BTreeSet<Address>,
    pub(crate) now: DateTime<Utc>,
    pub(crate) gmail: ApiClient<'a>,
    pub(crate) calendar: ApiClient<'a>,
    progress: &'a (dyn Fn(SyncProgress) + Send + Sync),
    counts: Mutex<SyncCounts>,
    skipped: Mutex<Vec<String>>,
}

impl AccountSync<'_> {
    pub(crate) fn add(&self, counts: SyncCounts) {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .add(counts);
    }

    pub(crate) fn error(&self, item: String) {
        self.skipped
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(item);
    }

    pub(crate) fn meter(&self, base: u64) -> Meter {
        Meter {
            started: Instant::now(),
            base,
        }
    }

    pub(crate) fn report(&self, stage: SyncStage, meter: &Meter, done: u64, total: Option<u64>) {
        let elapsed = meter.started.elapsed().as_secs_f64();
        let per_second = if elapsed > 0.0 {
            done.saturating_sub(meter.base) as f64 / elapsed
        } else {
            0.0
        };
        let eta_seconds = total
            .filter(|_| per_second > 0.0)
            .map(|total| (total.saturating_sub(done) as f64 / per_second).ceil() as u64);
        (self.progress)(SyncProgress {
            account: self.account.email.clone(),
            stage,
            done,
            total,
            per_second,
            eta_seconds,
        });
    }
}

/// One pass over `account`: Gmail (initial, incremental or reconcile, as its state
/// says), then its calendars. Each batch is committed with its checkpoint, so an
/// interrupted pass resumes where it stopped. The pass is recorded in `sync_runs`; a
/// refused refresh token marks the account [`AccountStatus::ReconnectNeeded`].
///
/// # Errors
/// Only the store failing to record the run; sync failures are in the report.
pub async fn sync_account(
    google: &Google,
    store: &Store,
    secrets: &dyn SecretStore,
    account: &Account,
    me: &BTreeSet<Address>,
    progress: &(dyn Fn(SyncProgress) + Send + Sync),
) -> Result<AccountReport, GoogleError> {
    let run = store.start_sync_run(account.id).await?;
    let sync = AccountSync {
        google,
        store,
        account,
        me,
        now: Utc::now(),
        gmail: ApiClient::new(
            google,
            secrets,
            &account.email,
            google.settings.gmail_units_per_second,
        ),
        calendar: ApiClient::new(
            google,
            secrets,
            &account.email,
            google.settings.calendar_requests_per_second,
        ),
        progress,
        counts: Mutex::new(SyncCounts::default()),
        skipped: Mutex::new(Vec::new()),
    };
    let outcome = match gmail::sync(&sync).await {
        Ok(()) => calendar::sync(&sync).await,
        Err(error) => Err(error),
    };
    let counts = *sync
        .counts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let skipped = std::mem::take(
        &mut *sync
            .skipped
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    let error = outcome.err();
    if let Some(error) = &error {
        // The message names the account; logs carry only the class.
        tracing::warn!(class = error.class(), "a sync pass stopped early");
        if matches!(
            error,
            GoogleError::ReconnectNeeded { .. } | GoogleError::NotSignedIn { .. }
        ) {
            store
                .set_account_status(account.id, AccountStatus::ReconnectNeeded)
                .await?;
        }
    }
    let message = error.as_ref().map(ToString::to_string);
    store
        .finish_sync_run(
            run,
            &counts,
            error
                .as_ref()
                .map(GoogleError::class)
                .zip(message.as_deref()),
        )
        .await?;
    Ok(AccountReport {
        email: account.email.clone(),
        counts,
        skipped,
        error,
    })
}
