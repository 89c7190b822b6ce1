//! Standing instructions for the assistant ("always answer in French"): written by the
//! person, or proposed by the assistant and in force only once the person confirms them.

use crate::{Store, StoreError};

/// A stored instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstructionRow {
    pub id: i64,
    pub text: String,
    /// `active` (in force) or `proposed` (waiting for the person).
    pub status: String,
    /// `person` or `assistant`.
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

type RawInstruction = (i64, String, String, String, i64, i64);

const COLUMNS: &str = "id, text, status, created_by, created_at, updated_at";

fn row((id, text, status, created_by, created_at, updated_at): RawInstruction) -> InstructionRow {
    InstructionRow {
        id,
        text,
        status,
        created_by,
        created_at,
        updated_at,
    }
}

impl Store {
    /// Every instruction, oldest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn instructions(&self) -> Result<Vec<InstructionRow>, StoreError> {
        let rows: Vec<RawInstruction> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM instructions ORDER BY id"))
                .fetch_all(self.reader())
                .await?;
        Ok(rows.into_iter().map(row).collect())
    }

    /// Stores an instruction with `status` (`active`, `proposed`) by `created_by`
    /// (`person`, `assistant`).
    ///
    /// # Errors
    /// The database refused the write (an empty text, an unknown status).
    pub async fn insert_instruction(
        &self,
        text: &str,
        status: &str,
        created_by: &str,
        now: i64,
    ) -> Result<InstructionRow, StoreError> {
        let raw: RawInstruction = sqlx::query_as(&format!(
            "INSERT INTO instructions (text, status, created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4) RETURNING {COLUMNS}"
        ))
        .bind(text)
        .bind(status)
        .bind(created_by)
        .bind(now)
        .fetch_one(self.writer())
        .await?;
        Ok(row(raw))
    }

    /// Changes the text of instruction `id`, or (with `text` `None`) puts a proposed one
    /// in force; returns it if it exists.
    ///
    /// # Errors
    /// The database refused the write (an empty text).
    pub async fn update_instruction(
        &self,
        id: i64,
        text: Option<&str>,
        now: i64,
    ) -> Result<Option<InstructionRow>, StoreError> {
        let raw: Option<RawInstruction> = sqlx::query_as(&format!(
            "UPDATE instructions SET text = coalesce(?2, text),
               status = CASE WHEN ?2 IS NULL THEN 'active' ELSE status END, updated_at = ?3
             WHERE id = ?1 RETURNING {COLUMNS}"
        ))
        .bind(id)
        .bind(text)
        .bind(now)
        .fetch_optional(self.writer())
        .await?;
        Ok(raw.map(row))
    }

    /// Deletes instruction `id`; returns it if it existed.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn delete_instruction(&self, id: i64) -> Result<Option<InstructionRow>, StoreError> {
        let raw: Option<RawInstruction> = sqlx::query_as(&format!(
            "DELETE FROM instructions WHERE id = ?1 RETURNING {COLUMNS}"
        ))
        .bind(id)
        .fetch_optional(self.writer())
        .await?;
        Ok(raw.map(row))
    }
}
