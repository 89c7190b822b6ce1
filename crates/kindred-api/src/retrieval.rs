//! Hybrid retrieval over the mail and the calendar: messages are cut into chunks (quoted
//! replies, signatures and HTML left out), and so are events (title, attendees' names,
//! description and place; again when they change, none when cancelled, gone with the
//! event), then the chunks are embedded — by the configured endpoint's embeddings model
//! when there is one (`KINDRED_EMBEDDINGS_MODEL` with a base URL), else by kindred-ai's
//! local embedder — new mail incrementally (by the [`INDEX_JOB`] queued after imports and
//! syncs, and before any search); a search runs BM25 over the chunks (subject and sender
//! weighted above the body) and, at the same time, a nearest-neighbour pass over their
//! binary vectors held in memory, rescored in full precision, and fuses the two by
//! reciprocal rank, per message or event. Filters: a person (the messages they sent or
//! received, the events they attend), a date range. [`Kindred::evaluate_retrieval`]
//! measures recall@5 of each pass and of both on the sample's planted questions.
//!
//! Vectors of different models are never compared: the store records which model made
//! its vectors (see `kindred_store::chunks`). When the configured model is another, or its
//! vectors do not cover every chunk yet, search is by words alone and says so
//! ([`VectorUse`]), and the indexing job rebuilds the vectors for the configured model in
//! batches, each committed with its mark, so that it resumes where it stopped. An endpoint
//! that fails mid-way leaves every batch before intact (the provider retries 429 and 5xx
//! with backoff, then the job is retried with its own); a reply that is not a list of
//! vectors of one length writes nothing.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use kindred_ai::retrieval::{
    chunk_body, clean_body, cosine, embed_locally, fuse, html_to_text, search_words,
};
use kindred_ai::vectors::{bit_bytes, sign_bits, BitIndex};
use kindred_ai::{Provider, ProviderError};
use kindred_sources::sample;
use kindred_store::chunks::{
    ChunkFilter, ChunkHit, ChunkOf, ChunkRow, ChunkState, ChunkText, EventChunks, NewChunk,
    UnchunkedEvent, UnindexedMessage, VectorBatch, VectorBatchError,
};
use kindred_store::secrets::SecretStore;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;
use ts_rs::TS;

use crate::jobs::{JobError, JobHandlers, NewJob};
use crate::{ApiError, ErrorCode, Kindred};

/// Messages chunked per transaction.
const INDEX_BATCH: u32 = 256;
/// Chunks embedded per transaction by the local embedder.
const LOCAL_EMBED_BATCH: u32 = 512;
/// Chunks embedded per request to an endpoint (and per transaction).
const ENDPOINT_EMBED_BATCH: u32 = 64;
/// Batches of new chunks a search embeds through an endpoint before it runs; the
/// indexing job embeds the rest.
const SEARCH_EMBED_BATCHES: usize = 2;
/// The model name the store records for the local embedder's vectors.
pub const LOCAL_MODEL: &str = "local";
/// Candidates each pass brings to the fusion, in chunks.
const CANDIDATES: u32 = 100;
/// Nearest neighbours by the binary vectors, rescored in full precision to keep the best
/// [`CANDIDATES`]; more when a filter narrows them afterwards.
const NEIGHBOURS: usize = 100;
const FILTERED_NEIGHBOURS: usize = 2000;
/// Nearest neighbours less similar than this (cosine, full precision) are noise: texts
/// that share no word hash together at about this level.
const MIN_SIMILARITY: f32 = 0.15;
/// Characters of the best chunk shown around the first matched word.
const SNIPPET_CHARS: usize = 200;

/// `kindred search`: what to find, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    pub query: String,
    /// Only messages with this person (an address or id).
    pub person: Option<String>,
    /// From this day on (UTC).
    pub from: Option<NaiveDate>,
    /// Up to and including this day (UTC).
    pub to: Option<NaiveDate>,
    pub limit: u32,
}

/// One message or event found by hybrid search, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HybridHit {
    /// `message` or `event`.
    pub kind: String,
    /// The message's id (none for an event).
    #[ts(type = "number | null")]
    pub message_id: Option<i64>,
    /// The event's id (none for a message).
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
    /// The message's subject or the event's title.
    pub subject: String,
    /// The message's sender, or the event's attendees.
    pub from: String,
    /// When the message was sent or the event starts: ISO 8601, UTC.
    pub date: String,
    /// The best chunk's text around the first word of the query it holds; the query's
    /// words between `[` and `]`.
    pub snippet: String,
    /// The fused reciprocal-rank score.
    pub score: f64,
    /// `text`, `vector` or `both`: which pass found it.
    pub matched_by: String,
}

