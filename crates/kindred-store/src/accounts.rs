//! Connected accounts: who is signed in to which provider, whether they still can sync,
//! and the window their initial sync covers. Tokens are not here — only in the keyring.

use std::fmt;
use std::str::FromStr;

use chrono::Utc;

use crate::{Store, StoreError};

/// Whether an account syncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    /// Tokens in the keyring; syncs.
    Connected,
    /// The provider refused the refresh token (`invalid_grant`): the person must sign in again.
    ReconnectNeeded,
    /// Synced once, then its tokens were revoked and deleted; the data stays.
    Snapshot,
    /// Signed out: tokens revoked and deleted; the data stays.
    SignedOut,
}

impl AccountStatus {
    /// The stored representation.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connected => "connected",
            Self::ReconnectNeeded => "reconnect_needed",
            Self::Snapshot => "snapshot",
            Self::SignedOut => "signed_out",
        }
    }
}

impl fmt::Display for AccountStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AccountStatus {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "connected" => Ok(Self::Connected),
            "reconnect_needed" => Ok(Self::ReconnectNeeded),
            "snapshot" => Ok(Self::Snapshot),
            "signed_out" => Ok(Self::SignedOut),
            other => Err(format!("unknown account status {other:?}")),
        }
    }
}

/// A stored account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    /// `google`.
    pub provider: String,
    pub email: String,
    pub status: AccountStatus,
    /// The initial sync's window in days; `None` means everything.
    pub window_days: Option<u32>,
    /// Unix milliseconds.
    pub created_at: i64,
}

type AccountRow = (i64, String, String, String, Option<i64>, i64);

fn account(row: AccountRow) -> Account {
    let (id, provider, email, status, window_days, created_at) = row;
    Account {
        id,
        provider,
        email,
        // The CHECK constraint admits only known values.
        status: status.parse().unwrap_or(AccountStatus::SignedOut),
        window_days: window_days.and_then(|d| u32::try_from(d).ok()),
        created_at,
    }
}

const COLUMNS: &str = "id, provider, email, status, window_days, created_at";

impl Store {
    /// Records a sign-in of `email` at `provider`: creates the account with `window_days`
    /// or marks an existing one connected again (keeping its window and sync state).
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn connect_account(
        &self,
        provider: &str,
        email: &str,
        window_days: Option<u32>,
    ) -> Result<Account, StoreError> {
        let row: AccountRow = sqlx::query_as(&format!(
            "INSERT INTO accounts (provider, email, status, window_days, created_at)
             VALUES (?1, ?2, 'connected', ?3, ?4)
             ON CONFLICT (provider, email) DO UPDATE SET status = 'connected'
             RETURNING {COLUMNS}"
        ))
        .bind(provider)
        .bind(email)
        .bind(window_days.map(i64::from))
        .bind(Utc::now().timestamp_millis())
        .fetch_one(self.writer())
        .await?;
        Ok(account(row))
    }

    /// Every account, oldest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let rows: Vec<AccountRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM accounts ORDER BY id"))
                .fetch_all(self.reader())
                .await?;
        Ok(rows.into_iter().map(account).collect())
    }

    /// The account of `email` at `provider`, if any.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn account(
        &self,
        provider: &str,
        email: &str,
    ) -> Result<Option<Account>, StoreError> {
        let row: Option<AccountRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM accounts WHERE provider = ?1 AND email = ?2"
        ))
        .bind(provider)
        .bind(email)
        .fetch_optional(self.reader())
        .await?;
        Ok(row.map(account))
    }

    /// Sets the status of account `id`.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn set_account_status(
        &self,
        id: i64,
        status: AccountStatus,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE accounts SET status = ?2 WHERE id = ?1")
            .bind(id)
            .bind(status.as_str())
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Sets the initial-sync window of account `id` (`None`: everything). A source whose
    /// initial sync has not started yet uses it; one already synced keeps its window.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn set_account_window(
        &self,
        id: i64,
        window_days: Option<u32>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE accounts SET window_days = ?2 WHERE id = ?1")
            .bind(id)
            .bind(window_days.map(i64::from))
            .execute(self.writer())
            .await?;
        Ok(())
    }
}
