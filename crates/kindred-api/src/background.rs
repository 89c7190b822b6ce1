//! Background sync for a shell that keeps running (the desktop app and its tray): the
//! durable `sync` and `recompute` jobs, the periodic schedule (interval and pause kept in
//! the store's settings, so they survive a restart), and the status a tray and a sync view
//! show.
//!
//! [`Background::start`] owns the job runner and the scheduler task; it keeps the secret
//! store, so callers never pass one. Everything it does is reported through one callback
//! as [`BackgroundEvent`]s: the engine's sync progress as it streams, a fresh
//! [`SyncStatus`] whenever the state changes, and the search index's progress.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Local, Utc};
use kindred_store::accounts::AccountStatus;
use kindred_store::secrets::SecretStore;
use serde::Serialize;
use serde_json::json;
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use ts_rs::TS;

use crate::error::ErrorCode;
use crate::jobs::{JobError, JobHandlers, JobQueue, JobRunner, NewJob, RunnerOptions};
use crate::webhook::WebhookOptions;
use crate::{
    AccountDto, ApiError, IndexProgress, Kindred, SyncProgressEvent, SyncRequest, SyncSummary,
};

/// The job kind of one sync pass over the connected accounts.
pub const SYNC_JOB: &str = "sync";
/// The job kind that brings the stored insights up to date after new evidence.
pub const RECOMPUTE_JOB: &str = "recompute";
/// Minutes between scheduled syncs when the person has not chosen.
pub const DEFAULT_SYNC_INTERVAL_MINUTES: u32 = 10;
/// The longest interval the person may choose: a day.
pub const MAX_SYNC_INTERVAL_MINUTES: u32 = 24 * 60;

const PAUSED_SETTING: &str = "sync_paused";
const INTERVAL_SETTING: &str = "sync_interval_minutes";
/// Every sync job carries this dedupe key, so scheduled ticks and "Sync now" never pile
/// up behind a sync that is queued or running.
const SYNC_DEDUPE_KEY: &str = "sync";
const RECOMPUTE_DEDUPE_KEY: &str = "recompute";

/// The person's sync schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct SyncSettings {
    /// Scheduled syncs are skipped while paused; "Sync now" still runs.
    pub paused: bool,
    pub interval_minutes: u32,
}

/// What background sync is doing, in the order a tray shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    Idle,
    Syncing,
    Paused,
    Error,
    ReconnectNeeded,
}

/// The state of background sync, for the tray and the sync view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SyncStatus {
    pub state: SyncState,
    /// While syncing: how much of the current stage is done, 0–100, when its size is known.
    pub percent: Option<u8>,
    pub paused: bool,
    pub interval_minutes: u32,
    /// When the last sync pass of any account finished; ISO 8601, UTC.
    pub last_sync_at: Option<String>,
    /// Why the last pass failed, or one of its accounts did.
    pub last_error: Option<String>,
    /// Accounts that sync (status `connected`).
    pub connected_accounts: u32,
}

impl SyncStatus {
    /// One line for a tray menu or tooltip, e.g. "Syncing 42 %" or "Idle · last sync
    /// 08:12" (local time).
    #[must_use]
    pub fn describe(&self) -> String {
        let state = match (self.state, self.percent) {
            (SyncState::Syncing, Some(percent)) => format!("Syncing {percent} %"),
            (SyncState::Syncing, None) => "Syncing…".to_owned(),
            (SyncState::Idle, _) => "Idle".to_owned(),
            (SyncState::Paused, _) => "Sync paused".to_owned(),
            (SyncState::Error, _) => "Sync error".to_owned(),
            (SyncState::ReconnectNeeded, _) => "Reconnect needed".to_owned(),
        };
        let last = self
            .last_sync_at
            .as_deref()
            .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
            .map(|at| at.with_timezone(&Local));
        match last {
            Some(at) if at.date_naive() == Local::now().date_naive() => {
                format!("{state} · last sync {}", at.format("%H:%M"))
            }
            Some(at) => format!("{state} · last sync {}", at.format("%b %-d, %H:%M")),
            None if self.connected_accounts == 0 => format!("{state} · no account connected"),
            None => format!("{state} · not synced yet"),
        }
    }
}

