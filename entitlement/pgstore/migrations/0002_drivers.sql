-- Which statuses are current is the package's rule (GrantStatus.Current):
-- the store writes its answer into a column rather than repeat the rule
-- in SQL. At most one current grant per subject and benefit, still kept by
-- the database itself.
ALTER TABLE entitlement_grant ADD COLUMN current boolean;
UPDATE entitlement_grant SET current = status IN ('active', 'ending');
ALTER TABLE entitlement_grant ALTER COLUMN current SET NOT NULL;
DROP INDEX entitlement_grant_current;
CREATE UNIQUE INDEX entitlement_grant_current ON entitlement_grant (benefit, subject_id) WHERE current;

-- A grant made by a run with an idempotency key keeps the key, unique, and
-- the digest of what it was made for.
ALTER TABLE entitlement_grant ADD COLUMN idempotency_key text, ADD COLUMN request_digest text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX entitlement_grant_idempotency ON entitlement_grant (idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Every grant of a subject, oldest first.
CREATE INDEX entitlement_grant_subject ON entitlement_grant (subject_id, created_at, id);
