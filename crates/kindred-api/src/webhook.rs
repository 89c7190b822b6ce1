//! Webhook calls asked for by rule firings: a POST of a JSON description of the item to
//! an http(s) address, as a durable job with retries and backoff. Every attempt — and a
//! final failure — is written to the activity log, so a failing webhook is never silent.
//!
//! # The payload
//! ```json
//! {
//!   "event": "rule.fired",
//!   "rule": { "id": 3, "text": "when message.received if … then webhook url=…" },
//!   "item": "message 42",
//!   "fired_at": "2026-11-22T09:30:00Z",
//!   "data": { "kind": "message", "id": 42, "subject": "…", "from": { "address": "…",
//!             "name": "…" }, "recipients": [ … ], "labels": [ … ], "has_attachment": false,
//!             "has_invite": false, "sent_by_me": false, "rank": 7,
//!             "sent_at": "2026-11-22T09:29:58Z" }
//! }
//! ```
//! `data` is the item's facts: for an event `title`, `organizer`, `attendees`,
//! `location`, `starts_at`, `ends_at`, `updated` and `change` (which change of the event
//! an `event.updated` firing is about); for a person `name`, `emails`, `rank`, `fading`.
//! Requests carry `Content-Type: application/json` and `Idempotency-Key: kindred-<delivery
//! id>`, the same on every retry.
//!
//! # Delivery
//! A 2xx answer delivers it. A 408, 429, 5xx answer, a network error or a timeout is
//! retried with backoff while attempts last; another 4xx is final. Redirects are followed
//! (at most three) only to http(s) addresses.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use kindred_core::rules::ItemFacts;
use kindred_store::activity::{NewActivity, Outcome};
use kindred_store::jobs::NewJob;
use kindred_store::Store;
use serde_json::json;

use crate::jobs::{JobContext, JobError};
use crate::{ApiError, Kindred};

/// The job that makes one webhook call.
pub const WEBHOOK_JOB: &str = "rules.webhook";
/// Attempts before a delivery is given up.
pub const WEBHOOK_ATTEMPTS: u32 = 5;

/// How webhook calls are made.
#[derive(Debug, Clone)]
pub struct WebhookOptions {
    /// How long one call may take, connection included.
    pub timeout: Duration,
}

impl Default for WebhookOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
        }
    }
}

/// The JSON body of a webhook call (see the module's docs).
pub(crate) fn payload(
    rule_id: i64,
    rule_text: &str,
    item_name: &str,
    item: &ItemFacts,
    now: DateTime<Utc>,
) -> String {
    json!({
        "event": "rule.fired",
        "rule": { "id": rule_id, "text": rule_text },
        "item": item_name,
        "fired_at": now.to_rfc3339_opts(SecondsFormat::Secs, true),
        "data": item,
    })
    .to_string()
}

/// Queues delivery `id` as a job (once: a job for it already queued is kept).
pub(crate) async fn queue(store: &Store, id: i64) -> Result<(), ApiError> {
    let job = NewJob {
        dedupe_key: Some(format!("delivery {id}")),
        max_attempts: WEBHOOK_ATTEMPTS,
        ..NewJob::new(WEBHOOK_JOB, json!({ "delivery": id }))
    };
    store.enqueue_job(&job, Utc::now()).await?;
    Ok(())
}

/// Makes one attempt at the delivery named in `context`'s payload and records it.
pub(crate) async fn deliver(
    kindred: &Kindred,
    options: &WebhookOptions,
    context: &JobContext,
) -> Result<(), JobError> {
    let id = context
        .payload
        .get("delivery")
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| JobError::permanent("a webhook job without a delivery id"))?;
    let store = &kindred.store;
    let delivery = store
        .webhook_delivery(id)
        .await
        .map_err(|error| JobError::retryable(error.to_string()))?;
    let Some(delivery) = delivery.filter(|d| d.status == "pending") else {
        // Delivered, given up, or its rule was removed: nothing left to do.
        return Ok(());
    };
    let result = post(options, &delivery.url, id, &delivery.payload).await;
    let last = context.attempt >= WEBHOOK_ATTEMPTS;
    let (status, outcome, detail, error) = match &result {
        Ok(code) => (
            "delivered",
            Outcome::Ok,
            format!("POST {} answered {code}", delivery.url),
            None,
        ),
        Err(failure) => {
            let status = if failure.retryable && !last {
                "pending"
            } else {
                "failed"
            };
            let next = if status == "pending" {
                "; will retry"
            } else {
                "; given up"
            };
            (
                status,
                Outcome::Failed,
                format!(
                    "POST {} failed (attempt {} of {WEBHOOK_ATTEMPTS}): {}{next}",
                    delivery.url, context.attempt, failure.reason
                ),
                Some(failure.reason.clone()),
            )
        }
    };
    let actor = format!("rule {}", delivery.rule_id);
    store
        .record_webhook_attempt(
            id,
            status,
            error.as_deref(),
            &NewActivity {
                actor: &actor,
                kind: "webhook",
                subject: &delivery.item,
                outcome,
                detail: &detail,
            },
            Utc::now().timestamp_millis(),
        )
        .await
        .map_err(|error| JobError::retryable(error.to_string()))?;
    match result {
        Ok(_) => Ok(()),
        Err(failure) if status == "pending" => Err(JobError::retryable(failure.reason)),
        Err(failure) => Err(JobError::permanent(failure.reason)),
    }
}

/// Why a call failed, and whether another attempt may succeed.
struct Failure {
    reason: String,
    retryable: bool,
}

/// POSTs `body` to `url`; the answer's status code when it is a success.
async fn post(options: &WebhookOptions, url: &str, id: i64, body: &str) -> Result<u16, Failure> {
    let client = reqwest::Client::builder()
        .timeout(options.timeout)
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            if !matches!(attempt.url().scheme(), "http" | "https") {
                let scheme = attempt.url().scheme().to_owned();
                attempt.error(format!("a redirect to a {scheme}: address is refused"))
            } else if attempt.previous().len() >= 3 {
                attempt.error("more than three redirects")
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(|error| Failure {
            reason: format!("no HTTP client: {error}"),
            retryable: false,
        })?;
    let response = client
        .post(url)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", format!("kindred-{id}"))
        .body(body.to_owned())
        .send()
        .await
        .map_err(|error| Failure {
            reason: if error.is_timeout() {
                format!("no answer within {} s", options.timeout.as_secs_f64())
            } else if error.is_redirect() {
                format!("redirect refused: {error}")
            } else {
                format!("cannot reach it: {error}")
            },
            retryable: !error.is_redirect(),
        })?;
    let status = response.status();
    if status.is_success() {
        return Ok(status.as_u16());
    }
    Err(Failure {
        reason: format!("it answered {status}"),
        retryable: status.is_server_error() || matches!(status.as_u16(), 408 | 429),
    })
}
