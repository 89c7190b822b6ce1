//! Google sign-in (installed-app OAuth with PKCE over a loopback redirect) and Gmail and
//! Calendar sync into the store: quota-aware, resumable, never duplicated.
//!
//! [`Google`] holds the endpoints (all configurable through the environment), the sync
//! settings and the HTTP client; [`Google::begin_login`] and [`Google::finish_login`]
//! sign a person in, [`sync_account`] runs one pass over one account. Tokens live only
//! in the secret store (the OS keyring).

mod calendar;
mod client;
mod config;
mod error;
mod gmail;
pub mod loopback;
mod oauth;
pub mod quota;
mod sync;

pub use config::{Endpoints, SyncSettings, SCOPES};
pub use error::GoogleError;
pub use oauth::{
    access_token_entry, refresh_token_entry, Google, PendingLogin, SignedIn, LOGIN_TIMEOUT,
};
pub use sync::{sync_account, AccountReport, SyncProgress, SyncStage};

/// The provider name stored with Google accounts.
pub const PROVIDER: &str = "google";
