-- The durable job queue: sync, recompute and AI work are rows here, so work survives a
-- quit or a crash. A worker claims a job under a lease; when a lease expires without the
-- job finishing (its worker died), another worker claims the job again. Times are unix
-- milliseconds, UTC.

CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,
    payload          TEXT NOT NULL CHECK (json_valid(payload)),
    -- Two unfinished jobs of one kind never share a dedupe key (jobs_dedupe below).
    dedupe_key       TEXT,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'running', 'done', 'failed')),
    -- Claims so far, including one cut short by a crash; a release gives its claim back.
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts     INTEGER NOT NULL CHECK (max_attempts >= 1),
    -- Not claimed before this instant: when it was enqueued for, or its retry's backoff.
    run_after        INTEGER NOT NULL,
    -- Who holds a running job, and until when; an expired lease may be claimed again.
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    finished_at      INTEGER,
    CHECK ((status = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
    CHECK ((status IN ('done', 'failed')) = (finished_at IS NOT NULL))
) STRICT;

-- Enqueuing work that is already queued or running returns that job; once it has
-- finished, the same key may be queued again.
CREATE UNIQUE INDEX jobs_dedupe ON jobs(kind, dedupe_key) WHERE status IN ('pending', 'running');

-- The claim reads the unfinished jobs in due order. Finished jobs, which pile up until
-- purged, are not in this index, so a claim never walks past them.
CREATE INDEX jobs_due ON jobs(run_after) WHERE status IN ('pending', 'running');

-- Purging finished jobs by age.
CREATE INDEX jobs_finished ON jobs(finished_at) WHERE finished_at IS NOT NULL;
