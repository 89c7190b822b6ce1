//! What can go wrong talking to Google, in terms a caller branches on: sign in again,
//! try later, fix the configuration, or a bug to report.

use kindred_store::secrets::SecretError;
use kindred_store::StoreError;
use thiserror::Error;

/// Why a sign-in, a request or a sync failed. Messages never contain a token.
#[derive(Debug, Error)]
pub enum GoogleError {
    #[error("{0}")]
    Config(String),
    #[error(
        "Google refused the saved sign-in of {email} ({reason}); sign in again with \
         `kindred login google`"
    )]
    ReconnectNeeded { email: String, reason: String },
    #[error("{email} is not signed in (no token in {store}); sign in with `kindred login google`")]
    NotSignedIn { email: String, store: String },
    #[error(
        "the sign-in was not completed within {minutes} minutes; run `kindred login google` \
         again and finish it in the browser"
    )]
    LoginTimeout { minutes: u64 },
    #[error("the sign-in was refused in the browser ({0}); run `kindred login google` to retry")]
    LoginDenied(String),
    #[error("the sign-in could not be completed: {0}")]
    Login(String),
    #[error("the local sign-in listener failed: {0}")]
    Loopback(#[source] std::io::Error),
    #[error("{context}: Google answered {status} {reason}: {message}")]
    Api {
        context: String,
        status: u16,
        reason: String,
        message: String,
    },
    #[error("{context}: Google's quota was still exceeded after {attempts} attempts; try later")]
    Quota { context: String, attempts: u32 },
    #[error("{context}: {message} (after {attempts} attempts); check the network and try later")]
    Network {
        context: String,
        message: String,
        attempts: u32,
    },
    #[error("{context}: Google's answer is not what its API describes: {message}")]
    Malformed { context: String, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Secrets(#[from] SecretError),
}

impl GoogleError {
    /// A short class for the sync audit row and logs: `reconnect_needed`, `quota`,
    /// `network`, `server`, `api`, `config`, `store`, `login`.
    #[must_use]
    pub fn class(&self) -> &'static str {
        match self {
            Self::Config(_) => "config",
            Self::ReconnectNeeded { .. } | Self::NotSignedIn { .. } => "reconnect_needed",
            Self::LoginTimeout { .. }
            | Self::LoginDenied(_)
            | Self::Login(_)
            | Self::Loopback(_) => "login",
            Self::Api { status, .. } if *status >= 500 => "server",
            Self::Api { .. } | Self::Malformed { .. } => "api",
            Self::Quota { .. } => "quota",
            Self::Network { .. } => "network",
            Self::Store(_) | Self::Secrets(_) => "store",
        }
    }

    /// Whether running the same operation later may succeed without the person doing
    /// anything (quota, network, Google's servers, a busy store).
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Quota { .. } | Self::Network { .. } => true,
            Self::Api { status, .. } => *status >= 500 || *status == 429,
            Self::Store(error) => error.is_retryable(),
            _ => false,
        }
    }

    /// Whether Google answered 404 (a message deleted meanwhile, an expired historyId).
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Api { status: 404, .. })
    }

    /// Whether Google answered 410 (an expired Calendar sync token).
    #[must_use]
    pub fn is_gone(&self) -> bool {
        matches!(self, Self::Api { status: 410, .. })
    }
}
