//! Chunks for retrieval: the messages not yet indexed and the events added or changed
//! since they were chunked (`events_to_chunk`), writing chunks, BM25 over
//! `chunks_fts` (subject and sender weighted above the body, the index's rank), the
//! chunks' vectors — written after the chunks, in id order, by one embedding model at a
//! time — as binary vectors in `chunk_bits` for the in-memory nearest-neighbour pass (with
//! what tells a copy of them it is out of date) and in full precision for rescoring.
//! FTS and vector queries are runtime queries.
//!
//! **One model's vectors at a time.** `chunk_vector_model` records which model made the
//! vectors stored, their dimension, how far (by chunk id) they reach and whether they cover
//! every chunk. sqlite-vec declares a column's dimension with its table, so a change of
//! model — the first batch of vectors of another model — drops the vectors and declares
//! `chunk_bits` again for the new dimension, in the transaction that writes that batch.
//! One table recreated on change rather than a table per model: the deletion triggers,
//! the in-memory copy and the shadow-table reader keep one fixed name, and a store holds
//! one model's vectors, not every model's ever configured; going back to an earlier model
//! costs a re-index.

use sqlx::FromRow;

use crate::{Store, StoreError};

/// A message waiting to be chunked.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct UnindexedMessage {
    pub id: i64,
    pub subject: String,
    pub sender: String,
    pub body: String,
    pub sent_at: i64,
}

/// What a chunk was cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChunkOf {
    Message(i64),
    Event(i64),
}

/// An event waiting to be chunked, at the version of its change that was read.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct UnchunkedEvent {
    pub id: i64,
    pub version: i64,
    pub title: String,
    pub description: String,
    pub location: String,
    /// The attendees' names (or addresses, for those without one), comma-separated.
    pub attendees: String,
    pub starts_at: i64,
    pub cancelled: bool,
}

/// An event's chunks (none for a cancelled event), replacing those it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventChunks {
    pub event_id: i64,
    /// The version of the change the chunks were cut from.
    pub version: i64,
    pub chunks: Vec<NewChunk>,
}

/// A chunk to store; its vector is written later (see [`Store::write_vectors`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChunk {
    pub of: ChunkOf,
    pub ord: i64,
    pub subject: String,
    pub sender: String,
    pub body: String,
    pub at: i64,
}

/// Which model made the vectors stored, and how far they reach.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct VectorModel {
    /// The embeddings model's name, or `local` for the built-in embedder.
    pub model: String,
    pub dimensions: i64,
    /// Every chunk up to this id has its vector; those above have none yet.
    pub embedded_through: i64,
    /// Whether a pass over every chunk has finished since the model was set.
    pub complete: bool,
    /// Moves whenever the vectors are dropped for another model.
    pub generation: i64,
}

/// A chunk's text, to embed.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChunkText {
    pub id: i64,
    pub subject: String,
    pub sender: String,
    pub body: String,
}

/// Vectors of one model for the chunks after `after` up to `through` (in id order), as
/// [`Store::write_vectors`] takes them.
#[derive(Debug, Clone, PartialEq)]
pub struct VectorBatch<'a> {
    pub model: &'a str,
    /// The mark the chunks were read after: 0 to start the model's vectors afresh.
    pub after: i64,
    /// The highest chunk id of the batch.
    pub through: i64,
    /// `(chunk id, vector)`, all of one length.
    pub vectors: &'a [(i64, Vec<f32>)],
}

/// What narrows a search: people's addresses, a time range (unix milliseconds), and
/// messages or events alone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChunkFilter {
    /// Only messages these addresses sent or received (To, Cc), and events they attend;
    /// none: any.
    pub addresses: Option<Vec<i64>>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Only chunks of messages (`Some(false)`) or of events (`Some(true)`); none: both.
    pub events: Option<bool>,
}

/// Where the chunks' vectors stand: see [`Store::chunk_state`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct ChunkState {
    /// Every chunk up to this id has its vector.
    pub highest_id: i64,
    pub deletions: i64,
    /// Moves whenever the vectors are dropped for another model.
    pub generation: i64,
    /// The dimension of the vectors stored.
    pub dimensions: i64,
}

/// A chunk found by a first pass: of a message or of an event.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct ChunkHit {
    pub chunk_id: i64,
    pub message_id: Option<i64>,
    pub event_id: Option<i64>,
}

impl ChunkHit {
    /// What the chunk was cut from.
    #[must_use]
    pub fn of(&self) -> ChunkOf {
        match (self.message_id, self.event_id) {
            (Some(id), _) => ChunkOf::Message(id),
            (None, id) => ChunkOf::Event(id.unwrap_or_default()),
        }
    }
}

