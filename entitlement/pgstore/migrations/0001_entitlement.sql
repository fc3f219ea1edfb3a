CREATE TABLE entitlement_grant (
    id           uuid PRIMARY KEY,
    subject_id   text NOT NULL,
    benefit      text NOT NULL,
    valid_from   date NOT NULL,
    valid_until  date,
    status       text NOT NULL,
    decision_ref text NOT NULL,
    decided_by   text NOT NULL,
    reason       jsonb,
    end_reason   text NOT NULL DEFAULT '',
    version      integer NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

-- At most one current grant per subject and benefit: the database itself
-- refuses a second one, whatever the application does.
CREATE UNIQUE INDEX entitlement_grant_current ON entitlement_grant (benefit, subject_id)
    WHERE status IN ('active', 'ending');

CREATE TABLE entitlement_opt_out (
    subject_id  text NOT NULL,
    benefit     text NOT NULL,
    at          timestamptz NOT NULL,
    reason      text NOT NULL DEFAULT '',
    recorded_by text NOT NULL,
    PRIMARY KEY (subject_id, benefit)
);

CREATE TABLE entitlement_audit (
    seq        bigserial PRIMARY KEY,
    id         uuid NOT NULL UNIQUE,
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    action     text NOT NULL,
    subject_id text NOT NULL,
    benefit    text NOT NULL,
    grant_id   uuid,
    detail     text NOT NULL DEFAULT ''
);
CREATE INDEX entitlement_audit_subject ON entitlement_audit (subject_id, seq);