/// What a search found, and whether its vectors were used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub hits: Vec<HybridHit>,
    pub vectors: VectorUse,
}

/// Whether a search compared vectors, with which model, and if not (or not all), why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VectorUse {
    /// Whether the nearest-neighbour pass ran.
    pub used: bool,
    /// The embeddings model configured (`local` for the built-in embedder).
    pub model: String,
    /// Why the vectors were not used, or what they miss; none when all is well.
    pub note: Option<String>,
}

/// Which first passes a search runs: hybrid search runs both, the evaluation each alone
/// too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Passes {
    Text,
    Vectors,
    Both,
}

/// Questions the evaluation plants: about this many, one every so many human threads
/// (a sample has about a third as many threads as messages).
const QUESTIONS: usize = 300;

/// Recall@5 over the sample's planted questions, by the way of searching: see
/// [`Kindred::evaluate_retrieval`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RetrievalEvaluation {
    /// Questions asked (those whose answers are in the store).
    pub questions: usize,
    /// Full-text search (BM25 over the chunks) alone.
    pub text: f64,
    /// The nearest neighbours of the local embedding alone, rescored in full precision.
    pub vectors: f64,
    /// Both, fused by reciprocal rank.
    pub hybrid: f64,
}

/// How far indexing has come: messages and events cut into chunks, then chunks embedded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IndexProgress {
    /// `chunking` (messages and events), `embedding` (chunks), then `done` once every
    /// chunk has its vector (counting the chunks this pass embedded).
    pub stage: String,
    #[ts(type = "number")]
    pub indexed: u64,
    #[ts(type = "number")]
    pub total: u64,
    /// The embeddings model (`local` for the built-in embedder).
    pub model: String,
}

/// What an indexing pass did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexReport {
    /// Messages cut into chunks.
    pub messages: u64,
    /// Events cut into chunks (added or changed since they last were).
    pub events: u64,
    /// Chunks embedded.
    pub embedded: u64,
    /// The embeddings model used (`local` for the built-in embedder).
    pub model: String,
    /// Whether every chunk now has this model's vector.
    pub complete: bool,
}

/// Who computes the vectors.
enum Embedder {
    Local,
    Endpoint(Box<Provider>),
}

impl Embedder {
    fn model(&self) -> &str {
        match self {
            Self::Local => LOCAL_MODEL,
            Self::Endpoint(provider) => provider.embeddings_model().unwrap_or_default(),
        }
    }

    fn batch(&self) -> u32 {
        match self {
            Self::Local => LOCAL_EMBED_BATCH,
            Self::Endpoint(_) => ENDPOINT_EMBED_BATCH,
        }
    }
}

/// The chunks' binary vectors held in memory for the nearest-neighbour pass, with the
/// state of the chunks when they were read: new chunks are added on the next search, and
/// all are read again after a deletion.
#[derive(Debug, Default)]
pub(crate) struct VectorCache {
    loaded: Mutex<Option<(ChunkState, Arc<BitIndex>)>>,
    /// Held while indexing, so that a search and the background job do not both embed the
    /// same new mail.
    indexing: Mutex<()>,
}

/// The background job that chunks and embeds new mail.
pub const INDEX_JOB: &str = "retrieval.index";

/// Adds the indexing job to `handlers`: it cuts every message not indexed yet into
/// chunks and embeds every chunk without a vector of the configured model (all of them
/// after a change of model), reporting progress to `progress` after each batch. The job
/// runs with the Kindred and the secret store (for the LLM's key) that `parts` reaches in
/// `owner`. A failing endpoint makes it retry with backoff; a refused key does not.
#[must_use]
pub fn register_index_job<T: Send + Sync + 'static>(
    handlers: JobHandlers,
    owner: &Arc<T>,
    parts: fn(&T) -> (&Kindred, &dyn SecretStore),
    progress: impl Fn(IndexProgress) + Send + Sync + 'static,
) -> JobHandlers {
    let owner = Arc::clone(owner);
    let progress = Arc::new(progress);
    handlers.register(INDEX_JOB, move |_context| {
        let (owner, progress) = (Arc::clone(&owner), Arc::clone(&progress));
        async move {
            let (kindred, secrets) = parts(&owner);
            kindred
                .index_messages(secrets, &*progress)
                .await
                .map_err(|error| match error.code {
                    ErrorCode::InvalidInput => JobError::permanent(error.message),
                    _ => JobError::retryable(error.message),
                })?;
            Ok(())
        }
    })
}

