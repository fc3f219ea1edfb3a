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

// loopService is the service of the loop's examples, on a settable clock.
func loopService(events event.Sink, purger casefile.Purger) (*casefile.Service, *clock.Settable) {
	clk := clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels))
	svc, err := casefile.NewService(casefile.Config{
		Municipality: "44021", Store: casefile.NewMemStore(events), Clock: clk,
		Types:   []*casefile.CaseType{casefile.PublicSpaceReports()},
		Routing: []casefile.RoutingRule{{Team: "lighting", Category: "street_lighting"}, {Team: "roads", Category: "roads"}},
		Purger:  purger,
	})
	if err != nil {
		panic(err)
	}
	return svc, clk
}

// loopReport files a report by An, known by her INSZ.
func loopReport(svc *casefile.Service) *casefile.Case {
	c, err := svc.Create(context.Background(), casefile.CreateRequest{
		Type: "meldingen", Category: "street_lighting", Subcategory: "lamp_out",
		Requester: casefile.Requester{Kind: casefile.PartyPerson, ID: "85073003328", Email: "an.peeters@example.be"},
		Channel:   casefile.ChannelWeb,
		Location: casefile.Location{Address: pii.Address{Street: "Korenmarkt", Number: "1", PostalCode: "9000", Municipality: "Gent"},
			Point: casefile.Point{Lat: 51.0545, Lon: 3.7215}},
		Description: "De straatlamp brandt niet meer.",
		Actor:       casefile.Actor{ID: "85073003328", Role: casefile.RoleCitizen},
	})
	if err != nil {
		panic(err)
	}
	return c
}

// The whole loop: the clerk asks the reporter a question, the reporter
// answers, the handler resolves with a message started from the case
// type's template, and the reporter says "niet opgelost".
func ExampleService_Reopen() {
	ctx := context.Background()
	svc, clk := loopService(nil, nil)
	an := casefile.Actor{ID: "85073003328", Role: casefile.RoleCitizen}
	clerk := casefile.Actor{ID: "els", Role: casefile.RoleClerk}
	c := loopReport(svc)
	c, _ = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "accept", Actor: clerk})
	c, _ = svc.AskReporter(ctx, casefile.AskRequest{CaseID: c.ID, Version: c.Version, Question: "Welk nummer staat op de paal?", Actor: clerk})
	fmt.Println(c.Status, "deadline stopped:", !c.SuspendedAt.IsZero())
	clk.Set(time.Date(2026, 3, 4, 9, 0, 0, 0, clock.Brussels))
	c, _ = svc.AnswerReporterQuestion(ctx, casefile.ReporterAnswerRequest{CaseID: c.ID, Text: "Paal 12.", Actor: an})
	fmt.Println(c.Status, "due", c.Due.Format(time.DateOnly))

	ct, _ := svc.CaseTypeOf(c)
	msg := ct.StartingText(c, "resolved", "nl")
	c, _ = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "resolve",
		Result: "repaired", Text: msg, Actor: casefile.Actor{ID: "jan", Role: casefile.RoleHandler}})
	fmt.Println(c.Status, "-", msg)

	clk.Set(time.Date(2026, 3, 30, 9, 0, 0, 0, clock.Brussels))
	_, err := svc.Reopen(ctx, casefile.ReopenRequest{CaseID: c.ID, Reason: "Niet opgelost.", Actor: an})
	fmt.Println("too late:", errors.Is(err, casefile.ErrReopenPeriodOver))
	clk.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, clock.Brussels))
	c, _ = svc.Reopen(ctx, casefile.ReopenRequest{CaseID: c.ID, Reason: "De lamp flikkert nog.", Actor: an})
	fmt.Println(c.Status, "reopened", c.Reopened, "due", c.Due.Format(time.DateOnly))

	view, _ := svc.CitizenView(ctx, c.Reference, "nl")
	for _, e := range view.Timeline {
		fmt.Println(strings.TrimSpace(e.StatusLabel + ": " + e.Text))
	}
	// Output:
	// waiting deadline stopped: true
	// in_progress due 2026-03-11
	// resolved - De verlichting is hersteld. Bedankt voor uw melding 2026-000001.
	// too late: true
	// in_progress reopened 1 due 2026-03-17
	// Gemeld:
	// In behandeling:
	// Wacht op uw antwoord: Welk nummer staat op de paal?
	// In behandeling: Paal 12.
	// Afgehandeld: De verlichting is hersteld. Bedankt voor uw melding 2026-000001.
	// In behandeling: De lamp flikkert nog.
}

// A clerk moves a report to another category after filing: it goes to
// another team and gets that category's deadline.
func ExampleService_Amend() {
	ctx := context.Background()
	svc, _ := loopService(nil, nil)
	c := loopReport(svc)
	c, err := svc.Amend(ctx, casefile.AmendRequest{CaseID: c.ID, Version: c.Version, Category: "roads", Subcategory: "pothole",
		Reason: "Geen lamp, een put.", Actor: casefile.Actor{ID: "els", Role: casefile.RoleClerk}})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Category, c.Subcategory, c.Team, "due", c.Due.Format(time.DateOnly))
	view, _ := svc.CitizenView(ctx, c.Reference, "nl")
	fmt.Println(view.Timeline[len(view.Timeline)-1].Text)
	// Output:
	// roads pothole roads due 2026-03-16
	// categorie gewijzigd
}

