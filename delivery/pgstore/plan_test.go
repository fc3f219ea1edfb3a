package pgstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
	"github.com/lokaalbestuur/bouwstenen/delivery/pgstore"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

// TestSummariesArePlannedOnce checks that a page of a party's post ("mijn
// post", for one person and for a person with an enterprise) is planned
// once per connection, not on every call. With the parties in one array
// parameter the generic plan had to guess how many there were, came out
// dearer than a plan for the actual values, and PostgreSQL planned the
// statement again for each view: about 0.2 ms of the database's CPU.
func TestSummariesArePlannedOnce(t *testing.T) {
	pool := pgtest.Pool(t, 1) // one connection: the prepared statements below are its
	st := pgstore.New(pool)
	ctx := context.Background()
	require.NoError(t, st.Migrate(ctx))
	// A municipality's post: 20,000 letters to 2,000 parties.
	_, err := pool.Exec(ctx, `WITH d AS (
			INSERT INTO delivery_deliveries (id, party, data, header)
			SELECT gen_random_uuid(), 'person:' || (g % 2000), '{}', '{}' FROM generate_series(1, 20000) AS g
			RETURNING id)
		INSERT INTO delivery_queue (id, version, progress) SELECT id, 1, '{}' FROM d`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, "ANALYZE delivery_deliveries, delivery_queue")
	require.NoError(t, err)

	for _, parties := range [][]delivery.Party{{deliverytest.Person}, {deliverytest.Person, deliverytest.Enterprise}} {
		for range 10 {
			_, err := st.Summaries(ctx, delivery.Query{Parties: parties})
			require.NoError(t, err)
		}
	}
	for _, fragment := range []string{"party = $3 AND", "UNION ALL"} {
		generic, custom := pgtest.PlanCounts(t, pool, fragment)
		assert.Positive(t, generic, "%s: generic plans", fragment)
		assert.LessOrEqual(t, custom, int64(5), "%s: custom plans (planned again on every call)", fragment)
	}
}
