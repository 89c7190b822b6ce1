//! A fake of Google's OAuth 2.0, Gmail v1 and Calendar v3 endpoints, served over real HTTP
//! on 127.0.0.1 from mbox and .ics files, for Kindred's tests and demos.
//!
//! [`FakeGoogle::start`] binds a port and serves on a thread of its own until the value
//! is dropped. Tests point clients at it with [`FakeGoogle::env`] and steer it with the
//! control methods: accounts, mail and events, history and sync-token expiry, quota,
//! faults and token invalidation. Responses follow the discovery documents: camelCase
//! fields, int64 values as strings, Google's error bodies. `docs/fake-google.md` lists
//! what is served.

mod calendar;
mod config;
mod errors;
mod event;
mod grants;
mod mailbox;
mod message;
mod paging;
mod routes;
mod state;

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{self, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::thread::JoinHandle;

use chrono::{TimeZone, Utc};
use kindred_core::{AttendeeRole, EventStatus, ResponseStatus};
use kindred_sources::ics::{parse_ics, ExpansionWindow};
use kindred_sources::mbox::MboxReader;
use tokio::sync::oneshot;

pub use config::{default_quota_costs, Consent, FakeConfig, FakeStats, QuotaRefusal};
pub use event::{EventTime, FakeAttendee, FakeEvent, FakeEventStatus, FakeResponseStatus};

use calendar::{hex_digest, Calendars};
use mailbox::Mailbox;
use state::{Account, Shared};

/// A running fake Google on `127.0.0.1`. Dropping it stops the server and abandons any
/// request still in flight (a stalled one included).
#[derive(Debug)]
pub struct FakeGoogle {
    address: SocketAddr,
    shared: Shared,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeGoogle {
    /// Binds `127.0.0.1:{config.port}` (0: a free port) and starts serving on a thread with
    /// its own runtime, so it works under any test runtime or none.
    ///
    /// # Errors
    /// When the port cannot be bound or the thread or runtime cannot start.
    pub async fn start(config: FakeConfig) -> io::Result<FakeGoogle> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", config.port))?;
        listener.set_nonblocking(true)?;
        let address = listener.local_addr()?;
        let shared = Shared::new(config);
        let app = routes::app(shared.clone());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("kindred-fakegoogle")
            .enable_all()
            .build()?;
        let listener = {
            let _inside = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("kindred-fakegoogle".to_owned())
            .spawn(move || {
                runtime.block_on(async move {
                    tokio::select! {
                        _ = axum::serve(listener, app) => {}
                        _ = stopped => {}
                    }
                });
                runtime.shutdown_background();
            })?;
        Ok(FakeGoogle {
            address,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`.
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The environment that points Kindred at this fake.
    #[must_use]
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let base = self.base_url();
        let config = self.shared.lock().config.clone();
        vec![
            (
                "KINDRED_GOOGLE_AUTH_URL",
                format!("{base}/o/oauth2/v2/auth"),
            ),
            ("KINDRED_GOOGLE_TOKEN_URL", format!("{base}/token")),
            ("KINDRED_GOOGLE_REVOKE_URL", format!("{base}/revoke")),
            ("KINDRED_GOOGLE_USERINFO_URL", format!("{base}/v1/userinfo")),
            ("KINDRED_GMAIL_API_URL", base.clone()),
            ("KINDRED_CALENDAR_API_URL", format!("{base}/calendar/v3")),
            ("KINDRED_GOOGLE_CLIENT_ID", config.client_id),
            ("KINDRED_GOOGLE_CLIENT_SECRET", config.client_secret),
        ]
    }

    /// Adds a Gmail account (addresses are kept lowercase) with a primary calendar whose
    /// id is the address. Adding it again changes nothing.
    pub fn add_user(&self, email: &str) {
        let email = email.to_ascii_lowercase();
        let mut world = self.shared.lock();
        if world.accounts.contains_key(&email) {
            return;
        }
        let seed = world.config.seed;
        world.accounts.insert(
            email.clone(),
            Account {
                mailbox: Mailbox::new(&email, seed),
                calendars: Calendars::new(&email),
            },
        );
        world.account_order.push(email);
    }

    /// Loads every message of an mbox file into the account, labelled SENT when its From
    /// is the account's address and INBOX otherwise, each with a new id and a
    /// `messageAdded` history record. Returns how many were added.
    ///
    /// # Errors
    /// When the file cannot be opened or read.
    ///
    /// # Panics
    /// When the account was not added.
    pub fn load_mbox(&self, email: &str, path: &Path) -> io::Result<usize> {
        let reader = MboxReader::new(BufReader::new(File::open(path)?), 0, 0);
        let mut added = 0;
        for raw in reader {
            let raw = raw?;
            let fallback = raw.envelope_date.map(|date| date.timestamp_millis());
            self.shared
                .lock()
                .account(email)
                .mailbox
                .deliver(&raw.bytes, fallback);
            added += 1;
        }
        Ok(added)
    }

    /// Adds one message with exactly these labels; returns its Gmail id. Records
    /// `messageAdded`.
    ///
    /// # Panics
    /// When the account was not added.
    pub fn add_raw_message(&self, email: &str, raw: &[u8], labels: &[&str]) -> String {
        self.shared.lock().account(email).mailbox.add(raw, labels)
    }

    /// Deletes a message for good (history `messageDeleted`).
    ///
    /// # Panics
    /// When the account or the message does not exist.
    pub fn delete_message(&self, email: &str, id: &str) {
        let deleted = self.shared.lock().account(email).mailbox.delete(id);
        assert!(deleted, "{email} has no message {id} to delete");
    }

    /// Adds and removes labels (history `labelAdded` / `labelRemoved` for what changed).
    ///
    /// # Panics
    /// When the account or the message does not exist.
    pub fn modify_labels(&self, email: &str, id: &str, add: &[&str], remove: &[&str]) {
        let modified = self
            .shared
            .lock()
            .account(email)
            .mailbox
            .modify_labels(id, add, remove);
        assert!(modified, "{email} has no message {id} to relabel");
    }

    /// The Gmail ids of every message in the account.
    ///
    /// # Panics
    /// When the account was not added.
    #[must_use]
    pub fn message_ids(&self, email: &str) -> BTreeSet<String> {
        self.shared.lock().account(email).mailbox.message_ids()
    }

    /// The account's current history id, as getProfile reports it.
    ///
    /// # Panics
    /// When the account was not added.
    #[must_use]
    pub fn history_id(&self, email: &str) -> u64 {
        self.shared.lock().account(email).mailbox.history_id()
    }

    /// Adds an event to a calendar (`primary` or an id); returns its event id.
    ///
    /// # Panics
    /// When the account or the calendar does not exist.
    pub fn add_event(&self, email: &str, calendar_id: &str, event: FakeEvent) -> String {
        self.shared
            .lock()
            .account(email)
            .calendars
            .put_event(calendar_id, None, event)
    }

    /// Replaces an event's content (a change incremental sync reports).
    ///
    /// # Panics
    /// When the account, calendar or event does not exist.
    pub fn update_event(&self, email: &str, calendar_id: &str, event_id: &str, event: FakeEvent) {
        self.shared
            .lock()
            .account(email)
            .calendars
            .update_event(calendar_id, event_id, event);
    }

    /// Cancels an event: full listings drop it, incremental sync reports it cancelled.
    ///
    /// # Panics
    /// When the account, calendar or event does not exist.
    pub fn cancel_event(&self, email: &str, calendar_id: &str, event_id: &str) {
        self.shared
            .lock()
            .account(email)
            .calendars
            .cancel_event(calendar_id, event_id);
    }

    /// Adds a secondary calendar to the account.
    ///
    /// # Panics
    /// When the account was not added.
    pub fn add_calendar(&self, email: &str, calendar_id: &str, summary: &str) {
        self.shared
            .lock()
            .account(email)
            .calendars
            .add_calendar(calendar_id, summary);
    }

    /// Loads an .ics file into a calendar: each occurrence from 2000 to a year from now
    /// becomes a single event (an instance with `recurringEventId` when it belongs to a
    /// series). Loading the same file again updates the same events. Returns how many.
    ///
    /// # Errors
    /// When the file cannot be read.
    ///
    /// # Panics
    /// When the account or the calendar does not exist.
    pub fn load_ics(&self, email: &str, calendar_id: &str, path: &Path) -> io::Result<usize> {
        let text = std::fs::read_to_string(path)?;
        let now = Utc::now();
        let window = ExpansionWindow {
            start: Utc
                .with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
                .single()
                .unwrap_or(now),
            end: ExpansionWindow::around(now).end,
        };
        let outcome = parse_ics(&text, &path.display().to_string(), &window);
        let mut world = self.shared.lock();
        let calendars = &mut world.account(email).calendars;
        for occurrence in &outcome.events {
            let series_id = hex_digest(&occurrence.uid)[..26].to_owned();
            let moment = |at: chrono::DateTime<Utc>| {
                if occurrence.all_day {
                    EventTime::Date(at.date_naive())
                } else {
                    EventTime::DateTime(at.fixed_offset())
                }
            };
            let person = |attendee: &kindred_core::Attendee| FakeAttendee {
                email: attendee.address.as_str().to_owned(),
                display_name: attendee.name.clone(),
                response_status: match attendee.response {
                    ResponseStatus::Accepted => FakeResponseStatus::Accepted,
                    ResponseStatus::Declined => FakeResponseStatus::Declined,
                    ResponseStatus::Tentative => FakeResponseStatus::Tentative,
                    _ => FakeResponseStatus::NeedsAction,
                },
            };
            let (id, recurrence) = match occurrence.recurrence_id {
                Some(original) => (
                    format!("{series_id}_{}", original.format("%Y%m%dT%H%M%SZ")),
                    Some((series_id.clone(), moment(original))),
                ),
                None => (series_id.clone(), None),
            };
            let event = FakeEvent {
                summary: occurrence.summary.clone(),
                description: occurrence.description.clone(),
                location: occurrence.location.clone(),
                start: moment(occurrence.starts_at),
                end: moment(occurrence.ends_at),
                attendees: occurrence.attendees.iter().map(person).collect(),
                organizer: occurrence
                    .attendees
                    .iter()
                    .find(|attendee| attendee.role == AttendeeRole::Organizer)
                    .map(person),
                status: match occurrence.status {
                    EventStatus::Confirmed => FakeEventStatus::Confirmed,
                    EventStatus::Tentative => FakeEventStatus::Tentative,
                    EventStatus::Cancelled => FakeEventStatus::Cancelled,
                },
                ical_uid: Some(occurrence.uid.clone()),
                recurrence,
            };
            calendars.put_event(calendar_id, Some(id), event);
        }
        Ok(outcome.events.len())
    }

    /// The event ids of a calendar, cancelled ones included.
    ///
    /// # Panics
    /// When the account was not added.
    #[must_use]
    pub fn event_ids(&self, email: &str, calendar_id: &str) -> BTreeSet<String> {
        self.shared
            .lock()
            .account(email)
            .calendars
            .event_ids(calendar_id)
    }

    /// Every `startHistoryId` issued so far now gets 404 from history.list; ids issued
    /// afterwards (getProfile, messages) work.
    ///
    /// # Panics
    /// When the account was not added.
    pub fn expire_history(&self, email: &str) {
        self.shared.lock().account(email).mailbox.expire_history();
    }

    /// Every calendar sync token issued so far now gets 410 `fullSyncRequired`.
    ///
    /// # Panics
    /// When the account was not added.
    pub fn expire_sync_tokens(&self, email: &str) {
        self.shared
            .lock()
            .account(email)
            .calendars
            .expire_sync_tokens();
    }

    /// Sets the per-user quota (units per second; `None`: unlimited). Buckets start full.
    pub fn set_quota(&self, units_per_second: Option<f64>) {
        self.shared.lock().set_quota(units_per_second);
    }

    /// Sets how over-quota calls are refused (429, 403, or both in turn).
    pub fn set_quota_refusal(&self, refusal: QuotaRefusal) {
        self.shared.lock().config.quota_refusal = refusal;
    }

    /// Sets the share of API calls (0.0–1.0) answered by a fault.
    pub fn set_fault_rate(&self, rate: f64) {
        self.shared.lock().config.fault_rate = rate.clamp(0.0, 1.0);
    }

    /// Sets what the consent screen answers from now on.
    pub fn set_consent(&self, consent: Consent) {
        self.shared.lock().config.consent = consent;
    }

    /// An access token and a refresh token for `email` with every scope Kindred uses, as
    /// if the person had signed in, without a browser.
    ///
    /// # Panics
    /// When the account was not added.
    #[must_use]
    pub fn issue_tokens(&self, email: &str) -> (String, String) {
        let email = email.to_ascii_lowercase();
        let mut world = self.shared.lock();
        world.account(&email);
        let lifetime = world.config.access_token_lifetime;
        let client_id = world.config.client_id.clone();
        let issued = world
            .grants
            .issue(&email, grants::ALL_SCOPES, &client_id, true, lifetime);
        (
            issued.access_token,
            issued.refresh_token.unwrap_or_default(),
        )
    }

    /// The next refresh with any of the account's refresh tokens gets `invalid_grant`.
    pub fn invalidate_refresh_tokens(&self, email: &str) {
        self.shared
            .lock()
            .grants
            .invalidate_refresh_tokens(&email.to_ascii_lowercase());
    }

    /// Every access token of the account expires now (the next API call gets 401).
    pub fn expire_access_tokens(&self, email: &str) {
        self.shared
            .lock()
            .grants
            .expire_access_tokens(&email.to_ascii_lowercase());
    }

    /// What the fake has answered so far.
    #[must_use]
    pub fn stats(&self) -> FakeStats {
        self.shared.lock().stats.clone()
    }
}

impl Drop for FakeGoogle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // The server thread may already be gone; then there is nothing to stop.
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // A panic on the server thread has already been reported there.
            let _ = thread.join();
        }
    }
}
