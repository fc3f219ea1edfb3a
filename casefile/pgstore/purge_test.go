package pgstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile/pgstore"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

// TestPurgeCandidatesUseClosedAtIndex checks that the listing a retention
// purge runs (List with PurgeableBefore) is answered from the partial
// closed_at index, among 30,000 cases of which a tenth are closed and a
// hundredth are past their retention, with the planner free to choose.
func TestPurgeCandidatesUseClosedAtIndex(t *testing.T) {
	pool := pgtest.Pool(t, 2)
	ctx := context.Background()
	require.NoError(t, pgstore.New(pool).Migrate(ctx))
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	_, err = conn.Exec(ctx, `INSERT INTO casefile_cases (id, municipality, reference, type, category, status, team, assignee,
		requester_id, closed, closed_at, version, data)
		SELECT gen_random_uuid(), '44021', '2026-' || i, 'meldingen', 'waste', 'reported', 'team', '', '', i % 10 = 0,
			CASE WHEN i % 10 = 0 THEN now() - (i % 1000) * interval '1 day' END, 1, '{}'
		FROM generate_series(1, 30000) AS i`)
	require.NoError(t, err)
	_, err = conn.Exec(ctx, "ANALYZE casefile_cases")
	require.NoError(t, err)
	rows, err := conn.Query(ctx, `EXPLAIN SELECT data FROM casefile_cases
		WHERE municipality = '44021' AND type = 'meldingen' AND closed AND closed_at IS NOT NULL AND NOT anonymised
		AND closed_at < now() - interval '900 days' ORDER BY id LIMIT 501`)
	require.NoError(t, err)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	plan := strings.Join(lines, "\n")
	t.Log(plan)
	assert.Contains(t, plan, "casefile_cases_closed_at", plan)
}