/// What background sync reports.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BackgroundEvent {
    /// Progress of the sync pass that is running.
    Progress { event: SyncProgressEvent },
    /// The status changed.
    Status { status: SyncStatus },
    /// Progress of the search index's background work (the `retrieval.index` job).
    Indexing { progress: IndexProgress },
}

impl Kindred {
    /// The sync schedule: interval (default 10 minutes) and whether it is paused.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn sync_settings(&self) -> Result<SyncSettings, ApiError> {
        let paused = self.store.setting(PAUSED_SETTING).await?;
        let interval = self.store.setting(INTERVAL_SETTING).await?;
        Ok(SyncSettings {
            paused: paused.as_deref() == Some("true"),
            interval_minutes: interval
                .and_then(|minutes| minutes.parse().ok())
                .filter(|minutes| (1..=MAX_SYNC_INTERVAL_MINUTES).contains(minutes))
                .unwrap_or(DEFAULT_SYNC_INTERVAL_MINUTES),
        })
    }

    /// Pauses or resumes scheduled syncs.
    ///
    /// # Errors
    /// The store refused the write.
    pub async fn set_sync_paused(&self, paused: bool) -> Result<SyncSettings, ApiError> {
        self.store
            .set_setting(PAUSED_SETTING, if paused { "true" } else { "false" })
            .await?;
        self.sync_settings().await
    }

    /// Sets the minutes between scheduled syncs.
    ///
    /// # Errors
    /// `minutes` is not between 1 and 1440 (a day), or the store refused the write.
    pub async fn set_sync_interval(&self, minutes: u32) -> Result<SyncSettings, ApiError> {
        if !(1..=MAX_SYNC_INTERVAL_MINUTES).contains(&minutes) {
            return Err(ApiError::invalid_input(format!(
                "a sync interval of {minutes} minutes is out of range; choose 1 to \
                 {MAX_SYNC_INTERVAL_MINUTES} minutes"
            )));
        }
        self.store
            .set_setting(INTERVAL_SETTING, &minutes.to_string())
            .await?;
        self.sync_settings().await
    }
}

type EventCallback = Arc<dyn Fn(BackgroundEvent) + Send + Sync>;

/// What only the running process knows: whether a pass is running and how far it is.
#[derive(Debug, Default)]
struct Live {
    running: bool,
    percent: Option<u8>,
    last_error: Option<String>,
    /// The status last reported.
    published: Option<SyncStatus>,
}

/// The state shared by the job handlers, the scheduler and the shell's calls.
struct Shared {
    kindred: Arc<Kindred>,
    secrets: Box<dyn SecretStore>,
    live: Mutex<Live>,
    on_event: EventCallback,
    /// Wakes the scheduler when the interval or pause changes.
    schedule_changed: Notify,
}

impl Shared {
    fn live(&self) -> MutexGuard<'_, Live> {
        // A panic while holding the lock left only display figures behind: keep going.
        self.live.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn status(&self) -> Result<SyncStatus, ApiError> {
        let settings = self.kindred.sync_settings().await?;
        let accounts = self.kindred.accounts().await?;
        let live = {
            let live = self.live();
            (live.running, live.percent, live.last_error.clone())
        };
        Ok(status_of(&settings, &accounts, live))
    }

    async fn publish_status(&self) {
        match self.status().await {
            Ok(status) => {
                self.live().published = Some(status.clone());
                (self.on_event)(BackgroundEvent::Status { status });
            }
            Err(error) => tracing::warn!("the sync status could not be read: {error}"),
        }
    }

