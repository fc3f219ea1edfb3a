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
