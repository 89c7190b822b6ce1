-- Retrieval's vectors may come from an endpoint's embeddings model, of any dimension,
-- instead of the local embedder. The vectors stored are always of one model: this row
-- says which, of how many dimensions, how far the chunks (in id order) have vectors, and
-- whether a pass over every chunk has finished. Search uses the vectors only when they are
-- the configured model's and complete; a change of model drops them and `chunk_bits` is
-- declared again for the new dimension by the first batch of the re-index (see
-- crates/kindred-store/src/chunks.rs). `generation` moves at each such change, for the
-- copy of the bits kept in memory.

CREATE TABLE chunk_vector_model (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    model            TEXT NOT NULL,
    dimensions       INTEGER NOT NULL,
    embedded_through INTEGER NOT NULL,
    complete         INTEGER NOT NULL,
    generation       INTEGER NOT NULL
) STRICT;

-- Every chunk so far was written with the local embedder's vector.
INSERT INTO chunk_vector_model (id, model, dimensions, embedded_through, complete, generation)
SELECT 1, 'local', 256, coalesce(max(id), 0), 1, 0 FROM chunks;

-- A deleted highest chunk id can be given again to a new chunk, which has no vector yet:
-- the mark never stays above the highest chunk left.
CREATE TRIGGER chunk_vector_mark_follows_deletions AFTER DELETE ON chunks BEGIN
    UPDATE chunk_vector_model
    SET embedded_through = min(embedded_through, (SELECT coalesce(max(id), 0) FROM chunks))
    WHERE id = 1;
END;
