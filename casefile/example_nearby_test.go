package casefile_test

import (
	"context"
	"fmt"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/casefiletest"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
)

// Before a new report is filed, the citizen is shown the open reports of
// the same category close by ("Is dit uw probleem?").
func ExampleService_Nearby() {
	svc, _ := casefile.NewService(casefile.Config{
		Municipality: "44021", Store: casefile.NewMemStore(event.Discard), Clock: clock.NewSettable(casefiletest.Start),
		Types: []*casefile.CaseType{casefile.PublicSpaceReports()},
	})
	ctx := context.Background()
	r := casefiletest.Report("street_lighting", "lamp_out") // at the Korenmarkt in Gent
	first, _ := svc.Create(ctx, r)

	found, err := svc.Nearby(ctx, "street_lighting", casefile.Point{Lat: 51.0548, Lon: 3.7216}, 50)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range found {
		fmt.Printf("%s at %.0f m: %s\n", n.Case.Reference, n.Distance, n.Case.Description)
	}
	fmt.Println(found[0].Case.ID == first.ID)
	// Output:
	// 2026-000001 at 34 m: De straatlamp voor nummer 1 brandt niet meer.
	// true
}

// The extra questions of a category take answers as a form sends them and
// keep them in canonical form: "12,5" is 12.5, "ja" is true.
func ExampleCheckAttributes() {
	ct := casefile.PublicSpaceReports()
	got, err := casefile.CheckAttributes(ct.Attributes("waste"), map[string][]string{
		"amount": {"car"}, "weight_kg": {"12,5"}, "hazardous": {"ja"}, "seen_on": {"1/12/2026"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range got {
		fmt.Println(a.Code, a.Values)
	}
	_, err = casefile.CheckAttributes(ct.Attributes("waste"), map[string][]string{"weight_kg": {"veel"}})
	fmt.Println(err)
	// Output:
	// amount [car]
	// hazardous [true]
	// weight_kg [12.5]
	// seen_on [2026-12-01]
	// validation failed: attributes.weight_kg: Geschat gewicht (kg): "veel" is not a number (write 12,5 or 12.5)
}
