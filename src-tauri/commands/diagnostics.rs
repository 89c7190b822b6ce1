//! About / diagnostics and "your data": the doctor's checks, the same as a redacted text
//! to copy into a bug report, and an export into a folder the person chose, with
//! progress on a channel.

use std::path::PathBuf;

use kindred_api::{ApiError, DoctorReport, ExportProgress, ExportSummary};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn get_diagnostics(state: State<'_, AppState>) -> Result<DoctorReport, ApiError> {
    let secrets = kindred_api::secrets_from_env()?;
    state.engine()?.doctor(secrets.as_ref()).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn get_diagnostics_report(state: State<'_, AppState>) -> Result<String, ApiError> {
    let secrets = kindred_api::secrets_from_env()?;
    let report = state.engine()?.doctor(secrets.as_ref()).await?;
    Ok(report.redacted_text())
}

#[tauri::command]
#[tracing::instrument(skip(state, on_progress), err)]
pub async fn export_data(
    state: State<'_, AppState>,
    directory: PathBuf,
    on_progress: Channel<ExportProgress>,
) -> Result<ExportSummary, ApiError> {
    state
        .engine()?
        .export(&directory, &super::forward(&on_progress))
        .await
}
