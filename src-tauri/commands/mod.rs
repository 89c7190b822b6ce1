//! Tauri commands: each parses its arguments, calls one `kindred-api` operation and lets
//! its `ApiError` cross IPC as `{code, message}`.

use std::path::PathBuf;

use kindred_api::{
    ApiError, ImportProgress, ImportRequest, ImportSummary, OrganizationSummary, RelationshipGraph,
    SearchHit, Stats, WrappedReport, WrappedWindow,
};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

mod assistant;
mod diagnostics;
mod events;
mod links;
mod people;
mod rules;
mod settings;
mod sync;
mod update;
mod window;
// Globs, so the hidden items `#[tauri::command]` generates come along.
pub use assistant::*;
pub use diagnostics::*;
pub use events::*;
pub use links::*;
pub use people::*;
pub use rules::*;
pub use settings::*;
pub use sync::*;
pub use update::*;
pub use window::*;

/// Sends progress or streamed text to the UI; a closed channel (a reloaded window) only
/// loses the event.
fn forward<T: tauri::ipc::IpcResponse + Send + Sync>(
    channel: &Channel<T>,
) -> impl Fn(T) + Send + Sync + '_ {
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

/// The window of a Wrapped as the UI asks for it: the last N days, or a calendar year.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WrappedWindowArg {
    LastDays { days: u32 },
    Year { year: i32 },
}

impl From<WrappedWindowArg> for WrappedWindow {
    fn from(window: WrappedWindowArg) -> Self {
        match window {
            WrappedWindowArg::LastDays { days } => Self::LastDays(days),
            WrappedWindowArg::Year { year } => Self::Year(year),
        }
    }
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn list_organizations(
    state: State<'_, AppState>,
    limit: usize,
) -> Result<Vec<OrganizationSummary>, ApiError> {
    state.engine()?.organizations(limit).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn get_wrapped(
    state: State<'_, AppState>,
    window: WrappedWindowArg,
) -> Result<WrappedReport, ApiError> {
    state.engine()?.wrapped(window.into()).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn get_graph(
    state: State<'_, AppState>,
    max_nodes: usize,
) -> Result<RelationshipGraph, ApiError> {
    state.engine()?.graph_for_display(max_nodes).await
}
