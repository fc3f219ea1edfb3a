package pgstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/assistant/assistanttest"
	"github.com/lokaalbestuur/bouwstenen/assistant/pgstore"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

func newStore(t testing.TB, conns int32) *pgstore.Store {
	st := pgstore.New(pgtest.Pool(t, conns))
	require.NoError(t, st.Migrate(context.Background()))
	return st
}

func TestPGStore(t *testing.T) {
	assistanttest.Run(t, func(t *testing.T) assistant.Store { return newStore(t, 8) })
}

func TestMigrateTwice(t *testing.T) {
	st := newStore(t, 2)
	require.NoError(t, st.Migrate(context.Background()))
}
