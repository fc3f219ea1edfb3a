-- The portal's index of invoices by owner, so "Mijn dossiers" finds a
-- person's or an enterprise's payment requests, and the statement lines a
-- clerk confirmed by hand.
CREATE TABLE portal_invoices (
    request_id uuid PRIMARY KEY,
    seq        bigserial NOT NULL UNIQUE,
    owner      text NOT NULL,
    subject    text NOT NULL,
    link       text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX portal_invoices_owner ON portal_invoices (owner, seq);

CREATE TABLE portal_statement_confirmations (
    line_key     text PRIMARY KEY,
    request_id   uuid NOT NULL,
    confirmed_at timestamptz NOT NULL
);
