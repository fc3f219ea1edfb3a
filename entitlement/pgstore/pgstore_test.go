package pgstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/entitlement/entitlementtest"
	"github.com/lokaalbestuur/bouwstenen/entitlement/pgstore"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

func TestPGStore(t *testing.T) {
	entitlementtest.Run(t, func(t *testing.T) entitlement.Store {
		st := pgstore.New(pgtest.Pool(t, 8))
		require.NoError(t, st.Migrate(context.Background()))
		return st
	})
}
