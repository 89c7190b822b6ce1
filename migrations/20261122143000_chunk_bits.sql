-- Retrieval's first vector pass becomes binary: one bit per dimension, 32 bytes a chunk,
-- which stays in the page cache. The int8 vectors took 51 MB over 200,000 chunks, read
-- and decrypted again by every search (p95 well over a second). Candidates are rescored
-- with the full-precision vectors as before. And BM25 with its column weights becomes the
-- full-text index's rank, so FTS5 orders the matches itself.

DROP TRIGGER chunks_fts_removed;
DROP TABLE chunk_vectors;

CREATE VIRTUAL TABLE chunk_bits USING vec0(embedding bit[256]);
INSERT INTO chunk_bits (rowid, embedding)
SELECT chunk_id, vec_quantize_binary(vector) FROM chunk_embeddings;

CREATE TRIGGER chunks_fts_removed AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, subject, sender, body)
    VALUES ('delete', old.id, old.subject, old.sender, old.body);
    DELETE FROM chunk_bits WHERE rowid = old.id;
    DELETE FROM chunk_embeddings WHERE chunk_id = old.id;
END;

INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');
