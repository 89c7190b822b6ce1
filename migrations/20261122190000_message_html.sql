-- A message's own HTML part, as sent (sanitised only when it is shown). A table of its own
-- so scans of `messages` stay small; it goes with its message (foreign keys are on).
-- Messages stored before this migration simply have no HTML.
CREATE TABLE message_html (
  message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  html TEXT NOT NULL
);
