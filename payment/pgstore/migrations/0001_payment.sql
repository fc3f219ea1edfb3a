CREATE SEQUENCE payment_reference_seq;

CREATE TABLE payment_requests (
    id            uuid PRIMARY KEY,
    reference_key text NOT NULL UNIQUE,
    status        text NOT NULL,
    due_date      date NOT NULL,
    version       integer NOT NULL,
    doc           jsonb NOT NULL
);
CREATE INDEX payment_requests_status ON payment_requests (status, id);

CREATE TABLE payment_unmatched (
    key         text PRIMARY KEY,
    ord         bigserial NOT NULL,
    recorded_at timestamptz NOT NULL,
    doc         jsonb NOT NULL
);
