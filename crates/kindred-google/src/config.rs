//! Where Google is and how hard to use it: every endpoint from the environment (so tests
//! and users can point Kindred anywhere), the OAuth client, and the sync's quota and
//! timeouts.

use std::time::Duration;

use url::Url;

use crate::error::GoogleError;

/// The scopes Kindred asks for: read-only mail and calendar, and the address.
pub const SCOPES: [&str; 4] = [
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/calendar.readonly",
    "openid",
    "email",
];

/// Google's endpoints and Kindred's OAuth client.
#[derive(Clone)]
pub struct Endpoints {
    pub auth_url: Url,
    pub token_url: Url,
    pub revoke_url: Url,
    pub userinfo_url: Url,
    /// Gmail's root; method paths carry `gmail/v1/users/me/...`.
    pub gmail_url: Url,
    /// Calendar's root including `calendar/v3`.
    pub calendar_url: Url,
    pub client_id: String,
    /// Installed apps receive a "secret" that is not confidential; it is still kept out
    /// of logs.
    pub client_secret: Option<String>,
}

impl std::fmt::Debug for Endpoints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoints")
            .field("auth_url", &self.auth_url.as_str())
            .field("token_url", &self.token_url.as_str())
            .field("revoke_url", &self.revoke_url.as_str())
            .field("userinfo_url", &self.userinfo_url.as_str())
            .field("gmail_url", &self.gmail_url.as_str())
            .field("calendar_url", &self.calendar_url.as_str())
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl Endpoints {
    /// The endpoints from `KINDRED_GOOGLE_*`, `KINDRED_GMAIL_API_URL` and
    /// `KINDRED_CALENDAR_API_URL`, Google's own where unset.
    ///
    /// # Errors
    /// No client id is configured, or a variable is not a URL.
    pub fn from_env() -> Result<Self, GoogleError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The endpoints from `lookup` (a variable name → its value), as [`Self::from_env`].
    ///
    /// # Errors
    /// No client id is configured, or a value is not a URL.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, GoogleError> {
        let non_empty = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let url = |name: &str, default: &str| -> Result<Url, GoogleError> {
            let value = non_empty(name).unwrap_or_else(|| default.to_owned());
            Url::parse(value.trim()).map_err(|error| {
                GoogleError::Config(format!(
                    "{name}={value:?} is not a URL ({error}); give it as https://host/path"
                ))
            })
        };
        let client_id = non_empty("KINDRED_GOOGLE_CLIENT_ID").ok_or_else(|| {
            GoogleError::Config(
                "no Google OAuth client is configured: set KINDRED_GOOGLE_CLIENT_ID (and \
                 KINDRED_GOOGLE_CLIENT_SECRET) to the id and secret of a \"Desktop app\" OAuth \
                 client from the Google Cloud console"
                    .to_owned(),
            )
        })?;
        Ok(Self {
            auth_url: url(
                "KINDRED_GOOGLE_AUTH_URL",
                "https://accounts.google.com/o/oauth2/v2/auth",
            )?,
            token_url: url(
                "KINDRED_GOOGLE_TOKEN_URL",
                "https://oauth2.googleapis.com/token",
            )?,
            revoke_url: url(
                "KINDRED_GOOGLE_REVOKE_URL",
                "https://oauth2.googleapis.com/revoke",
            )?,
            userinfo_url: url(
                "KINDRED_GOOGLE_USERINFO_URL",
                "https://openidconnect.googleapis.com/v1/userinfo",
            )?,
            gmail_url: url("KINDRED_GMAIL_API_URL", "https://gmail.googleapis.com")?,
            calendar_url: url(
                "KINDRED_CALENDAR_API_URL",
                "https://www.googleapis.com/calendar/v3",
            )?,
            client_id,
            client_secret: non_empty("KINDRED_GOOGLE_CLIENT_SECRET"),
        })
    }
}

/// How the sync uses the APIs.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    /// Gmail quota units per second per account (Google: 250, i.e. 15,000/min; new
    /// projects get 6,000/min = 100/s).
    pub gmail_units_per_second: f64,
    /// Calendar requests per second per account (Google: 600/min).
    pub calendar_requests_per_second: f64,
    /// One request's time limit.
    pub request_timeout: Duration,
    /// The first retry's delay; each further retry doubles it (with jitter).
    pub backoff_base: Duration,
    /// The longest delay between two retries.
    pub backoff_max: Duration,
    /// Attempts per request before its error counts.
    pub max_attempts: u32,
    /// Message fetches in flight at once.
    pub concurrency: usize,
    /// Messages per committed batch.
    pub batch_size: usize,
}

impl Default for SyncSettings {
    fn default() -> Self {
        Self {
            gmail_units_per_second: 250.0,
            calendar_requests_per_second: 10.0,
            request_timeout: Duration::from_secs(30),
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(32),
            max_attempts: 8,
            concurrency: 16,
            batch_size: 100,
        }
    }
}

impl SyncSettings {
    /// The defaults, with `KINDRED_GMAIL_QUOTA_PER_MINUTE` (units per minute per account,
    /// e.g. 6000 for new Google projects) and `KINDRED_GOOGLE_TIMEOUT_SECS` applied.
    ///
    /// # Errors
    /// A variable is set but not a positive number.
    pub fn from_env() -> Result<Self, GoogleError> {
        let mut settings = Self::default();
        let positive = |name: &str| -> Result<Option<f64>, GoogleError> {
            match std::env::var(name) {
                Ok(value) => value
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v > 0.0)
                    .map(Some)
                    .ok_or_else(|| {
                        GoogleError::Config(format!("{name}={value:?} must be a positive number"))
                    }),
                Err(_) => Ok(None),
            }
        };
        if let Some(per_minute) = positive("KINDRED_GMAIL_QUOTA_PER_MINUTE")? {
            settings.gmail_units_per_second = per_minute / 60.0;
        }
        if let Some(seconds) = positive("KINDRED_GOOGLE_TIMEOUT_SECS")? {
            settings.request_timeout = Duration::from_secs_f64(seconds);
        }
        Ok(settings)
    }
}