/// Adds `rows` (`(chunk id, bits)` from the store) to `index`; returns the highest id
/// among them.
fn add_bits(index: &mut BitIndex, rows: &[(i64, Vec<u8>)]) -> Result<Option<i64>, ApiError> {
    for (id, bits) in rows {
        index.push(*id, bits).map_err(|length| {
            ApiError::internal(
                "reading the chunks' binary vectors",
                &format!("chunk {id} has {length} bytes, not {}", index.bytes()),
            )
        })?;
    }
    Ok(rows.iter().map(|(id, _)| *id).max())
}

fn chunks_of(message: &UnindexedMessage) -> Vec<NewChunk> {
    let body = clean_body(&message.body);
    chunk_body(&body)
        .into_iter()
        .enumerate()
        .map(|(ord, text)| NewChunk {
            of: ChunkOf::Message(message.id),
            ord: i64::try_from(ord).unwrap_or(i64::MAX),
            subject: message.subject.clone(),
            sender: message.sender.clone(),
            body: text,
            at: message.sent_at,
        })
        .collect()
}

/// The chunks of an event: its title as the subject, its attendees as the sender, its
/// description and place as the body. A cancelled event has none.
fn chunks_of_event(event: &UnchunkedEvent) -> EventChunks {
    let chunks = if event.cancelled {
        Vec::new()
    } else {
        let description = if event.description.contains('<') {
            html_to_text(&event.description)
        } else {
            event.description.clone()
        };
        chunk_body(&format!(
            "{}\n\n{}",
            description.trim(),
            event.location.trim()
        ))
        .into_iter()
        .enumerate()
        .map(|(ord, text)| NewChunk {
            of: ChunkOf::Event(event.id),
            ord: i64::try_from(ord).unwrap_or(i64::MAX),
            subject: event.title.clone(),
            sender: event.attendees.clone(),
            body: text,
            at: event.starts_at,
        })
        .collect()
    };
    EventChunks {
        event_id: event.id,
        version: event.version,
        chunks,
    }
}

/// The text a chunk is embedded from: its subject, sender and body.
fn embedding_text(chunk: &ChunkText) -> String {
    format!("{}\n{}\n{}", chunk.subject, chunk.sender, chunk.body)
}

impl From<VectorBatchError> for ApiError {
    fn from(error: VectorBatchError) -> Self {
        match error {
            VectorBatchError::Store(error) => error.into(),
            other => ApiError::new(
                ErrorCode::Io,
                format!("the embeddings could not be stored: {other}"),
            ),
        }
    }
}

/// Text around the first word of `query` in the body, else in the subject, else the
/// body's start; the query's words marked.
fn snippet(body: &str, subject: &str, query: &str) -> String {
    let terms: Vec<String> = query
        .split_whitespace()
        .map(|word| word.trim_end_matches('*').to_lowercase())
        .filter(|word| !word.is_empty())
        .collect();
    let holds = |text: &str| {
        let lower = text.to_lowercase();
        terms.iter().any(|term| lower.contains(term.as_str()))
    };
    let text = if holds(body) || (!holds(subject) && !body.trim().is_empty()) {
        body
    } else {
        subject
    };
    let lower = text.to_lowercase();
    let start = terms
        .iter()
        .filter_map(|term| lower.find(term.as_str()))
        .min()
        .unwrap_or(0)
        .saturating_sub(SNIPPET_CHARS / 3);
    let mut start = start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let words: Vec<String> = text[start..]
        .split_whitespace()
        .scan(0, |length, word| {
            *length += word.chars().count() + 1;
            (*length <= SNIPPET_CHARS).then_some(word)
        })
        .map(|word| {
            let bare = word
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            if terms.iter().any(|term| bare.starts_with(term.as_str())) {
                format!("[{word}]")
            } else {
                word.to_owned()
            }
        })
        .collect();
    words.join(" ")
}

/// Whether `chunk` holds every word of `query` (a trailing `*` as a prefix), ignoring
/// case.
fn holds_every_word(query: &str, chunk: &ChunkRow) -> bool {
    let text = format!("{} {} {}", chunk.subject, chunk.sender, chunk.body).to_lowercase();
    query
        .split_whitespace()
        .map(|word| {
            word.trim_matches(|c: char| c == '*' || c == '"')
                .to_lowercase()
        })
        .filter(|word| !word.is_empty())
        .all(|word| text.contains(&word))
}

