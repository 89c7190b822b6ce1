-- Conversations with the assistant: each question and answer, with the sources an answer
-- cites and the actions it proposed (which exist only here until the person confirms).

CREATE TABLE chat_threads (
    id         INTEGER PRIMARY KEY,
    -- The first question, for lists of conversations.
    title      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE chat_messages (
    id               INTEGER PRIMARY KEY,
    thread_id        INTEGER NOT NULL REFERENCES chat_threads(id) ON DELETE CASCADE,
    role             TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content          TEXT NOT NULL,
    -- JSON arrays: [{"kind", "id", "subject_or_title", "date"}] and
    -- [{"tool", "arguments", "status"}].
    citations        TEXT NOT NULL DEFAULT '[]',
    proposed_actions TEXT NOT NULL DEFAULT '[]',
    created_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX chat_messages_thread ON chat_messages(thread_id, id);
