-- Reference numbers: one counter row per municipality and year, bumped
-- with INSERT ... ON CONFLICT DO UPDATE inside the creating transaction, so
-- concurrent creations queue on the row and a rolled-back one leaves no gap.
CREATE TABLE casefile_counters (
    municipality text   NOT NULL,
    year         int    NOT NULL,
    last         bigint NOT NULL,
    PRIMARY KEY (municipality, year)
);

-- The case document lives in data; the columns beside it are copies the
-- queries filter and sort on.
CREATE TABLE casefile_cases (
    id           uuid        PRIMARY KEY,
    municipality text        NOT NULL,
    reference    text        NOT NULL,
    type         text        NOT NULL,
    category     text        NOT NULL,
    status       text        NOT NULL,
    team         text        NOT NULL,
    assignee     text        NOT NULL,
    requester_id text        NOT NULL,
    merged_into  uuid,
    closed       boolean     NOT NULL,
    due          timestamptz,
    suspended_at timestamptz,
    version      int         NOT NULL,
    data         jsonb       NOT NULL,
    UNIQUE (municipality, reference)
);
-- The deadline index holds only cases whose deadline runs, like the memstore's.
CREATE INDEX casefile_cases_due ON casefile_cases (due, id)
    WHERE NOT closed AND due IS NOT NULL AND suspended_at IS NULL AND merged_into IS NULL;
CREATE INDEX casefile_cases_status ON casefile_cases (status, id);
CREATE INDEX casefile_cases_team ON casefile_cases (team, id);
CREATE INDEX casefile_cases_assignee ON casefile_cases (assignee, id) WHERE assignee <> '';
CREATE INDEX casefile_cases_requester ON casefile_cases (requester_id, id) WHERE requester_id <> '';
CREATE INDEX casefile_cases_merged ON casefile_cases (merged_into, id) WHERE merged_into IS NOT NULL;

-- The timeline is append-only: the store only ever inserts.
CREATE TABLE casefile_timeline (
    seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id      uuid   NOT NULL UNIQUE,
    case_id uuid   NOT NULL REFERENCES casefile_cases (id),
    data    jsonb  NOT NULL
);
CREATE INDEX casefile_timeline_case ON casefile_timeline (case_id, seq);
