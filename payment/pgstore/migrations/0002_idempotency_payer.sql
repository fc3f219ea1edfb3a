-- A create that may be retried carries an idempotency key, unique; the
-- request document holds it and the request's digest too.
ALTER TABLE payment_requests ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX payment_requests_idempotency ON payment_requests (idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- The invoices of a payer (Debtor.PayerKey: "kbo:" or "insz:" and digits)
-- are listed from an index. Requests made before carry no national
-- register number; an enterprise's number is in the document.
ALTER TABLE payment_requests ADD COLUMN payer text;
UPDATE payment_requests SET payer = 'kbo:' || regexp_replace(doc->'debtor'->>'enterprise_number', '[^0-9]', '', 'g')
    WHERE doc->'debtor'->>'kind' = 'enterprise' AND coalesce(doc->'debtor'->>'enterprise_number', '') <> '';
CREATE INDEX payment_requests_payer ON payment_requests (payer, id) WHERE payer IS NOT NULL;
