//! The assistant's conversations as the desktop app shows them: the list, one
//! conversation's questions and answers (with each answer's citations and proposed
//! actions), the stream of an answer's text, and confirming an action an answer proposed
//! — the only way, besides `ask` with `confirm`, that a proposal is ever carried out.

use kindred_store::chat::ChatMessageRow;
use kindred_store::conversations::ChatThreadRow;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::activity::iso_millis;
use crate::{AnswerCitation, ApiError, ErrorCode, Kindred, ProposedActionDto};

/// A conversation in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConversationSummary {
    #[ts(type = "number")]
    pub id: i64,
    /// Its first question.
    pub title: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// When the last answer was added.
    pub updated_at: String,
    /// Questions and answers in it.
    #[ts(type = "number")]
    pub messages: i64,
}

/// A question (`role` `user`) or an answer (`assistant`) of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ConversationMessage {
    #[ts(type = "number")]
    pub id: i64,
    pub role: String,
    pub content: String,
    pub citations: Vec<AnswerCitation>,
    pub proposed_actions: Vec<ProposedActionDto>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// What streams to the UI while an answer is written; the answer itself is the result
/// of the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AskStreamEvent {
    /// The next piece of the answer's text.
    Token { text: String },
}

fn parse<T: for<'de> Deserialize<'de>>(json: &str, what: &str) -> Result<Vec<T>, ApiError> {
    serde_json::from_str(json).map_err(|error| ApiError::internal(what, &error))
}

fn summary(row: ChatThreadRow) -> ConversationSummary {
    ConversationSummary {
        id: row.id,
        title: row.title,
        created_at: iso_millis(row.created_at),
        updated_at: iso_millis(row.updated_at),
        messages: row.messages,
    }
}

fn message(row: ChatMessageRow) -> Result<ConversationMessage, ApiError> {
    Ok(ConversationMessage {
        id: row.id,
        citations: parse(&row.citations, "reading an answer's citations")?,
        proposed_actions: parse(
            &row.proposed_actions,
            "reading an answer's proposed actions",
        )?,
        role: row.role,
        content: row.content,
        created_at: iso_millis(row.created_at),
    })
}

fn to_json(actions: &[ProposedActionDto]) -> Result<String, ApiError> {
    serde_json::to_string(actions)
        .map_err(|error| ApiError::internal("storing the proposed actions", &error))
}

impl Kindred {
    /// Every conversation, the one last added to first.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn conversations(&self) -> Result<Vec<ConversationSummary>, ApiError> {
        Ok(self
            .store
            .chat_threads()
            .await?
            .into_iter()
            .map(summary)
            .collect())
    }

    /// The questions and answers of conversation `id`, oldest first.
    ///
    /// # Errors
    /// No such conversation (`not_found`), or the store cannot be read.
    pub async fn conversation(&self, id: i64) -> Result<Vec<ConversationMessage>, ApiError> {
        if !self.store.chat_thread_exists(id).await? {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("there is no conversation {id}; it may have been deleted"),
            ));
        }
        self.store
            .chat_messages(id)
            .await?
            .into_iter()
            .map(message)
            .collect()
    }

    /// The person confirms action `index` (from 0) proposed by answer `message_id`: it is
    /// made (a task citing the answer's messages, a rule, an instruction), written to the
    /// activity log, and the answer keeps its outcome. Returns the answer's proposed
    /// actions as they now stand.
    ///
    /// # Errors
    /// No such answer (`not_found`), no such action or one already confirmed
    /// (`invalid_input`), or the store cannot be used. An action that could not be made
    /// is not an error: it comes back `failed`, with the reason as its outcome.
    pub async fn confirm_proposed_action(
        &self,
        message_id: i64,
        index: usize,
    ) -> Result<Vec<ProposedActionDto>, ApiError> {
        let answer = self
            .store
            .chat_answer(message_id)
            .await?
            .filter(|answer| answer.role == "assistant")
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NotFound,
                    format!("there is no answer {message_id} in any conversation"),
                )
            })?;
        let mut actions: Vec<ProposedActionDto> = parse(
            &answer.proposed_actions,
            "reading an answer's proposed actions",
        )?;
        let count = actions.len();
        let action = actions.get_mut(index).ok_or_else(|| {
            ApiError::invalid_input(format!(
                "answer {message_id} proposed {count} actions; there is no action {index}"
            ))
        })?;
        if action.status != "proposed" {
            return Err(ApiError::invalid_input(format!(
                "action {index} of answer {message_id} was already confirmed ({}); it is made \
                 only once",
                action.status
            )));
        }
        // Claimed before it is made, so that a second confirmation (a double click, two
        // windows) finds it taken and nothing is made twice.
        action.status = "confirming".to_owned();
        let claimed = to_json(&actions)?;
        if !self
            .store
            .replace_proposed_actions(message_id, &answer.proposed_actions, &claimed)
            .await?
        {
            return Err(ApiError::invalid_input(format!(
                "action {index} of answer {message_id} changed while it was being confirmed; \
                 look at the conversation again"
            )));
        }
        let cited: Vec<i64> =
            parse::<AnswerCitation>(&answer.citations, "reading an answer's citations")?
                .into_iter()
                .filter(|citation| citation.kind == "message")
                .map(|citation| citation.id)
                .collect();
        let action = &mut actions[index];
        self.carry_out(action, &cited).await?;
        self.store
            .replace_proposed_actions(message_id, &claimed, &to_json(&actions)?)
            .await?;
        Ok(actions)
    }
}
