-- The assistant's bookkeeping: the tokens each call to the LLM used, so the person can
-- see what the assistant costs.

CREATE TABLE llm_usage (
    id                INTEGER PRIMARY KEY,
    -- Unix milliseconds, UTC.
    at                INTEGER NOT NULL,
    -- What the call was for: story, story.verify, story.fix, chat, embeddings, test.
    purpose           TEXT NOT NULL,
    model             TEXT NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL
) STRICT;
CREATE INDEX llm_usage_at ON llm_usage(at);
