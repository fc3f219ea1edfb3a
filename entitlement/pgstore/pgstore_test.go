package pgstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/entitlement/entitlementtest"
	"github.com/lokaalbestuur/bouwstenen/entitlement/pgstore"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

func TestPGStore(t *testing.T) {
	entitlementtest.Run(t, func(t *testing.T) entitlementtest.Harness {
		pool := pgtest.Pool(t, 8)
		st := pgstore.New(pool)
		require.NoError(t, st.Migrate(context.Background()))
		return entitlementtest.Harness{Store: st, Committed: func(t *testing.T) []event.Event { return pgtest.OutboxEvents(t, pool) }}
	})
}
