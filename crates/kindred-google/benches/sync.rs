//! Sync benchmark against the fake Google enforcing Google's per-user quota (250 units/s):
//! the initial sync of 10,000 messages — the share of the quota ceiling achieved and the
//! engine's CPU share of one core while it waits on the quota — and an incremental sync
//! of 100 new messages.
//!
//! Run: `cargo bench --workspace --bench sync` (about four minutes). The fake runs in
//! this process on threads of its own; the engine's CPU time is the process's minus those
//! threads', read from `/proc` (Linux).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use kindred_fakegoogle::{FakeConfig, FakeGoogle};
use kindred_google::{sync_account, Endpoints, Google, SyncProgress, SyncSettings, PROVIDER};
use kindred_sources::sample::{write_sample, SampleSpec};
use kindred_store::secrets::MemoryStore;
use kindred_store::Store;

const MESSAGES: usize = 10_000;
const NEW_MESSAGES: usize = 100;
const QUOTA: f64 = 250.0;
const EMAIL: &str = "bench@example.com";
/// The thread name of the fake's server, as `/proc` shows it (15 bytes).
const FAKE_THREAD: &str = "kindred-fakegoo";

/// CPU seconds (user + system) of this process, and of the fake's threads within it.
fn cpu_seconds() -> (f64, f64) {
    let ticks = |stat: &str| -> f64 {
        // Fields after the parenthesised command name: utime is the 12th, stime the 13th.
        let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let value = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (value(11) + value(12)) / 100.0
    };
    let process = std::fs::read_to_string("/proc/self/stat").map_or(0.0, |s| ticks(&s));
    let mut fake = 0.0;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for task in tasks.flatten() {
            let name = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            if name.trim() == FAKE_THREAD {
                fake +=
                    std::fs::read_to_string(task.path().join("stat")).map_or(0.0, |s| ticks(&s));
            }
        }
    }
    (process, fake)
}

fn raw_message(index: usize) -> Vec<u8> {
    format!(
        "From: Newcomer {index} <new{index}@example.org>\r\nTo: {EMAIL}\r\n\
         Subject: Incremental {index}\r\nDate: Sat, 21 Nov 2026 10:{:02}:00 +0000\r\n\
         Message-ID: <incremental.{index}@example.org>\r\n\r\nNew message number {index}.\r\n",
        index % 60
    )
    .into_bytes()
}

#[tokio::main]
async fn main() {
    let scratch = tempfile::tempdir().expect("a temporary directory");
    let mbox = scratch.path().join("bench.mbox");
    let end = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    write_sample(
        &SampleSpec::scaled(MESSAGES, end),
        &mut std::fs::File::create(&mbox).expect("the mbox"),
        &mut Vec::new(),
    )
    .expect("the sample mailbox");

    let fake = FakeGoogle::start(FakeConfig {
        quota_units_per_second: Some(QUOTA),
        ..FakeConfig::default()
    })
    .await
    .expect("the fake Google");
    fake.add_user(EMAIL);
    let loaded = fake.load_mbox(EMAIL, &mbox).expect("the mailbox loads");
    let env = fake.env();
    let endpoints =
        Endpoints::from_lookup(|name| env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()))
            .expect("endpoints");
    let google = Google::new(
        endpoints,
        SyncSettings {
            gmail_units_per_second: QUOTA,
            ..SyncSettings::default()
        },
    )
    .expect("the engine");

    let secrets = MemoryStore::default();
    let data = scratch.path().join("data");
    let store = Store::open(&data, &secrets).await.expect("the store");
    let pending = google.begin_login().await.expect("a sign-in");
    let url = pending.authorization_url().to_string();
    let browser = tokio::spawn(async move { reqwest::get(&url).await.map(|_| ()) });
    let signed_in = google
        .finish_login(pending, Duration::from_secs(30))
        .await
        .expect("signed in");
    browser.await.expect("the browser").expect("the redirect");
    google
        .store_tokens(&secrets, &signed_in)
        .expect("tokens stored");
    let account = store
        .connect_account(PROVIDER, EMAIL, None)
        .await
        .expect("the account");

    let last_report = std::sync::Mutex::new(Instant::now());
    let progress = |event: SyncProgress| {
        let mut last = last_report
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.elapsed() >= Duration::from_secs(15) {
            *last = Instant::now();
            eprintln!(
                "  {:?} {}/{} at {:.1}/s",
                event.stage,
                event.done,
                event.total.unwrap_or(0),
                event.per_second
            );
        }
    };

    let units_before = fake.stats().units_charged;
    let (cpu_before, fake_before) = cpu_seconds();
    let started = Instant::now();
    let report = sync_account(
        &google,
        &store,
        &secrets,
        &account,
        &BTreeSet::new(),
        &progress,
    )
    .await
    .expect("the run is recorded");
    let wall = started.elapsed().as_secs_f64();
    let (cpu_after, fake_after) = cpu_seconds();
    assert!(
        report.error.is_none(),
        "the initial sync succeeds: {:?}",
        report.error
    );
    let stored = store.gmail_ids(account.id).await.expect("ids").len();
    assert_eq!(stored, loaded, "every message is stored");
    let units = (fake.stats().units_charged - units_before) as f64;
    // The fake's bucket starts full with one second's worth.
    let ceiling = (units - QUOTA).max(0.0) / QUOTA;
    let engine_cpu = (cpu_after - cpu_before) - (fake_after - fake_before);
    println!("initial sync of {loaded} messages at {QUOTA} units/s per user");
    println!("  wall time            {wall:.1} s");
    println!("  quota units charged  {units:.0} (the ceiling allows them in {ceiling:.1} s)");
    println!("  share of the ceiling {:.1} %", 100.0 * ceiling / wall);
    println!(
        "  engine CPU           {engine_cpu:.1} s = {:.1} % of one core",
        100.0 * engine_cpu / wall
    );
    println!("  fake CPU             {:.1} s", fake_after - fake_before);
    let stats = fake.stats();
    println!(
        "  quota refusals       {}",
        stats.quota_429 + stats.quota_403
    );

    tokio::time::sleep(Duration::from_secs(2)).await;
    for index in 0..NEW_MESSAGES {
        fake.add_raw_message(EMAIL, &raw_message(index), &["INBOX", "UNREAD"]);
    }
    let units_before = fake.stats().units_charged;
    let started = Instant::now();
    let report = sync_account(
        &google,
        &store,
        &secrets,
        &account,
        &BTreeSet::new(),
        &|_| {},
    )
    .await
    .expect("the run is recorded");
    let wall = started.elapsed().as_secs_f64();
    assert!(
        report.error.is_none(),
        "the incremental sync succeeds: {:?}",
        report.error
    );
    assert_eq!(report.counts.mail_added, NEW_MESSAGES as u64);
    let units = (fake.stats().units_charged - units_before) as f64;
    let quota_time = (units - QUOTA).max(0.0) / QUOTA;
    println!("incremental sync of {NEW_MESSAGES} new messages");
    println!("  wall time            {wall:.2} s");
    println!("  quota units charged  {units:.0} (the quota imposes {quota_time:.2} s)");
    println!(
        "  beyond the quota     {:.2} s",
        (wall - quota_time).max(0.0)
    );
    store.close().await;
}
