-- Retrieval keeps the chunks' binary vectors in memory and adds those written since it
-- last looked (ids above the highest it holds). A deletion (retention, a message removed)
-- cannot be seen that way, and a deleted highest id can come back for another chunk: this
-- counter moves with every chunk deleted, so the copy in memory is read again when it has.

CREATE TABLE chunk_deletions (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    count INTEGER NOT NULL
) STRICT;
INSERT INTO chunk_deletions (id, count) VALUES (1, 0);

CREATE TRIGGER chunks_deleted_counted AFTER DELETE ON chunks BEGIN
    UPDATE chunk_deletions SET count = count + 1 WHERE id = 1;
END;
