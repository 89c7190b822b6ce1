-- Connected accounts (Google) and the state of their sync: where each source stands,
-- which stored rows each account's items map to, and an audit row per sync run.
-- Tokens are never here: they live in the OS keyring.

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    provider    TEXT NOT NULL CHECK (provider IN ('google')),
    email       TEXT NOT NULL,
    status      TEXT NOT NULL
                CHECK (status IN ('connected', 'reconnect_needed', 'snapshot', 'signed_out')),
    -- The initial sync's window in days; NULL means everything.
    window_days INTEGER,
    created_at  INTEGER NOT NULL,
    UNIQUE (provider, email)
) STRICT;

-- Where one source of one account stands. `source` is `gmail` or `calendar:<calendar id>`.
-- Written in the same transaction as the items it covers.
CREATE TABLE sync_state (
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    -- 'listing' (collecting ids), 'fetching' (fetching listed ids), 'incremental'
    -- (caught up; `cursor` is valid) or 'reconcile' (a listing to diff with the store).
    phase        TEXT NOT NULL
                 CHECK (phase IN ('listing', 'fetching', 'incremental', 'reconcile')),
    -- Gmail historyId / Calendar nextSyncToken from which the next incremental pass starts.
    cursor       TEXT,
    -- The next page of an unfinished listing.
    page_token   TEXT,
    -- Unix milliseconds: the lower bound of the initial sync, fixed when it started.
    window_start INTEGER,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (account_id, source)
) STRICT;

-- Gmail ids listed but not yet fetched (initial sync and reconcile), newest first.
CREATE TABLE gmail_pending (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    gmail_id   TEXT NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (account_id, gmail_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX gmail_pending_position ON gmail_pending(account_id, position);

-- Which stored message each Gmail message of an account is. Copies merge into one
-- message row, so several ids (and accounts) may point at it.
CREATE TABLE gmail_messages (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    gmail_id   TEXT NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, gmail_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX gmail_messages_message ON gmail_messages(message_id);

-- Which stored event each Google Calendar event of an account's calendar is.
CREATE TABLE calendar_events (
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    calendar_id     TEXT NOT NULL,
    google_event_id TEXT NOT NULL,
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, calendar_id, google_event_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX calendar_events_event ON calendar_events(event_id);

-- One row per sync run of an account, so "synced but nothing came" is visible.
CREATE TABLE sync_runs (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    mail_added     INTEGER NOT NULL DEFAULT 0,
    mail_updated   INTEGER NOT NULL DEFAULT 0,
    mail_deleted   INTEGER NOT NULL DEFAULT 0,
    events_added   INTEGER NOT NULL DEFAULT 0,
    events_updated INTEGER NOT NULL DEFAULT 0,
    events_deleted INTEGER NOT NULL DEFAULT 0,
    -- NULL when the run succeeded: 'reconnect_needed', 'quota', 'network', 'server', 'store'...
    error_class    TEXT,
    error_message  TEXT
) STRICT;
CREATE INDEX sync_runs_account ON sync_runs(account_id, started_at);
