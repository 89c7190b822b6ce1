//! Google accounts and background sync: sign in through the system browser, list and
//! sign out accounts, the one-time snapshot, the sync schedule, and starting at login. Progress and status
//! reach the window as `sync` events (see `state::SYNC_EVENT`), never by polling.

use kindred_api::{AccountDto, ApiError, SyncStatus, SyncSummary};
use tauri::{AppHandle, State};
use tauri_plugin_autostart::ManagerExt as _;

use super::links::open_in_browser;
use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip(state, app), err)]
pub async fn connect_google(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<AccountDto, ApiError> {
    // If no browser opens, the sign-in times out and says so.
    let open = move |url: &str| {
        if let Err(error) = open_in_browser(&app, url) {
            tracing::warn!("the browser for the sign-in did not open: {error}");
        }
    };
    state.background()?.connect_google(open).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn list_accounts(state: State<'_, AppState>) -> Result<Vec<AccountDto>, ApiError> {
    state.engine()?.accounts().await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn sync_now(state: State<'_, AppState>) -> Result<SyncStatus, ApiError> {
    state.background()?.sync_now().await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn get_sync_status(state: State<'_, AppState>) -> Result<SyncStatus, ApiError> {
    state.background()?.status().await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn set_sync_paused(
    state: State<'_, AppState>,
    paused: bool,
) -> Result<SyncStatus, ApiError> {
    state.background()?.set_paused(paused).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn set_sync_interval(
    state: State<'_, AppState>,
    minutes: u32,
) -> Result<SyncStatus, ApiError> {
    state.background()?.set_interval(minutes).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn disconnect_google(
    state: State<'_, AppState>,
    email: String,
) -> Result<Vec<AccountDto>, ApiError> {
    state.background()?.disconnect_google(&email).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn snapshot_google(
    state: State<'_, AppState>,
    email: String,
) -> Result<SyncSummary, ApiError> {
    state.background()?.snapshot_google(&email).await
}

/// Whether Kindred starts at login (in the tray, its window closed).
#[tauri::command]
#[tracing::instrument(skip(app), err)]
pub async fn get_autostart(app: AppHandle) -> Result<bool, ApiError> {
    app.autolaunch()
        .is_enabled()
        .map_err(|error| ApiError::internal("reading the start-at-login setting", &error))
}

/// Makes Kindred start at login (in the tray) or not; returns the setting now in force.
#[tauri::command]
#[tracing::instrument(skip(app), err)]
pub async fn set_autostart(app: AppHandle, enabled: bool) -> Result<bool, ApiError> {
    let launcher = app.autolaunch();
    let changed = if enabled {
        launcher.enable()
    } else {
        launcher.disable()
    };
    changed
        .and_then(|()| launcher.is_enabled())
        .map_err(|error| ApiError::internal("changing the start-at-login setting", &error))
}
