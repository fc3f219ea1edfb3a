-- A draft that may be retried carries an idempotency key, unique in the
-- store (the document holds it and the request's digest too).
ALTER TABLE subsidy_application ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX subsidy_application_idempotency ON subsidy_application (idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- "My applications": an applicant's applications over every call, found
-- by the keyed reference the documents already hold, in creation order.
ALTER TABLE subsidy_application ADD COLUMN applicant_ref text NOT NULL DEFAULT '';
UPDATE subsidy_application SET applicant_ref = coalesce(doc->>'applicant_ref', '');
CREATE INDEX subsidy_application_applicant ON subsidy_application (applicant_ref, seq);
