-- Kindred's first schema: the normalised evidence (messages, events, their participants),
-- addresses, import checkpoints and settings. Migrations are append-only: never edit
-- this file once it has landed; add a new one.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- Every address seen, normalised. `is_me` marks the person's own addresses.
CREATE TABLE addresses (
    id            INTEGER PRIMARY KEY,
    address       TEXT NOT NULL UNIQUE,
    domain        TEXT NOT NULL,
    display_name  TEXT,
    is_me         INTEGER NOT NULL DEFAULT 0,
    is_automated  INTEGER NOT NULL DEFAULT 0,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX addresses_domain ON addresses(domain);

-- One row per distinct message. Copies of a message in several folders are merged:
-- same Message-ID (`rfc_message_id`), or the same sender, instant, subject and
-- whitespace-normalised body (`content_key`).
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    source_key      TEXT NOT NULL,
    rfc_message_id  TEXT UNIQUE,
    content_key     TEXT NOT NULL UNIQUE,
    thread_key      TEXT NOT NULL,
    in_reply_to     TEXT,
    subject         TEXT NOT NULL,
    -- "Name <address>" of the sender, for display and search.
    sender          TEXT NOT NULL,
    from_address_id INTEGER REFERENCES addresses(id),
    body_text       TEXT NOT NULL,
    -- Unix milliseconds, UTC. Whether I sent it follows from the sender's address
    -- (addresses.is_me), so changing who "me" is never rewrites messages.
    sent_at         INTEGER NOT NULL,
    is_automated    INTEGER NOT NULL,
    has_attachments INTEGER NOT NULL,
    size_bytes      INTEGER NOT NULL,
    imported_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX messages_sent_at ON messages(sent_at);
CREATE INDEX messages_thread ON messages(thread_key);
-- Covers what the insights read of every message (who, when, bulk or not, a reply or not)
-- so they never decrypt the wide rows that carry the bodies.
CREATE INDEX messages_from ON messages(from_address_id, sent_at, is_automated, in_reply_to);

CREATE TABLE message_participants (
    message_id   INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    address_id   INTEGER NOT NULL REFERENCES addresses(id),
    role         TEXT NOT NULL CHECK (role IN ('from', 'to', 'cc', 'bcc', 'reply_to')),
    display_name TEXT,
    PRIMARY KEY (message_id, role, address_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX message_participants_address ON message_participants(address_id);

CREATE TABLE message_labels (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    PRIMARY KEY (message_id, label)
) STRICT, WITHOUT ROWID;

-- Full-text index over the messages table (external content: the text is stored once).
CREATE VIRTUAL TABLE messages_fts USING fts5(
    subject, sender, body_text,
    content = 'messages', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- One row per event occurrence (recurring events are expanded).
CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    source_key    TEXT NOT NULL UNIQUE,
    uid           TEXT NOT NULL,
    recurrence_id INTEGER, -- unix milliseconds of the occurrence's original start
    summary       TEXT NOT NULL,
    description   TEXT NOT NULL,
    location      TEXT NOT NULL,
    starts_at     INTEGER NOT NULL,
    ends_at       INTEGER NOT NULL,
    all_day       INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('confirmed', 'tentative', 'cancelled')),
    imported_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX events_starts_at ON events(starts_at);
CREATE INDEX events_uid ON events(uid);

CREATE TABLE event_attendees (
    event_id     INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    address_id   INTEGER NOT NULL REFERENCES addresses(id),
    role         TEXT NOT NULL CHECK (role IN ('organizer', 'attendee')),
    display_name TEXT,
    response     TEXT NOT NULL,
    PRIMARY KEY (event_id, role, address_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_attendees_address ON event_attendees(address_id);

-- How far each import source has been read; committed with the items it covers.
CREATE TABLE import_checkpoints (
    source_key  TEXT PRIMARY KEY NOT NULL,
    fingerprint TEXT NOT NULL,
    position    INTEGER NOT NULL,
    finished    INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
