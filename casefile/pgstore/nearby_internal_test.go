package pgstore

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

// TestNearbyUsesIndex fills the table with 50,000 cases (open and
// closed, four categories, two municipalities, spread over Flanders),
// and checks that the nearby query's plan reads the nearby index, not the
// whole table, and that it finds what measuring every row finds.
func TestNearbyUsesIndex(t *testing.T) {
	pool := pgtest.Pool(t, 2)
	st := New(pool)
	ctx := context.Background()
	require.NoError(t, st.Migrate(ctx))
	_, err := pool.Exec(ctx, `INSERT INTO casefile_cases (id, municipality, reference, type, category, status, team,
		assignee, requester_id, closed, version, data)
		SELECT gen_random_uuid(), m, '2026-' || lpad(i::text, 6, '0'), 'meldingen', c, 'reported', 'team', '', '', i % 5 = 0, 1,
			jsonb_build_object('id', gen_random_uuid(), 'municipality', m, 'type', 'meldingen', 'category', c,
				'status', 'reported', 'closed', i % 5 = 0, 'version', 1,
				'location', jsonb_build_object('point', jsonb_build_object('lat', 50.7 + random() * 0.65, 'lon', 2.55 + random() * 3.35)))
		FROM generate_series(1, 50000) i,
			LATERAL (SELECT CASE WHEN i % 2 = 0 THEN '44021' ELSE '11002' END AS m,
				(ARRAY['waste', 'roads', 'greenery', 'street_lighting'])[1 + i % 4] AS c) x`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, "ANALYZE casefile_cases")
	require.NoError(t, err)

	q := casefile.NearbyQuery{Municipality: "44021", Category: "waste", Point: casefile.Point{Lat: 51.0545, Lon: 3.7215}, Radius: 2000}
	rows, err := pool.Query(ctx, "EXPLAIN (ANALYZE, COSTS OFF) "+nearbySQL+strconv.Itoa(q.Size()+1), nearbyArgs(q)...)
	require.NoError(t, err)
	var plan []string
	for rows.Next() {
		var line string
		require.NoError(t, rows.Scan(&line))
		plan = append(plan, line)
	}
	require.NoError(t, rows.Err())
	text := strings.Join(plan, "\n")
	t.Logf("plan among 50,000 cases:\n%s", text)
	assert.NotContains(t, text, "Seq Scan", "the nearby query must not read the whole table")
	assert.Contains(t, text, "casefile_cases_nearby")

	// The same answer as measuring every open case of the category.
	got, err := st.Nearby(ctx, q)
	require.NoError(t, err)
	all, err := pool.Query(ctx, "SELECT data FROM casefile_cases WHERE municipality = $1 AND category = $2 AND NOT closed", q.Municipality, q.Category)
	require.NoError(t, err)
	var want []casefile.NearbyCase
	for all.Next() {
		var data []byte
		require.NoError(t, all.Scan(&data))
		c, err := decode(data)
		require.NoError(t, err)
		if d, ok := q.Candidate(c); ok {
			want = append(want, casefile.NearbyCase{Case: c, Distance: d})
		}
	}
	require.NoError(t, all.Err())
	want = casefile.SortNearby(want, q.Size())
	require.NotEmpty(t, want, "the fixture should put cases within 2 km")
	require.Len(t, got, len(want))
	for i := range want {
		assert.Equal(t, want[i].Case.ID, got[i].Case.ID)
		assert.Equal(t, want[i].Distance, got[i].Distance)
	}
}
