-- Retention: closed_at and anonymised are copies of the case document's
-- closed_at and anonymised_at the purge filters on; the partial index holds
-- only the cases a purge may still touch. Cases closed before closed_at was
-- kept get their last update as closing time.
ALTER TABLE casefile_cases ADD COLUMN closed_at timestamptz;
ALTER TABLE casefile_cases ADD COLUMN anonymised boolean NOT NULL DEFAULT false;
UPDATE casefile_cases SET closed_at = (data->>'updated_at')::timestamptz WHERE closed;
CREATE INDEX casefile_cases_closed_at ON casefile_cases (municipality, closed_at, id)
    WHERE closed_at IS NOT NULL AND NOT anonymised;

-- The audit record of each purge run: counts only, never personal data.
CREATE TABLE casefile_purge_runs (
    id           uuid        PRIMARY KEY,
    municipality text        NOT NULL,
    at           timestamptz NOT NULL,
    data         jsonb       NOT NULL
);
CREATE INDEX casefile_purge_runs_municipality ON casefile_purge_runs (municipality, at);
