//! What the facade's tests share: opening Kindred over a fresh store in a test's temporary
//! directory, a second view of that store for a job runner, running queued jobs to the end
//! of one, pointing the assistant at the fake language model, reading the activity log
//! by kind or rule, and writing mail and importing it.

use std::path::Path;
use std::time::Duration;

use kindred_api::jobs::{JobEvent, JobHandlers, JobRunner, RunnerOptions};
use kindred_api::{
    ActivityEntry, ActivityFilter, Config, ImportRequest, ImportSummary, Kindred, LlmSettingsUpdate,
};
use kindred_fakellm::{FakeLlm, MODEL};
use kindred_store::secrets::{FileStore, MemoryStore, SecretStore};
use kindred_store::Store;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};
use tokio::time::timeout;

/// Long enough for any step of a job on a loaded machine; reaching it means something hung.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// The configuration of a new store in `dir`/data whose key is held in memory only, by
/// this configuration: opened again with it, the store opens with the same key.
pub fn in_memory(dir: &Path) -> Config {
    Config {
        data_dir: dir.join("data"),
        secrets: Box::new(MemoryStore::default()),
    }
}

/// Kindred over a new store in `dir`/data whose key is held in memory only: nothing else
/// can open that store.
pub async fn open(dir: &Path) -> Kindred {
    Kindred::open(&in_memory(dir)).await.unwrap()
}

/// The secrets of a store opened with [`open_kept`] in `dir`, kept in a file there.
pub fn kept_secrets(dir: &Path) -> FileStore {
    FileStore::new(dir.join("secrets.json"))
}

/// Kindred over the store in `dir`/data whose key is kept in a file in `dir`, so that the
/// store can be opened again: after a restart, or beside it by a job runner
/// ([`store_of`]).
pub async fn open_kept(dir: &Path) -> Kindred {
    Kindred::open(&Config {
        data_dir: dir.join("data"),
        secrets: Box::new(kept_secrets(dir)),
    })
    .await
    .unwrap()
}

/// The store under `kindred` (opened by [`open_kept`]) opened a second time, as the app's
/// background job runner has it.
pub async fn store_of(kindred: &Kindred) -> Store {
    let data = kindred.data_dir();
    let secrets = kept_secrets(data.parent().expect("the data directory is in the test's"));
    Store::open(data, &secrets).await.unwrap()
}

/// Starts a runner of `handlers` over `store` whose events arrive on the returned channel.
pub fn start_runner(
    store: &Store,
    handlers: JobHandlers,
    options: &RunnerOptions,
) -> (JobRunner, UnboundedReceiver<JobEvent>) {
    let (sender, receiver) = unbounded_channel();
    let on_event = move |event| {
        let _ = sender.send(event);
    };
    (
        JobRunner::start(store.clone(), handlers, options, on_event),
        receiver,
    )
}

/// The next event on `events` that `wanted` accepts, skipping the others.
pub async fn next_event<T>(
    events: &mut UnboundedReceiver<JobEvent>,
    mut wanted: impl FnMut(&JobEvent) -> Option<T>,
) -> T {
    let found = timeout(PATIENCE, async {
        loop {
            let event = events
                .recv()
                .await
                .expect("the runner reports until shut down");
            if let Some(found) = wanted(&event) {
                return found;
            }
        }
    })
    .await;
    found.expect("the awaited event came within the patience bound")
}

/// The events a runner reports on `events` until a job of `kind` has finished or failed
/// for good: that end is the last.
pub async fn until_one_ends(events: &mut UnboundedReceiver<JobEvent>, kind: &str) -> Vec<JobEvent> {
    let mut seen = Vec::new();
    next_event(events, |event| {
        seen.push(event.clone());
        matches!(
            event,
            JobEvent::Finished { kind: of, .. } | JobEvent::Failed { kind: of, .. } if of == kind
        )
        .then_some(())
    })
    .await;
    seen
}

