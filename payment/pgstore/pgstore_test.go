package pgstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/payment/paymenttest"
	"github.com/lokaalbestuur/bouwstenen/payment/pgstore"
)

func TestPGStore(t *testing.T) {
	paymenttest.Run(t, func(t *testing.T) paymenttest.Harness {
		pool := pgtest.Pool(t, 8)
		st := pgstore.New(pool)
		require.NoError(t, st.Migrate(context.Background()))
		return paymenttest.Harness{Store: st, Committed: func(t *testing.T) []event.Event { return pgtest.OutboxEvents(t, pool) }}
	})
}