    /// Runs one sync or snapshot pass, keeping the live state and forwarding progress,
    /// then queues a recompute of the insights.
    async fn pass<'a, F, Fut>(&'a self, run: F) -> Result<SyncSummary, ApiError>
    where
        F: FnOnce(
            &'a Kindred,
            &'a dyn SecretStore,
            Box<dyn Fn(SyncProgressEvent) + Send + Sync + 'a>,
        ) -> Fut,
        Fut: std::future::Future<Output = Result<SyncSummary, ApiError>> + 'a,
    {
        {
            let mut live = self.live();
            live.running = true;
            live.percent = None;
        }
        self.publish_status().await;
        let progress = Box::new(move |event: SyncProgressEvent| {
            if let SyncProgressEvent::Stage { done, total, .. } = &event {
                let percent = total.filter(|&total| total > 0).map(|total| {
                    u8::try_from((done.saturating_mul(100) / total).min(100)).unwrap_or(100)
                });
                let changed = {
                    let mut live = self.live();
                    std::mem::replace(&mut live.percent, percent) != percent
                };
                if changed {
                    self.publish_percent();
                }
            }
            (self.on_event)(BackgroundEvent::Progress { event });
        });
        let result = run(&self.kindred, self.secrets.as_ref(), progress).await;
        {
            let mut live = self.live();
            live.running = false;
            live.percent = None;
            live.last_error = match &result {
                Ok(summary) => summary.errors.first().cloned(),
                Err(error) => Some(error.message.clone()),
            };
        }
        if result.is_ok() {
            let recompute = NewJob {
                dedupe_key: Some(RECOMPUTE_DEDUPE_KEY.to_owned()),
                ..NewJob::new(RECOMPUTE_JOB, json!({}))
            };
            // The worker that ran this pass claims the recompute as soon as it returns.
            if let Err(error) = self.kindred.store.enqueue_job(&recompute, Utc::now()).await {
                tracing::warn!("the recompute after a sync could not be queued: {error}");
            }
        }
        self.publish_status().await;
        result
    }

    /// A status event for a new percentage: the last status published, with the new
    /// figure, so the store is not read on every progress event.
    fn publish_percent(&self) {
        let status = {
            let live = self.live();
            live.published.clone().map(|status| SyncStatus {
                state: SyncState::Syncing,
                percent: live.percent,
                ..status
            })
        };
        if let Some(status) = status {
            (self.on_event)(BackgroundEvent::Status { status });
        }
    }
}

/// The status from the schedule, the accounts and the live state.
fn status_of(
    settings: &SyncSettings,
    accounts: &[AccountDto],
    (running, percent, live_error): (bool, Option<u8>, Option<String>),
) -> SyncStatus {
    let connected = accounts
        .iter()
        .filter(|account| account.status == AccountStatus::Connected.as_str())
        .count();
    let reconnect = accounts
        .iter()
        .any(|account| account.status == AccountStatus::ReconnectNeeded.as_str());
    let last_sync_at = accounts
        .iter()
        .filter_map(|account| account.last_sync.as_ref()?.finished_at.clone())
        .max();
    let last_error = live_error.or_else(|| {
        accounts
            .iter()
            .filter(|account| account.status == AccountStatus::Connected.as_str())
            .find_map(|account| account.last_sync.as_ref()?.error.clone())
    });
    let state = if running {
        SyncState::Syncing
    } else if reconnect {
        SyncState::ReconnectNeeded
    } else if settings.paused {
        SyncState::Paused
    } else if last_error.is_some() {
        SyncState::Error
    } else {
        SyncState::Idle
    };
    SyncStatus {
        state,
        percent: if running { percent } else { None },
        paused: settings.paused,
        interval_minutes: settings.interval_minutes,
        last_sync_at,
        last_error,
        connected_accounts: u32::try_from(connected).unwrap_or(u32::MAX),
    }
}

fn job_error(error: &ApiError) -> JobError {
    match error.code {
        ErrorCode::Io | ErrorCode::StoreUnavailable => JobError::retryable(error.message.clone()),
        _ => JobError::permanent(error.message.clone()),
    }
}

/// Background sync: the job runner with the `sync` and `recompute` handlers, and the
/// scheduler that queues a sync every interval while not paused.
pub struct Background {
    shared: Arc<Shared>,
    /// Taken by [`Background::shutdown`], which needs to own it.
    runner: tokio::sync::Mutex<Option<JobRunner>>,
    queue: JobQueue,
    stop: CancellationToken,
    tasks: TaskTracker,
}

impl std::fmt::Debug for Background {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Background").finish_non_exhaustive()
    }
}

