package appointmenttest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

func ids(bs []appointment.Booking) []uuid.UUID {
	out := make([]uuid.UUID, len(bs))
	for i, b := range bs {
		out[i] = b.ID
	}
	return out
}

// testCitizenBookings: a front office lists a citizen's bookings and a
// location's day through the Scheduler, never the store.
func testCitizenBookings(t *testing.T, f *Fixture) {
	ctx := context.Background()
	tue := Monday.AddDays(1)
	an := appointment.Citizen{INSZ: "85073003328", Name: pii.Name{Given: "An", Family: "Peeters"}, Email: "an@example.be"}
	book := func(service string, start time.Time, c appointment.Citizen) appointment.Booking {
		r := Req(service, start, 0)
		r.Citizen = c
		b, err := f.Scheduler.Book(ctx, r)
		require.NoError(t, err)
		return b
	}
	late := book("eid", at(tue, 11, 0), an)
	early := book("eid", at(Monday, 9, 0), an)
	session := book("info", at(tue, 9, 0), an)
	other := book("eid", at(Monday, 9, 0), Citizen(2))
	// The same person by e-mail only is another citizen key.
	byMail := book("eid", at(Monday, 10, 0), appointment.Citizen{Name: an.Name, Email: an.Email})
	_, err := f.Scheduler.Cancel(ctx, session.ID)
	require.NoError(t, err)

	month := Start.AddDate(0, 1, 0)
	got, err := f.Scheduler.CitizenBookings(ctx, appointment.Citizen{INSZ: an.INSZ}, Start, month)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{early.ID, session.ID, late.ID}, ids(got), "start order, cancelled ones too")
	assert.Equal(t, appointment.Cancelled, got[1].Status)
	got, err = f.Scheduler.CitizenBookings(ctx, appointment.Citizen{Email: an.Email}, Start, month)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{byMail.ID}, ids(got))
	got, err = f.Scheduler.CitizenBookings(ctx, an, at(Monday, 9, 1), at(tue, 11, 0))
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{session.ID}, ids(got), "from included, to excluded")

	// A move shows at its new time.
	moved, err := f.Scheduler.Reschedule(ctx, late.ID, at(Monday.AddDays(3), 9, 0), "")
	require.NoError(t, err)
	got, err = f.Scheduler.CitizenBookings(ctx, an, Start, month)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{early.ID, session.ID, moved.ID}, ids(got))
	got, err = f.Scheduler.CitizenBookings(ctx, Citizen(77), Start, month)
	require.NoError(t, err)
	assert.Empty(t, got)

	_, err = f.Scheduler.CitizenBookings(ctx, appointment.Citizen{}, Start, month)
	assert.ErrorIs(t, err, appointment.ErrValidation)
	_, err = f.Scheduler.CitizenBookings(ctx, an, month, Start)
	assert.ErrorIs(t, err, appointment.ErrValidation)
	_, err = f.Scheduler.CitizenBookings(ctx, appointment.Citizen{Email: "a\x00@example.be"}, Start, month)
	assert.ErrorIs(t, err, appointment.ErrValidation)

	// The day at the town hall: every counter, in start order.
	day, err := f.Scheduler.Agenda(ctx, "gemeentehuis", Monday.Start(), tue.Start())
	require.NoError(t, err)
	require.Len(t, day, 3)
	assert.ElementsMatch(t, []uuid.UUID{early.ID, other.ID}, ids(day[:2]))
	assert.Equal(t, byMail.ID, day[2].ID)
	day, err = f.Scheduler.Agenda(ctx, "gemeentehuis", tue.Start(), tue.AddDays(1).Start())
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{session.ID}, ids(day), "the moved booking left the day")
	_, err = f.Scheduler.Agenda(ctx, "nope", Start, month)
	assert.ErrorIs(t, err, appointment.ErrNotFound)

	svc, err := f.Scheduler.Service(ctx, "eid")
	require.NoError(t, err)
	assert.Equal(t, EID(), svc)
	loc, err := f.Scheduler.Location(ctx, "gemeentehuis")
	require.NoError(t, err)
	assert.Equal(t, TownHall().Counters, loc.Counters)
}
