//! Gmail sync for one account. The initial sync lists the window's ids newest first
//! (each page committed with the next page token), then fetches them concurrently in
//! `raw` format, parsed by the same MIME path as mail files; each committed batch drops
//! its ids from the list to fetch. Later runs replay `history.list` from the stored
//! historyId: new messages are fetched, deletions and label changes applied. An expired
//! historyId (404) starts a bounded reconcile: re-list the window, delete what is gone,
//! fetch only what is missing.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use base64::Engine;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use kindred_sources::mime::{parse_message, Envelope};
use kindred_store::sync::{FetchedMessage, GmailChanges, SyncPhase, SyncState};
use serde::Deserialize;
use url::Url;

use crate::error::GoogleError;
use crate::quota::cost;
use crate::sync::{AccountSync, SyncStage};

/// The `sync_state` source of Gmail.
pub const SOURCE: &str = "gmail";
/// Ids per `messages.list` page (Google's maximum).
const PAGE_SIZE: &str = "500";
/// Pending ids read from the store at a time.
const PENDING_CHUNK: u32 = 2_000;
/// The longest a fetched message waits for its batch to be committed.
const FLUSH_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);
/// Labels whose messages Kindred does not keep (the listing excludes them too).
const HIDDEN_LABELS: [&str; 2] = ["TRASH", "SPAM"];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MessageList {
    #[serde(default)]
    messages: Vec<MessageRef>,
    next_page_token: Option<String>,
    result_size_estimate: Option<u64>,
}

