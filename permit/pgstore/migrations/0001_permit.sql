-- Applications are kept as a JSON document plus the columns queries need.
-- bbox is the bounding box in Belgian Lambert 72 metres, span the time
-- range from the first start to the last end, half-open like the domain.
CREATE TABLE permit_applications (
    id         uuid PRIMARY KEY,
    version    integer NOT NULL,
    status     text NOT NULL,
    doc        jsonb NOT NULL,
    bbox       box NOT NULL,
    span       tstzrange NOT NULL
);
CREATE INDEX permit_applications_status ON permit_applications (status, id);
-- Conflict candidates come from PostgreSQL's own GiST over boxes and
-- ranges (no PostGIS): only granted and active applications are indexed.
CREATE INDEX permit_applications_conflicts ON permit_applications
    USING gist (bbox, span) WHERE status IN ('granted', 'active');

CREATE TABLE permit_works (
    id   uuid PRIMARY KEY,
    doc  jsonb NOT NULL,
    bbox box NOT NULL,
    span tstzrange NOT NULL
);
CREATE INDEX permit_works_conflicts ON permit_works USING gist (bbox, span);

CREATE TABLE permit_ratings (
    a          uuid NOT NULL,
    b          uuid NOT NULL,
    party      uuid NOT NULL,
    value      text NOT NULL,
    a_revision integer NOT NULL,
    b_revision integer NOT NULL,
    rated_at   timestamptz NOT NULL,
    PRIMARY KEY (a, b, party)
);