/// A chunk as shown in results.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChunkRow {
    pub id: i64,
    pub message_id: Option<i64>,
    pub event_id: Option<i64>,
    pub subject: String,
    pub sender: String,
    pub body: String,
    pub at: i64,
}

impl ChunkRow {
    /// What the chunk was cut from.
    #[must_use]
    pub fn of(&self) -> ChunkOf {
        ChunkHit {
            chunk_id: self.id,
            message_id: self.message_id,
            event_id: self.event_id,
        }
        .of()
    }
}

fn f32_bytes(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// `chunk_bits`' declared dimension for vectors of `dimensions`: sqlite-vec's bit vectors
/// are whole bytes, so the vectors are padded with zeros (bits 0) up to a multiple of 8.
fn bit_dimensions(dimensions: usize) -> usize {
    dimensions.div_ceil(8) * 8
}

/// Why [`Store::write_vectors`] refused a batch.
#[derive(Debug, thiserror::Error)]
pub enum VectorBatchError {
    #[error("the vectors of a batch differ in length ({first} and {other} components)")]
    MixedLengths { first: usize, other: usize },
    #[error("an empty vector cannot be stored")]
    Empty,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Full-text matches taken before a filter narrows them.
const FILTERED_MATCHES: u32 = 5000;

/// The filter as SQL over a chunk aliased `c`, with its JSON list of addresses as `?3`,
/// the range as `?4` and `?5`, events alone (1), messages alone (0) or both (NULL) as `?7`.
const FILTER: &str = "(?3 IS NULL OR c.message_id IN (
                         SELECT p.message_id FROM message_participants p
                         WHERE p.address_id IN (SELECT value FROM json_each(?3))
                           AND p.role IN ('from', 'to', 'cc'))
                      OR c.event_id IN (
                         SELECT a.event_id FROM event_attendees a
                         WHERE a.address_id IN (SELECT value FROM json_each(?3))))
                      AND (?4 IS NULL OR c.at >= ?4) AND (?5 IS NULL OR c.at < ?5)
                      AND (?7 IS NULL OR (c.event_id IS NOT NULL) = ?7)";

impl ChunkFilter {
    fn addresses_json(&self) -> Option<String> {
        self.addresses
            .as_ref()
            .map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned()))
    }

    /// Whether anything is filtered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.addresses.is_none()
            && self.from.is_none()
            && self.to.is_none()
            && self.events.is_none()
    }
}

