//! Standing instructions for the assistant, as shells see them: the person adds, edits
//! and removes them; the assistant may only propose one, which is in force once the
//! person confirms it. The assistant's system prompt includes those in force. Each change
//! is written to the activity log.

use chrono::Utc;
use kindred_store::activity::{NewActivity, Outcome};
use kindred_store::instructions::InstructionRow;
use serde::Serialize;
use ts_rs::TS;

use crate::activity::iso_millis;
use crate::{ApiError, ErrorCode, Kindred};

/// A standing instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct InstructionDto {
    #[ts(type = "number")]
    pub id: i64,
    pub text: String,
    /// `active` (in force) or `proposed` (waiting for the person to confirm it).
    pub status: String,
    /// `person` or `assistant`.
    pub created_by: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
}

impl Kindred {
    /// Every instruction, oldest first.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn instructions(&self) -> Result<Vec<InstructionDto>, ApiError> {
        Ok(self
            .store
            .instructions()
            .await?
            .into_iter()
            .map(instruction_dto)
            .collect())
    }

    /// Adds an instruction of the person's, in force at once.
    ///
    /// # Errors
    /// An empty text; the store refused the write.
    pub async fn add_instruction(&self, text: &str) -> Result<InstructionDto, ApiError> {
        let row = self
            .store
            .insert_instruction(checked(text)?, "active", "person", now())
            .await?;
        self.log_instruction(&row, "instruction.added", "person")
            .await?;
        Ok(instruction_dto(row))
    }

    /// Records an instruction the assistant proposes; it is not in force until the person
    /// confirms it with [`Kindred::confirm_instruction`].
    ///
    /// # Errors
    /// An empty text; the store refused the write.
    pub async fn propose_instruction(&self, text: &str) -> Result<InstructionDto, ApiError> {
        let row = self
            .store
            .insert_instruction(checked(text)?, "proposed", "assistant", now())
            .await?;
        self.log_instruction(&row, "instruction.proposed", "assistant")
            .await?;
        Ok(instruction_dto(row))
    }

    /// Puts a proposed instruction in force (the person's confirmation).
    ///
    /// # Errors
    /// No instruction has that id; the store refused the write.
    pub async fn confirm_instruction(&self, id: i64) -> Result<InstructionDto, ApiError> {
        let row = self
            .store
            .update_instruction(id, None, now())
            .await?
            .ok_or_else(|| no_instruction(id))?;
        self.log_instruction(&row, "instruction.confirmed", "person")
            .await?;
        Ok(instruction_dto(row))
    }

    /// Replaces the text of instruction `id`.
    ///
    /// # Errors
    /// An empty text or no instruction with that id; the store refused the write.
    pub async fn edit_instruction(&self, id: i64, text: &str) -> Result<InstructionDto, ApiError> {
        let row = self
            .store
            .update_instruction(id, Some(checked(text)?), now())
            .await?
            .ok_or_else(|| no_instruction(id))?;
        self.log_instruction(&row, "instruction.edited", "person")
            .await?;
        Ok(instruction_dto(row))
    }

    /// Removes instruction `id`; returns it.
    ///
    /// # Errors
    /// No instruction has that id; the store refused the write.
    pub async fn remove_instruction(&self, id: i64) -> Result<InstructionDto, ApiError> {
        let row = self
            .store
            .delete_instruction(id)
            .await?
            .ok_or_else(|| no_instruction(id))?;
        self.log_instruction(&row, "instruction.removed", "person")
            .await?;
        Ok(instruction_dto(row))
    }

    async fn log_instruction(
        &self,
        row: &InstructionRow,
        kind: &str,
        actor: &str,
    ) -> Result<(), ApiError> {
        let subject = format!("instruction {}", row.id);
        self.store
            .append_activity(
                &NewActivity {
                    actor,
                    kind,
                    subject: &subject,
                    outcome: Outcome::Ok,
                    detail: &row.text,
                },
                now(),
            )
            .await?;
        Ok(())
    }
}

fn now() -> i64 {
    Utc::now().timestamp_millis()
}

fn checked(text: &str) -> Result<&str, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::invalid_input(
            "an instruction needs some text, like \"always answer in French\"",
        ));
    }
    Ok(text)
}

fn no_instruction(id: i64) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("no instruction has id {id}; `kindred instructions list` shows them"),
    )
}

fn instruction_dto(row: InstructionRow) -> InstructionDto {
    InstructionDto {
        id: row.id,
        text: row.text,
        status: row.status,
        created_by: row.created_by,
        created_at: iso_millis(row.created_at),
        updated_at: iso_millis(row.updated_at),
    }
}
