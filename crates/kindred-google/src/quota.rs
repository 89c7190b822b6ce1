//! The per-account quota: a token bucket refilled at the allowed rate, from which each
//! request takes its cost before it is sent. Waiting sleeps until the tokens are there
//! (no spinning); when Google still says "too many", the bucket slows down and pauses for
//! `Retry-After`, then recovers gradually with each success.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Quota costs of the methods used (Gmail units; Calendar counts requests).
pub mod cost {
    pub const MESSAGES_LIST: f64 = 5.0;
    pub const MESSAGES_GET: f64 = 5.0;
    pub const HISTORY_LIST: f64 = 2.0;
    pub const GET_PROFILE: f64 = 1.0;
    pub const CALENDAR_REQUEST: f64 = 1.0;
}

/// How much of the target rate is restored per success after a slow-down.
const RECOVERY_STEP: f64 = 0.02;
/// The slowest the bucket goes, as a share of the target rate.
const SLOWEST: f64 = 0.05;

/// A token bucket with a target rate, a current (possibly slowed) rate and a burst of
/// one second's worth.
#[derive(Debug)]
pub struct TokenBucket {
    target: f64,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    rate: f64,
    available: f64,
    updated: Instant,
    paused_until: Option<Instant>,
}

impl TokenBucket {
    /// A full bucket refilled at `per_second` units per second.
    #[must_use]
    pub fn new(per_second: f64) -> Self {
        let per_second = per_second.max(0.01);
        Self {
            target: per_second,
            state: Mutex::new(State {
                rate: per_second,
                available: per_second,
                updated: Instant::now(),
                paused_until: None,
            }),
        }
    }

    /// Takes `cost` units, sleeping until they are available. Callers are served in the
    /// order they ask: each reserves its units at once and sleeps off its debt.
    pub async fn acquire(&self, cost: f64) {
        let wake = {
            let mut state = self
                .state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let start = state.paused_until.filter(|p| *p > now).unwrap_or(now);
            state.refill(start, self.capacity());
            state.available -= cost;
            if state.available < 0.0 {
                start + Duration::from_secs_f64(-state.available / state.rate)
            } else {
                start
            }
        };
        if wake > Instant::now() {
            tokio::time::sleep_until(wake).await;
        }
    }

    /// Google said "too many": halve the rate and pause for `retry_after` if given.
    pub fn slow_down(&self, retry_after: Option<Duration>) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        state.refill(now, self.capacity());
        state.rate = (state.rate / 2.0).max(self.target * SLOWEST);
        state.available = state.available.min(0.0);
        if let Some(pause) = retry_after {
            let until = now + pause;
            state.paused_until = Some(state.paused_until.map_or(until, |p| p.max(until)));
        }
    }

    /// A request went through: move the rate back towards the target.
    pub fn recover(&self) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if state.rate < self.target {
            state.rate = (state.rate + self.target * RECOVERY_STEP).min(self.target);
        }
    }

    /// The current rate in units per second.
    #[must_use]
    pub fn rate(&self) -> f64 {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .rate
    }

    fn capacity(&self) -> f64 {
        self.target
    }
}

impl State {
    fn refill(&mut self, now: Instant, capacity: f64) {
        if now > self.updated {
            let elapsed = (now - self.updated).as_secs_f64();
            self.available = (self.available + elapsed * self.rate).min(capacity);
            self.updated = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_bucket_holds_the_rate_after_its_burst() {
        let bucket = TokenBucket::new(100.0);
        let start = Instant::now();
        for _ in 0..60 {
            bucket.acquire(5.0).await;
        }
        // 300 units: 100 from the full bucket, 200 at 100 units/s.
        let elapsed = start.elapsed().as_secs_f64();
        assert!(
            (elapsed - 2.0).abs() < 0.05,
            "60 × 5 units at 100/s after a burst of 100 take 2 s, took {elapsed}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_down_halves_the_rate_and_successes_restore_it() {
        let bucket = TokenBucket::new(100.0);
        bucket.slow_down(Some(Duration::from_secs(1)));
        assert!((bucket.rate() - 50.0).abs() < 1e-9, "the rate halves");
        let start = Instant::now();
        bucket.acquire(5.0).await;
        assert!(
            start.elapsed() >= Duration::from_secs(1),
            "Retry-After pauses the bucket"
        );
        for _ in 0..25 {
            bucket.recover();
        }
        assert!(
            (bucket.rate() - 100.0).abs() < 1e-9,
            "successes restore the target rate"
        );
    }
}
