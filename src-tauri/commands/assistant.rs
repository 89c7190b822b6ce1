//! The assistant: ask (the answer's text streams over a channel as it is written), the
//! conversations, confirming an action an answer proposed, relationship stories, the LLM
//! provider's settings (the key goes to the system keyring, and never comes back), and
//! the message viewer that citations open.

use kindred_api::{
    ApiError, AskAnswer, AskRequest, AskStreamEvent, ConversationMessage, ConversationSummary,
    LlmConnection, LlmSettings, LlmSettingsUpdate, MessageView, ProposedActionDto,
    RelationshipStory,
};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

/// Sends the answer's text to the UI as it comes.
fn stream(channel: &Channel<AskStreamEvent>) -> impl FnMut(&str) + Send + '_ {
    let send = super::forward(channel);
    move |text| {
        send(AskStreamEvent::Token {
            text: text.to_owned(),
        });
    }
}

#[tauri::command]
#[tracing::instrument(skip(state, question, on_token), err)]
pub async fn ask(
    state: State<'_, AppState>,
    question: String,
    conversation: Option<i64>,
    on_token: Channel<AskStreamEvent>,
) -> Result<AskAnswer, ApiError> {
    let secrets = kindred_api::secrets_from_env()?;
    let request = AskRequest {
        question,
        conversation,
        confirm: false,
    };
    let engine = state.engine()?;
    engine
        .ask(secrets.as_ref(), &request, &mut stream(&on_token))
        .await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn list_conversations(
    state: State<'_, AppState>,
) -> Result<Vec<ConversationSummary>, ApiError> {
    state.engine()?.conversations().await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn get_conversation(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<ConversationMessage>, ApiError> {
    state.engine()?.conversation(id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn confirm_proposed_action(
    state: State<'_, AppState>,
    message_id: i64,
    index: usize,
) -> Result<Vec<ProposedActionDto>, ApiError> {
    state
        .engine()?
        .confirm_proposed_action(message_id, index)
        .await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn get_story(
    state: State<'_, AppState>,
    person: String,
) -> Result<RelationshipStory, ApiError> {
    let secrets = kindred_api::secrets_from_env()?;
    state.engine()?.story(secrets.as_ref(), &person, true).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn get_llm_settings(state: State<'_, AppState>) -> Result<LlmSettings, ApiError> {
    let secrets = kindred_api::secrets_from_env()?;
    state.engine()?.llm_settings(secrets.as_ref()).await
}

/// `None` leaves a value as it is and an empty text clears it; the key is only written.
#[tauri::command]
#[tracing::instrument(skip(state, api_key), err)]
pub async fn set_llm_settings(
    state: State<'_, AppState>,
    base_url: Option<String>,
    model: Option<String>,
    embeddings_model: Option<String>,
    api_key: Option<String>,
) -> Result<LlmSettings, ApiError> {
    let secrets = kindred_api::secrets_from_env()?;
    let update = LlmSettingsUpdate {
        base_url,
        model,
        embeddings_model,
        api_key,
    };
    state
        .engine()?
        .set_llm_settings(secrets.as_ref(), update)
        .await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn test_llm_connection(state: State<'_, AppState>) -> Result<LlmConnection, ApiError> {
    let secrets = kindred_api::secrets_from_env()?;
    state.engine()?.test_llm_connection(secrets.as_ref()).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err)]
pub async fn open_message(state: State<'_, AppState>, id: i64) -> Result<MessageView, ApiError> {
    state.engine()?.message(id).await
}
