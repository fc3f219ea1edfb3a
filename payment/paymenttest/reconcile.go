package paymenttest

import (
	"context"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/payment"
)

// statementFor pays r twice over two lines (12.50 each), adds a line with
// an unknown reference and one without any.
func statementFor(t *testing.T, r *payment.Request) payment.Statement {
	unknown, err := payment.NewOGM(9_999_999_999)
	require.NoError(t, err)
	day := calendar.DateIn(Start).AddDays(1)
	half := decimal.RequireFromString("12.50")
	return payment.Statement{ID: "test:1", Lines: []payment.StatementLine{
		{Key: "test:1:1", BookingDate: day, Amount: half, Reference: r.Reference},
		{Key: "test:1:2", BookingDate: day, Amount: half, Reference: r.Reference},
		{Key: "test:1:3", BookingDate: day, Amount: half, Reference: payment.OGMReference(unknown)},
		{Key: "test:1:4", BookingDate: day, Amount: decimal.RequireFromString("25"), CounterpartyIBAN: "BE71096123456769"},
		{Key: "test:1:5", BookingDate: day, Amount: decimal.RequireFromString("-3")},
	}}
}

func runReconcile(t *testing.T, setup func(t *testing.T) (*payment.Service, payment.Store, *clock.Settable)) {
	ctx := context.Background()

	t.Run("ImportBooksAndReports", func(t *testing.T) {
		svc, st, _ := setup(t)
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		// Make the request overpaid later: the no-reference line of 25 is
		// only a suggestion, never booked on its own.
		rep, err := svc.Import(ctx, statementFor(t, r))
		require.NoError(t, err)
		outcomes := make([]payment.Outcome, len(rep.Lines))
		for i, l := range rep.Lines {
			outcomes[i] = l.Outcome
		}
		assert.Equal(t, []payment.Outcome{payment.OutcomePartial, payment.OutcomePaid, payment.OutcomeUnknownReference, payment.OutcomeUnmatched, payment.OutcomeDebit}, outcomes)
		assert.True(t, decimal.RequireFromString("25").Equal(rep.Booked))
		assert.True(t, decimal.RequireFromString("37.50").Equal(rep.ToReview))
		got, err := st.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, payment.StatusPaid, got.Status)

		// Importing it again books nothing and keeps nothing twice: the
		// two booked lines and the two kept for a clerk are repeats.
		rep, err = svc.Import(ctx, statementFor(t, r))
		require.NoError(t, err)
		assert.Equal(t, 4, rep.Counts[payment.OutcomeDuplicate])
		assert.True(t, rep.Booked.IsZero())
		assert.True(t, rep.ToReview.IsZero())
		got, err = st.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Len(t, got.Payments, 2)
		n := 0
		for _, err := range st.Unmatched(ctx) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 2, n)
	})

	t.Run("SuggestsByAmountAndAccount", func(t *testing.T) {
		svc, _, _ := setup(t)
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		day := calendar.DateIn(Start)
		rep, err := svc.Import(ctx, payment.Statement{ID: "s", Lines: []payment.StatementLine{
			{Key: "s:1", BookingDate: day, Amount: decimal.RequireFromString("25"), CounterpartyIBAN: "BE71096123456769", CounterpartyName: "AN PEETERS"},
		}})
		require.NoError(t, err)
		require.Equal(t, payment.OutcomeSuggested, rep.Lines[0].Outcome)
		s := rep.Lines[0].Suggestions[0]
		assert.Equal(t, r.ID, s.RequestID)
		assert.InDelta(t, 0.95, s.Confidence, 1e-9)
		got, err := svc.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, payment.StatusOpen, got.Status, "a suggestion books nothing")
	})

	t.Run("TwoImportsOfOneStatementAtOnce", func(t *testing.T) {
		svc, st, _ := setup(t)
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		stmt := statementFor(t, r)
		var wg sync.WaitGroup
		reps := make([]payment.Report, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rep, err := svc.Import(ctx, stmt)
				assert.NoError(t, err)
				reps[i] = rep
			}()
		}
		wg.Wait()
		got, err := st.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Len(t, got.Payments, 2, "each line booked once")
		assert.Equal(t, payment.StatusPaid, got.Status)
		assert.True(t, reps[0].Booked.Add(reps[1].Booked).Equal(decimal.RequireFromString("25")))
		assert.Equal(t, 4, reps[0].Counts[payment.OutcomeDuplicate]+reps[1].Counts[payment.OutcomeDuplicate])
	})
}
