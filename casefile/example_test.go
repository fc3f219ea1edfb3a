package casefile_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// A citizen reports a broken street light; the lighting team accepts and
// repairs it, and the citizen follows it in their own words.
func Example() {
	ctx := context.Background()
	events := &event.Recorder{}
	svc, err := casefile.NewService(casefile.Config{
		Municipality: "44021",
		Store:        casefile.NewMemStore(events),
		Clock:        clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)),
		Types:        []*casefile.CaseType{casefile.PublicSpaceReports()},
		Routing:      []casefile.RoutingRule{{Team: "lighting", Category: "street_lighting"}},
	})
	if err != nil {
		panic(err)
	}
	c, err := svc.Create(ctx, casefile.CreateRequest{
		Type: "meldingen", Category: "street_lighting", Subcategory: "lamp_out",
		Requester: casefile.Requester{Email: "an.peeters@example.be"},
		Channel:   casefile.ChannelApp,
		Location: casefile.Location{
			Address: pii.Address{Street: "Korenmarkt", Number: "1", PostalCode: "9000", Municipality: "Gent"},
			Point:   casefile.Point{Lat: 51.0545, Lon: 3.7215},
		},
		Description: "De straatlamp brandt niet meer.",
		Actor:       casefile.Actor{Role: casefile.RoleCitizen},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Reference, c.Team, c.Status, "due", c.Due.Format("2006-01-02"))

	handler := casefile.Actor{ID: "jan", Role: casefile.RoleHandler}
	c, _ = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "accept", Actor: handler})
	_, err = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: 1, Transition: "resolve", Result: "repaired", Actor: handler})
	fmt.Println("stale version:", errors.Is(err, casefile.ErrConflict))
	c, _ = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "resolve", Result: "repaired", Text: "Lamp vervangen.", Actor: handler})

	view, _ := svc.CitizenView(ctx, c.Reference, "nl")
	fmt.Println(view.StatusLabel, "-", view.ResultLabel)
	for _, e := range view.Timeline {
		fmt.Println(strings.TrimSpace(e.At.In(clock.Brussels).Format("02/01 15:04") + " " + e.StatusLabel + " " + e.Text))
	}
	fmt.Println(events.Types())
	// Output:
	// 2026-000001 lighting reported due 2026-03-09
	// stale version: true
	// Afgehandeld - Hersteld
	// 02/03 09:00 Gemeld
	// 02/03 09:00 In behandeling
	// 02/03 09:00 Afgehandeld Lamp vervangen.
	// [casefile.case_created casefile.case_transitioned casefile.requester_notice casefile.case_transitioned casefile.requester_notice]
}

// Loading a definition with a mistake says what is wrong.
func ExampleLoadCaseType() {
	_, err := casefile.ParseCaseType([]byte(`{
		"code": "question", "initial": "open",
		"statuses": [
			{"code": "open", "label": {"nl": "Open", "en": "Open"}},
			{"code": "answered", "label": {"nl": "Beantwoord", "en": "Answered"}}
		],
		"transitions": [{"name": "answer", "from": ["open"], "to": "answred", "roles": ["clerk"]}],
		"categories": [{"code": "general", "deadline": {"days": 10, "working_days": true}}]
	}`))
	fmt.Println(err)
	// Output:
	// validation failed: statuses: no status is terminal, so no case could ever be closed; transitions[0].to: transition "answer" goes to unknown status "answred"; statuses: status "answered" cannot be reached from initial status "open"
}
