-- Retrieval: messages cut into chunks (quoted replies and signatures left out),
-- a full-text index over them with subject and sender apart from the body, and their
-- embeddings: quantised to int8 in a vec0 table for a fast first pass, and in full
-- precision (little-endian f32) for rescoring the candidates.

CREATE TABLE chunks (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    -- The chunk's place in its message, from 0.
    ord        INTEGER NOT NULL,
    subject    TEXT NOT NULL,
    sender     TEXT NOT NULL,
    body       TEXT NOT NULL,
    -- Unix milliseconds, UTC: when the message was sent.
    at         INTEGER NOT NULL
) STRICT;
CREATE INDEX chunks_message ON chunks(message_id);
CREATE INDEX chunks_at ON chunks(at);

CREATE VIRTUAL TABLE chunks_fts USING fts5(
    subject, sender, body,
    content = 'chunks', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER chunks_fts_added AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts (rowid, subject, sender, body)
    VALUES (new.id, new.subject, new.sender, new.body);
END;
CREATE TRIGGER chunks_fts_removed AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, subject, sender, body)
    VALUES ('delete', old.id, old.subject, old.sender, old.body);
    DELETE FROM chunk_vectors WHERE rowid = old.id;
    DELETE FROM chunk_embeddings WHERE chunk_id = old.id;
END;

-- The first pass: 256 int8 components per chunk (the local embedder's dimension).
CREATE VIRTUAL TABLE chunk_vectors USING vec0(embedding int8[256]);

-- The rescoring pass: the same vector in full precision.
CREATE TABLE chunk_embeddings (
    chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    vector   BLOB NOT NULL
) STRICT;
