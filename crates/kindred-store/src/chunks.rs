//! Chunks for retrieval: the messages not yet indexed, writing chunks with their vectors,
//! BM25 over `chunks_fts` (subject and sender weighted above the body, the index's rank),
//! the binary vectors of `chunk_bits` for the in-memory nearest-neighbour pass (with what
//! tells a copy of them it is out of date), and the full-precision vectors for rescoring.
//! FTS and vector queries are runtime queries.

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

/// A chunk to store, with its embedding (stored in full precision and as bits).
#[derive(Debug, Clone, PartialEq)]
pub struct NewChunk {
    pub message_id: i64,
    pub ord: i64,
    pub subject: String,
    pub sender: String,
    pub body: String,
    pub at: i64,
    pub vector: Vec<f32>,
}

/// What narrows a search: people's addresses, a time range (unix milliseconds).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChunkFilter {
    /// Only messages these addresses sent or received (To, Cc); none: any.
    pub addresses: Option<Vec<i64>>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// Where the chunks stand: see [`Store::chunk_state`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct ChunkState {
    pub highest_id: i64,
    pub deletions: i64,
}

/// A chunk found by a first pass.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct ChunkHit {
    pub chunk_id: i64,
    pub message_id: i64,
}

/// A chunk as shown in results.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ChunkRow {
    pub id: i64,
    pub message_id: i64,
    pub subject: String,
    pub sender: String,
    pub body: String,
    pub at: i64,
}

fn f32_bytes(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// Bytes of one binary vector in `chunk_bits` (`bit[256]`).
const BIT_BYTES: usize = 32;

/// Full-text matches taken before a filter narrows them.
const FILTERED_MATCHES: u32 = 5000;

/// The filter as SQL over a chunk aliased `c`, with its JSON list of addresses as `?3`,
/// the range as `?4` and `?5`.
const FILTER: &str = "(?3 IS NULL OR c.message_id IN (
                         SELECT p.message_id FROM message_participants p
                         WHERE p.address_id IN (SELECT value FROM json_each(?3))
                           AND p.role IN ('from', 'to', 'cc')))
                      AND (?4 IS NULL OR c.at >= ?4) AND (?5 IS NULL OR c.at < ?5)";

impl ChunkFilter {
    fn addresses_json(&self) -> Option<String> {
        self.addresses
            .as_ref()
            .map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned()))
    }

    /// Whether anything is filtered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.addresses.is_none() && self.from.is_none() && self.to.is_none()
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

    /// Stores `chunks` with their vectors in one transaction. A message deleted meanwhile
    /// has its chunks skipped, and so has a chunk stored already (by another indexer).
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn insert_chunks(&self, chunks: &[NewChunk]) -> Result<(), StoreError> {
        let mut transaction = self.writer().begin().await?;
        for chunk in chunks {
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO chunks (message_id, ord, subject, sender, body, at)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM messages WHERE id = ?1)
                 ON CONFLICT (message_id, ord) DO NOTHING
                 RETURNING id",
            )
            .bind(chunk.message_id)
            .bind(chunk.ord)
            .bind(&chunk.subject)
            .bind(&chunk.sender)
            .bind(&chunk.body)
            .bind(chunk.at)
            .fetch_optional(&mut *transaction)
            .await?;
            let Some(id) = id else { continue };
            let vector = f32_bytes(&chunk.vector);
            sqlx::query(
                "INSERT INTO chunk_bits (rowid, embedding) VALUES (?1, vec_quantize_binary(?2))",
            )
            .bind(id)
            .bind(&vector)
            .execute(&mut *transaction)
            .await?;
            sqlx::query("INSERT INTO chunk_embeddings (chunk_id, vector) VALUES (?1, ?2)")
                .bind(id)
                .bind(&vector)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(())
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
             SELECT c.id AS chunk_id, c.message_id
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
            .fetch_all(self.reader())
            .await?)
    }

    /// Where the chunks stand, for a copy of their vectors kept elsewhere: the highest
    /// chunk id, and how many chunks were ever deleted (see
    /// `migrations/20261122170000_chunk_deletions.sql`).
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chunk_state(&self) -> Result<ChunkState, StoreError> {
        Ok(sqlx::query_as(
            "SELECT (SELECT coalesce(max(id), 0) FROM chunks) AS highest_id,
                    (SELECT count FROM chunk_deletions WHERE id = 1) AS deletions",
        )
        .fetch_one(self.reader())
        .await?)
    }

    /// The binary vectors (`bit[256]`, 32 bytes) of the chunks with ids above `after`,
    /// as `(chunk id, bits)`, in no particular order.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn chunk_bits_after(&self, after: i64) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
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
        // and their vectors (32 bytes each). A test compares this with vec0's own answers.
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
                let vector = vectors.get(slot * BIT_BYTES..(slot + 1) * BIT_BYTES);
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
            "SELECT c.id AS chunk_id, c.message_id FROM chunks c
             WHERE c.id IN (SELECT value FROM json_each(?1)) AND {FILTER}"
        );
        Ok(sqlx::query_as(&sql)
            .bind(serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned()))
            // `?2` is the limit in the other queries sharing the filter; unused here.
            .bind(Option::<i64>::None)
            .bind(filter.addresses_json())
            .bind(filter.from)
            .bind(filter.to)
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
            "SELECT id, message_id, subject, sender, body, at FROM chunks
             WHERE id IN (SELECT value FROM json_each(?1))",
        )
        .bind(serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned()))
        .fetch_all(self.reader())
        .await?)
    }
}
