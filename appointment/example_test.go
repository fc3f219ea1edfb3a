package appointment_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Example books an identity card appointment: the citizen looks up the first
// free slot, holds it while filling in the form, confirms, and moves it.
func Example() {
	ctx := context.Background()
	clk := clock.NewSettable(time.Date(2026, 3, 2, 8, 0, 0, 0, clock.Brussels)) // a Monday
	s := appointment.NewScheduler(appointment.Config{
		Store: appointment.NewMemStore(nil), Clock: clk, Calendar: calendar.Flanders(),
		Reminders: []time.Duration{24 * time.Hour},
	})
	_ = s.DefineService(ctx, appointment.Service{
		ID: "eid", Name: "Identiteitskaart", Duration: 15 * time.Minute, Capacity: 1,
		Notice:    appointment.Notice{Book: 2 * time.Hour, Reschedule: time.Hour, Cancel: 2 * time.Hour},
		Documents: []string{"oude identiteitskaart", "pasfoto"},
	})
	loc := appointment.Location{
		ID: "gemeentehuis", Name: "Gemeentehuis", Address: "Markt 1, 9000 Gent",
		Counters: []appointment.Counter{{ID: "L1", Name: "Loket 1", Services: []string{"eid"}}},
	}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		loc.Hours = append(loc.Hours, appointment.OpeningHours{Weekday: wd, Open: appointment.HM(9, 0), Close: appointment.HM(12, 0)})
	}
	// Opening hours that overlap themselves are refused.
	bad := loc
	bad.Hours = append(bad.Hours, appointment.OpeningHours{Weekday: time.Monday, Open: appointment.HM(11, 0), Close: appointment.HM(13, 0)})
	fmt.Println(errors.Is(s.DefineLocation(ctx, bad), appointment.ErrValidation))
	_ = s.DefineLocation(ctx, loc)

	q := appointment.Query{ServiceID: "eid", LocationID: "gemeentehuis", Channel: appointment.Web}
	slot, _ := s.NextFreeSlot(ctx, q)
	fmt.Println("first free:", slot.Start.Format("Mon 02/01 15:04"), slot.Counters)

	citizen := appointment.Citizen{Name: pii.Name{Given: "An", Family: "Peeters"}, Email: "an@example.be"}
	hold, _ := s.Hold(ctx, appointment.Request{ServiceID: "eid", LocationID: "gemeentehuis", Start: slot.Start, Channel: appointment.Web, Citizen: citizen})
	b, _ := s.Confirm(ctx, hold.ID)
	fmt.Println(b.Status, b.CounterID)

	_, err := s.Book(ctx, appointment.Request{ServiceID: "eid", LocationID: "gemeentehuis", Start: slot.Start, Channel: appointment.Phone, Citizen: appointment.Citizen{Email: "jan@example.be"}})
	fmt.Println(errors.Is(err, appointment.ErrSlotTaken))

	moved, err := s.Reschedule(ctx, b.ID, time.Date(2026, 3, 4, 9, 30, 0, 0, clock.Brussels), "")
	if err != nil {
		fmt.Println(err)
	}
	fmt.Println("moved to", moved.Start.Format("Mon 02/01 15:04"), "sequence", moved.Sequence, "same reference:", moved.Reference == b.Reference)
	// Output:
	// true
	// first free: Mon 02/03 10:00 [L1]
	// confirmed L1
	// true
	// moved to Wed 04/03 09:30 sequence 1 same reference: true
}

// ExampleScheduler_CitizenBookings books twice with one idempotency key
// (a double click), once more with that key for another moment, and lists
// the citizen's bookings, as "my appointments" in a front office does.
func ExampleScheduler_CitizenBookings() {
	ctx := context.Background()
	clk := clock.NewSettable(time.Date(2026, 3, 2, 8, 0, 0, 0, clock.Brussels)) // a Monday
	s := appointment.NewScheduler(appointment.Config{Store: appointment.NewMemStore(nil), Clock: clk})
	_ = s.DefineService(ctx, appointment.Service{ID: "eid", Name: "Identiteitskaart", Duration: 15 * time.Minute, Capacity: 1})
	loc := appointment.Location{ID: "gemeentehuis", Name: "Gemeentehuis", Counters: []appointment.Counter{{ID: "L1", Name: "Loket 1", Services: []string{"eid"}}}}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		loc.Hours = append(loc.Hours, appointment.OpeningHours{Weekday: wd, Open: appointment.HM(9, 0), Close: appointment.HM(12, 0)})
	}
	_ = s.DefineLocation(ctx, loc)

	an := appointment.Citizen{INSZ: "85073003328", Name: pii.Name{Given: "An", Family: "Peeters"}}
	r := appointment.Request{ServiceID: "eid", LocationID: "gemeentehuis", Start: time.Date(2026, 3, 3, 9, 30, 0, 0, clock.Brussels),
		Channel: appointment.Web, Citizen: an, IdempotencyKey: "portal:an:form-7"}
	first, _ := s.Book(ctx, r)
	again, _ := s.Book(ctx, r)
	fmt.Println("same booking:", first.ID == again.ID)
	r.Start = r.Start.Add(time.Hour)
	_, err := s.Book(ctx, r)
	fmt.Println("same key, other request:", errors.Is(err, appointment.ErrConflict))

	mine, _ := s.CitizenBookings(ctx, appointment.Citizen{INSZ: an.INSZ}, clk.Now(), clk.Now().AddDate(0, 1, 0))
	for _, b := range mine {
		fmt.Println(b.Start.Format("Mon 02/01 15:04"), b.Status, b.Reference == first.Reference)
	}
	// Output:
	// same booking: true
	// same key, other request: true
	// Tue 03/03 09:30 confirmed true
}
