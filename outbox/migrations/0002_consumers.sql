-- Each consumer keeps its own progress through the outbox. Events are read
-- in the order of their transaction IDs, and only those whose transaction
-- is older than every transaction still running (pg_snapshot_xmin), so a
-- consumer never passes an event whose transaction commits later.
ALTER TABLE outbox ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX outbox_log_order ON outbox (txid, seq);

CREATE TABLE outbox_consumer (
    name text   PRIMARY KEY,
    txid xid8   NOT NULL DEFAULT '0',
    seq  bigint NOT NULL DEFAULT 0
);

-- Events that failed for a consumer (waiting for a retry, or parked) and
-- events of an ordered consumer held behind an earlier one of their aggregate.
CREATE TABLE outbox_pending (
    consumer        text        NOT NULL REFERENCES outbox_consumer (name),
    seq             bigint      NOT NULL REFERENCES outbox (seq),
    txid            xid8        NOT NULL,
    attempts        int         NOT NULL,
    next_attempt_at timestamptz,
    last_error      text        NOT NULL DEFAULT '',
    parked          boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (consumer, seq)
);
