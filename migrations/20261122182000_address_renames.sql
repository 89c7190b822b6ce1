-- What lets the directory of people take in only the addresses added since it was built:
-- each address keeps the evidence version at which its display name last changed, so a
-- directory built at version V knows whether any address it holds was renamed since.
ALTER TABLE addresses ADD COLUMN renamed_at INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER evidence_address_changed;
CREATE TRIGGER evidence_address_changed AFTER UPDATE OF is_me, is_automated, display_name ON addresses
WHEN old.is_me IS NOT new.is_me OR old.is_automated IS NOT new.is_automated
  OR old.display_name IS NOT new.display_name
BEGIN
  UPDATE evidence_version SET version = version + 1,
    rewrites = rewrites + (old.is_me IS NOT new.is_me OR old.is_automated IS NOT new.is_automated)
  WHERE id = 1;
  UPDATE addresses SET renamed_at = (SELECT version FROM evidence_version WHERE id = 1)
  WHERE id = new.id AND old.display_name IS NOT new.display_name;
END;

CREATE INDEX addresses_renamed ON addresses(renamed_at) WHERE renamed_at > 0;
