-- Events from mail: the calendar parts messages carry, which events came from which
-- message, and every creation or change of an event for the rules to fire on.

-- The text/calendar parts of a message, as sent, with their METHOD.
CREATE TABLE message_invitations (
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    part       INTEGER NOT NULL, -- 1 for the message's first calendar part
    method     TEXT NOT NULL CHECK (method IN ('request', 'cancel', 'reply', 'other')),
    content    TEXT NOT NULL,
    PRIMARY KEY (message_id, part)
) STRICT;

-- Which message created or changed an event, and how; `sent_at` (unix milliseconds) of
-- the message orders the invitations of one event, so an older one never undoes a newer.
CREATE TABLE event_messages (
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    method     TEXT NOT NULL CHECK (method IN ('request', 'cancel', 'reply', 'other')),
    sent_at    INTEGER NOT NULL,
    PRIMARY KEY (event_id, message_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_messages_message ON event_messages(message_id);

-- Each creation of an event and each change of what it shows, whoever made it (an
-- import, a calendar sync, an invitation): what `event.created` and `event.updated`
-- rules fire on, once per change. Written by triggers, so no write path can miss one.
CREATE TABLE event_changes (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('created', 'updated')),
    changed_at INTEGER NOT NULL -- unix milliseconds
) STRICT;
CREATE INDEX event_changes_event ON event_changes(event_id);

CREATE TRIGGER event_change_created AFTER INSERT ON events
BEGIN
  INSERT INTO event_changes (event_id, kind, changed_at)
  VALUES (new.id, 'created', new.imported_at);
END;

-- An upsert that rewrites the same values is no change.
CREATE TRIGGER event_change_updated AFTER UPDATE ON events
WHEN old.summary IS NOT new.summary OR old.description IS NOT new.description
  OR old.location IS NOT new.location OR old.starts_at IS NOT new.starts_at
  OR old.ends_at IS NOT new.ends_at OR old.all_day IS NOT new.all_day
  OR old.status IS NOT new.status
BEGIN
  INSERT INTO event_changes (event_id, kind, changed_at)
  VALUES (new.id, 'updated', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
