//! Settings: small named values the person or the app chose, as text.

use crate::{Store, StoreError};

impl Store {
    /// The value of setting `key`, if set.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = ?1")
                .bind(key)
                .fetch_optional(self.reader())
                .await?,
        )
    }

    /// Sets `key` to `value`.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        write_setting(self.writer(), key, value).await
    }
}

/// Sets `key` to `value` through `executor`, so a larger transaction can include it.
pub(crate) async fn write_setting<'e>(
    executor: impl sqlx::SqliteExecutor<'e>,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(executor)
    .await?;
    Ok(())
}
