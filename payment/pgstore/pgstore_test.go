package pgstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/payment/paymenttest"
	"github.com/lokaalbestuur/bouwstenen/payment/pgstore"
)

func TestPGStore(t *testing.T) {
	paymenttest.Run(t, func(t *testing.T) payment.Store {
		pool := pgtest.Pool(t, 8)
		require.NoError(t, pgstore.New(pool).Migrate(context.Background()))
		return pgstore.New(pool)
	})
}
