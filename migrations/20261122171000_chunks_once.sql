-- Indexing runs as a background job beside searches that index new mail first, in the app
-- and in the CLI at once: a message's chunks are now stored once whoever writes them first
-- (the writer skips a chunk already there). Copies written before are dropped.

DELETE FROM chunks
WHERE id NOT IN (SELECT min(id) FROM chunks GROUP BY message_id, ord);
CREATE UNIQUE INDEX chunks_message_ord ON chunks(message_id, ord);
