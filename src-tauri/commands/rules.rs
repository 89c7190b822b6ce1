//! What Kindred does on the person's behalf, and the record of it: rules (added only
//! here, by the person), the task board, standing instructions for the assistant, and the
//! activity log.

use kindred_api::{
    ActivityEntry, ActivityFilter, ApiError, DryRunReport, InstructionDto, NewTaskRequest, RuleDto,
    TaskDto,
};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn list_rules(state: State<'_, AppState>) -> Result<Vec<RuleDto>, ApiError> {
    state.engine()?.rules().await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn add_rule(state: State<'_, AppState>, text: String) -> Result<RuleDto, ApiError> {
    state.engine()?.add_rule(&text).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn set_rule_enabled(
    state: State<'_, AppState>,
    id: i64,
    enabled: bool,
) -> Result<RuleDto, ApiError> {
    state.engine()?.set_rule_enabled(id, enabled).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn remove_rule(state: State<'_, AppState>, id: i64) -> Result<RuleDto, ApiError> {
    state.engine()?.remove_rule(id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn dry_run_rule(
    state: State<'_, AppState>,
    text: String,
) -> Result<DryRunReport, ApiError> {
    state.engine()?.dry_run_rule(&text).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn list_tasks(
    state: State<'_, AppState>,
    status: Option<String>,
) -> Result<Vec<TaskDto>, ApiError> {
    state.engine()?.tasks(status.as_deref()).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn add_task(
    state: State<'_, AppState>,
    request: NewTaskRequest,
) -> Result<TaskDto, ApiError> {
    state.engine()?.add_task(&request).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn move_task(
    state: State<'_, AppState>,
    id: i64,
    status: String,
) -> Result<TaskDto, ApiError> {
    state.engine()?.move_task(id, &status).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn list_activity(
    state: State<'_, AppState>,
    filter: ActivityFilter,
) -> Result<Vec<ActivityEntry>, ApiError> {
    state.engine()?.activity(&filter).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn list_instructions(
    state: State<'_, AppState>,
) -> Result<Vec<InstructionDto>, ApiError> {
    state.engine()?.instructions().await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn add_instruction(
    state: State<'_, AppState>,
    text: String,
) -> Result<InstructionDto, ApiError> {
    state.engine()?.add_instruction(&text).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn edit_instruction(
    state: State<'_, AppState>,
    id: i64,
    text: String,
) -> Result<InstructionDto, ApiError> {
    state.engine()?.edit_instruction(id, &text).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn confirm_instruction(
    state: State<'_, AppState>,
    id: i64,
) -> Result<InstructionDto, ApiError> {
    state.engine()?.confirm_instruction(id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn remove_instruction(
    state: State<'_, AppState>,
    id: i64,
) -> Result<InstructionDto, ApiError> {
    state.engine()?.remove_instruction(id).await
}
