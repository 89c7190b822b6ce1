//! Google accounts: sign in (the shell opens the browser), list accounts, sync them with
//! progress, sign out, and the one-time snapshot. Tokens stay in the secret store; the
//! store keeps accounts, sync state and an audit row per run. One sync runs at a time per
//! data directory (an advisory lock the kernel releases when a process dies, so a killed
//! run never blocks the next).

use std::collections::BTreeSet;
use std::fs::{File, TryLockError};
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use kindred_core::Address;
use kindred_google::{Google, GoogleError, SyncProgress, SyncStage, LOGIN_TIMEOUT, PROVIDER};
use kindred_store::accounts::{Account, AccountStatus};
use kindred_store::secrets::SecretStore;
use kindred_store::sync::{SyncCounts, SyncRun};
use serde::Serialize;
use ts_rs::TS;

use crate::error::ErrorCode;
use crate::{ApiError, Kindred};

/// The initial-sync window of a new account when none is given.
pub const DEFAULT_WINDOW_DAYS: u32 = 365;

/// How far back an account's initial sync reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncWindow {
    Days(u32),
    All,
}

impl SyncWindow {
    fn days(self) -> Option<u32> {
        match self {
            Self::Days(days) => Some(days),
            Self::All => None,
        }
    }

    fn describe(days: Option<u32>) -> String {
        days.map_or_else(|| "all".to_owned(), |d| format!("{d}d"))
    }
}

impl FromStr for SyncWindow {
    type Err = ApiError;

    /// `365d`, `52w`, `12m` (30-day months), `2y` (365-day years), a bare number of
    /// days, or `all`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim().to_ascii_lowercase();
        if text == "all" {
            return Ok(Self::All);
        }
        let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
            Some(at) => text.split_at(at),
            None => (text.as_str(), "d"),
        };
        let factor = match unit {
            "d" => 1,
            "w" => 7,
            "m" => 30,
            "y" => 365,
            _ => 0,
        };
        match number.parse::<u32>() {
            Ok(n) if n > 0 && factor > 0 => Ok(Self::Days(n.saturating_mul(factor))),
            _ => Err(ApiError::invalid_input(format!(
                "--window {text:?} is not a window; give days like 365d, or all"
            ))),
        }
    }
}

/// Counts of what a sync changed in one source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct SourceCounts {
    #[ts(type = "number")]
    pub added: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub deleted: u64,
}

impl SourceCounts {
    fn add(&mut self, other: Self) {
        self.added += other.added;
        self.updated += other.updated;
        self.deleted += other.deleted;
    }
}

fn split(counts: &SyncCounts) -> (SourceCounts, SourceCounts) {
    (
        SourceCounts {
            added: counts.mail_added,
            updated: counts.mail_updated,
            deleted: counts.mail_deleted,
        },
        SourceCounts {
            added: counts.events_added,
            updated: counts.events_updated,
            deleted: counts.events_deleted,
        },
    )
}

/// One sync run of an account, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncRunDto {
    /// ISO 8601, UTC.
    pub started_at: String,
    pub finished_at: Option<String>,
    pub mail: SourceCounts,
    pub calendar: SourceCounts,
    /// `reconnect_needed`, `quota`, `network`, `server`, `api`, `config`, `store`.
    pub error_class: Option<String>,
    pub error: Option<String>,
}

/// A connected (or formerly connected) account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AccountDto {
    pub provider: String,
    pub email: String,
    /// `connected`, `reconnect_needed`, `snapshot` or `signed_out`.
    pub status: String,
    /// The initial sync's window: `365d` or `all`.
    pub window: String,
    /// ISO 8601, UTC.
    pub created_at: String,
    pub last_sync: Option<SyncRunDto>,
}

/// What one account's sync pass did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AccountSyncSummary {
    pub email: String,
    pub mail: SourceCounts,
    pub calendar: SourceCounts,
    /// The account's status after the pass.
    pub status: String,
    pub error_class: Option<String>,
    /// Why the pass stopped early, if it did.
    pub error: Option<String>,
    /// Items that could not be read and were skipped.
    pub skipped: Vec<String>,
}

/// The result of `kindred sync`: counts per source over all accounts, and per account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct SyncSummary {
    pub mail: SourceCounts,
    pub calendar: SourceCounts,
    pub accounts: Vec<AccountSyncSummary>,
    /// One line per account whose pass failed.
    pub errors: Vec<String>,
}

