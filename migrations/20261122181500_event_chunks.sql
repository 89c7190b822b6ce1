-- Events become retrieval chunks too (title, attendees' names, description and place), so
-- that hybrid search and the assistant's search_events find them by words and likeness.
-- A chunk now belongs to a message or to an event. SQLite cannot drop NOT NULL in place:
-- the chunks are copied into a new table with their ids, so the full-text index
-- (`chunks_fts`, keyed by chunk id) and the vectors (`chunk_bits` by rowid,
-- `chunk_embeddings` by chunk id) stay as they are. `chunk_embeddings` refers to the chunks
-- with ON DELETE CASCADE, so its rows are set aside while the old table is dropped.

CREATE TABLE chunks_new (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
    event_id   INTEGER REFERENCES events(id) ON DELETE CASCADE,
    -- The chunk's place in its message or event, from 0.
    ord        INTEGER NOT NULL,
    subject    TEXT NOT NULL,
    sender     TEXT NOT NULL,
    body       TEXT NOT NULL,
    -- Unix milliseconds, UTC: when the message was sent, or the event starts.
    at         INTEGER NOT NULL,
    CHECK ((message_id IS NULL) != (event_id IS NULL))
) STRICT;
INSERT INTO chunks_new (id, message_id, event_id, ord, subject, sender, body, at)
SELECT id, message_id, NULL, ord, subject, sender, body, at FROM chunks;

CREATE TABLE chunk_embeddings_kept AS SELECT chunk_id, vector FROM chunk_embeddings;
DROP TABLE chunk_embeddings;
DROP TABLE chunks;
ALTER TABLE chunks_new RENAME TO chunks;

CREATE TABLE chunk_embeddings (
    chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    vector   BLOB NOT NULL
) STRICT;
INSERT INTO chunk_embeddings (chunk_id, vector)
SELECT chunk_id, vector FROM chunk_embeddings_kept;
DROP TABLE chunk_embeddings_kept;

CREATE INDEX chunks_message ON chunks(message_id);
CREATE INDEX chunks_at ON chunks(at);
CREATE UNIQUE INDEX chunks_message_ord ON chunks(message_id, ord) WHERE message_id IS NOT NULL;
CREATE UNIQUE INDEX chunks_event_ord ON chunks(event_id, ord) WHERE event_id IS NOT NULL;

-- The triggers of the old table, as they were.
CREATE TRIGGER chunks_fts_added AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts (rowid, subject, sender, body)
    VALUES (new.id, new.subject, new.sender, new.body);
END;
CREATE TRIGGER chunks_fts_removed AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, subject, sender, body)
    VALUES ('delete', old.id, old.subject, old.sender, old.body);
    DELETE FROM chunk_bits WHERE rowid = old.id;
    DELETE FROM chunk_embeddings WHERE chunk_id = old.id;
END;
CREATE TRIGGER chunks_deleted_counted AFTER DELETE ON chunks BEGIN
    UPDATE chunk_deletions SET count = count + 1 WHERE id = 1;
END;
CREATE TRIGGER chunk_vector_mark_follows_deletions AFTER DELETE ON chunks BEGIN
    UPDATE chunk_vector_model
    SET embedded_through = min(embedded_through, (SELECT coalesce(max(id), 0) FROM chunks))
    WHERE id = 1;
END;

-- Events waiting to be chunked: every event added or changed (its title, description,
-- place, start or status, or its attendees) since it was last chunked. `version` moves with
-- each change, so that the indexer, which read one version, leaves a later change queued.
-- (Plain UPDATE and INSERT, never OR REPLACE: a trigger's conflict clause gives way to
-- the outer statement's, such as an import's INSERT OR IGNORE of attendees.)
-- The indexer replaces an event's chunks only when their text differs (an import writes
-- the attendees of every event it touches again); a deleted event's chunks go with it.
CREATE TABLE events_to_chunk (
    event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    version  INTEGER NOT NULL
) STRICT;
INSERT INTO events_to_chunk (event_id, version) SELECT id, 1 FROM events;

CREATE TRIGGER events_chunked_when_added AFTER INSERT ON events BEGIN
    UPDATE events_to_chunk SET version = version + 1 WHERE event_id = new.id;
    INSERT INTO events_to_chunk (event_id, version)
    SELECT new.id, 1 WHERE NOT EXISTS (SELECT 1 FROM events_to_chunk WHERE event_id = new.id);
END;
CREATE TRIGGER events_chunked_when_changed AFTER UPDATE ON events
WHEN old.summary IS NOT new.summary OR old.description IS NOT new.description
  OR old.location IS NOT new.location OR old.starts_at IS NOT new.starts_at
  OR old.status IS NOT new.status BEGIN
    UPDATE events_to_chunk SET version = version + 1 WHERE event_id = new.id;
    INSERT INTO events_to_chunk (event_id, version)
    SELECT new.id, 1 WHERE NOT EXISTS (SELECT 1 FROM events_to_chunk WHERE event_id = new.id);
END;
CREATE TRIGGER events_chunked_when_attendees_added AFTER INSERT ON event_attendees BEGIN
    UPDATE events_to_chunk SET version = version + 1 WHERE event_id = new.event_id;
    INSERT INTO events_to_chunk (event_id, version)
    SELECT new.event_id, 1 WHERE NOT EXISTS (SELECT 1 FROM events_to_chunk WHERE event_id = new.event_id);
END;
CREATE TRIGGER events_chunked_when_attendees_removed AFTER DELETE ON event_attendees
WHEN EXISTS (SELECT 1 FROM events WHERE id = old.event_id) BEGIN
    UPDATE events_to_chunk SET version = version + 1 WHERE event_id = old.event_id;
    INSERT INTO events_to_chunk (event_id, version)
    SELECT old.event_id, 1 WHERE NOT EXISTS (SELECT 1 FROM events_to_chunk WHERE event_id = old.event_id);
END;