/// The messages and events of `hits` in order, each once.
fn items_in_order(hits: &[ChunkHit]) -> Vec<ChunkOf> {
    let mut seen = HashSet::new();
    hits.iter()
        .map(ChunkHit::of)
        .filter(|item| seen.insert(*item))
        .collect()
}

impl Kindred {
    /// The binary vectors of every chunk as the store holds them now: read whole the first
    /// time and after any deletion, otherwise only what was added since.
    async fn bit_index(&self) -> Result<Arc<BitIndex>, ApiError> {
        let mut loaded = self.vectors.loaded.lock().await;
        // Read before the vectors: a chunk written in between is then read again next
        // time rather than missed, and a deletion in between makes the next search reload.
        let state = self.store.chunk_state().await?;
        let bytes = bit_bytes(usize::try_from(state.dimensions).unwrap_or(0));
        if let Some((at, index)) = loaded.as_mut() {
            if at.deletions == state.deletions
                && at.generation == state.generation
                && at.highest_id <= state.highest_id
            {
                if at.highest_id < state.highest_id {
                    let rows = self.store.chunk_bits_after(at.highest_id, bytes).await?;
                    if let Some(highest) = add_bits(Arc::make_mut(index), &rows)? {
                        at.highest_id = highest;
                    }
                }
                return Ok(Arc::clone(index));
            }
        }
        let rows = self.store.chunk_bits_after(0, bytes).await?;
        let mut index = BitIndex::new(bytes);
        let highest = add_bits(&mut index, &rows)?.unwrap_or(0);
        let index = Arc::new(index);
        *loaded = Some((
            ChunkState {
                highest_id: highest,
                ..state
            },
            Arc::clone(&index),
        ));
        Ok(index)
    }

    /// The `k` chunks whose binary vectors are nearest `query`'s (Hamming distance), then
    /// narrowed to `filter` (so fewer than `k` may remain), nearest first.
    async fn nearest_chunks(
        &self,
        query: &[f32],
        k: usize,
        filter: &ChunkFilter,
    ) -> Result<Vec<ChunkHit>, ApiError> {
        let index = self.bit_index().await?;
        let nearest: Vec<i64> = index
            .nearest(&sign_bits(query), k)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let mut within: HashMap<i64, ChunkHit> = self
            .store
            .chunks_within(&nearest, filter)
            .await?
            .into_iter()
            .map(|hit| (hit.chunk_id, hit))
            .collect();
        Ok(nearest
            .into_iter()
            .filter_map(|chunk_id| within.remove(&chunk_id))
            .collect())
    }

    /// The embedder configured: the endpoint's model, or the local one.
    async fn embedder(&self, secrets: &dyn SecretStore) -> Result<Embedder, ApiError> {
        Ok(match self.embeddings_provider(secrets).await? {
            Some(provider) => Embedder::Endpoint(Box::new(provider)),
            None => Embedder::Local,
        })
    }

    /// The vectors of `texts` by `embedder`, in order, all of one length.
    async fn embed(
        &self,
        embedder: &Embedder,
        texts: Vec<String>,
    ) -> Result<Vec<Vec<f32>>, ApiError> {
        match embedder {
            Embedder::Local => tokio::task::spawn_blocking(move || {
                texts
                    .iter()
                    .map(|text| embed_locally(text).to_vec())
                    .collect()
            })
            .await
            .map_err(|error| ApiError::internal("embedding chunks", &error)),
            Embedder::Endpoint(provider) => {
                let (vectors, usage) = provider.embed(&texts).await?;
                let model = embedder.model().to_owned();
                self.record_usage(&model, usage.map(|usage| ("embeddings", usage)))
                    .await?;
                let length = vectors.first().map_or(0, Vec::len);
                if length == 0 || vectors.iter().any(|vector| vector.len() != length) {
                    let lengths: Vec<usize> = vectors.iter().map(Vec::len).collect();
                    return Err(ProviderError::Malformed {
                        base_url: provider.base_url().to_owned(),
                        reason: format!(
                            "the embeddings of model {model:?} are not all of one non-zero length \
                             ({lengths:?})"
                        ),
                    }
                    .into());
                }
                Ok(vectors)
            }
        }
    }

