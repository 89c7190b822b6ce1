-- Webhook calls rule firings asked for, and an index for rule matching. A delivery is
-- written in the same transaction as its firing, so a crash can lose neither; a job then
-- POSTs it, retrying with backoff, and records each attempt in the activity log.
CREATE TABLE webhook_deliveries (
    id         INTEGER PRIMARY KEY,
    firing_id  INTEGER NOT NULL REFERENCES rule_firings(id) ON DELETE CASCADE,
    url        TEXT NOT NULL,
    -- The JSON body, fixed at firing time.
    payload    TEXT NOT NULL CHECK (json_valid(payload)),
    status     TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts   INTEGER NOT NULL CHECK (attempts >= 0),
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(id) WHERE status = 'pending';

-- What rule matching reads of every message, so a dry run over the whole history reads
-- this narrow index and never the wide rows: a message's flags sit after its body, whose
-- overflow pages SQLCipher would decrypt one by one.
CREATE INDEX messages_rule_facts ON messages(id, from_address_id, sent_at, has_attachments, subject);
