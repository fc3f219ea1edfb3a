package subsidy_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
	"github.com/lokaalbestuur/bouwstenen/subsidy/subsidytest"
)

// FuzzServiceInput throws dates and free text at the service's doors: each
// either refuses them with a validation error or stores them so that they
// read back unchanged — never a panic (year 9999 used to crash JSON
// encoding), never text PostgreSQL would refuse.
func FuzzServiceInput(f *testing.F) {
	f.Add("Dakisolatie", int64(2026), int64(0))
	f.Add("a\x00b", int64(9999), int64(1))
	f.Add("\xff\xfe", int64(1899), int64(-1))
	f.Add("Łukasz\tŻółć\r\n", int64(2200), int64(1<<40))
	f.Add("", int64(-5), int64(0))
	f.Fuzz(func(t *testing.T, text string, year, seconds int64) {
		if year < -1_000_000 || year > 1_000_000 {
			return
		}
		ctx := context.Background()
		svc := subsidy.NewService(subsidy.NewMemStore(nil), clock.NewSettable(subsidytest.Opens.Add(time.Hour)))
		sc, err := svc.CreateScheme(ctx, subsidy.SchemeInput{Name: text, Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
		if err != nil {
			require.ErrorIs(t, err, subsidy.ErrValidation)
			sc, err = svc.CreateScheme(ctx, subsidy.SchemeInput{Name: "n", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
			require.NoError(t, err)
		}
		rules := subsidytest.Rules()
		rules.Closes = time.Date(int(year), 3, 1, 0, 0, 0, 0, clock.Brussels).Add(time.Duration(seconds) * time.Second)
		rules.Title = text
		call, err := svc.CreateCall(ctx, sc.ID, rules)
		if err != nil {
			require.ErrorIs(t, err, subsidy.ErrValidation)
			rules = subsidytest.Rules()
			call, err = svc.CreateCall(ctx, sc.ID, rules)
			require.NoError(t, err)
		} else {
			require.True(t, calendar.InHorizon(rules.Closes), "accepted a closing moment outside the horizon: %v", rules.Closes)
			got, err := svc.Call(ctx, call.ID)
			require.NoError(t, err)
			require.Equal(t, text, got.Title)
			require.True(t, rules.Closes.Equal(got.Closes))
		}
		in := subsidytest.Input(call.ID, "100")
		in.Costs[0].Description = text
		in.Answers["goal"] = text
		in.IdempotencyKey = text
		app, err := svc.CreateDraft(ctx, in)
		if err != nil {
			require.ErrorIs(t, err, subsidy.ErrValidation)
			return
		}
		got, err := svc.Application(ctx, app.ID)
		require.NoError(t, err)
		require.Equal(t, text, got.Costs[0].Description)
		require.Equal(t, text, got.Answers["goal"])
		require.Equal(t, text, got.IdempotencyKey)
		if text != "" {
			again, err := svc.CreateDraft(ctx, in)
			require.NoError(t, err)
			require.Equal(t, app.ID, again.ID, "a repeat with the key is the first draft")
		}
		for a, err := range svc.ApplicationsOf(ctx, text, subsidytest.ValidKBO) {
			require.NoError(t, err)
			require.Equal(t, app.ID, a.ID)
		}
		_, err = svc.ExtendDeadline(ctx, call.ID, subsidy.ExtensionInput{ApplicationIDs: []uuid.UUID{app.ID},
			Until: time.Date(int(year), 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(seconds) * time.Second), Reason: "r" + text, GrantedBy: "clerk"})
		if err != nil {
			require.ErrorIs(t, err, subsidy.ErrValidation)
		}
	})
}
