package payment_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/payment/paymenttest"
)

func TestMemStore(t *testing.T) {
	paymenttest.Run(t, func(t *testing.T) paymenttest.Harness {
		rec := &event.Recorder{}
		return paymenttest.Harness{Store: payment.NewMemStore(rec), Committed: func(*testing.T) []event.Event { return rec.Events() }}
	})
}

// BenchmarkMemStoreListByPayer lists the three invoices of one payer among
// 100,000: the payer index makes it cost the three, not the 100,000.
func BenchmarkMemStoreListByPayer(b *testing.B) {
	ctx := context.Background()
	svc := payment.NewService(payment.NewMemStore(nil), clock.NewSettable(paymenttest.Start))
	for i := range 100_000 {
		n := paymenttest.NewRequest(b)
		if i%33_333 == 0 {
			n.Debtor.INSZ = paymenttest.PersonINSZ
		}
		_, err := svc.Create(ctx, n)
		require.NoError(b, err)
	}
	q := payment.Query{Payers: []string{"insz:" + paymenttest.PersonINSZ}}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range svc.List(ctx, q) {
			require.NoError(b, err)
			n++
		}
		require.Equal(b, 4, n)
	}
}
