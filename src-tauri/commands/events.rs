//! Events: those from calendars and invitations in mail, their export as one .ics file,
//! an event read out of a message (its invitation, else the language model), and the
//! extraction label whose new mail is read for events.

use std::path::PathBuf;

use kindred_api::{ApiError, EventDto, EventsFilter, ExtractionDto};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn list_events(
    state: State<'_, AppState>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Vec<EventDto>, ApiError> {
    state.engine()?.events(&EventsFilter { from, to }).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn export_events_ics(
    state: State<'_, AppState>,
    from: Option<String>,
    to: Option<String>,
    path: PathBuf,
) -> Result<usize, ApiError> {
    let filter = EventsFilter { from, to };
    state.engine()?.export_events_ics(&filter, &path).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn extract_event(
    state: State<'_, AppState>,
    message_id: i64,
) -> Result<ExtractionDto, ApiError> {
    let secrets = kindred_api::secrets_from_env()?;
    let engine = state.engine()?;
    engine
        .extract_event(secrets.as_ref(), message_id, "person")
        .await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn get_extraction_label(state: State<'_, AppState>) -> Result<Option<String>, ApiError> {
    state.engine()?.extraction_label().await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn set_extraction_label(
    state: State<'_, AppState>,
    label: Option<String>,
) -> Result<Option<String>, ApiError> {
    state.engine()?.set_extraction_label(label.as_deref()).await
}