/// What a sync is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncStageDto {
    Listing,
    FetchingMail,
    FetchingCalendar,
    Computing,
}

/// Progress of a sync, streamed to the UI and the terminal.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncProgressEvent {
    Started {
        accounts: u32,
    },
    Stage {
        account: String,
        stage: SyncStageDto,
        #[ts(type = "number")]
        done: u64,
        #[ts(type = "number | null")]
        total: Option<u64>,
        /// Items per second in this stage.
        rate: f64,
        #[ts(type = "number | null")]
        eta_seconds: Option<u64>,
    },
    Finished {
        summary: SyncSummary,
    },
}

/// What to sync.
#[derive(Debug, Clone, Default)]
pub struct SyncRequest {
    /// Sets the initial-sync window of the accounts synced (stored with each).
    pub window: Option<SyncWindow>,
    /// Only this account (by address); every connected account otherwise.
    pub account: Option<String>,
}

fn iso(millis: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(millis)
        .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn run_dto(run: &SyncRun) -> SyncRunDto {
    let (mail, calendar) = split(&run.counts);
    SyncRunDto {
        started_at: iso(run.started_at),
        finished_at: run.finished_at.map(iso),
        mail,
        calendar,
        error_class: run.error_class.clone(),
        error: run.error_message.clone(),
    }
}

impl From<GoogleError> for ApiError {
    fn from(error: GoogleError) -> Self {
        let code = match &error {
            GoogleError::Config(_)
            | GoogleError::ReconnectNeeded { .. }
            | GoogleError::NotSignedIn { .. }
            | GoogleError::LoginTimeout { .. }
            | GoogleError::LoginDenied(_)
            | GoogleError::Login(_) => ErrorCode::InvalidInput,
            GoogleError::Loopback(_) | GoogleError::Quota { .. } | GoogleError::Network { .. } => {
                ErrorCode::Io
            }
            GoogleError::Api { .. } | GoogleError::Malformed { .. } => ErrorCode::Internal,
            GoogleError::Store(_) | GoogleError::Secrets(_) => ErrorCode::StoreUnavailable,
        };
        Self::new(code, error.to_string())
    }
}

/// The secret store `KINDRED_SECRETS` chooses, as [`crate::Config::from_env`] opens it,
/// for shells that already warned about a file-based store when opening the store.
///
/// # Errors
/// `KINDRED_SECRETS` is not understood.
pub fn secrets_from_env() -> Result<Box<dyn SecretStore>, ApiError> {
    Ok(kindred_store::secrets::from_setting(
        std::env::var("KINDRED_SECRETS").ok().as_deref(),
    )?)
}

/// Holds the data directory's sync lock while alive.
struct SyncLock(File);

impl SyncLock {
    fn acquire(kindred: &Kindred) -> Result<Self, ApiError> {
        let path = kindred.data_dir().join("sync.lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::Io,
                    format!("cannot open {}: {e}", path.display()),
                )
            })?;
        match file.try_lock() {
            Ok(()) => Ok(Self(file)),
            Err(TryLockError::WouldBlock) => Err(ApiError::invalid_input(format!(
                "another sync is running on {} (the desktop app or another `kindred sync`); \
                 wait for it to finish",
                kindred.data_dir().display()
            ))),
            Err(TryLockError::Error(e)) => Err(ApiError::new(
                ErrorCode::Io,
                format!("cannot lock {}: {e}", path.display()),
            )),
        }
    }
}

impl Drop for SyncLock {
    fn drop(&mut self) {
        // The kernel releases the lock when the file closes anyway (and when the process
        // dies); unlocking first only makes the release immediate.
        let _ = self.0.unlock();
    }
}

