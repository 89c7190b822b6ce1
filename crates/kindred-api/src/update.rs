//! Updates as the shells show them: what an update offers, the progress of installing it,
//! and when the app last looked for one, so that it looks on start at most once a day.
//! Finding, downloading and verifying an update is the desktop shell's (its updater
//! plugin checks the signature); the engine only keeps the date.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::{ApiError, Kindred};

/// The setting holding when the app last looked for an update on its own (RFC 3339).
const LAST_CHECK_SETTING: &str = "updates.last_check";
/// Hours between the checks the app makes on its own.
const CHECK_EVERY_HOURS: i64 = 24;

/// An update the update server offers: the version, what is new, when it was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UpdateInfo {
    /// The version offered.
    pub version: String,
    /// The version running now.
    pub current_version: String,
    /// What is new, as the release notes say it (plain text or Markdown).
    pub notes: Option<String>,
    /// RFC 3339: when the update was published, if the server says.
    pub date: Option<String>,
}

/// Progress of installing an update, streamed to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UpdateProgress {
    /// `downloaded` bytes of `total` (when the server said how many) have arrived.
    Downloading {
        #[ts(type = "number")]
        downloaded: u64,
        #[ts(type = "number | null")]
        total: Option<u64>,
    },
    /// Downloaded; its signature is being checked against the update key.
    Verifying,
    /// Verified and installed: Kindred restarts into the new version now.
    Restarting { version: String },
}

impl Kindred {
    /// Whether the app should look for an update on its own at `now`: it never has, last
    /// did a day or more before, or the clock has moved back since. A due check is recorded as made at `now`, so that
    /// a failing or slow update server is asked again only the next day.
    ///
    /// # Errors
    /// The store cannot be read or written.
    pub async fn claim_update_check(&self, now: DateTime<Utc>) -> Result<bool, ApiError> {
        let last = self
            .store
            .setting(LAST_CHECK_SETTING)
            .await?
            .and_then(|last| DateTime::parse_from_rfc3339(&last).ok());
        let due = last.is_none_or(|last| {
            let elapsed = now - last.to_utc();
            elapsed >= Duration::hours(CHECK_EVERY_HOURS) || elapsed < Duration::zero()
        });
        if due {
            let now = now.to_rfc3339_opts(SecondsFormat::Secs, true);
            self.store.set_setting(LAST_CHECK_SETTING, &now).await?;
        }
        Ok(due)
    }
}
