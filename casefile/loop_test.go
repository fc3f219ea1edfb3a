package casefile_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/casefiletest"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// loopType is the test case type of casetype_test.go with a waiting status,
// so every policy has something to point at.
func loopType() casefile.CaseType {
	ct := validType()
	ct.Statuses = append(ct.Statuses, casefile.Status{Code: "waiting", Label: casefile.Label{NL: "Wacht op melder", EN: "Waiting"}, Waiting: true})
	ct.Transitions = append(ct.Transitions,
		casefile.Transition{Name: "ask", From: []string{"open"}, To: "waiting", Roles: []casefile.Role{casefile.RoleClerk}},
		casefile.Transition{Name: "reply", From: []string{"waiting"}, To: "open", Roles: []casefile.Role{casefile.RoleCitizen}})
	return ct
}

func TestLoadCaseTypeChecksPolicies(t *testing.T) {
	tests := []struct {
		name   string
		modify func(ct *casefile.CaseType)
		field  string
	}{
		{"negative version", func(ct *casefile.CaseType) { ct.Version = -1 }, "version"},
		{"reopen from an open status", func(ct *casefile.CaseType) { ct.Reopen.From = []string{"open"} }, "reopen.from[0]"},
		{"reopen from an unknown status", func(ct *casefile.CaseType) { ct.Reopen.From = []string{"answered", "gone"} }, "reopen.from[1]"},
		{"reopen to a terminal status", func(ct *casefile.CaseType) { ct.Reopen.To = "answered" }, "reopen.to"},
		{"negative reporter period", func(ct *casefile.CaseType) { ct.Reopen.ReporterWithin.Days = -1 }, "reopen.reporter_within"},
		{"threshold above the scale", func(ct *casefile.CaseType) { ct.Satisfaction.ReopenAtOrBelow = 6 }, "satisfaction"},
		{"retention without action", func(ct *casefile.CaseType) { ct.Retention.Days = 30 }, "retention.action"},
		{"negative retention", func(ct *casefile.CaseType) { ct.Retention.Days = -1 }, "retention.days"},
		{"template for unknown status", func(ct *casefile.CaseType) {
			ct.Templates = []casefile.MessageTemplate{{Status: "x", Text: casefile.Label{NL: "t"}}}
		}, "templates[0].status"},
		{"template for unknown category", func(ct *casefile.CaseType) {
			ct.Templates = []casefile.MessageTemplate{{Status: "open", Category: "x", Text: casefile.Label{NL: "t"}}}
		}, "templates[0].category"},
		{"template without text", func(ct *casefile.CaseType) {
			ct.Templates = []casefile.MessageTemplate{{Status: "open"}}
		}, "templates[0].text"},
		{"ask without answer", func(ct *casefile.CaseType) { ct.Questions.Ask = "ask" }, "questions"},
		{"ask to a status that does not wait", func(ct *casefile.CaseType) {
			ct.Questions = casefile.ReporterQuestions{Ask: "answer", Answer: "reply"}
		}, "questions.ask"},
		{"answer the citizen may not take", func(ct *casefile.CaseType) {
			ct.Questions = casefile.ReporterQuestions{Ask: "ask", Answer: "answer"}
		}, "questions.answer"},
		{"unknown question transitions", func(ct *casefile.CaseType) {
			ct.Questions = casefile.ReporterQuestions{Ask: "x", Answer: "y"}
		}, "questions.answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := loopType()
			tt.modify(&ct)
			_, err := casefile.LoadCaseType(ct)
			var ve *casefile.ValidationError
			require.ErrorAs(t, err, &ve)
			_, ok := ve.Field(tt.field)
			assert.True(t, ok, "want an error on %s, got %v", tt.field, err)
		})
	}
	ct := loopType()
	ct.Reopen = casefile.ReopenPolicy{From: []string{"answered"}, ReporterWithin: calendar.Deadline{Days: 10, WorkingDays: true}}
	ct.Satisfaction = casefile.SatisfactionPolicy{Ask: true, ReopenAtOrBelow: 2}
	ct.Retention = casefile.RetentionPolicy{Days: 365, Action: casefile.RetainDelete}
	ct.Questions = casefile.ReporterQuestions{Ask: "ask", Answer: "reply"}
	_, err := casefile.LoadCaseType(ct)
	require.NoError(t, err)
}

