//! Settings that are not about accounts or sync: how long evidence is kept, and "Delete
//! all my data", which stops background work, erases everything and then lets the person
//! close the app (the engine is gone; nothing of the old data stays reachable).

use kindred_api::{ApiError, ErasureSummary};
use tauri::{AppHandle, State};

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn get_retention_days(state: State<'_, AppState>) -> Result<Option<u32>, ApiError> {
    state.engine()?.evidence_retention_days().await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn set_retention_days(
    state: State<'_, AppState>,
    days: Option<u32>,
) -> Result<(), ApiError> {
    state.engine()?.set_evidence_retention_days(days).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn delete_all_data(state: State<'_, AppState>) -> Result<ErasureSummary, ApiError> {
    state.background()?.delete_all().await
}

/// Ends the app: offered once everything is deleted, as its engine is gone.
#[tauri::command]
#[tracing::instrument(skip(app))]
pub async fn quit_app(app: AppHandle) {
    app.exit(0);
}