    /// Cuts every message not indexed yet, and every event added or changed since it was
    /// chunked, into chunks, in batches, reporting progress after each. Returns how many
    /// messages and events it chunked.
    async fn chunk_messages(
        &self,
        model: &str,
        progress: &(dyn Fn(IndexProgress) + Sync),
    ) -> Result<(u64, u64), ApiError> {
        let total = u64::try_from(
            self.store.unindexed_count().await? + self.store.unchunked_event_count().await?,
        )
        .unwrap_or(0);
        let report = |indexed: u64| {
            progress(IndexProgress {
                stage: "chunking".to_owned(),
                indexed,
                total: total.max(indexed),
                model: model.to_owned(),
            });
        };
        let mut messages = 0u64;
        loop {
            let batch = self.store.unindexed_messages(INDEX_BATCH).await?;
            if batch.is_empty() {
                break;
            }
            let count = batch.len() as u64;
            let chunks = tokio::task::spawn_blocking(move || {
                batch.iter().flat_map(chunks_of).collect::<Vec<_>>()
            })
            .await
            .map_err(|error| ApiError::internal("chunking messages", &error))?;
            self.store.insert_chunks(&chunks).await?;
            messages += count;
            report(messages);
        }
        let mut events = 0u64;
        loop {
            let batch = self.store.unchunked_events(INDEX_BATCH).await?;
            if batch.is_empty() {
                return Ok((messages, events));
            }
            let chunks: Vec<EventChunks> = batch.iter().map(chunks_of_event).collect();
            self.store.replace_event_chunks(&chunks).await?;
            events += batch.len() as u64;
            report(messages + events);
        }
    }

    /// Embeds every chunk without a vector of `embedder`'s model (at most `batches`
    /// batches when given), in id order and in batches committed with the mark they reach
    /// (all of them, from the first, when the vectors stored are another model's),
    /// reporting progress after each. Returns how many it embedded and whether every chunk
    /// now has a vector of this model.
    async fn embed_chunks(
        &self,
        embedder: &Embedder,
        batches: Option<usize>,
        progress: &(dyn Fn(IndexProgress) + Sync),
    ) -> Result<(u64, bool), ApiError> {
        let model = embedder.model();
        let mut embedded = 0u64;
        let mut total = None;
        for _ in 0..batches.unwrap_or(usize::MAX) {
            let stored = self.store.vector_model().await?;
            let mut after = if stored.model == model {
                stored.embedded_through
            } else {
                0
            };
            let mut batch = self.store.chunks_after(after, embedder.batch()).await?;
            if batch.is_empty() {
                let complete = (stored.model == model && stored.complete)
                    || self.store.complete_vectors(model).await?;
                return Ok((embedded, complete));
            }
            let total = match total {
                Some(total) => total,
                None => *total
                    .insert(u64::try_from(self.store.chunk_count_after(after).await?).unwrap_or(0)),
            };
            let mut vectors = self
                .embed(embedder, batch.iter().map(embedding_text).collect())
                .await?;
            let length = vectors.first().map_or(0, Vec::len);
            if after > 0 && usize::try_from(stored.dimensions).ok() != Some(length) {
                // The same model's name now gives vectors of another length: a new model
                // under an old name, whose vectors are started afresh.
                after = 0;
                batch = self.store.chunks_after(0, embedder.batch()).await?;
                vectors = self
                    .embed(embedder, batch.iter().map(embedding_text).collect())
                    .await?;
            }
            let through = batch.last().map_or(after, |chunk| chunk.id);
            let pairs: Vec<(i64, Vec<f32>)> =
                batch.iter().map(|chunk| chunk.id).zip(vectors).collect();
            let written = self
                .store
                .write_vectors(&VectorBatch {
                    model,
                    after,
                    through,
                    vectors: &pairs,
                })
                .await?;
            if written {
                embedded += pairs.len() as u64;
                progress(IndexProgress {
                    stage: "embedding".to_owned(),
                    indexed: embedded,
                    total: total.max(embedded),
                    model: model.to_owned(),
                });
            }
        }
        // The batches given were used up: complete only if nothing is left after them.
        let stored = self.store.vector_model().await?;
        let rest = self.store.chunks_after(stored.embedded_through, 1).await?;
        Ok((
            embedded,
            stored.model == model && stored.complete && rest.is_empty(),
        ))
    }

