package pgstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/appointment/appointmenttest"
	"github.com/lokaalbestuur/bouwstenen/appointment/pgstore"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

// TestEventsInOutbox checks that events land in the outbox with the change,
// and that a refused change writes none.
func TestEventsInOutbox(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 4)
	require.NoError(t, pgstore.New(pool).Migrate(ctx))
	require.NoError(t, pgstore.New(pool).Migrate(ctx), "migrating twice is harmless")
	f := appointmenttest.NewFixture(t, pgstore.New(pool))
	start := appointmenttest.Start.Add(27 * time.Hour) // Tuesday 10:00
	b, err := f.Scheduler.Book(ctx, appointmenttest.Req("eid", start, 1))
	require.NoError(t, err)
	_, err = f.Scheduler.Book(ctx, appointmenttest.Req("eid", start, 2))
	require.NoError(t, err)
	_, err = f.Scheduler.Book(ctx, appointmenttest.Req("eid", start, 3))
	require.ErrorIs(t, err, appointment.ErrSlotTaken)

	types := func() []string {
		rows, err := pool.Query(ctx, "SELECT type FROM outbox WHERE aggregate_id = $1 ORDER BY seq", b.ID)
		require.NoError(t, err)
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			require.NoError(t, rows.Scan(&s))
			out = append(out, s)
		}
		return out
	}
	assert.Equal(t, []string{appointment.EventConfirmed, appointment.EventReminderScheduled, appointment.EventReminderScheduled}, types())
	var total int
	require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM outbox").Scan(&total))
	assert.Equal(t, 6, total, "two bookings with three events each; the refused one wrote none")

	_, err = f.Scheduler.Cancel(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, appointment.EventCancelled, types()[3])
}