impl Background {
    /// Starts the job workers and the scheduler over `kindred`, with `secrets` for the
    /// Google tokens, reporting to `on_event` (called on runtime tasks: keep it quick).
    /// Must be called within a tokio runtime. The first scheduled sync is queued at once
    /// when an account is connected and sync is not paused.
    #[must_use]
    pub fn start(
        kindred: Arc<Kindred>,
        secrets: Box<dyn SecretStore>,
        on_event: impl Fn(BackgroundEvent) + Send + Sync + 'static,
    ) -> Self {
        let shared = Arc::new(Shared {
            kindred,
            secrets,
            live: Mutex::new(Live::default()),
            on_event: Arc::new(on_event),
            schedule_changed: Notify::new(),
        });
        let on_sync = Arc::clone(&shared);
        let on_recompute = Arc::clone(&shared.kindred);
        let handlers = JobHandlers::new()
            .register(SYNC_JOB, move |_context| {
                let shared = Arc::clone(&on_sync);
                async move {
                    shared
                        .pass(|kindred, secrets, progress| async move {
                            kindred
                                .sync(secrets, &SyncRequest::default(), &*progress)
                                .await
                        })
                        .await
                        .map(drop)
                        .map_err(|error| job_error(&error))
                }
            })
            .register(RECOMPUTE_JOB, move |_context| {
                let kindred = Arc::clone(&on_recompute);
                async move {
                    let summary = kindred.recompute().await.map_err(|e| job_error(&e))?;
                    tracing::info!(
                        "insights recomputed in {} ms ({} people)",
                        summary.milliseconds,
                        summary.people
                    );
                    Ok(())
                }
            });
        let handlers =
            crate::rules::register_rule_jobs(handlers, &shared.kindred, WebhookOptions::default());
        let handlers = crate::retention::register_retention_job(handlers, &shared.kindred);
        let on_index = Arc::clone(&shared.on_event);
        let handlers = crate::retrieval::register_index_job(
            handlers,
            &shared,
            |shared| (&*shared.kindred, shared.secrets.as_ref()),
            move |progress| on_index(BackgroundEvent::Indexing { progress }),
        );
        let handlers = crate::events::register_event_jobs(handlers, &shared, |shared| {
            (&*shared.kindred, shared.secrets.as_ref())
        });
        let runner = JobRunner::start(
            shared.kindred.store.clone(),
            handlers,
            &RunnerOptions::default(),
            |event| tracing::debug!("{event:?}"),
        );
        let stop = CancellationToken::new();
        let tasks = TaskTracker::new();
        let queue = runner.queue();
        tasks.spawn(schedule(Arc::clone(&shared), queue.clone(), stop.clone()));
        let retention_queue = queue.clone();
        tasks.spawn(async move {
            if let Err(error) =
                crate::retention::schedule_retention(&retention_queue, chrono::Utc::now()).await
            {
                tracing::warn!("the daily retention pass could not be queued: {error}");
            }
        });
        tasks.close();
        Self {
            shared,
            runner: tokio::sync::Mutex::new(Some(runner)),
            queue,
            stop,
            tasks,
        }
    }

    /// The engine this runs over.
    #[must_use]
    pub fn kindred(&self) -> &Kindred {
        &self.shared.kindred
    }

    /// Signs in to Google (see [`Kindred::google_login`]) and queues the new account's
    /// first sync.
    ///
    /// # Errors
    /// As [`Kindred::google_login`], or the sync cannot be queued.
    pub async fn connect_google(
        &self,
        open_browser: impl Fn(&str) + Send + Sync + 'static,
    ) -> Result<AccountDto, ApiError> {
        let account = self
            .shared
            .kindred
            .google_login(self.shared.secrets.as_ref(), None, &open_browser)
            .await?;
        self.sync_now().await?;
        Ok(account)
    }

    /// Signs `email` out of Google: revokes and deletes its tokens; the data stays.
    ///
    /// # Errors
    /// As [`Kindred::google_logout`].
    pub async fn disconnect_google(&self, email: &str) -> Result<Vec<AccountDto>, ApiError> {
        let ended = self
            .shared
            .kindred
            .google_logout(self.shared.secrets.as_ref(), Some(email))
            .await?;
        self.shared.publish_status().await;
        Ok(ended)
    }

    /// The one-time snapshot of `email` (see [`Kindred::google_snapshot`]), with its
    /// progress reported like a sync's.
    ///
    /// # Errors
    /// As [`Kindred::google_snapshot`].
    pub async fn snapshot_google(&self, email: &str) -> Result<SyncSummary, ApiError> {
        let request = SyncRequest {
            window: None,
            account: Some(email.to_owned()),
        };
        self.shared
            .pass(|kindred, secrets, progress| async move {
                kindred.google_snapshot(secrets, &request, &*progress).await
            })
            .await
    }

    /// Queues a sync pass now (unless one is queued or running already).
    ///
    /// # Errors
    /// The store refused the write.
    pub async fn sync_now(&self) -> Result<SyncStatus, ApiError> {
        self.queue.enqueue(&sync_job()).await?;
        self.status().await
    }