func TestStartingText(t *testing.T) {
	ct := casefile.PublicSpaceReports()
	lamp := &casefile.Case{Reference: "2026-000007", Category: "street_lighting"}
	pothole := &casefile.Case{Reference: "2026-000008", Category: "roads"}
	tests := []struct {
		c            *casefile.Case
		status, lang string
		want         string
	}{
		{lamp, "resolved", "nl", "De verlichting is hersteld. Bedankt voor uw melding 2026-000007."},
		{lamp, "resolved", "en", "The lighting has been repaired. Thank you for your report 2026-000007."},
		{pothole, "resolved", "nl", "Uw melding 2026-000008 is afgehandeld."},
		{pothole, "rejected", "nl", "Wij nemen uw melding 2026-000008 niet in behandeling omdat ..."},
		{pothole, "in_progress", "nl", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ct.StartingText(tt.c, tt.status, tt.lang), "%s %s %s", tt.c.Category, tt.status, tt.lang)
	}
	def := *ct
	def.Templates = []casefile.MessageTemplate{{Status: "resolved", Text: casefile.Label{NL: "{category}: {status} ({reference})"}}}
	custom, err := casefile.LoadCaseType(def)
	require.NoError(t, err)
	assert.Equal(t, "Wegen en voetpaden: Afgehandeld (2026-000008)", custom.StartingText(pothole, "resolved", "en"), "Dutch when no English is given")
}

func TestTransitionRequiresMessage(t *testing.T) {
	def := *casefile.PublicSpaceReports()
	def.Transitions = append([]casefile.Transition(nil), def.Transitions...)
	for i := range def.Transitions {
		if def.Transitions[i].Name == "reject" {
			def.Transitions[i].RequireMessage = true
		}
	}
	ct, err := casefile.LoadCaseType(def)
	require.NoError(t, err)
	svc, err := casefile.NewService(casefile.Config{Municipality: "44021", Store: casefile.NewMemStore(nil),
		Clock: clock.NewSettable(casefiletest.Start), Types: []*casefile.CaseType{ct}})
	require.NoError(t, err)
	ctx := context.Background()
	c, err := svc.Create(ctx, casefiletest.Report("other", ""))
	require.NoError(t, err)
	clerk := casefile.Actor{ID: "clerk-1", Role: casefile.RoleClerk}
	_, err = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "reject", Result: "not_municipal", Text: "  ", Actor: clerk})
	var ve *casefile.ValidationError
	require.ErrorAs(t, err, &ve)
	_, ok := ve.Field("text")
	assert.True(t, ok)
	c, err = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "reject", Result: "not_municipal",
		Text: ct.StartingText(c, "rejected", "nl") + " het een privédomein betreft.", Actor: clerk})
	require.NoError(t, err)
	assert.True(t, c.Closed)
}

func TestAnonymise(t *testing.T) {
	c := &casefile.Case{
		Category: "roads", Status: "resolved", Result: "repaired", Description: "Put voor het huis van An.",
		Requester: casefile.Requester{Kind: casefile.PartyPerson, ID: "85073003328", Email: "an@example.be"},
		Location: casefile.Location{Address: pii.Address{Street: "Korenmarkt", Number: "1", PostalCode: "9000", Municipality: "Gent"},
			Point: casefile.Point{Lat: 51.05, Lon: 3.72}, Text: "aan de kerk"},
		Attachments:  []casefile.Attachment{{Name: "foto.jpg"}},
		Satisfaction: casefile.Satisfaction{Score: 2, Comment: "An is boos."},
	}
	casefile.Anonymise(c)
	assert.Equal(t, &casefile.Case{Category: "roads", Status: "resolved", Result: "repaired",
		Location:     casefile.Location{Address: pii.Address{PostalCode: "9000", Municipality: "Gent"}},
		Satisfaction: casefile.Satisfaction{Score: 2}}, c)
}

func TestSatisfactionLogValueHidesComment(t *testing.T) {
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("rated", "satisfaction", casefile.Satisfaction{Score: 2, Comment: "Mijn buurman Jan"})
	assert.NotContains(t, buf.String(), "Jan")
	assert.Contains(t, buf.String(), "score=2")
	assert.True(t, strings.Contains(buf.String(), "comment=true"))
}
