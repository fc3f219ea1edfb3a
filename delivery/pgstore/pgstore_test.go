package pgstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
	"github.com/lokaalbestuur/bouwstenen/delivery/pgstore"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

func newStore(t *testing.T) delivery.Store {
	s := pgstore.New(pgtest.Pool(t, 8))
	require.NoError(t, s.Migrate(context.Background()))
	return s
}

func TestPGStore(t *testing.T) { deliverytest.Run(t, newStore) }

// BenchmarkDispatchInstantPG is the dispatcher throughput on PostgreSQL with
// an instant channel; it skips without BOUWSTENEN_TEST_POSTGRES.
func BenchmarkDispatchInstantPG(b *testing.B) {
	for _, workers := range []int{1, 8} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			s := pgstore.New(pgtest.Pool(b, 8))
			require.NoError(b, s.Migrate(context.Background()))
			deliverytest.BenchDispatch(b, s, workers)
		})
	}
}
