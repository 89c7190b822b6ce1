//! LLM usage: the tokens each call to the configured model used, by purpose.

use sqlx::FromRow;

use crate::{Store, StoreError};

/// Tokens used for one purpose with one model.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct UsageTotal {
    pub purpose: String,
    pub model: String,
    pub calls: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
}

impl Store {
    /// Records one call's tokens at `at` (unix milliseconds).
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn record_llm_usage(
        &self,
        at: i64,
        purpose: &str,
        model: &str,
        prompt_tokens: u32,
        completion_tokens: u32,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO llm_usage (at, purpose, model, prompt_tokens, completion_tokens)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(at)
        .bind(purpose)
        .bind(model)
        .bind(prompt_tokens)
        .bind(completion_tokens)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The tokens used since `since` (unix milliseconds), by purpose and model.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn llm_usage_since(&self, since: i64) -> Result<Vec<UsageTotal>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT purpose, model, count(*) AS calls, sum(prompt_tokens) AS prompt_tokens,
                    sum(completion_tokens) AS completion_tokens
             FROM llm_usage WHERE at >= ?1 GROUP BY purpose, model ORDER BY purpose, model",
        )
        .bind(since)
        .fetch_all(self.reader())
        .await?)
    }
}
