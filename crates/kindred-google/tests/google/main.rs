//! Integration tests of kindred-google against the fake Google over real HTTP, writing
//! the real encrypted store: sign-in through the loopback redirect, Gmail and Calendar
//! sync, faults, expiry and token failures.

mod calendar;
mod gmail;
mod oauth;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use kindred_fakegoogle::{FakeConfig, FakeGoogle};
use kindred_google::{sync_account, AccountReport, Endpoints, Google, SyncSettings, PROVIDER};
use kindred_sources::sample::{write_sample, SampleSpec};
use kindred_store::accounts::Account;
use kindred_store::secrets::MemoryStore;
use kindred_store::Store;

/// A fake Google, a store in a temporary directory, in-memory secrets, and the engine
/// pointed at the fake.
pub struct World {
    pub fake: FakeGoogle,
    pub dir: tempfile::TempDir,
    pub secrets: MemoryStore,
    pub store: Store,
    pub google: Google,
}

/// Settings for tests: Google's quota off unless the fake enforces one, short timeouts
/// and backoff so faults are retried quickly.
pub fn test_settings() -> SyncSettings {
    SyncSettings {
        gmail_units_per_second: 100_000.0,
        calendar_requests_per_second: 100_000.0,
        request_timeout: Duration::from_secs(2),
        backoff_base: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        max_attempts: 12,
        ..SyncSettings::default()
    }
}

impl World {
    pub async fn start(config: FakeConfig) -> Self {
        Self::with_settings(config, test_settings()).await
    }

    pub async fn with_settings(config: FakeConfig, settings: SyncSettings) -> Self {
        let fake = FakeGoogle::start(config).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let secrets = MemoryStore::default();
        let store = Store::open(dir.path(), &secrets).await.unwrap();
        let google = Google::new(endpoints(&fake), settings).unwrap();
        Self {
            fake,
            dir,
            secrets,
            store,
            google,
        }
    }

    /// Signs `email` in through the loopback redirect, as a browser would, and records
    /// the account with `window_days`.
    pub async fn sign_in(&self, email: &str, window_days: Option<u32>) -> Account {
        let pending = self.google.begin_login().await.unwrap();
        let url = format!("{}&login_hint={email}", pending.authorization_url());
        let browser = tokio::spawn(async move { follow(&url).await });
        let signed_in = self
            .google
            .finish_login(pending, Duration::from_secs(30))
            .await
            .unwrap();
        let page = browser.await.unwrap();
        assert!(
            page.contains("You can close this tab"),
            "the loopback page tells the person they can close the tab: {page}"
        );
        assert_eq!(
            signed_in.email, email,
            "the address comes from the userinfo endpoint"
        );
        self.google.store_tokens(&self.secrets, &signed_in).unwrap();
        self.store
            .connect_account(PROVIDER, email, window_days)
            .await
            .unwrap()
    }

    pub async fn sync(&self, account: &Account) -> AccountReport {
        let account = self
            .store
            .account(PROVIDER, &account.email)
            .await
            .unwrap()
            .unwrap();
        sync_account(
            &self.google,
            &self.store,
            &self.secrets,
            &account,
            &BTreeSet::new(),
            &|_| {},
        )
        .await
        .unwrap()
    }

    /// Syncs and insists that the pass succeeded.
    pub async fn sync_ok(&self, account: &Account) -> AccountReport {
        let report = self.sync(account).await;
        assert!(
            report.error.is_none(),
            "the sync pass succeeds: {:?}",
            report.error
        );
        report
    }

    /// The stored Gmail ids equal the fake mailbox's, exactly.
    pub async fn assert_mail_matches(&self, account: &Account) {
        let stored = self.store.gmail_ids(account.id).await.unwrap();
        let served = self.fake.message_ids(&account.email);
        assert_eq!(
            stored.len(),
            served.len(),
            "as many messages stored as Gmail holds"
        );
        assert_eq!(stored, served, "the store holds exactly Gmail's messages");
    }
}

/// The engine's endpoints for `fake`, without touching the process environment.
pub fn endpoints(fake: &FakeGoogle) -> Endpoints {
    let env = fake.env();
    Endpoints::from_lookup(|name| {
        env.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
    })
    .unwrap()
}

/// GETs `url` following redirects, as a browser does, and returns the final page.
pub async fn follow(url: &str) -> String {
    reqwest::Client::new()
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A sample mailbox of `messages` messages, written by the project's seeded generator.
pub fn sample_mbox(dir: &Path, messages: usize) -> PathBuf {
    let end = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let path = dir.join(format!("sample-{messages}.mbox"));
    let mut mbox = std::fs::File::create(&path).unwrap();
    let mut ics = Vec::new();
    write_sample(&SampleSpec::scaled(messages, end), &mut mbox, &mut ics).unwrap();
    path
}

/// One hand-written message.
pub fn raw_message(from: &str, to: &str, subject: &str, day: u32) -> Vec<u8> {
    format!(
        "From: Sender <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\n\
         Date: Mon, {day:02} Nov 2026 10:00:00 +0000\r\n\
         Message-ID: <{subject}.{day}@example.com>\r\n\r\nHello about {subject}.\r\n"
    )
    .into_bytes()
}
