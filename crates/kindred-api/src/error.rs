//! The one error type that crosses into shells: a code the UI branches on and a message
//! for the person, saying what went wrong and what to do.

use kindred_store::secrets::SecretError;
use kindred_store::StoreError;
use serde::Serialize;
use ts_rs::TS;

/// What the UI branches on. Add codes only when a shell needs to tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidInput,
    NotFound,
    /// The store exists but cannot be decrypted with the key at hand.
    WrongKey,
    /// The store cannot be opened: no keyring, a missing key, a newer schema.
    StoreUnavailable,
    /// A link that Kindred does not open: not a web, mail or phone address.
    InvalidLink,
    Io,
    Internal,
}

/// An error as shells see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    #[must_use]
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    #[must_use]
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    #[must_use]
    pub fn internal(context: &str, error: &dyn std::fmt::Display) -> Self {
        Self::new(ErrorCode::Internal, format!("{context}: {error}"))
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        let code = match &error {
            StoreError::WrongKeyOrCorrupt { .. } => ErrorCode::WrongKey,
            StoreError::MissingKey { .. }
            | StoreError::Unencrypted { .. }
            | StoreError::NewerSchema { .. }
            | StoreError::Secrets(_) => ErrorCode::StoreUnavailable,
            StoreError::DataDir { .. } => ErrorCode::Io,
            StoreError::Database(_) | StoreError::Migration(_) => ErrorCode::Internal,
        };
        Self::new(code, error.to_string())
    }
}

impl From<SecretError> for ApiError {
    fn from(error: SecretError) -> Self {
        StoreError::from(error).into()
    }
}