    /// Cuts every message not indexed yet into chunks and embeds every chunk without a
    /// vector of the configured model (see the module's documentation), in batches,
    /// reporting progress after each. Interrupted, it resumes where it stopped.
    ///
    /// # Errors
    /// The endpoint failed (after its retries; the batches before stay written), or the
    /// store cannot be read or written.
    pub async fn index_messages(
        &self,
        secrets: &dyn SecretStore,
        progress: &(dyn Fn(IndexProgress) + Sync),
    ) -> Result<IndexReport, ApiError> {
        let embedder = self.embedder(secrets).await?;
        let _indexing = self.vectors.indexing.lock().await;
        let (messages, events) = self.chunk_messages(embedder.model(), progress).await?;
        let (embedded, complete) = self.embed_chunks(&embedder, None, progress).await?;
        progress(IndexProgress {
            stage: "done".to_owned(),
            indexed: embedded,
            total: embedded,
            model: embedder.model().to_owned(),
        });
        Ok(IndexReport {
            messages,
            events,
            embedded,
            model: embedder.model().to_owned(),
            complete,
        })
    }

    /// Queues the indexing of new mail as a background job (one at a time: a job already
    /// queued covers it).
    ///
    /// # Errors
    /// The store refused the write.
    pub async fn queue_indexing(&self) -> Result<(), ApiError> {
        let job = NewJob {
            dedupe_key: Some(INDEX_JOB.to_owned()),
            ..NewJob::new(INDEX_JOB, serde_json::json!({}))
        };
        self.store.enqueue_job(&job, Utc::now()).await?;
        Ok(())
    }

    /// Hybrid search: see the module's documentation. New mail is indexed first; the
    /// result says whether vectors were compared, and if not why (see [`VectorUse`]).
    ///
    /// # Errors
    /// An unknown person (`not_found`), a range that ends before it starts
    /// (`invalid_input`), or the store cannot be used. A failing endpoint is not an error:
    /// the search is then by words alone, and says so.
    pub async fn search_hybrid(
        &self,
        secrets: &dyn SecretStore,
        request: &SearchRequest,
    ) -> Result<SearchResults, ApiError> {
        self.search_by(secrets, request, Passes::Both, None).await
    }

    /// Hybrid search over the events alone (their title, attendees, description and
    /// place), for the assistant's `search_events`: the `limit` best, with whether vectors
    /// were used.
    ///
    /// # Errors
    /// The store cannot be used; a failing endpoint is not an error (see
    /// [`Self::search_hybrid`]).
    pub async fn search_events_hybrid(
        &self,
        secrets: &dyn SecretStore,
        query: &str,
        limit: u32,
    ) -> Result<SearchResults, ApiError> {
        let request = SearchRequest {
            query: query.to_owned(),
            person: None,
            from: None,
            to: None,
            limit,
        };
        self.search_by(secrets, &request, Passes::Both, Some(true))
            .await
    }

    /// Indexes new mail for a search and embeds `query`, when the vectors stored are the
    /// configured model's and cover every chunk; otherwise queues their rebuilding and
    /// returns no query vector, with the reason.
    async fn query_vector(
        &self,
        secrets: &dyn SecretStore,
        query: &str,
    ) -> Result<(Option<Vec<f32>>, VectorUse), ApiError> {
        let embedder = self.embedder(secrets).await?;
        let model = embedder.model().to_owned();
        let unused = |note: String| VectorUse {
            used: false,
            model: model.clone(),
            note: Some(note),
        };
        let mut note = None;
        let stored = {
            let _indexing = self.vectors.indexing.lock().await;
            self.chunk_messages(&model, &|_| {}).await?;
            let stored = self.store.vector_model().await?;
            if stored.model == model && stored.complete {
                // New mail is embedded before the search; through an endpoint, a few
                // batches at most, so that a search after a large import does not wait
                // for all of it: the job embeds the rest.
                let batches = match embedder {
                    Embedder::Local => None,
                    Embedder::Endpoint(_) => Some(SEARCH_EMBED_BATCHES),
                };
                match self.embed_chunks(&embedder, batches, &|_| {}).await {
                    Ok((_, true)) => {}
                    Ok((_, false)) => {
                        self.queue_indexing().await?;
                        note = Some(
                            "some of the newest mail has no vectors yet and is found by its \
                             words alone; indexing goes on in the background (or run \
                             `kindred llm reindex`)"
                                .to_owned(),
                        );
                    }
                    Err(error) => {
                        self.queue_indexing().await?;
                        note = Some(format!(
                            "the newest mail has no vectors yet and is found by its words \
                             alone: {}",
                            error.message
                        ));
                    }
                }
            }
            stored
        };
        if stored.model != model || !stored.complete {
            self.queue_indexing().await?;
            let why = if stored.model == model {
                format!("the vectors of {model} do not cover every message yet")
            } else {
                format!(
                    "the vectors stored were made by {}, not by the configured model {model}",
                    stored.model
                )
            };
            return Ok((
                None,
                unused(format!(
                    "vectors not used: {why}; the search is by words alone until re-indexing \
                     (queued: the app runs it, or `kindred llm reindex`) has finished"
                )),
            ));
        }
        let vector = match &embedder {
            Embedder::Local => embed_locally(query).to_vec(),
            Embedder::Endpoint(_) => match self.embed(&embedder, vec![query.to_owned()]).await {
                Ok(mut vectors) => vectors.pop().unwrap_or_default(),
                Err(error) => {
                    return Ok((
                        None,
                        unused(format!(
                            "vectors not used: the question could not be embedded ({}); \
                             the search is by words alone",
                            error.message
                        )),
                    ))
                }
            },
        };
        if usize::try_from(stored.dimensions).ok() != Some(vector.len()) {
            self.queue_indexing().await?;
            return Ok((
                None,
                unused(format!(
                    "vectors not used: {model} now gives {} dimensions where the vectors stored \
                     have {}; the search is by words alone until re-indexing has finished",
                    vector.len(),
                    stored.dimensions
                )),
            ));
        }
        Ok((
            Some(vector),
            VectorUse {
                used: true,
                model,
                note,
            },
        ))
    }