/// Runs the jobs queued in `store` with `handlers` until one of `kind` has finished or
/// failed for good, then shuts the runner down; returns the events the runner reported up
/// to that end, which is the last.
pub async fn run_until_one_ends(
    store: &Store,
    handlers: JobHandlers,
    options: &RunnerOptions,
    kind: &str,
) -> Vec<JobEvent> {
    let (runner, mut events) = start_runner(store, handlers, options);
    let seen = until_one_ends(&mut events, kind).await;
    runner.shutdown().await;
    seen
}

/// [`run_until_one_ends`], which must end with the job finished.
pub async fn run_until_one_finishes(
    store: &Store,
    handlers: JobHandlers,
    options: &RunnerOptions,
    kind: &str,
) -> Vec<JobEvent> {
    let events = run_until_one_ends(store, handlers, options, kind).await;
    assert!(
        matches!(events.last(), Some(JobEvent::Finished { .. })),
        "the {kind} job finished: {events:?}"
    );
    events
}

/// Points `kindred`'s assistant at `fake` and its chat model, the settings' key going to
/// `secrets`.
pub async fn use_fake_llm(kindred: &Kindred, secrets: &dyn SecretStore, fake: &FakeLlm) {
    kindred
        .set_llm_settings(
            secrets,
            LlmSettingsUpdate {
                base_url: Some(fake.base_url()),
                model: Some(MODEL.to_owned()),
                ..LlmSettingsUpdate::default()
            },
        )
        .await
        .unwrap();
}

/// The entries of the activity log of `kind` (or of the kinds under a prefix ending in a
/// dot), newest first.
pub async fn activity_of_kind(kindred: &Kindred, kind: &str) -> Vec<ActivityEntry> {
    kindred
        .activity(&ActivityFilter {
            kind: Some(kind.to_owned()),
            ..ActivityFilter::default()
        })
        .await
        .unwrap()
}

/// The entries of the activity log of rule `rule`, newest first.
pub async fn activity_of_rule(kindred: &Kindred, rule: i64) -> Vec<ActivityEntry> {
    kindred
        .activity(&ActivityFilter {
            actor: Some(format!("rule {rule}")),
            ..ActivityFilter::default()
        })
        .await
        .unwrap()
}

/// The entries of the activity log of rule `rule` firing, newest first.
pub async fn firings_of_rule(kindred: &Kindred, rule: i64) -> Vec<ActivityEntry> {
    kindred
        .activity(&ActivityFilter {
            actor: Some(format!("rule {rule}")),
            kind: Some("rule.fired".to_owned()),
            ..ActivityFilter::default()
        })
        .await
        .unwrap()
}

/// A message in mbox form from Dana Reyes to Robin Vale on `day` `month` 2025, its
/// Message-ID made of its subject's letters and digits and its date.
pub fn dana_to_robin(day: u32, month: &str, subject: &str, body: &str) -> String {
    let slug: String = subject
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!(
        "From dana@acme.example Mon Jan  1 10:00:00 2025\n\
         From: Dana Reyes <dana@acme.example>\nTo: Robin Vale <robin@vale.example>\n\
         Subject: {subject}\nMessage-ID: <{slug}-{day}-{month}@acme.example>\n\
         Date: Mon, {day} {month} 2025 10:00:00 +0000\n\n{body}\n\n"
    )
}

/// Writes `mail` to `dir`/`name` and imports it, `me` being the person's addresses (none:
/// Kindred finds them in the mail), with what the import says.
pub async fn import_mbox(
    kindred: &Kindred,
    dir: &Path,
    name: &str,
    mail: &str,
    me: &[&str],
) -> ImportSummary {
    let path = dir.join(name);
    std::fs::write(&path, mail).unwrap();
    kindred
        .import(
            ImportRequest {
                paths: vec![path],
                me: me.iter().map(|&address| address.to_owned()).collect(),
            },
            &|_| {},
        )
        .await
        .unwrap()
}
