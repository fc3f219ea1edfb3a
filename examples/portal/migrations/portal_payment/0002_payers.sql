-- The payment service now lists a payer's invoices itself (by
-- Debtor.PayerKey), and the portal no longer keeps its own index. An
-- enterprise's invoice is filed by its KBO number already (payment's own
-- migration); a person's invoice made before carries no INSZ: take it from
-- the owner the portal recorded, so "Mijn dossiers" still shows it. Runs
-- after payment's migrations (setupPayments).
UPDATE payment_requests r
SET payer = i.owner,
    doc = jsonb_set(r.doc, '{debtor,insz}', to_jsonb(substr(i.owner, 6)))
FROM portal_invoices i
WHERE i.request_id = r.id AND r.payer IS NULL
  AND i.owner ~ '^insz:[0-9]{11}$' AND r.doc->'debtor'->>'kind' = 'person';
