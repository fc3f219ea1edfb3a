package appointment_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/appointment/appointmenttest"
)

func TestAdmit(t *testing.T) {
	now := appointmenttest.Start
	start := now.Add(3 * time.Hour)
	booking := func(counter string, ch appointment.Channel, citizen int, at time.Time, st appointment.Status) appointment.Booking {
		return appointment.Booking{
			ID: uuid.New(), ServiceID: "eid", LocationID: "gemeentehuis", CounterID: counter, Channel: ch,
			Citizen: appointmenttest.Citizen(citizen), Start: at, End: at.Add(15 * time.Minute),
			OccupiedFrom: at, OccupiedTo: at.Add(15 * time.Minute), Capacity: 1, Status: st, HoldUntil: now.Add(10 * time.Minute),
		}
	}
	b := booking("L1", appointment.Web, 1, start, appointment.Confirmed)
	lapsed := booking("L1", appointment.Web, 2, start, appointment.Held)
	lapsed.HoldUntil = now
	tests := []struct {
		name string
		lim  appointment.Limits
		n    appointment.Neighbours
		want error
	}{
		{"empty counter", appointment.Limits{}, appointment.Neighbours{}, nil},
		{"counter taken", appointment.Limits{}, appointment.Neighbours{Counter: []appointment.Booking{booking("L1", appointment.Phone, 2, start, appointment.Confirmed)}}, appointment.ErrSlotTaken},
		{"a hold takes its place", appointment.Limits{}, appointment.Neighbours{Counter: []appointment.Booking{booking("L1", appointment.Phone, 2, start, appointment.Held)}}, appointment.ErrSlotTaken},
		{"a lapsed hold does not", appointment.Limits{}, appointment.Neighbours{Counter: []appointment.Booking{lapsed}}, nil},
		{"a cancelled booking does not", appointment.Limits{}, appointment.Neighbours{Counter: []appointment.Booking{booking("L1", appointment.Phone, 2, start, appointment.Cancelled)}}, nil},
		{"another counter does not", appointment.Limits{}, appointment.Neighbours{Counter: []appointment.Booking{booking("L2", appointment.Phone, 2, start, appointment.Confirmed)}}, nil},
		{"the booking itself does not", appointment.Limits{}, appointment.Neighbours{Counter: []appointment.Booking{b}}, nil},
		{"limit reached", appointment.Limits{MaxOpen: 2}, appointment.Neighbours{Citizen: []appointment.Booking{
			booking("L2", appointment.Web, 1, start.Add(time.Hour), appointment.Confirmed), booking("L2", appointment.Web, 1, start.Add(2*time.Hour), appointment.Held)}}, appointment.ErrLimitReached},
		{"past and cancelled bookings are not open", appointment.Limits{MaxOpen: 2}, appointment.Neighbours{Citizen: []appointment.Booking{
			booking("L2", appointment.Web, 1, now.Add(-time.Hour), appointment.Confirmed), booking("L2", appointment.Web, 1, start.Add(time.Hour), appointment.Cancelled),
			booking("L2", appointment.Web, 1, start.Add(time.Hour), appointment.Confirmed)}}, nil},
		{"another citizen's do not count", appointment.Limits{MaxOpen: 1}, appointment.Neighbours{Citizen: []appointment.Booking{booking("L2", appointment.Web, 3, start.Add(time.Hour), appointment.Confirmed)}}, nil},
		{"quota used up", appointment.Limits{Quota: 1}, appointment.Neighbours{Slot: []appointment.Booking{booking("L2", appointment.Web, 3, start, appointment.Confirmed)}}, appointment.ErrSlotTaken},
		{"quota of another channel", appointment.Limits{Quota: 1}, appointment.Neighbours{Slot: []appointment.Booking{booking("L2", appointment.Phone, 3, start, appointment.Confirmed)}}, nil},
		{"quota at another start", appointment.Limits{Quota: 1}, appointment.Neighbours{Slot: []appointment.Booking{booking("L2", appointment.Web, 3, start.Add(15*time.Minute), appointment.Confirmed)}}, nil},
		{"quota left", appointment.Limits{Quota: 2}, appointment.Neighbours{Slot: []appointment.Booking{booking("L2", appointment.Web, 3, start, appointment.Confirmed)}}, nil},
		{"no quota set", appointment.Limits{}, appointment.Neighbours{Slot: []appointment.Booking{booking("L2", appointment.Web, 3, start, appointment.Confirmed)}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := appointment.Admit(&b, tt.lim, tt.n, now)
			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
}
