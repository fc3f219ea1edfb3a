package casefile_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/casefiletest"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// FuzzCreateText feeds Create arbitrary text: it never panics, refuses
// text validate.TextProblem refuses, and what it accepts reads back as sent.
func FuzzCreateText(f *testing.F) {
	f.Add("De lamp brandt niet.", "Korenmarkt")
	f.Add("lamp\x00", "caf\xe9")
	f.Add("regel\r\nregel\t", "\u0085")
	f.Fuzz(func(t *testing.T, description, street string) {
		ctx := context.Background()
		svc, err := casefile.NewService(casefile.Config{
			Municipality: "44021", Store: casefile.NewMemStore(nil), Clock: clock.NewSettable(casefiletest.Start),
			Calendar: calendar.Flanders(), Types: []*casefile.CaseType{casefile.PublicSpaceReports()}, DefaultTeam: "public-space",
		})
		require.NoError(t, err)
		r := casefiletest.Report("street_lighting", "lamp_out")
		r.Description, r.Location.Address.Street = description, street
		c, err := svc.Create(ctx, r)
		bad := false
		for _, s := range []string{description, street} {
			if rule, _ := validate.TextProblem(s); rule != "" {
				bad = true
			}
		}
		if bad {
			require.ErrorIs(t, err, casefile.ErrValidation)
			return
		}
		if err != nil {
			require.ErrorIs(t, err, casefile.ErrValidation)
			return
		}
		got, err := svc.Get(ctx, c.ID)
		require.NoError(t, err)
		require.Equal(t, description, got.Description)
	})
}

// FuzzLoopText feeds the texts of the loop (a question to the reporter,
// their answer, the clerk's answer, a reopening's reason, a rating's
// comment) arbitrary text: nothing panics, text validate.TextProblem
// refuses is refused, and accepted text reads back as sent.
func FuzzLoopText(f *testing.F) {
	f.Add("Welk paalnummer?", "Paal 12.", "Niet opgelost.", "Snel hersteld.", 2)
	f.Add("vraag\x00", "caf\xe9", "\u0085", "", 0)
	f.Add(" ", "regel\r\nregel", "\t", "x", 6)
	f.Fuzz(func(t *testing.T, question, answer, reason, comment string, score int) {
		ctx := context.Background()
		svc, err := casefile.NewService(casefile.Config{
			Municipality: "44021", Store: casefile.NewMemStore(nil), Clock: clock.NewSettable(casefiletest.Start),
			Types: []*casefile.CaseType{casefile.PublicSpaceReports()}, DefaultTeam: "public-space",
		})
		require.NoError(t, err)
		an := casefile.Actor{ID: "85073003328", Role: casefile.RoleCitizen}
		clerk := casefile.Actor{ID: "els", Role: casefile.RoleClerk}
		r := casefiletest.Report("street_lighting", "lamp_out")
		r.Requester.Kind, r.Requester.ID, r.Actor = casefile.PartyPerson, an.ID, an
		c, err := svc.Create(ctx, r)
		require.NoError(t, err)
		c, err = svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: c.Version, Transition: "accept", Actor: clerk})
		require.NoError(t, err)
		bad := func(s string) bool { rule, _ := validate.TextProblem(s); return rule != "" }
		check := func(text string, got *casefile.Case, err error) bool {
			t.Helper()
			if bad(text) {
				require.ErrorIs(t, err, casefile.ErrValidation)
				return false
			}
			if err != nil {
				require.ErrorIs(t, err, casefile.ErrValidation)
				return false
			}
			return got != nil
		}
		asked, err := svc.AskReporter(ctx, casefile.AskRequest{CaseID: c.ID, Version: c.Version, Question: question, Actor: clerk})
		if !check(question, asked, err) {
			return
		}
		answered, err := svc.AnswerReporterQuestion(ctx, casefile.ReporterAnswerRequest{CaseID: c.ID, Text: answer, Actor: an})
		if !check(answer, answered, err) {
			return
		}
		tl, err := svc.ClerkView(ctx, c.ID)
		require.NoError(t, err)
		texts := map[casefile.EntryKind]string{}
		for _, e := range tl.Timeline {
			texts[e.Kind] = e.Text
		}
		require.Equal(t, question, texts[casefile.EntryQuestionAsked])
		require.Equal(t, answer, texts[casefile.EntryReporterAnswered])
		c, err = svc.Transition(ctx, casefile.TransitionRequest{CaseID: answered.ID, Version: answered.Version, Transition: "resolve", Result: "repaired",
			Actor: casefile.Actor{ID: "jan", Role: casefile.RoleHandler}})
		require.NoError(t, err)
		rated, err := svc.Rate(ctx, casefile.RateRequest{CaseID: c.ID, Score: score, Comment: comment, Actor: an})
		if score < casefile.MinScore || score > casefile.MaxScore {
			require.ErrorIs(t, err, casefile.ErrValidation)
		} else if check(comment, rated, err) {
			require.Equal(t, score, rated.Satisfaction.Score)
		}
		got, err := svc.Get(ctx, c.ID)
		require.NoError(t, err)
		if got.Closed {
			reopened, err := svc.Reopen(ctx, casefile.ReopenRequest{CaseID: c.ID, Reason: reason, Actor: an})
			if check(reason, reopened, err) {
				require.False(t, reopened.Closed)
			}
		}
	})
}
