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

// exampleInput is a container in front of a house in Antwerp, applied for
// by An Peeters for her company.
func exampleInput() permit.ApplicationInput {
	start := time.Date(2026, 3, 16, 0, 0, 0, 0, clock.Brussels)
	return permit.ApplicationInput{
		Type: "container",
		Applicant: permit.Applicant{Name: pii.Name{Given: "An", Family: "Peeters"}, INSZ: "85073003328",
			Enterprise: "Bouw NV", KBO: "0403.170.701", Email: "an@bouw.be"},
		Location:    json.RawMessage(`{"type":"Polygon","coordinates":[[[152000,212000],[152005,212000],[152005,212002],[152000,212002],[152000,212000]]]}`),
		CRS:         permit.Lambert72,
		Address:     pii.Address{Street: "Kerkstraat", Number: "12", PostalCode: "2000", Municipality: "Antwerpen"},
		Periods:     []permit.Period{{Start: start, End: start.AddDate(0, 0, 3)}},
		Description: "Container for renovation",
	}
}

// A front office lists "my applications": those of the person who logged
// in and of the enterprise they act for, newest first.
func ExampleService_ByApplicant() {
	ctx := context.Background()
	svc := permit.NewService(permit.Config{Store: permit.NewMemStore(nil), Clock: clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels))})
	in := exampleInput()
	if _, err := svc.Draft(ctx, in); err != nil { // for Bouw NV
		fmt.Println(err)
		return
	}
	in.Applicant.Enterprise, in.Applicant.KBO, in.Description = "", "", "Container for my own house"
	if _, err := svc.Draft(ctx, in); err != nil { // for herself
		fmt.Println(err)
		return
	}
	for a, err := range svc.ByApplicant(ctx, permit.PersonApplicant("85073003328"), permit.EnterpriseApplicant("BE0403170701")) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(a.Applicant.ID(), a.Description)
	}
	// Output:
	// insz:85073003328 Container for my own house
	// kbo:0403170701 Container for renovation
}

// A form posted twice (a double click, a retry after a timeout) drafts one
// application when it carries an idempotency key; the key with other
// content is a conflict.
func ExampleService_Draft_idempotencyKey() {
	ctx := context.Background()
	svc := permit.NewService(permit.Config{Store: permit.NewMemStore(nil), Clock: clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels))})
	in := exampleInput()
	in.IdempotencyKey = "form:0b6f2a"
	first, _ := svc.Draft(ctx, in)
	again, _ := svc.Draft(ctx, in)
	fmt.Println(first.ID == again.ID)
	in.Description = "Something else"
	_, err := svc.Draft(ctx, in)
	fmt.Println(errors.Is(err, permit.ErrConflict))
	// Output:
	// true
	// true
}
