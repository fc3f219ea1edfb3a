package paymenttest

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Payers of the suite: a person by national register number and an
// enterprise by number (valid check digits).
const (
	PersonINSZ       = "85073003328"
	EnterpriseNumber = "0123.456.749"
)

func runPayers(t *testing.T, setup func(t *testing.T) (*payment.Service, payment.Store, *clock.Settable)) {
	ctx := context.Background()

	t.Run("InvoicesOfAPayer", func(t *testing.T) {
		svc, _, _ := setup(t)
		person := func() payment.NewRequest {
			n := NewRequest(t)
			n.Debtor.INSZ = PersonINSZ
			return n
		}
		enterprise := func() payment.NewRequest {
			n := NewRequest(t)
			n.Debtor = payment.Debtor{Kind: payment.DebtorEnterprise, EnterpriseName: "Bouwbedrijf Peeters", EnterpriseNumber: EnterpriseNumber}
			return n
		}
		someoneElse := func() payment.NewRequest {
			n := NewRequest(t)
			n.Debtor.INSZ = "90020199704"
			return n
		}
		var mine []uuid.UUID
		for i, mk := range []func() payment.NewRequest{person, someoneElse, enterprise, func() payment.NewRequest { return NewRequest(t) }, person, someoneElse, enterprise} {
			r, err := svc.Create(ctx, mk())
			require.NoError(t, err, i)
			if i == 0 || i == 2 || i == 4 || i == 6 {
				mine = append(mine, r.ID)
			}
		}
		_, err := svc.Cancel(ctx, mine[2], "x")
		require.NoError(t, err)
		list := func(q payment.Query) []uuid.UUID {
			var out []uuid.UUID
			for r, err := range svc.List(ctx, q) {
				require.NoError(t, err)
				out = append(out, r.ID)
			}
			return out
		}
		payers := []string{"insz:" + PersonINSZ, "kbo:0123456749"}
		assert.Equal(t, mine, list(payment.Query{Payers: payers}), "both payers, oldest first")
		assert.Equal(t, []uuid.UUID{mine[1], mine[3]}, list(payment.Query{Payers: payers[1:]}))
		assert.Equal(t, []uuid.UUID{mine[0], mine[1], mine[3]}, list(payment.Query{Payers: payers, Statuses: []payment.Status{payment.StatusOpen}}))
		assert.Empty(t, list(payment.Query{Payers: []string{"insz:00000000097"}}))
		assert.Equal(t, mine, list(payment.Query{Payers: append(payers, payers...)}), "a payer named twice, its invoices once")
		n := 0
		for range svc.List(ctx, payment.Query{Payers: payers}) {
			if n++; n == 2 {
				break
			}
		}
		assert.Equal(t, 2, n, "a caller may stop early")
	})

	t.Run("InvoicesOfTwoPayersPageByPage", func(t *testing.T) {
		svc, _, _ := setup(t)
		var want []uuid.UUID
		for i := range 230 {
			n := NewRequest(t)
			switch i % 3 {
			case 0:
				n.Debtor.INSZ = PersonINSZ
			case 1:
				n.Debtor = payment.Debtor{Kind: payment.DebtorEnterprise, EnterpriseName: "Bouwbedrijf Peeters", EnterpriseNumber: EnterpriseNumber}
			}
			r, err := svc.Create(ctx, n)
			require.NoError(t, err)
			if i%3 != 2 {
				want = append(want, r.ID)
			}
		}
		var got []uuid.UUID
		for r, err := range svc.List(ctx, payment.Query{Payers: []string{"kbo:0123456749", "insz:" + PersonINSZ}}) {
			require.NoError(t, err)
			got = append(got, r.ID)
		}
		assert.Equal(t, want, got, "every invoice once, in creation order, across pages")
	})

	t.Run("PayerKey", func(t *testing.T) {
		assert.Equal(t, "insz:"+PersonINSZ, payment.Debtor{Kind: payment.DebtorPerson, Person: pii.Name{Family: "P"}, INSZ: PersonINSZ}.PayerKey())
		assert.Equal(t, "kbo:0123456749", payment.Debtor{Kind: payment.DebtorEnterprise, EnterpriseNumber: "BE 0123.456.749"}.PayerKey())
		assert.Empty(t, payment.Debtor{Kind: payment.DebtorPerson, Person: pii.Name{Family: "P"}}.PayerKey())
	})
}
