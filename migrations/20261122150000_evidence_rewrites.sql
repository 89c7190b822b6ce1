-- What lets the insights keep the evidence they read in memory and take in only what is
-- new: a second counter that moves on every change other than a new message or event
-- (a deletion, an event rewritten, who is me or automated). While it stands still, the
-- rows added since the last read are all there is to read.
ALTER TABLE evidence_version ADD COLUMN rewrites INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER evidence_message_removed;
CREATE TRIGGER evidence_message_removed AFTER DELETE ON messages
BEGIN UPDATE evidence_version SET version = version + 1, rewrites = rewrites + 1 WHERE id = 1; END;
DROP TRIGGER evidence_event_changed;
CREATE TRIGGER evidence_event_changed AFTER UPDATE ON events
BEGIN UPDATE evidence_version SET version = version + 1, rewrites = rewrites + 1 WHERE id = 1; END;
DROP TRIGGER evidence_event_removed;
CREATE TRIGGER evidence_event_removed AFTER DELETE ON events
BEGIN UPDATE evidence_version SET version = version + 1, rewrites = rewrites + 1 WHERE id = 1; END;
DROP TRIGGER evidence_address_changed;
CREATE TRIGGER evidence_address_changed AFTER UPDATE OF is_me, is_automated, display_name ON addresses
WHEN old.is_me IS NOT new.is_me OR old.is_automated IS NOT new.is_automated
  OR old.display_name IS NOT new.display_name
BEGIN
  UPDATE evidence_version SET version = version + 1,
    rewrites = rewrites + (old.is_me IS NOT new.is_me OR old.is_automated IS NOT new.is_automated)
  WHERE id = 1;
END;

-- "Which stored messages answer this one": a new message may be the parent of one that
-- arrived before it.
CREATE INDEX messages_reply ON messages(in_reply_to) WHERE in_reply_to IS NOT NULL;

-- Who took part in each message without their display names: what the insights read of
-- every message, in a third of the pages (a WITHOUT ROWID table's index holds its key).
CREATE INDEX message_participants_narrow ON message_participants(message_id);
