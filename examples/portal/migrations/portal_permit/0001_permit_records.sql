-- What the portal keeps about a permit besides the permit itself: whose it
-- is, its short reference, the clerk's completeness check, and what the
-- wiring did on the grant (its invoice, its signage schedule) and on the
-- payment. The document holds the whole record; the columns are its keys.
CREATE TABLE portal_permit_records (
    permit_id  uuid PRIMARY KEY,
    seq        bigserial NOT NULL UNIQUE,
    owner      text NOT NULL,
    invoice_id uuid UNIQUE,
    doc        jsonb NOT NULL
);
CREATE INDEX portal_permit_records_owner ON portal_permit_records (owner, seq);
