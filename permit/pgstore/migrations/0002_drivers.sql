-- A draft that may be retried carries an idempotency key, unique; the
-- applicant column lets a front office list an applicant's applications
-- (permit.Applicant.ID); occupies marks the applications conflict
-- candidates come from (permit.Application.Occupies). The store writes
-- both from the package's rules on every save; nothing here decides them.
ALTER TABLE permit_applications
    ADD COLUMN idempotency_key text,
    ADD COLUMN applicant text NOT NULL DEFAULT '',
    ADD COLUMN occupies boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX permit_applications_idempotency ON permit_applications (idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX permit_applications_applicant ON permit_applications (applicant, id)
    WHERE applicant <> '';

-- Rows stored before this migration, by the rules as they were then:
-- granted and active applications occupy their place, and an enterprise's
-- application is the enterprise's (no national register number was kept).
UPDATE permit_applications SET occupies = status IN ('granted', 'active');
UPDATE permit_applications
   SET applicant = 'kbo:' || lpad(regexp_replace(doc->'applicant'->>'kbo', '[^0-9]', '', 'g'), 10, '0')
 WHERE coalesce(doc->'applicant'->>'kbo', '') <> '';

DROP INDEX permit_applications_conflicts;
CREATE INDEX permit_applications_conflicts ON permit_applications
    USING gist (bbox, span) WHERE occupies;
