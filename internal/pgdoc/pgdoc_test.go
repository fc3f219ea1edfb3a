package pgdoc_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/pgdoc"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

type doc struct {
	Name string `json:"name"`
	N    int    `json:"n"`
}

func TestSkeleton(t *testing.T) {
	pool := pgtest.Pool(t, 4)
	ctx := context.Background()
	require.NoError(t, outbox.Migrate(ctx, pool))
	_, err := pool.Exec(ctx, `CREATE TABLE docs (id text PRIMARY KEY, n int NOT NULL CHECK (n >= 0), parent text REFERENCES docs (id), data jsonb NOT NULL)`)
	require.NoError(t, err)

	ev := event.Event{ID: id.New(), Type: "doc.created", AggregateID: id.New()}
	require.NoError(t, pgdoc.Tx(ctx, pool, func(tx pgx.Tx) error {
		data, err := pgdoc.JSON(doc{Name: "a", N: 1})
		require.NoError(t, err)
		_, err = pgdoc.Write(ctx, tx, []event.Event{ev}, `INSERT INTO docs (id, n, data) VALUES ('a', 1, $1)`, data)
		return err
	}))
	var events int
	require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE id = $1`, ev.ID).Scan(&events))
	assert.Equal(t, 1, events, "the event is written with the change")

	got, err := pgdoc.Get[doc](ctx, pool, "doc a", `SELECT data FROM docs WHERE id = $1`, "a")
	require.NoError(t, err)
	assert.Equal(t, doc{Name: "a", N: 1}, got)
	_, err = pgdoc.Get[doc](ctx, pool, "doc b", `SELECT data FROM docs WHERE id = $1`, "b")
	assert.ErrorIs(t, err, errs.ErrNotFound)

	_, err = pool.Exec(ctx, `INSERT INTO docs (id, n, data) VALUES ('a', 1, '{}')`)
	assert.ErrorIs(t, pgdoc.Err(err), errs.ErrConflict, "unique")
	assert.True(t, pgdoc.IsUnique(err, "docs_pkey"))
	_, err = pool.Exec(ctx, `INSERT INTO docs (id, n, data) VALUES ('c', -1, '{}')`)
	assert.ErrorIs(t, pgdoc.Err(err), errs.ErrConflict, "check")
	_, err = pool.Exec(ctx, `INSERT INTO docs (id, n, parent, data) VALUES ('d', 1, 'nobody', '{}')`)
	assert.ErrorIs(t, pgdoc.Err(err), errs.ErrNotFound, "foreign key")
	_, err = pool.Exec(ctx, `INSERT INTO docs (id, n, data) VALUES ($1, 1, '{}')`, "e\x00")
	assert.ErrorIs(t, pgdoc.Err(err), errs.ErrValidation, "NUL byte")

	once := pgdoc.Err(pgdoc.Err(pgx.ErrNoRows))
	assert.ErrorIs(t, once, errs.ErrNotFound)
	assert.Equal(t, 1, strings.Count(once.Error(), "not found"), "an error already of a kind is mapped once: %v", once)

	var names []string
	for d, err := range pgdoc.All[doc](ctx, pool, `SELECT data FROM docs ORDER BY id`) {
		require.NoError(t, err)
		names = append(names, d.Name)
	}
	assert.Equal(t, []string{"a"}, names)
}