impl Kindred {
    /// Signs in to Google: starts the loopback listener, hands the authorization URL to
    /// `open_browser` (the app opens the system browser; the CLI may print it), waits up
    /// to five minutes for the redirect, stores the tokens in `secrets` and the account
    /// in the store (with `window`, default 365 days, for its initial sync). The address
    /// becomes one of the person's own.
    ///
    /// # Errors
    /// No OAuth client is configured, the sign-in timed out or was refused, or the
    /// tokens or account cannot be stored.
    pub async fn google_login(
        &self,
        secrets: &dyn SecretStore,
        window: Option<SyncWindow>,
        open_browser: &(dyn Fn(&str) + Send + Sync),
    ) -> Result<AccountDto, ApiError> {
        let google = Google::from_env()?;
        let pending = google.begin_login().await?;
        open_browser(pending.authorization_url().as_str());
        let signed_in = google.finish_login(pending, LOGIN_TIMEOUT).await?;
        google.store_tokens(secrets, &signed_in)?;
        let days = window.map_or(Some(DEFAULT_WINDOW_DAYS), SyncWindow::days);
        let account = self
            .store
            .connect_account(PROVIDER, &signed_in.email, days)
            .await?;
        if let Some(window) = window {
            self.store
                .set_account_window(account.id, window.days())
                .await?;
        }
        if let Ok(address) = Address::parse(&signed_in.email) {
            let mut me = self.store.me_addresses().await?;
            if me.insert(address) {
                self.store.set_me_addresses(&me).await?;
            }
        }
        tracing::info!("signed in to Google");
        self.account_dto(&signed_in.email).await
    }

