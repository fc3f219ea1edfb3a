package records_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/examples/portal/records"
	"github.com/lokaalbestuur/bouwstenen/payment"
	paymentpg "github.com/lokaalbestuur/bouwstenen/payment/pgstore"
	permitpg "github.com/lokaalbestuur/bouwstenen/permit/pgstore"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// An invoice the portal filed under a person before the payment service
// knew payers is still in that person's "Mijn dossiers" after the upgrade.
func TestInvoicesFiledByThePortalBeforeAreFoundByPayer(t *testing.T) {
	ctx, pool := context.Background(), testPool(t)
	store := paymentpg.New(pool)
	require.NoError(t, store.Migrate(ctx))
	// The index of invoices by owner of earlier versions.
	_, err := pool.Exec(ctx, `CREATE TABLE portal_invoices (
		request_id uuid PRIMARY KEY,
		seq        bigserial NOT NULL UNIQUE,
		owner      text NOT NULL,
		subject    text NOT NULL,
		link       text NOT NULL,
		created_at timestamptz NOT NULL)`)
	require.NoError(t, err)

	// As the earlier portal made them: a debtor by name, the owner in
	// portal_invoices.
	svc := payment.NewService(store, clock.Real{})
	iban, err := payment.ParseIBAN("BE68539007547034")
	require.NoError(t, err)
	mk := func(d payment.Debtor) *payment.Request {
		r, err := svc.Create(ctx, payment.NewRequest{Creditor: payment.Creditor{Name: "Gemeente", IBAN: iban}, Debtor: d, DueDate: calendar.NewDate(2026, 4, 1),
			Lines: []payment.NewLine{{Description: "Retributie", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.NewFromInt(42)}}})
		require.NoError(t, err)
		return r
	}
	person := mk(payment.Debtor{Kind: payment.DebtorPerson, Person: pii.Name{Given: "An", Family: "Peeters"}})
	firm := mk(payment.Debtor{Kind: payment.DebtorEnterprise, EnterpriseName: "Bouwbedrijf", EnterpriseNumber: "0123.456.749"})
	for _, row := range [][2]any{{person.ID, "insz:85073003328"}, {firm.ID, "kbo:0123456749"}} {
		_, err = pool.Exec(ctx, `INSERT INTO portal_invoices (request_id, owner, subject, link, created_at) VALUES ($1, $2, 'Retributie', '', now())`, row[0], row[1])
		require.NoError(t, err)
	}
	list := func(payer string) []*payment.Request {
		var out []*payment.Request
		for r, err := range svc.List(ctx, payment.Query{Payers: []string{payer}}) {
			require.NoError(t, err)
			out = append(out, r)
		}
		return out
	}
	require.Empty(t, list("insz:85073003328"), "before the upgrade")

	_, err = records.NewPgConfirmations(ctx, pool)
	require.NoError(t, err)
	got := list("insz:85073003328")
	require.Len(t, got, 1)
	assert.Equal(t, person.ID, got[0].ID)
	assert.Equal(t, pii.INSZ("85073003328"), got[0].Debtor.INSZ)
	got = list("kbo:0123456749")
	require.Len(t, got, 1)
	assert.Equal(t, firm.ID, got[0].ID)
}

// A permit record the portal made before records knew their applicant
// gets it from the permit when the migration runs again.
func TestPermitRecordsMadeBeforeLearnTheirApplicant(t *testing.T) {
	ctx, pool := context.Background(), testPool(t)
	require.NoError(t, permitpg.New(pool).Migrate(ctx))
	recs, err := records.NewPgPermits(ctx, pool)
	require.NoError(t, err)
	id := uuid.Must(uuid.NewV7())
	_, err = pool.Exec(ctx, `INSERT INTO permit_applications (id, version, status, doc, bbox, span, applicant)
		VALUES ($1, 1, 'submitted', '{}', box(point(0, 0), point(1, 1)), tstzrange(now(), now() + interval '1 day'), 'insz:85073003328')`, id)
	require.NoError(t, err)
	// As an earlier version added it: no applicant.
	old, err := recs.Add(ctx, records.Permit{PermitID: id})
	require.NoError(t, err)
	got, err := recs.ByApplicant(ctx, "insz:85073003328")
	require.NoError(t, err)
	require.Empty(t, got)

	require.NoError(t, records.Migrate(ctx, pool))
	got, err = recs.ByApplicant(ctx, "insz:85073003328")
	require.NoError(t, err)
	require.Contains(t, got, id)
	assert.Equal(t, old.Seq, got[id].Seq)
	assert.Equal(t, "insz:85073003328", got[id].Applicant)
}
