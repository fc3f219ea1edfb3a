CREATE TABLE delivery_preferences (
    party   text  NOT NULL,
    version int   NOT NULL,
    data    jsonb NOT NULL,
    PRIMARY KEY (party, version)
);
CREATE TABLE delivery_rules (
    category text  NOT NULL,
    version  int   NOT NULL,
    data     jsonb NOT NULL,
    PRIMARY KEY (category, version)
);
CREATE TABLE delivery_deliveries (
    id      uuid        PRIMARY KEY,
    version int         NOT NULL,
    due_at  timestamptz,
    data    jsonb       NOT NULL
);
CREATE INDEX delivery_deliveries_due ON delivery_deliveries (due_at) WHERE due_at IS NOT NULL;
CREATE TABLE delivery_evidence (
    document_id uuid  NOT NULL,
    seq         int   NOT NULL,
    data        jsonb NOT NULL,
    PRIMARY KEY (document_id, seq)
);
CREATE TABLE delivery_paper_quota (
    day  date PRIMARY KEY,
    used int  NOT NULL
);