#[derive(Deserialize)]
struct MessageRef {
    id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMessage {
    id: String,
    #[serde(default)]
    label_ids: Vec<String>,
    raw: Option<String>,
    internal_date: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Profile {
    pub(crate) history_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HistoryList {
    #[serde(default)]
    history: Vec<History>,
    next_page_token: Option<String>,
    history_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct History {
    #[serde(default)]
    messages_added: Vec<HistoryMessage>,
    #[serde(default)]
    messages_deleted: Vec<HistoryMessage>,
    #[serde(default)]
    labels_added: Vec<HistoryLabels>,
    #[serde(default)]
    labels_removed: Vec<HistoryLabels>,
}

#[derive(Deserialize)]
struct HistoryMessage {
    message: MessageStub,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MessageStub {
    id: String,
    #[serde(default)]
    label_ids: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HistoryLabels {
    message: MessageStub,
    #[serde(default)]
    label_ids: Vec<String>,
}

/// What fetching one id gave.
enum Fetched {
    Message(Box<FetchedMessage>),
    /// Deleted (404) or moved to trash or spam since it was listed.
    Gone(String),
    /// Fetched but not a message Kindred can read.
    Unreadable(String, String),
}

fn api_url(base: &Url, path: &str) -> Result<Url, GoogleError> {
    let text = format!(
        "{}/gmail/v1/users/me/{path}",
        base.as_str().trim_end_matches('/')
    );
    Url::parse(&text).map_err(|error| GoogleError::Config(format!("bad Gmail URL {text}: {error}")))
}

/// Brings the account's mail in the store up to date with Gmail.
pub(crate) async fn sync(sync: &AccountSync<'_>) -> Result<(), GoogleError> {
    let account_id = sync.account.id;
    let mut state = match sync.store.sync_state(account_id, SOURCE).await? {
        Some(state) => state,
        None => {
            let state = SyncState {
                phase: SyncPhase::Listing,
                cursor: Some(profile(sync).await?.history_id),
                page_token: None,
                window_start: sync.account.window_days.map(|days| {
                    (sync.now - chrono::Duration::days(i64::from(days))).timestamp_millis()
                }),
            };
            sync.store
                .set_sync_state(account_id, SOURCE, &state)
                .await?;
            state
        }
    };
    loop {
        state = match state.phase {
            SyncPhase::Listing | SyncPhase::Reconcile => list(sync, state).await?,
            SyncPhase::Fetching => fetch_pending(sync, state).await?,
            SyncPhase::Incremental => match replay(sync, &state).await {
                Ok(()) => return Ok(()),
                Err(error) if error.is_not_found() => {
                    tracing::info!("the stored historyId expired; reconciling the mailbox");
                    let reconcile = SyncState {
                        phase: SyncPhase::Reconcile,
                        cursor: Some(profile(sync).await?.history_id),
                        page_token: None,
                        window_start: state.window_start,
                    };
                    sync.store
                        .set_sync_state(account_id, SOURCE, &reconcile)
                        .await?;
                    reconcile
                }
                Err(error) => return Err(error),
            },
        };
    }
}

async fn profile(sync: &AccountSync<'_>) -> Result<Profile, GoogleError> {
    let url = api_url(&sync.google.endpoints.gmail_url, "profile")?;
    sync.gmail
        .get(&url, cost::GET_PROFILE, "reading the Gmail profile")
        .await
}

/// Lists the window's ids page by page into the store; returns the state after the
/// last page (fetching).
async fn list(sync: &AccountSync<'_>, state: SyncState) -> Result<SyncState, GoogleError> {
    let reconcile = state.phase == SyncPhase::Reconcile;
    let mut page_token = state.page_token.clone();
    let mut listed = sync.store.gmail_pending_count(sync.account.id).await?;
    let meter = sync.meter(listed);
    loop {
        let mut url = api_url(&sync.google.endpoints.gmail_url, "messages")?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("maxResults", PAGE_SIZE);
            if let Some(start) = state.window_start {
                query.append_pair("q", &format!("after:{}", start.div_euclid(1000)));
            }
            if let Some(token) = &page_token {
                query.append_pair("pageToken", token);
            }
        }
        let page: MessageList = sync
            .gmail
            .get(&url, cost::MESSAGES_LIST, "listing messages")
            .await?;
        let ids: Vec<String> = page.messages.into_iter().map(|m| m.id).collect();
        listed += ids.len() as u64;
        let next = SyncState {
            phase: if page.next_page_token.is_some() {
                state.phase
            } else {
                SyncPhase::Fetching
            },
            cursor: state.cursor.clone(),
            page_token: page.next_page_token.clone(),
            window_start: state.window_start,
        };
        let counts = sync
            .store
            .write_gmail_listing(sync.account.id, &ids, reconcile, &next)
            .await?;
        sync.add(counts);
        let estimate = page.result_size_estimate.map(|e| e.max(listed));
        sync.report(SyncStage::Listing, &meter, listed, estimate);
        if next.phase == SyncPhase::Fetching {
            return Ok(next);
        }
        page_token = next.page_token;
    }
}

/// Fetches every listed id; returns the caught-up state.
async fn fetch_pending(sync: &AccountSync<'_>, state: SyncState) -> Result<SyncState, GoogleError> {
    let account_id = sync.account.id;
    let remaining = sync.store.gmail_pending_count(account_id).await?;
    let already = sync.store.gmail_count(account_id).await?;
    let total = already + remaining;
    let meter = sync.meter(already);
    let mut done = already;
    loop {
        let ids = sync.store.gmail_pending(account_id, PENDING_CHUNK).await?;
        if ids.is_empty() {
            let caught_up = SyncState {
                phase: SyncPhase::Incremental,
                page_token: None,
                ..state
            };
            sync.store
                .set_sync_state(account_id, SOURCE, &caught_up)
                .await?;
            return Ok(caught_up);
        }
        fetch_and_store(sync, ids, &mut |batch| {
            done += batch;
            sync.report(SyncStage::FetchingMail, &meter, done, Some(total));
        })
        .await?;
    }
}

/// Fetches `ids` concurrently and commits them in batches — of `batch_size`, or what
/// arrived within [`FLUSH_INTERVAL`] — calling `on_batch` with the size of each; returns
/// the ids stored.
async fn fetch_and_store(
    sync: &AccountSync<'_>,
    ids: Vec<String>,
    on_batch: &mut (dyn FnMut(u64) + Send),
) -> Result<BTreeSet<String>, GoogleError> {
    let settings = &sync.google.settings;
    let base = &sync.google.endpoints.gmail_url;
    let email = sync.account.email.as_str();
    let mut results = futures_util::stream::iter(ids)
        .map(|id| fetch_one(&sync.gmail, base, email, id))
        .buffer_unordered(settings.concurrency.max(1));
    let mut stored = BTreeSet::new();
    let mut batch = Vec::new();
    let mut deadline = tokio::time::Instant::now();
    let mut finished = false;
    while !finished {
        let next = if batch.is_empty() {
            Some(results.next().await)
        } else {
            tokio::time::timeout_at(deadline, results.next()).await.ok()
        };
        match next {
            Some(Some(result)) => {
                if batch.is_empty() {
                    deadline = tokio::time::Instant::now() + FLUSH_INTERVAL;
                }
                batch.push(result);
            }
            Some(None) => finished = true,
            // The batch's time is up: commit what arrived.
            None => {}
        }
        let due = tokio::time::Instant::now() >= deadline;
        if !batch.is_empty() && (finished || due || batch.len() >= settings.batch_size) {
            let size = batch.len() as u64;
            stored.extend(commit(sync, std::mem::take(&mut batch)).await?);
            on_batch(size);
        }
    }
    Ok(stored)
}

/// Stores one batch of fetch results in one transaction.
async fn commit(
    sync: &AccountSync<'_>,
    chunk: Vec<Result<Fetched, GoogleError>>,
) -> Result<Vec<String>, GoogleError> {
    let mut messages = Vec::new();
    let mut gone = Vec::new();
    let mut failure = None;
    for result in chunk {
        match result {
            Ok(Fetched::Message(message)) => messages.push(*message),
            Ok(Fetched::Gone(id)) => gone.push(id),
            Ok(Fetched::Unreadable(id, reason)) => {
                sync.error(format!("Gmail message {id}: {reason}"));
                gone.push(id);
            }
            Err(error) => failure = failure.or(Some(error)),
        }
    }
    // What did arrive is kept even when another fetch of the batch failed.
    let counts = sync
        .store
        .write_gmail_messages(sync.account.id, &messages, &gone, sync.me, None)
        .await?;
    sync.add(counts);
    match failure {
        Some(error) => Err(error),
        None => Ok(messages.into_iter().map(|m| m.gmail_id).collect()),
    }
}

async fn fetch_one(
    client: &crate::client::ApiClient<'_>,
    base: &Url,
    email: &str,
    id: String,
) -> Result<Fetched, GoogleError> {
    let mut url = api_url(base, &format!("messages/{id}"))?;
    url.query_pairs_mut().append_pair("format", "raw");
    let message: RawMessage = match client
        .get(&url, cost::MESSAGES_GET, "fetching a message")
        .await
    {
        Ok(message) => message,
        Err(error) if error.is_not_found() => return Ok(Fetched::Gone(id)),
        Err(error) => return Err(error),
    };
    if message
        .label_ids
        .iter()
        .any(|l| HIDDEN_LABELS.contains(&l.as_str()))
    {
        return Ok(Fetched::Gone(id));
    }
    let Some(raw) = message.raw.as_deref() else {
        return Ok(Fetched::Unreadable(
            id,
            "Gmail sent no raw content".to_owned(),
        ));
    };
    let bytes = match base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw.trim_end_matches('=').as_bytes())
    {
        Ok(bytes) => bytes,
        Err(error) => {
            return Ok(Fetched::Unreadable(
                id,
                format!("raw content is not base64url: {error}"),
            ))
        }
    };
    let envelope = Envelope {
        source_key: format!("gmail:{email}/{}", message.id),
        labels: message.label_ids,
        fallback_date: message
            .internal_date
            .as_deref()
            .and_then(|d| d.parse::<i64>().ok())
            .and_then(DateTime::<Utc>::from_timestamp_millis),
    };
    // MIME parsing is CPU work, but one message takes well under a millisecond.
    Ok(match parse_message(&bytes, envelope) {
        Ok(parsed) => {
            // The message is kept; only a calendar part that could not be read is left
            // out. Where and why stay out of the log: they may quote the mail.
            if !parsed.calendar_problems.is_empty() {
                tracing::warn!(
                    "Gmail message {id}: {} calendar part problem(s); the readable parts were kept",
                    parsed.calendar_problems.len()
                );
            }
            Fetched::Message(Box::new(FetchedMessage {
                gmail_id: id,
                message: parsed.message,
            }))
        }
        Err(reason) => Fetched::Unreadable(id, reason),
    })
}

/// The net effect of a run of history records.
#[derive(Debug, Default)]
struct Replay {
    /// Ids to fetch: added (or restored from trash or spam) and still there.
    to_fetch: Vec<String>,
    deleted: Vec<String>,
    /// The last change of each (id, label): true for added.
    labels: BTreeMap<(String, String), bool>,
}

fn net_effect(history: &[History]) -> Replay {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Last {
        Added,
        Deleted,
    }
    let mut last: HashMap<&str, Last> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    let mut hidden: HashMap<&str, bool> = HashMap::new();
    let mut labels = BTreeMap::new();
    for record in history {
        for added in &record.messages_added {
            let id = added.message.id.as_str();
            order.push(id);
            last.insert(id, Last::Added);
            let is_hidden = added
                .message
                .label_ids
                .iter()
                .any(|l| HIDDEN_LABELS.contains(&l.as_str()));
            hidden.insert(id, is_hidden);
        }
        for deleted in &record.messages_deleted {
            last.insert(deleted.message.id.as_str(), Last::Deleted);
        }
        for (changes, added) in [
            (&record.labels_added, true),
            (&record.labels_removed, false),
        ] {
            for change in changes {
                let id = change.message.id.as_str();
                for label in &change.label_ids {
                    labels.insert((id.to_owned(), label.clone()), added);
                    if HIDDEN_LABELS.contains(&label.as_str()) {
                        hidden.insert(id, added);
                        if !added {
                            order.push(id);
                            last.entry(id).or_insert(Last::Added);
                        }
                    }
                }
            }
        }
    }
    let gone = |id: &str| last.get(id) == Some(&Last::Deleted) || hidden.get(id) == Some(&true);
    let mut seen = BTreeSet::new();
    let to_fetch = order
        .into_iter()
        .filter(|id| !gone(id) && seen.insert(*id))
        .map(str::to_owned)
        .collect();
    let deleted = last
        .keys()
        .chain(hidden.keys())
        .filter(|id| gone(id))
        .map(|id| (*id).to_owned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    Replay {
        to_fetch,
        deleted,
        labels,
    }
}

/// One incremental pass from the stored historyId.
///
/// # Errors
/// A 404 from `history.list` means the historyId expired; the caller reconciles.
async fn replay(sync: &AccountSync<'_>, state: &SyncState) -> Result<(), GoogleError> {
    let account_id = sync.account.id;
    let Some(start) = state.cursor.clone() else {
        return Err(GoogleError::Api {
            context: "replaying the mailbox history".to_owned(),
            status: 404,
            reason: "noHistoryId".to_owned(),
            message: "no historyId is stored".to_owned(),
        });
    };
    let mut history = Vec::new();
    let mut latest = None;
    let mut page_token: Option<String> = None;
    loop {
        let mut url = api_url(&sync.google.endpoints.gmail_url, "history")?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("startHistoryId", &start);
            query.append_pair("maxResults", PAGE_SIZE);
            if let Some(token) = &page_token {
                query.append_pair("pageToken", token);
            }
        }
        let page: HistoryList = sync
            .gmail
            .get(&url, cost::HISTORY_LIST, "replaying the mailbox history")
            .await?;
        history.extend(page.history);
        latest = page.history_id.or(latest);
        match page.next_page_token {
            Some(token) => page_token = Some(token),
            None => break,
        }
    }
    let effect = net_effect(&history);
    let known = sync.store.gmail_known(account_id, &effect.to_fetch).await?;
    let missing: Vec<String> = effect
        .to_fetch
        .iter()
        .filter(|id| !known.contains(*id))
        .cloned()
        .collect();
    let total = missing.len() as u64;
    let meter = sync.meter(0);
    let mut done = 0;
    let mut fetched = BTreeSet::new();
    if !missing.is_empty() {
        fetched = fetch_and_store(sync, missing, &mut |batch| {
            done += batch;
            sync.report(SyncStage::FetchingMail, &meter, done, Some(total));
        })
        .await?;
    }
    let (mut labels_added, mut labels_removed) = (Vec::new(), Vec::new());
    for ((id, label), added) in effect.labels {
        if fetched.contains(&id) {
            continue;
        }
        if added {
            labels_added.push((id, label));
        } else {
            labels_removed.push((id, label));
        }
    }
    let changes = GmailChanges {
        deleted: effect.deleted,
        labels_added,
        labels_removed,
    };
    let caught_up = SyncState {
        phase: SyncPhase::Incremental,
        cursor: Some(latest.unwrap_or(start)),
        page_token: None,
        window_start: state.window_start,
    };
    let counts = sync
        .store
        .apply_gmail_changes(account_id, &changes, &caught_up)
        .await?;
    sync.add(counts);
    Ok(())
}
