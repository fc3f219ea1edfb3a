package pgstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment/pgstore"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

// TestReadsUseIndexes checks that a citizen's bookings and a slot's (the
// channel quota) are read through an index, not by scanning the table.
func TestReadsUseIndexes(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 2)
	require.NoError(t, pgstore.New(pool).Migrate(ctx))
	plan := func(sql string, args ...any) string {
		var out strings.Builder
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, "EXPLAIN "+sql, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					return err
				}
				out.WriteString(line + "\n")
			}
			return rows.Err()
		})
		require.NoError(t, err)
		return out.String()
	}
	now := time.Now()
	assert.Contains(t, plan(`SELECT doc FROM appointment_bookings WHERE citizen_key = $1 AND start_at >= $2 AND start_at < $3 ORDER BY start_at, id`,
		"insz:85073003328", now, now.Add(time.Hour)), "appointment_bookings_citizen")
	assert.Contains(t, plan(`SELECT doc FROM appointment_bookings WHERE location_id = $1 AND start_at = $2`, "gemeentehuis", now), "appointment_bookings_slot")
}
