-- Narrow copies of what the insights read of each message, so they never touch the wide
-- rows: a message's sent_at and flags sit after its body in the row, so reading them from
-- the table walks the body's overflow pages, each decrypted by SQLCipher. The queries name
-- these indexes (INDEXED BY) where the planner would otherwise look rows up by id.

-- By id: for joins from participants to their message.
CREATE INDEX messages_narrow ON messages(id, from_address_id, sent_at, is_automated, in_reply_to, thread_key);
-- By Message-ID: for "what does this reply answer".
CREATE INDEX messages_parent ON messages(rfc_message_id, sent_at, from_address_id);
-- By thread, in time: for "have I written in this thread since". Supersedes messages_thread.
CREATE INDEX messages_thread_sent ON messages(thread_key, sent_at, from_address_id);
DROP INDEX messages_thread;