    /// Recall@5 of full-text search alone, vectors alone and hybrid search over the
    /// questions the sample generator planted in the sample of `messages` messages (the
    /// bundled size when `None`) loaded in this store: the share of questions with one of
    /// the messages answering them among the first five results.
    ///
    /// # Errors
    /// No sample is loaded (`invalid_input`), or the store cannot be used.
    pub async fn evaluate_retrieval(
        &self,
        secrets: &dyn SecretStore,
        messages: Option<usize>,
    ) -> Result<RetrievalEvaluation, ApiError> {
        let spec = self.sample_spec(messages).await?.ok_or_else(|| {
            ApiError::invalid_input(
                "no sample mailbox is loaded to evaluate retrieval on; run `kindred sample` first",
            )
        })?;
        let every = spec.messages / (3 * QUESTIONS);
        let questions = tokio::task::spawn_blocking(move || sample::sample_questions(&spec, every))
            .await
            .map_err(|error| ApiError::internal("planting the sample's questions", &error))?
            .map_err(|error| ApiError::internal("planting the sample's questions", &error))?;
        let mut found = [0usize; 3];
        let mut asked = 0usize;
        for question in &questions {
            let answers: HashSet<i64> = self
                .store
                .messages_by_rfc_id(&question.answers)
                .await?
                .into_iter()
                .collect();
            if answers.is_empty() {
                continue;
            }
            asked += 1;
            for (passes, found) in [Passes::Text, Passes::Vectors, Passes::Both]
                .into_iter()
                .zip(&mut found)
            {
                let request = SearchRequest {
                    query: question.question.clone(),
                    person: None,
                    from: None,
                    to: None,
                    limit: 5,
                };
                let hits = self
                    .search_by(secrets, &request, passes, Some(false))
                    .await?
                    .hits;
                if hits
                    .iter()
                    .any(|hit| hit.message_id.is_some_and(|id| answers.contains(&id)))
                {
                    *found += 1;
                }
            }
        }
        let recall = |found: usize| {
            if asked == 0 {
                0.0
            } else {
                found as f64 / asked as f64
            }
        };
        Ok(RetrievalEvaluation {
            questions: asked,
            text: recall(found[0]),
            vectors: recall(found[1]),
            hybrid: recall(found[2]),
        })
    }

