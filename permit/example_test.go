package permit_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// A family asks for a parking ban for their moving van, drawn as a line
// along the kerb in Belgian Lambert 72; the clerk grants it and the
// signage team gets its schedule.
func Example() {
	ctx := context.Background()
	clk := clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels))
	svc := permit.NewService(permit.Config{Store: permit.NewMemStore(nil), Clock: clk})

	moveDay := time.Date(2026, 3, 14, 7, 0, 0, 0, clock.Brussels)
	a, err := svc.Draft(ctx, permit.ApplicationInput{
		Type:          "parking_ban",
		Applicant:     permit.Applicant{Name: pii.Name{Given: "Lies", Family: "Janssens"}, Email: "lies@example.be"},
		Location:      json.RawMessage(`{"type":"LineString","coordinates":[[152000,212000],[152018,212000]]}`),
		CRS:           permit.Lambert72,
		Address:       pii.Address{Street: "Kerkstraat", Number: "12", PostalCode: "2000", Municipality: "Antwerpen"},
		Periods:       []permit.Period{{Start: moveDay, End: moveDay.Add(10 * time.Hour)}},
		Description:   "Moving van",
		ParkingPlaces: 3,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("length %.1f m, fee € %s\n", a.Length, a.Fee.Total.StringFixed(2))
	for _, l := range a.Fee.Lines {
		fmt.Printf("  %s: %s x %s x %d days = %s\n", l.Description, l.Quantity, l.Rate, l.Days, l.Amount.StringFixed(2))
	}
	if _, err := svc.Submit(ctx, a.ID); err != nil {
		fmt.Println(err)
		return
	}
	a, _ = svc.Grant(ctx, a.ID, []string{"signs visible from both sides"})
	fmt.Println(a.Status)
	tasks, _ := svc.Signage(ctx, a.ID)
	for _, t := range tasks {
		fmt.Println(t.Action, t.Date, t.Places, "places")
	}
	// Output:
	// length 18.0 m, fee € 20.00
	//   per m per day: 18 x 1 x 1 days = 18.00
	//   raised to the minimum amount: 1 x 20 x 0 days = 2.00
	// granted
	// place 2026-03-12 3 places
	// remove 2026-03-15 3 places
}

// A municipality loads its territory once; an application for a container
// just across the border, in the neighbouring municipality, is refused.
func ExampleParseTerritory() {
	territory, err := permit.ParseTerritory([]byte(`{"type":"Polygon","coordinates":[
		[[150000,210000],[154000,210000],[154000,214000],[150000,214000],[150000,210000]]]}`), permit.Lambert72)
	if err != nil {
		fmt.Println(err)
		return
	}
	start := time.Date(2026, 3, 16, 0, 0, 0, 0, clock.Brussels)
	svc := permit.NewService(permit.Config{
		Store:     permit.NewMemStore(nil),
		Clock:     clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)),
		Territory: territory,
	})
	for _, x := range []int{153990, 154010} {
		_, err := svc.Draft(context.Background(), permit.ApplicationInput{
			Type:        "container",
			Applicant:   permit.Applicant{Name: pii.Name{Given: "An", Family: "Peeters"}, Email: "an@example.be"},
			Location:    json.RawMessage(fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%d,212000],[%d,212000],[%d,212003],[%d,212003],[%d,212000]]]}`, x-3, x, x, x-3, x-3)),
			CRS:         permit.Lambert72,
			Address:     pii.Address{Street: "Grote Markt", Number: "1", PostalCode: "2000", Municipality: "Antwerpen"},
			Periods:     []permit.Period{{Start: start, End: start.AddDate(0, 0, 3)}},
			Description: "Container for renovation",
		})
		var ve *permit.ValidationError
		if errors.As(err, &ve) {
			f, _ := ve.Field("location")
			fmt.Printf("x=%d: refused (%s)\n", x, f.Rule)
		} else {
			fmt.Printf("x=%d: drafted (error %v)\n", x, err)
		}
	}
	// Output:
	// x=153990: drafted (error <nil>)
	// x=154010: refused (territory)
}

// Two removal firms ask for a parking ban on the same stretch of kerb, a
// third on the other side of the street. The overlap is decided exactly
// (the second ban lies on the first: they touch, which blocks), the
// distance across the street is given to the centimetre and only warns.
func ExampleService_Conflicts() {
	ctx := context.Background()
	svc := permit.NewService(permit.Config{
		Store:  permit.NewMemStore(nil),
		Clock:  clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)),
		Buffer: 20,
	})
	moveDay := time.Date(2026, 3, 14, 7, 0, 0, 0, clock.Brussels)
	ban := func(line string) permit.ApplicationInput {
		return permit.ApplicationInput{
			Type:          "parking_ban",
			Applicant:     permit.Applicant{Name: pii.Name{Given: "Lies", Family: "Janssens"}, Email: "lies@example.be"},
			Location:      json.RawMessage(`{"type":"LineString","coordinates":` + line + `}`),
			CRS:           permit.Lambert72,
			Address:       pii.Address{Street: "Kerkstraat", Number: "12", PostalCode: "2000", Municipality: "Antwerpen"},
			Periods:       []permit.Period{{Start: moveDay, End: moveDay.Add(10 * time.Hour)}},
			Description:   "Moving van",
			ParkingPlaces: 2,
		}
	}
	first, _ := svc.Draft(ctx, ban(`[[104000,194000],[104050,194000]]`))
	_, _ = svc.Submit(ctx, first.ID)
	_, _ = svc.Grant(ctx, first.ID, nil)
	for _, line := range []string{`[[104005,194000],[104040,194000]]`, `[[104005,194007.456],[104040,194007.456]]`} {
		a, _ := svc.Draft(ctx, ban(line))
		cs, err := svc.Conflicts(ctx, a.ID)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, c := range cs {
			fmt.Printf("overlap %v, %.2f m apart: %s\n", c.Overlap, c.Distance, c.Severity)
		}
	}
	// Output:
	// overlap true, 0.00 m apart: block
	// overlap false, 7.46 m apart: warn
}
