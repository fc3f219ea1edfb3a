//go:build portal_tests_pending

package main

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/payment"
	paymentpg "github.com/lokaalbestuur/bouwstenen/payment/pgstore"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// An invoice the portal filed under a person before the payment service
// knew payers is still in that person's "Mijn dossiers" after the upgrade.
func TestInvoicesFiledByThePortalBeforeAreFoundByPayer(t *testing.T) {
	ctx, pool, _ := postgresTest(t, 2)
	store := paymentpg.New(pool)
	require.NoError(t, store.Migrate(ctx))
	first, err := fs.ReadFile(portalMigrations, "migrations/portal_payment/0001_invoices.sql")
	require.NoError(t, err)
	_, err = migrate.Run(ctx, pool, "portal_payment", fstest.MapFS{"m/0001_invoices.sql": {Data: first}}, "m")
	require.NoError(t, err)

	// As the earlier portal made them: a debtor by name, the owner in
	// portal_invoices.
	svc := payment.NewService(store, clock.Real{})
	iban, err := payment.ParseIBAN(demoIBAN)
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

	_, err = newPgConfirmations(ctx, pool)
	require.NoError(t, err)
	got := list("insz:85073003328")
	require.Len(t, got, 1)
	assert.Equal(t, person.ID, got[0].ID)
	assert.Equal(t, pii.INSZ("85073003328"), got[0].Debtor.INSZ)
	got = list("kbo:0123456749")
	require.Len(t, got, 1)
	assert.Equal(t, firm.ID, got[0].ID)
}