    /// Searches messages and events, or events alone (`events` true) or messages alone.
    async fn search_by(
        &self,
        secrets: &dyn SecretStore,
        request: &SearchRequest,
        passes: Passes,
        events: Option<bool>,
    ) -> Result<SearchResults, ApiError> {
        if let (Some(from), Some(to)) = (request.from, request.to) {
            if to < from {
                return Err(ApiError::invalid_input(format!(
                    "--to {to} is before --from {from}; give the earlier day first"
                )));
            }
        }
        let (query_vector, mut vectors) = self.query_vector(secrets, &request.query).await?;
        let addresses = match &request.person {
            Some(who) => Some(
                self.person(who)
                    .await?
                    .addresses
                    .iter()
                    .map(|a| a.address_id)
                    .collect(),
            ),
            None => None,
        };
        let day_start = |day: NaiveDate| {
            day.and_hms_opt(0, 0, 0)
                .map(|at| at.and_utc().timestamp_millis())
        };
        let filter = ChunkFilter {
            addresses,
            from: request.from.and_then(day_start),
            to: request
                .to
                .and_then(|day| day.succ_opt())
                .and_then(day_start),
            events,
        };
        let words = search_words(&request.query);
        let query_vector = query_vector.unwrap_or_default();
        let with_vectors = passes != Passes::Text && query_vector.iter().any(|x| *x != 0.0);
        vectors.used &= with_vectors;
        let k = if filter.is_empty() {
            NEIGHBOURS
        } else {
            FILTERED_NEIGHBOURS
        };
        // The two first passes at once, on the store's two readers.
        let (mut text, near) = tokio::try_join!(
            async {
                if passes == Passes::Vectors {
                    Ok(Vec::new())
                } else {
                    Ok(self
                        .store
                        .search_chunks_text(&words, CANDIDATES, &filter)
                        .await?)
                }
            },
            async {
                if with_vectors {
                    self.nearest_chunks(&query_vector, k, &filter).await
                } else {
                    Ok(Vec::new())
                }
            }
        )?;
        let near = if with_vectors {
            let mut near = near;
            near.truncate(NEIGHBOURS);
            // The word matches are rescored too, so a chunk both passes would find is
            // ranked by both even when the binary pass missed it.
            for hit in &text {
                if !near.contains(hit) {
                    near.push(hit.clone());
                }
            }
            let ids: Vec<i64> = near.iter().map(|hit| hit.chunk_id).collect();
            let similarity: HashMap<i64, f32> = self
                .store
                .chunk_vectors(&ids)
                .await?
                .into_iter()
                .map(|(id, vector)| (id, cosine(&query_vector, &vector)))
                .collect();
            let score = |hit: &ChunkHit| similarity.get(&hit.chunk_id).copied().unwrap_or(-1.0);
            near.retain(|hit| score(hit) >= MIN_SIMILARITY);
            near.sort_by(|a, b| score(b).total_cmp(&score(a)));
            near.truncate(CANDIDATES as usize);
            // Neighbours that also hold every word count as word matches, after the best
            // (checked here: asking the full-text index would rank all its matches again).
            let ids: Vec<i64> = near.iter().map(|hit| hit.chunk_id).collect();
            let holding: HashSet<i64> = self
                .store
                .chunks_by_id(&ids)
                .await?
                .into_iter()
                .filter(|row| holds_every_word(&words, row))
                .map(|row| row.id)
                .collect();
            for hit in &near {
                if passes == Passes::Both && holding.contains(&hit.chunk_id) && !text.contains(hit)
                {
                    text.push(hit.clone());
                }
            }
            near
        } else {
            near
        };
        let by_text = items_in_order(&text);
        let by_vector = items_in_order(&near);
        let fused = fuse(&[&by_text, &by_vector]);
        let best_chunk: HashMap<ChunkOf, i64> = near
            .iter()
            .rev()
            .chain(text.iter().rev())
            .map(|hit| (hit.of(), hit.chunk_id))
            .collect();
        let chosen: Vec<(ChunkOf, f64)> = fused.into_iter().take(request.limit as usize).collect();
        let chunk_ids: Vec<i64> = chosen
            .iter()
            .filter_map(|(item, _)| best_chunk.get(item).copied())
            .collect();
        let rows: HashMap<ChunkOf, _> = self
            .store
            .chunks_by_id(&chunk_ids)
            .await?
            .into_iter()
            .map(|row| (row.of(), row))
            .collect();
        let hits = chosen
            .into_iter()
            .filter_map(|(item, score)| {
                let row = rows.get(&item)?;
                let matched_by = match (by_text.contains(&item), by_vector.contains(&item)) {
                    (true, true) => "both",
                    (true, false) => "text",
                    _ => "vector",
                };
                let (kind, message_id, event_id) = match item {
                    ChunkOf::Message(id) => ("message", Some(id), None),
                    ChunkOf::Event(id) => ("event", None, Some(id)),
                };
                Some(HybridHit {
                    kind: kind.to_owned(),
                    message_id,
                    event_id,
                    subject: row.subject.clone(),
                    from: row.sender.clone(),
                    date: DateTime::<Utc>::from_timestamp_millis(row.at)
                        .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true))
                        .unwrap_or_default(),
                    snippet: snippet(&row.body, &row.subject, &request.query),
                    score,
                    matched_by: matched_by.to_owned(),
                })
            })
            .collect();
        Ok(SearchResults { hits, vectors })
    }
}
