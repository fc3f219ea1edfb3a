package paymenttest

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/payment"
)

func runWebhook(t *testing.T, setup func(t *testing.T) (*payment.Service, payment.Store, *clock.Settable)) {
	ctx := context.Background()
	t.Run("TwoDeliveriesOfOneWebhookAtOnce", func(t *testing.T) {
		svc, st, c := setup(t)
		sb := &payment.Sandbox{Secret: bytes.Repeat([]byte("k"), 32), Clock: c}
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		co, err := svc.StartCheckout(ctx, sb, r.ID, "")
		require.NoError(t, err)
		paid, err := sb.Pay(co.PaymentID)
		require.NoError(t, err)
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				assert.NoError(t, svc.HandleWebhook(ctx, sb, paid.Header, paid.Body))
			}()
		}
		wg.Wait()
		got, err := st.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Len(t, got.Payments, 1, "booked once")
		assert.Equal(t, payment.StatusPaid, got.Status)
	})
}
