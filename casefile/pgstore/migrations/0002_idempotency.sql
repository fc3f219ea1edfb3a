-- A create that may be retried carries an idempotency key, unique per
-- municipality; the case document holds it and the request's digest too.
ALTER TABLE casefile_cases ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX casefile_cases_idempotency ON casefile_cases (municipality, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
