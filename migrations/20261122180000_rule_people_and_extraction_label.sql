-- What the rules last saw of people, so `person.new` and `person.fading` fire when someone
-- becomes new or fading rather than on everyone flagged already; and the mail the
-- extraction label (a setting) has sent to `extract_event`, so each message goes once.
-- Times are unix milliseconds, UTC.

-- The people the ranking flagged as new this period or as fading when the rules last
-- looked. Whether the rules have looked at all (a baseline exists) is the setting
-- 'rules.people.baseline': without it, everything flagged is history.
CREATE TABLE rule_person_flags (
    person_id INTEGER NOT NULL,
    flag      TEXT NOT NULL CHECK (flag IN ('new', 'fading')),
    PRIMARY KEY (person_id, flag)
) STRICT, WITHOUT ROWID;

-- One row per message the extraction label queued an `extract_event` job for, written
-- in the same transaction as the job: a message is sent to extraction once, also across
-- restarts and passes that look at it again.
CREATE TABLE label_extractions (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    queued_at  INTEGER NOT NULL
) STRICT;
