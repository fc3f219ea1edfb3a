package appointmenttest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// testTextAndDates: every door of the Scheduler refuses dates outside
// calendar.MinYear–MaxYear and text that is not valid UTF-8, holds control
// characters or is too long, with a validation error naming the field,
// before the store sees it: the in-memory store would keep it, PostgreSQL
// would fail on it. Text with tabs and newlines, and dates at the edges of
// the range, are kept alike by every store.
func testTextAndDates(t *testing.T, f *Fixture) {
	ctx := context.Background()
	f.Clock.Set(at(Monday, 8, 0))
	good := Req("eid", at(Monday, 10, 0), 1)
	kept, err := f.Scheduler.Book(ctx, good)
	require.NoError(t, err)

	far := time.Date(9999, 12, 30, 9, 0, 0, 0, clock.Brussels)
	nul, badUTF8, long := "Bur\x00ger", "Bur\xffger", strings.Repeat("a", 64<<10+1)
	request := func(change func(*appointment.Request)) appointment.Request {
		r := Req("eid", at(Monday, 11, 0), 2)
		change(&r)
		return r
	}
	book := func(r appointment.Request) func() error {
		return func() error { _, err := f.Scheduler.Book(ctx, r); return err }
	}
	location := func(change func(*appointment.Location)) func() error {
		l := TownHall()
		change(&l)
		return func() error { return f.Scheduler.DefineLocation(ctx, l) }
	}
	service := func(change func(*appointment.Service)) func() error {
		s := EID()
		change(&s)
		return func() error { return f.Scheduler.DefineService(ctx, s) }
	}
	query := func(q appointment.Query) func() error {
		return func() error { _, err := f.Scheduler.Availability(ctx, q); return err }
	}
	tests := []struct {
		name, field, rule string
		call              func() error
	}{
		{"book in 9999", "start", "horizon", book(request(func(r *appointment.Request) { r.Start = far }))},
		{"book in year 1", "start", "horizon", book(request(func(r *appointment.Request) { r.Start = time.Date(1, 1, 1, 9, 0, 0, 0, time.UTC) }))},
		{"end in 10000", "end", "horizon", book(request(func(r *appointment.Request) { r.End = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }))},
		{"NUL in a name", "citizen.name.given", "text", book(request(func(r *appointment.Request) { r.Citizen.Name.Given = nul }))},
		{"invalid UTF-8 in an e-mail address", "citizen.email", "utf8", book(request(func(r *appointment.Request) { r.Citizen.Email = "burger\xff@example.be" }))},
		{"control character in a key", "idempotency_key", "text", book(request(func(r *appointment.Request) { r.IdempotencyKey = "k\x1b[2J" }))},
		{"hold with a NUL service", "service_id", "text", func() error {
			_, err := f.Scheduler.Hold(ctx, request(func(r *appointment.Request) { r.ServiceID = "eid\x00" }))
			return err
		}},
		{"reschedule to 9999", "start", "horizon", func() error { _, err := f.Scheduler.Reschedule(ctx, kept.ID, far, ""); return err }},
		{"reschedule to a NUL counter", "counter_id", "text", func() error {
			_, err := f.Scheduler.Reschedule(ctx, kept.ID, at(Monday.AddDays(2), 9, 0), "L\x00")
			return err
		}},
		{"waitlist until 9999", "to", "horizon", func() error {
			_, err := f.Scheduler.JoinWaitlist(ctx, appointment.WaitRequest{ServiceID: "eid", LocationID: "gemeentehuis", Citizen: Citizen(3), From: Monday, To: calendar.Date{Year: 9999, Month: 12, Day: 31}})
			return err
		}},
		{"waitlist with invalid UTF-8", "citizen.name.family", "utf8", func() error {
			c := Citizen(3)
			c.Name.Family = badUTF8
			_, err := f.Scheduler.JoinWaitlist(ctx, appointment.WaitRequest{ServiceID: "eid", LocationID: "gemeentehuis", Citizen: c, From: Monday, To: Monday.AddDays(3)})
			return err
		}},
		{"availability from 1899", "from", "horizon", query(appointment.Query{ServiceID: "eid", LocationID: "gemeentehuis", From: calendar.Date{Year: 1899, Month: 12, Day: 31}, To: Monday, Channel: appointment.Web})},
		{"availability of a NUL location", "location_id", "text", query(appointment.Query{ServiceID: "eid", LocationID: "gemeente\x00huis", From: Monday, To: Monday, Channel: appointment.Web})},
		{"next free slot with a NUL service", "service_id", "text", func() error {
			_, err := f.Scheduler.NextFreeSlot(ctx, appointment.Query{ServiceID: "\x00", LocationID: "gemeentehuis", Channel: appointment.Web})
			return err
		}},
		{"lapsed offers of a NUL service", "service_id", "text", func() error {
			_, err := f.Scheduler.PassOnLapsedOffers(ctx, "eid\x00", "gemeentehuis")
			return err
		}},
		{"service name not UTF-8", "name", "utf8", service(func(s *appointment.Service) { s.Name = badUTF8 })},
		{"document with NUL", "documents[1]", "text", service(func(s *appointment.Service) { s.Documents[1] = nul })},
		{"exception in 9999", "exceptions[0].date", "horizon", location(func(l *appointment.Location) {
			l.Exceptions = []appointment.Exception{{Date: calendar.Date{Year: 9999, Month: 12, Day: 30}, Kind: appointment.Closed}}
		})},
		{"opening hours valid from 1000", "hours[0].valid_from", "horizon", location(func(l *appointment.Location) { l.Hours[0].ValidFrom = calendar.Date{Year: 1000, Month: 1, Day: 1} })},
		{"reason too long", "exceptions[0].reason", "max", location(func(l *appointment.Location) {
			l.Exceptions = []appointment.Exception{{Date: Monday.AddDays(3), Kind: appointment.Closed, Reason: long}}
		})},
		{"address with a control character", "address", "text", location(func(l *appointment.Location) { l.Address = "Markt 1\x7f" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ve *errs.ValidationError
			require.True(t, errors.As(err, &ve), "want a validation error, got %v", err)
			fe, ok := ve.Field(tt.field)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tt.rule, fe.Rule, fe.Message)
		})
	}

	// Nothing changed: the catalogue, and one booking, where it was.
	svc, err := f.Store.Service(ctx, "eid")
	require.NoError(t, err)
	assert.Equal(t, EID(), svc)
	loc, err := f.Store.Location(ctx, "gemeentehuis")
	require.NoError(t, err)
	assert.Equal(t, TownHall().Address, loc.Address)
	assert.Empty(t, loc.Exceptions)
	got, err := f.Store.Get(ctx, kept.ID)
	require.NoError(t, err)
	assert.True(t, got.Start.Equal(kept.Start))
	n := 0
	for _, c := range []string{"L1", "L2"} {
		for _, err := range f.Store.CounterBookings(ctx, c, Start.Add(-time.Hour), Start.AddDate(1, 0, 0)) {
			require.NoError(t, err)
			n++
		}
	}
	assert.Equal(t, 1, n, "bad input stores nothing")

	// What is allowed is kept alike: tabs and newlines, 64 KiB, the first
	// and last day of the range.
	l := TownHall()
	l.Address = "Markt 1\n9000 Gent\tBelgië"
	l.Exceptions = []appointment.Exception{
		{Date: calendar.Date{Year: calendar.MinYear, Month: 1, Day: 1}, Kind: appointment.Closed, Reason: strings.Repeat("é", 32<<10)},
		{Date: calendar.Date{Year: calendar.MaxYear, Month: 12, Day: 31}, Kind: appointment.Closed, Reason: "laatste dag"},
	}
	require.NoError(t, f.Scheduler.DefineLocation(ctx, l))
	loc, err = f.Store.Location(ctx, "gemeentehuis")
	require.NoError(t, err)
	assert.Equal(t, l.Address, loc.Address)
	assert.Equal(t, l.Exceptions, loc.Exceptions)
}
