-- The catalogue: one row per entry, the entry as JSON. IDs sort byte-wise
-- (COLLATE "C"), as the in-memory store sorts them.
CREATE TABLE assistant_entries (
    id         text COLLATE "C" PRIMARY KEY,
    entry      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Conversations: bounded, redacted state with a time to live.
CREATE TABLE assistant_conversations (
    id           uuid PRIMARY KEY,
    conversation jsonb NOT NULL,
    version      integer NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX assistant_conversations_expiry ON assistant_conversations (expires_at);

-- Statistics: counts of outcomes, nothing that identifies a person.
CREATE TABLE assistant_outcomes (
    day         date NOT NULL,
    intent      text COLLATE "C" NOT NULL,
    entry_id    text COLLATE "C" NOT NULL,
    resolved    boolean NOT NULL,
    handed_over boolean NOT NULL,
    count       bigint NOT NULL,
    PRIMARY KEY (day, intent, entry_id, resolved, handed_over)
);