impl Store {
    /// Up to `limit` messages with no chunk yet, oldest id first. Messages are indexed in
    /// id order and every message gets at least one chunk, so those not indexed are the
    /// ones above the highest message id with chunks: found without a scan.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn unindexed_messages(
        &self,
        limit: u32,
    ) -> Result<Vec<UnindexedMessage>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.subject, m.sender, m.body_text AS body, m.sent_at
             FROM messages m
             WHERE m.id > (SELECT coalesce(max(message_id), 0) FROM chunks)
             ORDER BY m.id LIMIT ?1",
        )
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    /// How many messages have no chunk yet.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn unindexed_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT count(*) FROM messages m
             WHERE m.id > (SELECT coalesce(max(message_id), 0) FROM chunks)",
        )
        .fetch_one(self.reader())
        .await?)
    }

    /// How many chunks are stored.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chunk_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM chunks")
            .fetch_one(self.reader())
            .await?)
    }

    /// Stores `chunks` in one transaction, without vectors. A message or event deleted
    /// meanwhile has its chunks skipped, and so has a chunk stored already (by another
    /// indexer).
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn insert_chunks(&self, chunks: &[NewChunk]) -> Result<(), StoreError> {
        let mut transaction = self.writer().begin().await?;
        insert_chunks(&mut transaction, chunks).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Up to `limit` events waiting to be chunked (see `events_to_chunk`), lowest id first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn unchunked_events(&self, limit: u32) -> Result<Vec<UnchunkedEvent>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT e.id, q.version, e.summary AS title, e.description, e.location,
                    coalesce((SELECT group_concat(coalesce(nullif(a.display_name, ''),
                                                           nullif(d.display_name, ''),
                                                           d.address), ', ')
                              FROM event_attendees a JOIN addresses d ON d.id = a.address_id
                              WHERE a.event_id = e.id), '') AS attendees,
                    e.starts_at, e.status = 'cancelled' AS cancelled
             FROM events_to_chunk q JOIN events e ON e.id = q.event_id
             ORDER BY q.event_id LIMIT ?1",
        )
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    /// How many events wait to be chunked.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn unchunked_event_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM events_to_chunk")
            .fetch_one(self.reader())
            .await?)
    }

    /// Replaces each event's chunks with those given, in one transaction, and takes it off
    /// the queue unless it changed again since the version read. Chunks whose text is what
    /// the event has already are kept as they are (with their vectors).
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn replace_event_chunks(&self, events: &[EventChunks]) -> Result<(), StoreError> {
        let mut transaction = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        for event in events {
            let stored: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
                "SELECT ord, subject, sender, body, at FROM chunks WHERE event_id = ?1
                 ORDER BY ord",
            )
            .bind(event.event_id)
            .fetch_all(&mut *transaction)
            .await?;
            let same = stored.len() == event.chunks.len()
                && stored.iter().zip(&event.chunks).all(|(row, chunk)| {
                    *row == (
                        chunk.ord,
                        chunk.subject.clone(),
                        chunk.sender.clone(),
                        chunk.body.clone(),
                        chunk.at,
                    )
                });
            if !same {
                sqlx::query("DELETE FROM chunks WHERE event_id = ?1")
                    .bind(event.event_id)
                    .execute(&mut *transaction)
                    .await?;
                insert_chunks(&mut transaction, &event.chunks).await?;
            }
            sqlx::query("DELETE FROM events_to_chunk WHERE event_id = ?1 AND version = ?2")
                .bind(event.event_id)
                .bind(event.version)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Which model made the vectors stored, and how far they reach.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn vector_model(&self) -> Result<VectorModel, StoreError> {
        Ok(sqlx::query_as(
            "SELECT model, dimensions, embedded_through, complete, generation
             FROM chunk_vector_model WHERE id = 1",
        )
        .fetch_one(self.reader())
        .await?)
    }

    /// Up to `limit` chunks with ids above `after`, in id order, to embed.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chunks_after(&self, after: i64, limit: u32) -> Result<Vec<ChunkText>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, subject, sender, body FROM chunks WHERE id > ?1 ORDER BY id LIMIT ?2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.reader())
        .await?)
    }

    /// How many chunks have ids above `after`.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chunk_count_after(&self, after: i64) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT count(*) FROM chunks WHERE id > ?1")
                .bind(after)
                .fetch_one(self.reader())
                .await?,
        )
    }

    /// Stores a batch of vectors, in full precision and as bits, and moves the mark to
    /// `batch.through`, in one transaction: all of it or nothing. When `batch.model` is
    /// not the model of the vectors stored (and `batch.after` is 0), those are dropped
    /// first and `chunk_bits` is declared again for this batch's dimension. A batch that
    /// no longer follows the mark (another indexer wrote it first, or the model changed
    /// meanwhile) is skipped: returns whether it was written. Chunks deleted meanwhile are
    /// left out.
    ///
    /// # Errors
    /// Vectors of different lengths or empty ones, or the database refused the write.
    pub async fn write_vectors(&self, batch: &VectorBatch<'_>) -> Result<bool, VectorBatchError> {
        let dimensions = batch.vectors.first().map_or(0, |(_, vector)| vector.len());
        if let Some((_, other)) = batch
            .vectors
            .iter()
            .find(|(_, vector)| vector.len() != dimensions)
        {
            return Err(VectorBatchError::MixedLengths {
                first: dimensions,
                other: other.len(),
            });
        }
        if dimensions == 0 && !batch.vectors.is_empty() {
            return Err(VectorBatchError::Empty);
        }
        let mut transaction = self
            .writer()
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(StoreError::from)?;
        let (model, mark, stored_dimensions): (String, i64, i64) = sqlx::query_as(
            "SELECT model, embedded_through, dimensions FROM chunk_vector_model WHERE id = 1",
        )
        .fetch_one(&mut *transaction)
        .await
        .map_err(StoreError::from)?;
        let same_model = model == batch.model
            && (batch.vectors.is_empty()
                || usize::try_from(stored_dimensions).ok() == Some(dimensions));
        if same_model && mark != batch.after {
            return Ok(false);
        }
        if !same_model {
            if batch.after != 0 || batch.vectors.is_empty() {
                return Ok(false);
            }
            let declared = bit_dimensions(dimensions);
            for statement in [
                "DELETE FROM chunk_embeddings".to_owned(),
                "DROP TABLE chunk_bits".to_owned(),
                format!("CREATE VIRTUAL TABLE chunk_bits USING vec0(embedding bit[{declared}])"),
            ] {
                sqlx::query(&statement)
                    .execute(&mut *transaction)
                    .await
                    .map_err(StoreError::from)?;
            }
            sqlx::query(
                "UPDATE chunk_vector_model SET model = ?1, dimensions = ?2, embedded_through = 0,
                        complete = 0, generation = generation + 1
                 WHERE id = 1",
            )
            .bind(batch.model)
            .bind(i64::try_from(dimensions).unwrap_or(i64::MAX))
            .execute(&mut *transaction)
            .await
            .map_err(StoreError::from)?;
        }
        let padding = bit_dimensions(dimensions) - dimensions;
        for (id, vector) in batch.vectors {
            let full = f32_bytes(vector);
            let written = sqlx::query(
                "INSERT INTO chunk_embeddings (chunk_id, vector)
                 SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM chunks WHERE id = ?1)",
            )
            .bind(id)
            .bind(&full)
            .execute(&mut *transaction)
            .await
            .map_err(StoreError::from)?;
            if written.rows_affected() == 0 {
                continue;
            }
            let mut padded = full;
            padded.resize(padded.len() + 4 * padding, 0);
            sqlx::query(
                "INSERT INTO chunk_bits (rowid, embedding) VALUES (?1, vec_quantize_binary(?2))",
            )
            .bind(id)
            .bind(&padded)
            .execute(&mut *transaction)
            .await
            .map_err(StoreError::from)?;
        }
        sqlx::query(
            "UPDATE chunk_vector_model SET embedded_through = max(embedded_through, ?1)
             WHERE id = 1",
        )
        .bind(batch.through)
        .execute(&mut *transaction)
        .await
        .map_err(StoreError::from)?;
        transaction.commit().await.map_err(StoreError::from)?;
        Ok(true)
    }

    /// Marks the vectors of `model` as covering every chunk, if their mark has reached
    /// the highest chunk; returns whether they are complete.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn complete_vectors(&self, model: &str) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE chunk_vector_model SET complete = 1
             WHERE id = 1 AND model = ?1
               AND embedded_through >= (SELECT coalesce(max(id), 0) FROM chunks)",
        )
        .bind(model)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The best `limit` chunks holding every word of `query` (`word*` for a prefix)
    /// within `filter`, by BM25 with subject and sender weighted above the body.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn search_chunks_text(
        &self,
        query: &str,
        limit: u32,
        filter: &ChunkFilter,
    ) -> Result<Vec<ChunkHit>, StoreError> {
        let Some(expression) = crate::queries::fts_expression(query) else {
            return Ok(Vec::new());
        };
        // FTS5 orders by its rank and stops at the limit before any join; a filter then
        // narrows a larger set of the best matches.
        let sql = format!(
            "WITH best AS (
               SELECT rowid, rank FROM chunks_fts WHERE chunks_fts MATCH ?1
               ORDER BY rank LIMIT ?6)
             SELECT c.id AS chunk_id, c.message_id, c.event_id
             FROM best JOIN chunks c ON c.id = best.rowid
             WHERE {FILTER}
             ORDER BY best.rank LIMIT ?2"
        );
        let scanned = if filter.is_empty() {
            limit
        } else {
            FILTERED_MATCHES
        };
        Ok(sqlx::query_as(&sql)
            .bind(expression)
            .bind(limit)
            .bind(filter.addresses_json())
            .bind(filter.from)
            .bind(filter.to)
            .bind(scanned)
            .bind(filter.events)
            .fetch_all(self.reader())
            .await?)
    }

    /// Where the chunks' vectors stand, for a copy of them kept elsewhere: how far they
    /// reach, how many chunks were ever deleted (see
    /// `migrations/20261122170000_chunk_deletions.sql`), and their model's generation and
    /// dimension.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chunk_state(&self) -> Result<ChunkState, StoreError> {
        Ok(sqlx::query_as(
            "SELECT v.embedded_through AS highest_id,
                    (SELECT count FROM chunk_deletions WHERE id = 1) AS deletions,
                    v.generation, v.dimensions
             FROM chunk_vector_model v WHERE v.id = 1",
        )
        .fetch_one(self.reader())
        .await?)
    }

    /// The binary vectors (`bytes` bytes each: the stored dimension, rounded up to a
    /// multiple of 8, over 8) of the chunks with ids above `after`, as `(chunk id, bits)`,
    /// in no particular order.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chunk_bits_after(
        &self,
        after: i64,
        bytes: usize,
    ) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
        if after > 0 {
            // The few chunks added since: the chunks' id index finds them and vec0 looks
            // each up by rowid.
            return Ok(sqlx::query_as(
                "SELECT c.id, b.embedding FROM chunks c JOIN chunk_bits b ON b.rowid = c.id
                 WHERE c.id > ?1",
            )
            .bind(after)
            .fetch_all(self.reader())
            .await?);
        }
        // All of them: vec0's own scan reads every vector with a blob read of its own
        // (over a second for 200,000), so its blocks are read whole from its shadow tables,
        // as sqlite-vec 0.1 lays them out: per block of `size` slots, a validity bitmap (bit
        // `i` of byte `i / 8` set for a slot in use), the slots' rowids (little-endian i64)
        // and their vectors (`bytes` each). A test compares this with vec0's own answers.
        let blocks: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> = sqlx::query_as(
            "SELECT c.validity, c.rowids, v.vectors
             FROM chunk_bits_chunks c JOIN chunk_bits_vector_chunks00 v ON v.rowid = c.chunk_id
             ORDER BY c.chunk_id",
        )
        .fetch_all(self.reader())
        .await?;
        let mut bits = Vec::new();
        for (validity, rowids, vectors) in &blocks {
            for (slot, rowid) in rowids.chunks_exact(8).enumerate() {
                let in_use = validity
                    .get(slot / 8)
                    .is_some_and(|byte| byte >> (slot % 8) & 1 == 1);
                let vector = vectors.get(slot * bytes..(slot + 1) * bytes);
                if let (true, Some(vector), Ok(rowid)) = (in_use, vector, rowid.try_into()) {
                    bits.push((i64::from_le_bytes(rowid), vector.to_vec()));
                }
            }
        }
        Ok(bits)
    }

    /// The chunks among `ids` that are within `filter`, with their messages, in no
    /// particular order (ids no longer stored are left out).
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chunks_within(
        &self,
        ids: &[i64],
        filter: &ChunkFilter,
    ) -> Result<Vec<ChunkHit>, StoreError> {
        let sql = format!(
            "SELECT c.id AS chunk_id, c.message_id, c.event_id FROM chunks c
             WHERE c.id IN (SELECT value FROM json_each(?1)) AND {FILTER}"
        );
        Ok(sqlx::query_as(&sql)
            .bind(serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned()))
            // `?2` and `?6` are limits in the other query sharing the filter; unused here.
            .bind(Option::<i64>::None)
            .bind(filter.addresses_json())
            .bind(filter.from)
            .bind(filter.to)
            .bind(Option::<i64>::None)
            .bind(filter.events)
            .fetch_all(self.reader())
            .await?)
    }

    /// The full-precision vectors of `chunks`, as `(chunk id, vector)`.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chunk_vectors(&self, chunks: &[i64]) -> Result<Vec<(i64, Vec<f32>)>, StoreError> {
        let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
            "SELECT chunk_id, vector FROM chunk_embeddings
             WHERE chunk_id IN (SELECT value FROM json_each(?1))",
        )
        .bind(serde_json::to_string(chunks).unwrap_or_else(|_| "[]".to_owned()))
        .fetch_all(self.reader())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, bytes)| {
                let vector = bytes
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .collect();
                (id, vector)
            })
            .collect())
    }

    /// The ids of the messages with these Message-IDs (without angle brackets), in no
    /// particular order; those not stored are left out.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn messages_by_rfc_id(&self, rfc_ids: &[String]) -> Result<Vec<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM messages
             WHERE rfc_message_id IN (SELECT value FROM json_each(?1))",
        )
        .bind(serde_json::to_string(rfc_ids).unwrap_or_else(|_| "[]".to_owned()))
        .fetch_all(self.reader())
        .await?)
    }

    /// The chunks `ids`, in no particular order.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chunks_by_id(&self, ids: &[i64]) -> Result<Vec<ChunkRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, message_id, event_id, subject, sender, body, at FROM chunks
             WHERE id IN (SELECT value FROM json_each(?1))",
        )
        .bind(serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned()))
        .fetch_all(self.reader())
        .await?)
    }
}

/// Inserts `chunks` in `transaction`, skipping those of a message or event no longer stored
/// and those stored already.
async fn insert_chunks(
    transaction: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    chunks: &[NewChunk],
) -> Result<(), StoreError> {
    for chunk in chunks {
        let (message_id, event_id) = match chunk.of {
            ChunkOf::Message(id) => (Some(id), None),
            ChunkOf::Event(id) => (None, Some(id)),
        };
        sqlx::query(
            "INSERT INTO chunks (message_id, event_id, ord, subject, sender, body, at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
             WHERE EXISTS (SELECT 1 FROM messages WHERE id = ?1)
                OR EXISTS (SELECT 1 FROM events WHERE id = ?2)
             ON CONFLICT DO NOTHING",
        )
        .bind(message_id)
        .bind(event_id)
        .bind(chunk.ord)
        .bind(&chunk.subject)
        .bind(&chunk.sender)
        .bind(&chunk.body)
        .bind(chunk.at)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}
