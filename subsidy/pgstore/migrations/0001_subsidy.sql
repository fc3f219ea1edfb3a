CREATE TABLE subsidy_scheme (
    id  uuid  PRIMARY KEY,
    doc jsonb NOT NULL
);

CREATE TABLE subsidy_call (
    id        uuid    PRIMARY KEY,
    scheme_id uuid    NOT NULL REFERENCES subsidy_scheme (id),
    version   integer NOT NULL,
    budget    numeric NOT NULL,
    reserved  numeric NOT NULL,
    paid      numeric NOT NULL,
    doc       jsonb   NOT NULL,
    -- the ledger's invariant, held by the database as well as by the service
    CONSTRAINT subsidy_call_within_budget CHECK (reserved + paid <= budget)
);

CREATE TABLE subsidy_application (
    seq     bigserial UNIQUE,
    id      uuid      PRIMARY KEY,
    call_id uuid      NOT NULL REFERENCES subsidy_call (id),
    status  text      NOT NULL,
    version integer   NOT NULL,
    doc     jsonb     NOT NULL
);
CREATE INDEX subsidy_application_call ON subsidy_application (call_id, seq);
