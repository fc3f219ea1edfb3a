package pgstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/casefiletest"
	"github.com/lokaalbestuur/bouwstenen/casefile/pgstore"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

// TestListIsPlannedOnce checks that the reads by requester and by
// assignee, the front office's "my cases" and a clerk's queue, are planned
// once per connection and not on every call: the generic plan of the
// prepared statement must be able to use the partial indexes on these
// columns. Before it could not, and PostgreSQL spent about 0.2 ms planning
// each "Mijn dossiers" view's read of 23 cases among 10,000.
func TestListIsPlannedOnce(t *testing.T) {
	pool := pgtest.Pool(t, 1) // one connection: the prepared statements below are its
	st := pgstore.New(pool)
	ctx := context.Background()
	require.NoError(t, st.Migrate(ctx))
	svc, err := casefile.NewService(casefile.Config{
		Municipality: "44021", Store: st, Clock: clock.NewSettable(casefiletest.Start),
		Types: []*casefile.CaseType{casefile.PublicSpaceReports()},
	})
	require.NoError(t, err)
	r := casefiletest.Report("roads", "pothole")
	r.Requester.Kind, r.Requester.ID = casefile.PartyPerson, "85073003328"
	c, err := svc.Create(ctx, r)
	require.NoError(t, err)
	require.NotEmpty(t, c.Requester.ID)

	// A municipality's worth of cases of 1,000 other requesters and
	// assignees, copied from the one filed, and fresh statistics.
	_, err = pool.Exec(ctx, `INSERT INTO casefile_cases (id, municipality, reference, type, category, status, team,
			assignee, requester_id, merged_into, closed, due, suspended_at, version, data, closed_at, anonymised)
		SELECT gen_random_uuid(), municipality, reference || '-' || g, type, category, status, team,
			'clerk-' || (g % 1000), 'r-' || (g % 1000), merged_into, closed, due, suspended_at, version, data, closed_at, anonymised
		FROM casefile_cases, generate_series(1, 10000) AS g`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, "ANALYZE casefile_cases")
	require.NoError(t, err)

	for _, q := range []casefile.Query{
		{Municipality: "44021", RequesterID: c.Requester.ID},
		{Municipality: "44021", Assignee: "clerk-7"},
	} {
		for range 10 {
			_, err := st.ListSummaries(ctx, q)
			require.NoError(t, err)
		}
	}
	for _, col := range []string{"requester_id = $2", "assignee = $2"} {
		generic, custom := pgtest.PlanCounts(t, pool, col)
		assert.Positive(t, generic, "%s: generic plans", col)
		assert.LessOrEqual(t, custom, int64(5), "%s: custom plans (planned again on every call)", col)
	}
}
