//! Authorised, quota-aware, retrying JSON requests for one account: each request takes
//! its cost from the account's token bucket, carries the current access token (refreshed
//! when it expires or Google answers 401), and is retried with exponential backoff and
//! jitter on 429, rate-limit 403s, 5xx and timeouts, honouring `Retry-After`.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use kindred_store::secrets::{SecretStore, SecretString};
use rand::Rng;
use reqwest::header::RETRY_AFTER;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tokio::sync::Mutex;
use url::Url;

use crate::error::GoogleError;
use crate::oauth::{load_access_token, redact, AccessToken, Google};
use crate::quota::TokenBucket;

/// The delay before retry `attempt` (1-based): exponential from the base, capped, with
/// the upper half jittered so that clients spread out.
pub(crate) fn backoff(settings: &crate::SyncSettings, attempt: u32) -> Duration {
    let exponent = attempt.saturating_sub(1).min(16);
    let ceiling = settings
        .backoff_base
        .saturating_mul(1 << exponent)
        .min(settings.backoff_max);
    let half = ceiling / 2;
    half + half.mul_f64(rand::thread_rng().gen::<f64>())
}

/// The current access token of one account, shared by its concurrent requests.
struct Authorizer<'a> {
    google: &'a Google,
    secrets: &'a dyn SecretStore,
    email: String,
    /// The token in use and a generation number that changes with each refresh.
    current: Mutex<Option<(u64, Arc<SecretString>)>>,
}

impl Authorizer<'_> {
    /// The token to send, refreshed first when missing or about to expire.
    async fn bearer(&self) -> Result<(u64, Arc<SecretString>), GoogleError> {
        let mut current = self.current.lock().await;
        if let Some((generation, token)) = current.as_ref() {
            return Ok((*generation, Arc::clone(token)));
        }
        let stored = load_access_token(self.secrets, &self.email)?;
        let fresh = |access: &AccessToken| {
            access
                .expires_at
                .is_some_and(|at| at > Utc::now() + chrono::Duration::seconds(60))
        };
        let access = match stored {
            Some(access) if fresh(&access) => access,
            _ => self.google.refresh(self.secrets, &self.email).await?,
        };
        let token = Arc::new(access.secret);
        *current = Some((1, Arc::clone(&token)));
        Ok((1, token))
    }

    /// Google refused the token of `generation` (401): refresh it unless another
    /// request already did.
    async fn refused(&self, generation: u64) -> Result<(), GoogleError> {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|(g, _)| *g != generation) {
            return Ok(());
        }
        let access = self.google.refresh(self.secrets, &self.email).await?;
        *current = Some((generation + 1, Arc::new(access.secret)));
        Ok(())
    }
}

/// Google's error body: `{"error": {"code", "message", "errors": [{"reason"}]}}`.
#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    message: String,
    #[serde(default)]
    errors: Vec<ErrorItem>,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Deserialize)]
struct ErrorItem {
    #[serde(default)]
    reason: String,
}

/// What to do after one attempt.
enum Attempt<T> {
    Done(T),
    Retry {
        why: String,
        after: Option<Duration>,
        quota: bool,
    },
}

/// Requests for one account against one quota.
pub(crate) struct ApiClient<'a> {
    google: &'a Google,
    authorizer: Authorizer<'a>,
    bucket: TokenBucket,
}

impl<'a> ApiClient<'a> {
    /// A client for `email`, limited to `units_per_second`.
    pub(crate) fn new(
        google: &'a Google,
        secrets: &'a dyn SecretStore,
        email: &str,
        units_per_second: f64,
    ) -> Self {
        Self {
            google,
            authorizer: Authorizer {
                google,
                secrets,
                email: email.to_owned(),
                current: Mutex::new(None),
            },
            bucket: TokenBucket::new(units_per_second),
        }
    }

    /// `GET url`, costing `cost` units, parsed as `T`.
    ///
    /// # Errors
    /// Google answered an error that retrying does not cure (404, 410, 400, 403 other
    /// than rate limits), the token cannot be refreshed, or retries ran out.
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        url: &Url,
        cost: f64,
        context: &str,
    ) -> Result<T, GoogleError> {
        let settings = &self.google.settings;
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.bucket.acquire(cost).await;
            let (why, after, quota) = match self.attempt(url, context).await? {
                Attempt::Done(value) => {
                    self.bucket.recover();
                    return Ok(value);
                }
                Attempt::Retry { why, after, quota } => (why, after, quota),
            };
            if quota {
                self.bucket.slow_down(after);
            }
            if attempt >= settings.max_attempts {
                return Err(if quota {
                    GoogleError::Quota {
                        context: context.to_owned(),
                        attempts: attempt,
                    }
                } else {
                    GoogleError::Network {
                        context: context.to_owned(),
                        message: why,
                        attempts: attempt,
                    }
                });
            }
            let delay = backoff(settings, attempt).max(after.unwrap_or_default());
            tracing::debug!(attempt, ?delay, "{context}: {why}; retrying");
            tokio::time::sleep(delay).await;
        }
    }

    async fn attempt<T: DeserializeOwned>(
        &self,
        url: &Url,
        context: &str,
    ) -> Result<Attempt<T>, GoogleError> {
        let (generation, token) = self.authorizer.bearer().await?;
        let sent = self
            .google
            .http
            .get(url.clone())
            .bearer_auth(token.expose())
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                return Ok(Attempt::Retry {
                    why: redact(&error),
                    after: None,
                    quota: false,
                })
            }
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(error) => {
                return Ok(Attempt::Retry {
                    why: redact(&error),
                    after: None,
                    quota: false,
                })
            }
        };
        if status.is_success() {
            return serde_json::from_slice(&body)
                .map(Attempt::Done)
                .map_err(|error| GoogleError::Malformed {
                    context: context.to_owned(),
                    message: error.to_string(),
                });
        }
        let detail = serde_json::from_slice::<ErrorBody>(&body)
            .ok()
            .map(|b| b.error);
        let reason = detail
            .as_ref()
            .and_then(|d| d.errors.first().map(|e| e.reason.clone()))
            .or_else(|| detail.as_ref().and_then(|d| d.status.clone()))
            .unwrap_or_default();
        let message = detail.map(|d| d.message).unwrap_or_default();
        let rate_limited = status == StatusCode::TOO_MANY_REQUESTS
            || (status == StatusCode::FORBIDDEN
                && matches!(
                    reason.as_str(),
                    "rateLimitExceeded" | "userRateLimitExceeded"
                ));
        if rate_limited {
            return Ok(Attempt::Retry {
                why: format!("{status} {reason}"),
                after: retry_after,
                quota: true,
            });
        }
        if status == StatusCode::UNAUTHORIZED {
            self.authorizer.refused(generation).await?;
            return Ok(Attempt::Retry {
                why: "the access token expired".to_owned(),
                after: Some(Duration::ZERO),
                quota: false,
            });
        }
        if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
            return Ok(Attempt::Retry {
                why: format!("{status} {reason}"),
                after: retry_after,
                quota: false,
            });
        }
        Err(GoogleError::Api {
            context: context.to_owned(),
            status: status.as_u16(),
            reason,
            message,
        })
    }
}
