-- What Kindred does on the person's behalf, and the record of it: the activity log, the
-- person's rules and the firing record that makes each rule fire once per item, tasks,
-- notifications for the shell to show, and standing instructions for the assistant.
-- Times are unix milliseconds, UTC.

-- Every action taken: syncs, rule firings, webhook calls, tasks created, assistant
-- actions, exports, deletions. Append-only, pruned by age (the retention setting).
CREATE TABLE activity_log (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    -- Who acted: 'person', 'sync', 'rule <id>', 'assistant'.
    actor   TEXT NOT NULL CHECK (length(actor) > 0),
    -- What kind of action: 'sync', 'rule.fired', 'webhook', 'task.created', ...
    kind    TEXT NOT NULL CHECK (length(kind) > 0),
    -- What it was about: 'message 42', 'account dana@example.com', 'task 7'.
    subject TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
    detail  TEXT NOT NULL
) STRICT;
CREATE INDEX activity_log_at ON activity_log(at);

-- The person's rules, as the canonical text of the parsed rule (kindred-core's rules
-- module parses it again on load). Only the person creates them, through the API.
CREATE TABLE rules (
    id         INTEGER PRIMARY KEY,
    text       TEXT NOT NULL,
    -- The trigger, so evaluation loads only the rules an item can fire.
    trigger    TEXT NOT NULL,
    enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- One row per rule and item it fired on ('message 42', 'event 7 at 1700000000000'): the
-- row is written in the same transaction as the firing's effects, and its uniqueness is
-- what makes a rule fire exactly once per item across restarts and re-syncs.
CREATE TABLE rule_firings (
    id       INTEGER PRIMARY KEY,
    rule_id  INTEGER NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
    item     TEXT NOT NULL,
    fired_at INTEGER NOT NULL,
    UNIQUE (rule_id, item)
) STRICT;

CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL CHECK (length(title) > 0),
    notes        TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('todo', 'doing', 'done')),
    priority     TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high')),
    -- A calendar date, YYYY-MM-DD.
    due          TEXT CHECK (due IS NULL OR date(due) = due),
    -- 'person', 'rule <id>' or 'assistant'.
    created_by   TEXT NOT NULL CHECK (length(created_by) > 0),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    completed_at INTEGER,
    CHECK ((status = 'done') = (completed_at IS NOT NULL))
) STRICT;
CREATE INDEX tasks_status ON tasks(status, priority);

-- The messages and events a task came from.
CREATE TABLE task_links (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('message', 'event')),
    item_id INTEGER NOT NULL,
    PRIMARY KEY (task_id, kind, item_id)
) STRICT, WITHOUT ROWID;

-- Notifications a rule raised, for the shell to show (the engine has no desktop
-- dependency); `shown_at` is set once the shell has shown one.
CREATE TABLE notifications (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    source   TEXT NOT NULL,
    title    TEXT NOT NULL,
    body     TEXT NOT NULL,
    shown_at INTEGER
) STRICT;
CREATE INDEX notifications_unshown ON notifications(at) WHERE shown_at IS NULL;

-- Standing instructions the assistant includes in its system prompt. One the assistant
-- proposes waits as 'proposed' until the person confirms it.
CREATE TABLE instructions (
    id         INTEGER PRIMARY KEY,
    text       TEXT NOT NULL CHECK (length(text) > 0),
    status     TEXT NOT NULL CHECK (status IN ('active', 'proposed')),
    created_by TEXT NOT NULL CHECK (created_by IN ('person', 'assistant')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- Rule evaluation reads the messages a sync brought in by when they were stored.
CREATE INDEX messages_imported_at ON messages(imported_at);
