//! What a test can tune before and while the fake runs ([`FakeConfig`]) and what it can read
//! back afterwards ([`FakeStats`]).

use std::collections::BTreeMap;
use std::time::Duration;

/// How a request over its user's quota is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QuotaRefusal {
    /// 429 `rateLimitExceeded` (domain usageLimits).
    #[default]
    TooManyRequests,
    /// 403 `userRateLimitExceeded` (domain usageLimits).
    Forbidden,
    /// 429 and 403 in turn, as Google's mix of answers is seen by a client.
    Alternate,
}

/// What the consent screen answers: approve, or send the person back with
/// `error=access_denied`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Consent {
    #[default]
    Approve,
    Deny,
}

/// Settings of a [`crate::FakeGoogle`].
#[derive(Debug, Clone)]
pub struct FakeConfig {
    /// The one OAuth client the fake knows.
    pub client_id: String,
    pub client_secret: String,
    /// Per-user quota in units per second (a token bucket holding one second's worth);
    /// `None` means unlimited.
    pub quota_units_per_second: Option<f64>,
    /// What each API method costs, by its discovery id (`gmail.users.messages.list`);
    /// a method not listed costs 1.
    pub quota_costs: BTreeMap<String, u64>,
    pub quota_refusal: QuotaRefusal,
    /// How long an access token lives; `expires_in` says one second less, as Google does.
    pub access_token_lifetime: Duration,
    /// Share of API calls (0.0–1.0) answered by a fault: 500, 503, or a stall.
    pub fault_rate: f64,
    /// How long a stall fault holds a request before answering 503: longer than the
    /// client's timeout.
    pub stall: Duration,
    /// Seeds every random choice (faults, ids, tokens) so runs repeat.
    pub seed: u64,
    pub consent: Consent,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            client_id: "kindred-test-client.apps.googleusercontent.com".to_owned(),
            client_secret: "kindred-test-secret".to_owned(),
            quota_units_per_second: None,
            quota_costs: default_quota_costs(),
            quota_refusal: QuotaRefusal::default(),
            access_token_lifetime: Duration::from_secs(3600),
            fault_rate: 0.0,
            stall: Duration::from_secs(30),
            seed: 42,
            consent: Consent::default(),
            port: 0,
        }
    }
}

/// Google's published per-method costs (Gmail's quota page; Calendar counts requests).
#[must_use]
pub fn default_quota_costs() -> BTreeMap<String, u64> {
    [
        ("gmail.users.getProfile", 1),
        ("gmail.users.labels.list", 1),
        ("gmail.users.labels.get", 1),
        ("gmail.users.messages.list", 5),
        ("gmail.users.messages.get", 5),
        ("gmail.users.messages.attachments.get", 5),
        ("gmail.users.history.list", 2),
        ("gmail.users.threads.list", 10),
        ("gmail.users.threads.get", 10),
        ("calendar.calendarList.list", 1),
        ("calendar.calendarList.get", 1),
        ("calendar.calendars.get", 1),
        ("calendar.events.list", 1),
        ("calendar.events.get", 1),
    ]
    .into_iter()
    .map(|(method, cost)| (method.to_owned(), cost))
    .collect()
}

/// Counters of what the fake has answered since it started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FakeStats {
    /// Requests received per method id (`gmail.users.messages.get`, `oauth2.token`,
    /// `batch`…; a batch's parts count as their own calls too), whatever the answer.
    pub requests: BTreeMap<String, u64>,
    /// Quota units charged for requests that were served.
    pub units_charged: u64,
    /// Requests refused with 429 `rateLimitExceeded`.
    pub quota_429: u64,
    /// Requests refused with 403 `userRateLimitExceeded`.
    pub quota_403: u64,
    /// API calls answered by an injected fault (stalls included).
    pub faults: u64,
    /// Of those, the stalls.
    pub stalls: u64,
    /// API calls refused with 401.
    pub unauthenticated: u64,
    /// Successful calls of the revocation endpoint.
    pub revoked_tokens: u64,
}

impl FakeStats {
    /// Requests received for one method id.
    #[must_use]
    pub fn requests_for(&self, method: &str) -> u64 {
        self.requests.get(method).copied().unwrap_or(0)
    }
}