// Two years after closing, a report is anonymised; its photo is deleted
// first, and the run leaves an audit record with counts only.
func ExampleService_Purge() {
	ctx := context.Background()
	events := &event.Recorder{}
	purger := casefile.PurgerFunc(func(_ context.Context, c *casefile.Case) error {
		for _, a := range c.Attachments {
			fmt.Println("delete blob", a.URI)
		}
		return nil
	})
	svc, clk := loopService(events, purger)
	c := loopReport(svc)
	c, _ = svc.AddAttachment(ctx, casefile.AttachmentRequest{CaseID: c.ID, Actor: casefile.Actor{Role: casefile.RoleCitizen},
		Attachment: casefile.Attachment{Name: "lamp.jpg", MediaType: "image/jpeg", Size: 52311,
			SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", URI: "file:///photos/0193"}})
	_, _ = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "resolve", Result: "repaired",
		Actor: casefile.Actor{ID: "jan", Role: casefile.RoleHandler}})

	clk.Set(time.Date(2028, 3, 10, 9, 0, 0, 0, clock.Brussels))
	run, err := svc.Purge(ctx, clk.Now())
	if err != nil {
		panic(err)
	}
	fmt.Println("anonymised", run.Anonymised, "deleted", run.Deleted, "failed", run.Failed)
	c, _ = svc.Get(ctx, c.ID)
	fmt.Printf("%q %q %s %s %s\n", c.Description, c.Location.Address.Street, c.Location.Address.PostalCode, c.Category, c.Status)
	fmt.Println(events.Types()[len(events.Types())-2:])
	// Output:
	// delete blob file:///photos/0193
	// anonymised 1 deleted 0 failed 0
	// "" "" 9000 street_lighting resolved
	// [casefile.case_purged casefile.purge_run]
}

// A closed report gets a low score: the case type reopens it.
func ExampleService_Rate() {
	ctx := context.Background()
	svc, _ := loopService(nil, nil)
	c := loopReport(svc)
	c, _ = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "resolve", Result: "repaired",
		Actor: casefile.Actor{ID: "jan", Role: casefile.RoleHandler}})
	an := casefile.Actor{ID: "85073003328", Role: casefile.RoleCitizen}
	c, _ = svc.Rate(ctx, casefile.RateRequest{CaseID: c.ID, Score: 2, Comment: "Ze brandt nog altijd niet.", Actor: an})
	fmt.Println(c.Satisfaction.Score, c.Status, c.Reopened)
	_, err := svc.Rate(ctx, casefile.RateRequest{CaseID: c.ID, Score: 5, Actor: an})
	fmt.Println("again:", errors.Is(err, casefile.ErrAlreadyRated))
	// Output:
	// 2 in_progress 1
	// again: true
}

// A citizen asks a question ("vraag stellen"); the clerk answers it in free
// text, starting from the template, and the answer is handed on to be
// delivered by the citizen's channel.
func ExampleService_Answer() {
	ctx := context.Background()
	events := &event.Recorder{}
	svc, err := casefile.NewService(casefile.Config{
		Municipality: "44021", Store: casefile.NewMemStore(events),
		Clock: clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)),
		Types: []*casefile.CaseType{casefile.CitizenQuestions()},
	})
	if err != nil {
		panic(err)
	}
	q, err := svc.Create(ctx, casefile.CreateRequest{
		Type: "vragen", Category: "waste_collection", Channel: casefile.ChannelWeb,
		Requester:   casefile.Requester{Email: "an.peeters@example.be"},
		Description: "Wanneer wordt het snoeiafval opgehaald in Drongen?",
		Actor:       casefile.Actor{Role: casefile.RoleCitizen},
	})
	if err != nil {
		panic(err)
	}
	ct, _ := svc.CaseTypeOf(q)
	text := ct.StartingText(q, "answered", "nl") + "Het snoeiafval wordt op 14 maart opgehaald."
	q, err = svc.Answer(ctx, casefile.AnswerRequest{CaseID: q.ID, Version: q.Version, Text: text, Transition: "answer",
		Actor: casefile.Actor{ID: "els", Role: casefile.RoleClerk}})
	if err != nil {
		panic(err)
	}
	fmt.Println(q.Status, q.Closed)
	for _, e := range events.Events() {
		if n, ok := e.Payload.(casefile.RequesterNotice); ok {
			fmt.Println(n.Requester.Email, "<-", n.Text)
		}
	}
	// Output:
	// answered true
	// an.peeters@example.be <- Beste, bedankt voor uw vraag 2026-000001. Het snoeiafval wordt op 14 maart opgehaald.
}
