//! Tauri commands: each parses its arguments, calls one `kindred-api` operation and lets
//! its `ApiError` cross IPC as `{code, message}`.

use std::path::PathBuf;

use kindred_api::{ApiError, ImportProgress, ImportRequest, ImportSummary, SearchHit, Stats};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

/// Sends progress to the UI; a closed channel (a reloaded window) only loses the update.
fn forward(channel: &Channel<ImportProgress>) -> impl Fn(ImportProgress) + Send + Sync + '_ {
    move |event| {
        if let Err(error) = channel.send(event) {
            tracing::debug!("progress not delivered: {error}");
        }
    }
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn get_stats(state: State<'_, AppState>) -> Result<Stats, ApiError> {
    state.engine()?.stats().await
}

#[tauri::command]
#[tracing::instrument(skip(state, on_progress), err)]
pub async fn explore_sample(
    state: State<'_, AppState>,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportSummary, ApiError> {
    state
        .engine()?
        .load_sample(None, &forward(&on_progress))
        .await
}

#[tauri::command]
#[tracing::instrument(skip(state, on_progress), err)]
pub async fn import_paths(
    state: State<'_, AppState>,
    paths: Vec<PathBuf>,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportSummary, ApiError> {
    let request = ImportRequest {
        paths,
        me: Vec::new(),
    };
    state
        .engine()?
        .import(request, &forward(&on_progress))
        .await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn search_messages(
    state: State<'_, AppState>,
    query: String,
    limit: u32,
) -> Result<Vec<SearchHit>, ApiError> {
    state.engine()?.search(&query, limit).await
}
