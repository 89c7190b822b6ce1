//! The fake's whole world behind one mutex — accounts, grants, quota buckets, the fault
//! dice and the counters — and the gate every API call passes: authentication, scope,
//! injected faults, then quota.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::calendar::Calendars;
use crate::config::{FakeConfig, FakeStats, QuotaRefusal};
use crate::errors::ApiError;
use crate::grants::{Bearer, Grants};
use crate::mailbox::Mailbox;

/// One Google account: its mailbox and its calendars.
#[derive(Debug)]
pub(crate) struct Account {
    pub mailbox: Mailbox,
    pub calendars: Calendars,
}

/// Which API a call belongs to, for the scope check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    Gmail,
    Calendar,
}

impl Api {
    /// Whether a granted scope string lets a token call this API.
    fn allowed_by(self, scope: &str) -> bool {
        scope.split_whitespace().any(|granted| match self {
            Self::Gmail => {
                granted.contains("/auth/gmail.") || granted == "https://mail.google.com/"
            }
            Self::Calendar => granted.contains("/auth/calendar"),
        })
    }
}

/// A token bucket: `tokens` units left as of `at`.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Everything the fake knows.
#[derive(Debug)]
pub(crate) struct World {
    pub config: FakeConfig,
    pub accounts: BTreeMap<String, Account>,
    /// Addresses in the order they were added: the first is the default sign-in.
    pub account_order: Vec<String>,
    pub grants: Grants,
    pub stats: FakeStats,
    buckets: HashMap<String, Bucket>,
    refusals: u64,
    faults: StdRng,
}

/// What the gate decided about one call.
enum Verdict {
    Admitted(Bearer),
    Refused(ApiError),
    Stall(Duration),
}

impl World {
    pub(crate) fn new(config: FakeConfig) -> Self {
        Self {
            grants: Grants::new(config.seed),
            faults: StdRng::seed_from_u64(config.seed),
            config,
            accounts: BTreeMap::new(),
            account_order: Vec::new(),
            stats: FakeStats::default(),
            buckets: HashMap::new(),
            refusals: 0,
        }
    }

    /// Counts a request of `method` (a discovery id such as `oauth2.token`).
    pub(crate) fn count(&mut self, method: &str) {
        *self.stats.requests.entry(method.to_owned()).or_insert(0) += 1;
    }

    /// The account of `email`; panics naming the address when a test forgot `add_user`.
    pub(crate) fn account(&mut self, email: &str) -> &mut Account {
        self.accounts
            .get_mut(&email.to_ascii_lowercase())
            .unwrap_or_else(|| panic!("no account {email} in the fake; call add_user first"))
    }

    pub(crate) fn set_quota(&mut self, units_per_second: Option<f64>) {
        self.config.quota_units_per_second = units_per_second;
        self.buckets.clear();
    }

    fn judge(&mut self, headers: &HeaderMap, method: &str, api: Api) -> Verdict {
        self.count(method);
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim());
        let Some(bearer) = token.and_then(|token| self.grants.bearer(token)) else {
            self.stats.unauthenticated += 1;
            return Verdict::Refused(ApiError::unauthenticated());
        };
        if !api.allowed_by(&bearer.scope) {
            return Verdict::Refused(ApiError::insufficient_scope());
        }
        if self.config.fault_rate > 0.0 && self.faults.gen::<f64>() < self.config.fault_rate {
            self.stats.faults += 1;
            return match self.faults.gen_range(0..3) {
                0 => Verdict::Refused(ApiError::backend_error()),
                1 => Verdict::Refused(ApiError::unavailable()),
                _ => {
                    self.stats.stalls += 1;
                    Verdict::Stall(self.config.stall)
                }
            };
        }
        let cost = self.config.quota_costs.get(method).copied().unwrap_or(1);
        if let Some(rate) = self.config.quota_units_per_second {
            if let Err(retry_after) = self.take_units(&bearer.email, rate, cost) {
                self.refusals += 1;
                let forbidden = match self.config.quota_refusal {
                    QuotaRefusal::TooManyRequests => false,
                    QuotaRefusal::Forbidden => true,
                    QuotaRefusal::Alternate => self.refusals.is_multiple_of(2),
                };
                if forbidden {
                    self.stats.quota_403 += 1;
                } else {
                    self.stats.quota_429 += 1;
                }
                return Verdict::Refused(ApiError::rate_limited(forbidden, retry_after));
            }
        }
        self.stats.units_charged += cost;
        Verdict::Admitted(bearer)
    }

    /// Takes `cost` units from the user's bucket, which refills at `rate` per second and
    /// holds one second's worth (at least one call's cost, so every call can pass). When
    /// too few are left, says how many whole seconds until there are enough.
    fn take_units(&mut self, email: &str, rate: f64, cost: u64) -> Result<(), u64> {
        #[allow(clippy::cast_precision_loss)] // costs are small whole numbers
        let cost = cost as f64;
        let capacity = rate.max(cost);
        let now = Instant::now();
        let bucket = self.buckets.entry(email.to_owned()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let elapsed = now.duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(capacity);
        bucket.at = now;
        if bucket.tokens >= cost {
            bucket.tokens -= cost;
            Ok(())
        } else {
            let wait = ((cost - bucket.tokens) / rate).ceil().max(1.0);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ≥ 1, small
            Err(wait as u64)
        }
    }
}

/// The world, shared by the server's handlers and the test's control calls.
#[derive(Debug, Clone)]
pub(crate) struct Shared(Arc<Mutex<World>>);

impl Shared {
    pub(crate) fn new(config: FakeConfig) -> Self {
        Self(Arc::new(Mutex::new(World::new(config))))
    }

    /// The world; a panic in another holder (a test's failed assertion) does not poison
    /// it, since every change is made whole under the lock.
    pub(crate) fn lock(&self) -> MutexGuard<'_, World> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Lets an API call through the gate, or answers it with Google's error: 401 for a
    /// bad bearer token, 403 for a missing scope, an injected fault (a stall waits first),
    /// 429/403 over quota. Returns who the token speaks for.
    pub(crate) async fn admit(
        &self,
        headers: &HeaderMap,
        method: &str,
        api: Api,
    ) -> Result<Bearer, ApiError> {
        let verdict = self.lock().judge(headers, method, api);
        match verdict {
            Verdict::Admitted(bearer) => Ok(bearer),
            Verdict::Refused(error) => Err(error),
            Verdict::Stall(duration) => {
                tokio::time::sleep(duration).await;
                Err(ApiError::unavailable())
            }
        }
    }
}
