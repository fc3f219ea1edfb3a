package appointment_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/appointment/appointmenttest"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// FuzzSchedulerInput feeds arbitrary dates and text to the Scheduler's
// doors (issue 15 items 13–14): none panics, a date outside
// calendar.MinYear–MaxYear or text that is not acceptable is refused with a
// validation error naming its field, and whatever is accepted is stored
// and encodes as JSON.
func FuzzSchedulerInput(f *testing.F) {
	f.Add(2026, 3, 3, 9, 0, "Zoë D'Hondt")
	f.Add(9999, 12, 30, 9, 0, "Burger")
	f.Add(1899, 12, 31, 23, 59, "Bur\x00ger")
	f.Add(2200, 12, 31, 12, 0, "\xff\xfe")
	f.Add(-5, 0, 0, 0, 0, "regel 1\nregel 2\tTab")
	f.Add(2026, 10, 25, 2, 30, "\x1b[2J")
	f.Fuzz(func(t *testing.T, y, m, d, h, min int, text string) {
		if y < -1_000_000 || y > 1_000_000 { // time.Date itself wraps beyond
			return
		}
		ctx := context.Background()
		fx := appointmenttest.NewFixture(t, appointment.NewMemStore(nil))
		start := time.Date(y, time.Month(m), d, h, min, 0, 0, clock.Brussels)
		dateOK := calendar.InHorizon(start)
		rule, _ := validate.TextProblem(text)
		textOK := rule == ""

		r := appointmenttest.Req("eid", start, 1)
		r.Citizen.Name.Given, r.IdempotencyKey = text, text
		b, err := fx.Scheduler.Book(ctx, r)
		refused(t, err, !dateOK, "start")
		refused(t, err, !textOK, "citizen.name.given")
		refused(t, err, !textOK, "idempotency_key")
		if err == nil {
			if _, err := json.Marshal(b); err != nil {
				t.Fatalf("accepted booking does not encode: %v", err)
			}
			if _, err := fx.Scheduler.Reschedule(ctx, b.ID, start.AddDate(8000, 0, 0), text); err == nil {
				t.Fatal("rescheduled 8000 years ahead")
			}
		}

		_, err = fx.Scheduler.CitizenBookings(ctx, r.Citizen, start, start.Add(time.Hour))
		refused(t, err, !dateOK, "from")
		refused(t, err, !textOK, "citizen.name.given")
		_, err = fx.Scheduler.Agenda(ctx, text, start, start.Add(time.Hour))
		refused(t, err, !dateOK, "from")
		refused(t, err, !textOK, "location_id")

		from := calendar.NewDate(y, time.Month(m), d)
		_, err = fx.Scheduler.Availability(ctx, appointment.Query{ServiceID: "eid", LocationID: "gemeentehuis", From: from, To: from.AddDays(1), Channel: appointment.Web, CounterID: text})
		refused(t, err, !from.InHorizon(), "from")
		refused(t, err, !textOK, "counter_id")

		w, err := fx.Scheduler.JoinWaitlist(ctx, appointment.WaitRequest{ServiceID: "eid", LocationID: "gemeentehuis", Citizen: r.Citizen, From: from, To: from.AddDays(3)})
		refused(t, err, !from.InHorizon(), "from")
		refused(t, err, !textOK, "citizen.name.given")
		if err == nil {
			if _, err := json.Marshal(w); err != nil {
				t.Fatalf("accepted waiter does not encode: %v", err)
			}
		}

		loc := appointmenttest.TownHall()
		loc.Address = text
		loc.Exceptions = []appointment.Exception{{Date: from, Kind: appointment.Closed, Reason: text}}
		err = fx.Scheduler.DefineLocation(ctx, loc)
		refused(t, err, !from.InHorizon(), "exceptions[0].date")
		refused(t, err, !textOK, "address")
		if err == nil && !utf8.ValidString(text) {
			t.Fatal("invalid UTF-8 accepted")
		}
	})
}

// refused fails t unless err is a validation error naming field whenever
// must is set.
func refused(t *testing.T, err error, must bool, field string) {
	t.Helper()
	if !must {
		return
	}
	var ve *errs.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%s: want a validation error, got %v", field, err)
	}
	if _, ok := ve.Field(field); !ok {
		t.Fatalf("%s: not named in %v", field, err)
	}
}
