// Package records holds the reference portal's own small stores: what the
// portal keeps about a permit besides the permit itself (its short number,
// its invoice, its signage), and the statement lines a clerk confirmed by
// hand. Each store is an interface with an in-memory and a PostgreSQL
// implementation, and both pass the one conformance suite in recordstest.
//
// It imports only the SDK's public packages and pgx, so a municipality can
// copy it with a block of pages into its own module.
package records

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// schema creates the portal's tables when they do not exist, and brings
// the tables of earlier versions up to date. Every statement may run again.
const schema = `
CREATE TABLE IF NOT EXISTS portal_permit_records (
    permit_id  uuid PRIMARY KEY,
    seq        bigserial NOT NULL UNIQUE,
    invoice_id uuid UNIQUE,
    doc        jsonb NOT NULL
);
-- Whose permit it is, the permit package knows (its applicant, indexed):
-- earlier versions kept an owner column.
ALTER TABLE portal_permit_records DROP COLUMN IF EXISTS owner;
-- The record keeps a copy of the permit's applicant, so that "Mijn
-- dossiers" reads a person's records with their permits, at the same time.
ALTER TABLE portal_permit_records ADD COLUMN IF NOT EXISTS applicant text;
CREATE INDEX IF NOT EXISTS portal_permit_records_applicant ON portal_permit_records (applicant)
    WHERE applicant IS NOT NULL;
-- Records made before: the applicant from the permit, when the permit
-- package's table is in the same database (the portal reads the others'
-- records by permit, as before).
DO $$
BEGIN
  IF to_regclass('permit_applications') IS NOT NULL THEN
    UPDATE portal_permit_records r
    SET applicant = p.applicant, doc = jsonb_set(r.doc, '{applicant}', to_jsonb(p.applicant))
    FROM permit_applications p
    WHERE p.id = r.permit_id AND r.applicant IS NULL AND p.applicant <> '';
  END IF;
END $$;

CREATE TABLE IF NOT EXISTS portal_statement_confirmations (
    line_key     text PRIMARY KEY,
    request_id   uuid NOT NULL,
    confirmed_at timestamptz NOT NULL
);

-- Earlier versions kept their own index of invoices by owner
-- (portal_invoices). The payment service lists a payer's invoices itself
-- now (by Debtor.PayerKey); a person's invoice made before carries no
-- INSZ: take it from the owner the portal recorded, so "Mijn dossiers"
-- still shows it. Needs payment's own tables: migrate payment first.
DO $$
BEGIN
  IF to_regclass('portal_invoices') IS NOT NULL AND to_regclass('payment_requests') IS NOT NULL THEN
    UPDATE payment_requests r
    SET payer = i.owner,
        doc = jsonb_set(r.doc, '{debtor,insz}', to_jsonb(substr(i.owner, 6)))
    FROM portal_invoices i
    WHERE i.request_id = r.id AND r.payer IS NULL
      AND i.owner ~ '^insz:[0-9]{11}$' AND r.doc->'debtor'->>'kind' = 'person';
  END IF;
END $$;
`

// Migrate creates or updates the portal's tables in one transaction. Two
// portals starting at once on one database take turns (an advisory lock).
// Run it after the payment store's own migration.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('bouwstenen portal records'))`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, schema)
		return err
	})
	if err != nil {
		return fmt.Errorf("portal records: migrate: %w", err)
	}
	return nil
}