    /// Every account, oldest first, with its last sync run.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn accounts(&self) -> Result<Vec<AccountDto>, ApiError> {
        let mut accounts = Vec::new();
        for account in self.store.accounts().await? {
            accounts.push(self.dto(&account).await?);
        }
        Ok(accounts)
    }

    async fn account_dto(&self, email: &str) -> Result<AccountDto, ApiError> {
        let account = self
            .store
            .account(PROVIDER, email)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no account {email}")))?;
        self.dto(&account).await
    }

    async fn dto(&self, account: &Account) -> Result<AccountDto, ApiError> {
        let last = self.store.sync_runs(account.id, 1).await?;
        Ok(AccountDto {
            provider: account.provider.clone(),
            email: account.email.clone(),
            status: account.status.to_string(),
            window: SyncWindow::describe(account.window_days),
            created_at: iso(account.created_at),
            last_sync: last.first().map(run_dto),
        })
    }

    /// The accounts `request` names: one by address, or every connected one.
    async fn accounts_to_sync(&self, account: Option<&str>) -> Result<Vec<Account>, ApiError> {
        let accounts = self.store.accounts().await?;
        match account {
            Some(email) => {
                let wanted = email.trim().to_lowercase();
                let found = accounts.into_iter().find(|a| a.email == wanted);
                found.map(|a| vec![a]).ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::NotFound,
                        format!("no account {email}; `kindred accounts` lists them"),
                    )
                })
            }
            None => Ok(accounts
                .into_iter()
                .filter(|a| a.status == AccountStatus::Connected)
                .collect()),
        }
    }

    /// One sync pass over the connected accounts (or the one `request` names): initial
    /// for a new account, incremental after that. Every batch is committed with its
    /// checkpoint, so an interrupted pass resumes where it stopped. An account whose
    /// sign-in Google refuses is marked `reconnect_needed` and skipped from then on;
    /// failures of one account do not stop the others and are listed in the summary.
    ///
    /// # Errors
    /// Another sync holds the lock, no OAuth client is configured, or the store fails.
    pub async fn sync(
        &self,
        secrets: &dyn SecretStore,
        request: &SyncRequest,
        progress: &(dyn Fn(SyncProgressEvent) + Send + Sync),
    ) -> Result<SyncSummary, ApiError> {
        let _lock = SyncLock::acquire(self)?;
        let mut accounts = self.accounts_to_sync(request.account.as_deref()).await?;
        if let Some(window) = request.window {
            for account in &mut accounts {
                self.store
                    .set_account_window(account.id, window.days())
                    .await?;
                account.window_days = window.days();
            }
        }
        progress(SyncProgressEvent::Started {
            accounts: u32::try_from(accounts.len()).unwrap_or(u32::MAX),
        });
        let mut summary = SyncSummary::default();
        // With nothing to sync, no OAuth client needs to be configured.
        if !accounts.is_empty() {
            let google = Google::from_env()?;
            let me = self.store.me_addresses().await?;
            for account in &accounts {
                let result = self
                    .sync_one(&google, secrets, account, &me, progress)
                    .await?;
                summary.mail.add(result.mail);
                summary.calendar.add(result.calendar);
                if let Some(error) = &result.error {
                    summary.errors.push(format!("{}: {error}", result.email));
                }
                summary.accounts.push(result);
            }
            self.queue_rules_pass().await?;
            self.queue_indexing().await?;
        }
        progress(SyncProgressEvent::Stage {
            account: String::new(),
            stage: SyncStageDto::Computing,
            done: 0,
            total: None,
            rate: 0.0,
            eta_seconds: None,
        });
        progress(SyncProgressEvent::Finished {
            summary: summary.clone(),
        });
        Ok(summary)
    }

    async fn sync_one(
        &self,
        google: &Google,
        secrets: &dyn SecretStore,
        account: &Account,
        me: &BTreeSet<Address>,
        progress: &(dyn Fn(SyncProgressEvent) + Send + Sync),
    ) -> Result<AccountSyncSummary, ApiError> {
        let forward = |event: SyncProgress| {
            progress(SyncProgressEvent::Stage {
                account: event.account,
                stage: match event.stage {
                    SyncStage::Listing => SyncStageDto::Listing,
                    SyncStage::FetchingMail => SyncStageDto::FetchingMail,
                    SyncStage::FetchingCalendar => SyncStageDto::FetchingCalendar,
                    SyncStage::Computing => SyncStageDto::Computing,
                },
                done: event.done,
                total: event.total,
                rate: event.per_second,
                eta_seconds: event.eta_seconds,
            });
        };
        // Mail stored from here on is new to the rules, once the first sync is done.
        self.open_rules_cursor(account.id).await?;
        let report =
            kindred_google::sync_account(google, &self.store, secrets, account, me, &forward)
                .await?;
        let (mail, calendar) = split(&report.counts);
        let status = self
            .store
            .account(PROVIDER, &account.email)
            .await?
            .map_or(account.status, |a| a.status);
        Ok(AccountSyncSummary {
            email: report.email,
            mail,
            calendar,
            status: status.to_string(),
            error_class: report.error.as_ref().map(|e| e.class().to_owned()),
            error: report.error.as_ref().map(ToString::to_string),
            skipped: report.skipped,
        })
    }

    /// Signs out of Google: revokes the tokens of `account` (every Google account when
    /// `None`) at Google, deletes them from `secrets`, and marks the account signed out.
    /// Its mail and events stay.
    ///
    /// # Errors
    /// No such account, or the secret store or the store fails.
    pub async fn google_logout(
        &self,
        secrets: &dyn SecretStore,
        account: Option<&str>,
    ) -> Result<Vec<AccountDto>, ApiError> {
        self.end_tokens(secrets, account, AccountStatus::SignedOut)
            .await
    }

    /// The one-time snapshot: syncs `account` (every connected account when `None`),
    /// then revokes and deletes its tokens; the data stays and the account is marked
    /// `snapshot`. An account whose sync failed keeps its tokens so it can be retried.
    ///
    /// # Errors
    /// As [`Kindred::sync`] and [`Kindred::google_logout`].
    pub async fn google_snapshot(
        &self,
        secrets: &dyn SecretStore,
        request: &SyncRequest,
        progress: &(dyn Fn(SyncProgressEvent) + Send + Sync),
    ) -> Result<SyncSummary, ApiError> {
        let mut summary = self.sync(secrets, request, progress).await?;
        for result in &mut summary.accounts {
            if result.error.is_none() {
                self.end_tokens(secrets, Some(&result.email), AccountStatus::Snapshot)
                    .await?;
                result.status = AccountStatus::Snapshot.to_string();
            }
        }
        Ok(summary)
    }

    async fn end_tokens(
        &self,
        secrets: &dyn SecretStore,
        account: Option<&str>,
        status: AccountStatus,
    ) -> Result<Vec<AccountDto>, ApiError> {
        let accounts = match account {
            Some(_) => self.accounts_to_sync(account).await?,
            None => self.store.accounts().await?,
        };
        // Revoking needs only the revocation endpoint, but the same configuration.
        let google = Google::from_env()?;
        let mut ended = Vec::new();
        for account in accounts {
            // An unconfirmed revocation is logged by `revoke`; the tokens are gone either way.
            google.revoke(secrets, &account.email).await?;
            self.store.set_account_status(account.id, status).await?;
            ended.push(self.account_dto(&account.email).await?);
        }
        Ok(ended)
    }
}
