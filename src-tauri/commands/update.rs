//! Updates: look for one (on start, at most once a day, or when the person asks) and
//! install the one the person reviewed, with progress on a channel, then restart into it.

use chrono::Utc;
use kindred_api::{ApiError, UpdateInfo, UpdateProgress};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::state::AppState;
use crate::updater;

/// `scheduled`: the look on start, which asks the server at most once a day (otherwise
/// it answers none without asking); the person's own look always asks.
#[tauri::command]
#[tracing::instrument(skip(app, state), err)]
pub async fn check_for_update(
    app: AppHandle,
    state: State<'_, AppState>,
    scheduled: bool,
) -> Result<Option<UpdateInfo>, ApiError> {
    if scheduled && !updater::scheduled_check_due(state.engine(), Utc::now()).await {
        return Ok(None);
    }
    Ok(updater::find(&app).await?.as_ref().map(updater::describe))
}

/// Installs the update to `version` the person consented to, then restarts Kindred (the
/// last progress event says so before the window goes).
#[tauri::command]
#[tracing::instrument(skip(app, on_progress), err)]
pub async fn install_update(
    app: AppHandle,
    version: String,
    on_progress: Channel<UpdateProgress>,
) -> Result<(), ApiError> {
    updater::install(&app, &version, &super::forward(&on_progress)).await?;
    app.request_restart();
    Ok(())
}
