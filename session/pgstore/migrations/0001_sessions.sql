-- Sessions by the SHA-256 hash of their cookie token; the token itself is never stored.
CREATE TABLE sessions (
    token_hash          bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    subject             text        NOT NULL,
    data                jsonb       NOT NULL,
    created_at          timestamptz NOT NULL,
    last_seen_at        timestamptz NOT NULL,
    idle_expires_at     timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL
);
-- "Sign out everywhere" finds a person's sessions.
CREATE INDEX sessions_subject ON sessions (subject);
-- Purge finds expired sessions by either deadline.
CREATE INDEX sessions_idle_expires ON sessions (idle_expires_at);
CREATE INDEX sessions_absolute_expires ON sessions (absolute_expires_at);