    /// What background sync is doing.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn status(&self) -> Result<SyncStatus, ApiError> {
        self.shared.status().await
    }

    /// Pauses or resumes scheduled syncs; survives a restart.
    ///
    /// # Errors
    /// The store refused the write.
    pub async fn set_paused(&self, paused: bool) -> Result<SyncStatus, ApiError> {
        self.shared.kindred.set_sync_paused(paused).await?;
        self.schedule_changed().await
    }

    /// Pauses scheduled syncs if they run, resumes them if paused.
    ///
    /// # Errors
    /// The store cannot be read or written.
    pub async fn toggle_paused(&self) -> Result<SyncStatus, ApiError> {
        let paused = self.shared.kindred.sync_settings().await?.paused;
        self.set_paused(!paused).await
    }

    /// Sets the minutes between scheduled syncs.
    ///
    /// # Errors
    /// As [`Kindred::set_sync_interval`].
    pub async fn set_interval(&self, minutes: u32) -> Result<SyncStatus, ApiError> {
        self.shared.kindred.set_sync_interval(minutes).await?;
        self.schedule_changed().await
    }

    async fn schedule_changed(&self) -> Result<SyncStatus, ApiError> {
        self.shared.schedule_changed.notify_one();
        let status = self.status().await?;
        (self.shared.on_event)(BackgroundEvent::Status {
            status: status.clone(),
        });
        Ok(status)
    }

    /// "Delete all my data" while the app runs: stops the scheduler and the job runner
    /// (as [`Background::shutdown`]), so no job writes again, then deletes everything as
    /// [`Kindred::delete_all`] does, with the secret store kept here. The engine is closed
    /// afterwards.
    ///
    /// # Errors
    /// As [`Kindred::delete_all`]; background sync stays stopped.
    pub async fn delete_all(&self) -> Result<crate::ErasureSummary, ApiError> {
        self.shutdown().await;
        self.shared
            .kindred
            .delete_all(self.shared.secrets.as_ref())
            .await
    }

    /// Stops the scheduler and the job runner: running jobs finish within the runner's
    /// grace period or release their leases, so the next start picks them up. Calling it
    /// again does nothing.
    pub async fn shutdown(&self) {
        self.stop.cancel();
        self.tasks.wait().await;
        let runner = self.runner.lock().await.take();
        if let Some(runner) = runner {
            runner.shutdown().await;
        }
    }
}

fn sync_job() -> NewJob {
    NewJob {
        dedupe_key: Some(SYNC_DEDUPE_KEY.to_owned()),
        ..NewJob::new(SYNC_JOB, json!({}))
    }
}

/// Queues a sync every interval while an account is connected and sync is not paused;
/// re-reads the schedule when it changes. Publishes the status once at start.
async fn schedule(shared: Arc<Shared>, queue: JobQueue, stop: CancellationToken) {
    shared.publish_status().await;
    let mut last: Option<Instant> = None;
    loop {
        let settings = match shared.kindred.sync_settings().await {
            Ok(settings) => settings,
            Err(error) => {
                tracing::warn!("the sync schedule could not be read: {error}");
                SyncSettings {
                    paused: false,
                    interval_minutes: DEFAULT_SYNC_INTERVAL_MINUTES,
                }
            }
        };
        let interval = Duration::from_secs(u64::from(settings.interval_minutes) * 60);
        let due = last.map_or_else(Instant::now, |at| at + interval);
        if Instant::now() >= due {
            last = Some(Instant::now());
            if !settings.paused && has_connected_account(&shared.kindred).await {
                match queue.enqueue(&sync_job()).await {
                    Ok(_) => tracing::debug!("scheduled sync queued"),
                    Err(error) => tracing::warn!("the scheduled sync could not be queued: {error}"),
                }
            }
            continue;
        }
        tokio::select! {
            () = stop.cancelled() => break,
            () = tokio::time::sleep_until(due) => {}
            () = shared.schedule_changed.notified() => {}
        }
    }
}

async fn has_connected_account(kindred: &Kindred) -> bool {
    kindred.accounts().await.is_ok_and(|accounts| {
        accounts
            .iter()
            .any(|account| account.status == AccountStatus::Connected.as_str())
    })
}
