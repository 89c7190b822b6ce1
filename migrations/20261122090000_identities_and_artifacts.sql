-- The person's identity decisions and the derived artifacts the insights store, with the
-- evidence version that tells when an artifact has gone stale.

-- Merges and splits the person confirmed, replayed in id order by the identity rules
-- (kindred-core's identity module) at every recompute, so they survive it.
CREATE TABLE identity_decisions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
    address_a  INTEGER NOT NULL REFERENCES addresses(id),
    -- The other address of a merge; NULL for a split.
    address_b  INTEGER REFERENCES addresses(id),
    created_at INTEGER NOT NULL,
    CHECK ((kind = 'merge') = (address_b IS NOT NULL))
) STRICT;

-- A counter every change to the evidence (or to what the insights read of it) moves on,
-- so an artifact computed at an older version is stale.
CREATE TABLE evidence_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;
INSERT INTO evidence_version (id, version) VALUES (1, 0);

CREATE TRIGGER evidence_message_added AFTER INSERT ON messages
BEGIN UPDATE evidence_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER evidence_message_removed AFTER DELETE ON messages
BEGIN UPDATE evidence_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER evidence_event_added AFTER INSERT ON events
BEGIN UPDATE evidence_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER evidence_event_changed AFTER UPDATE ON events
BEGIN UPDATE evidence_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER evidence_event_removed AFTER DELETE ON events
BEGIN UPDATE evidence_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER evidence_address_changed AFTER UPDATE OF is_me, is_automated, display_name ON addresses
WHEN old.is_me IS NOT new.is_me OR old.is_automated IS NOT new.is_automated
  OR old.display_name IS NOT new.display_name
BEGIN UPDATE evidence_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER evidence_identity_decided AFTER INSERT ON identity_decisions
BEGIN UPDATE evidence_version SET version = version + 1 WHERE id = 1; END;

-- Derived results (people, organisations, Wrapped, graph) as JSON, keyed by what they
-- are of and the evidence version they were computed from.
CREATE TABLE artifacts (
    kind          TEXT NOT NULL,
    subject       TEXT NOT NULL,
    input_version INTEGER NOT NULL,
    computed_at   INTEGER NOT NULL,
    body          TEXT NOT NULL,
    PRIMARY KEY (kind, subject)
) STRICT;
