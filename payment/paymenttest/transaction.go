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

// sameTransaction returns one bank transaction as a CODA statement and as
// a camt.053 statement of the same day: different statement IDs and line
// keys, the same account, bank reference, value date and amount. It pays r
// and brings in 7.00 that no request claims.
func sameTransaction(r *payment.Request) (coda, camt payment.Statement) {
	day := calendar.DateIn(Start).AddDays(1)
	acct := "BE68539007547034"
	line := func(key, bankRef, amount string, ref payment.Reference) payment.StatementLine {
		return payment.StatementLine{Key: key, Account: acct, BookingDate: day, ValueDate: day,
			Amount: decimal.RequireFromString(amount), Reference: ref, BankReference: bankRef}
	}
	coda = payment.Statement{ID: "coda:" + acct + ":2026-03-03:042", Account: acct, Lines: []payment.StatementLine{
		line("coda:"+acct+":2026-03-03:042:0001/0000", "OL44483FW SCTOFBIONLO", "25", r.Reference),
		line("coda:"+acct+":2026-03-03:042:0002/0000", "OL4414AC8BOVSOVSOVERS", "7", payment.Reference{}),
	}}
	camt = payment.Statement{ID: "camt053:5f0e", Lines: []payment.StatementLine{
		line("camt053:2026-0042:1/1", "OL44483FW SCTOFBIONLO", "25.00", r.Reference),
		line("camt053:2026-0042:2", "OL4414AC8BOVSOVSOVERS", "7.00", payment.Reference{}),
	}}
	return coda, camt
}

func runTransaction(t *testing.T, setup func(t *testing.T) (*payment.Service, payment.Store, *clock.Settable)) {
	ctx := context.Background()

	t.Run("SameTransactionAcrossStatementsAndFormats", func(t *testing.T) {
		svc, st, _ := setup(t)
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		coda, camt := sameTransaction(r)
		rep, err := svc.Import(ctx, coda)
		require.NoError(t, err)
		assert.True(t, decimal.RequireFromString("25").Equal(rep.Booked))
		assert.Equal(t, []payment.Outcome{payment.OutcomePaid, payment.OutcomeUnmatched}, outcomes(rep))

		// The same money in the camt.053 file of that day is a repeat.
		rep, err = svc.Import(ctx, camt)
		require.NoError(t, err)
		assert.Equal(t, []payment.Outcome{payment.OutcomeDuplicate, payment.OutcomeDuplicate}, outcomes(rep))
		assert.True(t, rep.Booked.IsZero())
		assert.True(t, rep.ToReview.IsZero())
		// And so it is in a later statement with another ID.
		coda.ID = "coda:BE68539007547034:2026-03-04:043"
		for i := range coda.Lines {
			coda.Lines[i].Key = coda.ID + ":000" + string(rune('1'+i)) + "/0000"
		}
		rep, err = svc.Import(ctx, coda)
		require.NoError(t, err)
		assert.Equal(t, 2, rep.Counts[payment.OutcomeDuplicate])

		got, err := st.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Len(t, got.Payments, 1)
		assert.Equal(t, payment.StatusPaid, got.Status)
		assert.Equal(t, 1, countUnmatched(t, st))
		for u, err := range st.Unmatched(ctx) {
			require.NoError(t, err)
			assert.Equal(t, u.Key, u.Line.Key, "a clerk's screen finds the record by its line's key")
		}
	})

	t.Run("SameTransactionTwiceAtOnce", func(t *testing.T) {
		svc, st, _ := setup(t)
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		coda, camt := sameTransaction(r)
		var wg sync.WaitGroup
		reps := make([]payment.Report, 4)
		for i, s := range []payment.Statement{coda, camt, coda, camt} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rep, err := svc.Import(ctx, s)
				assert.NoError(t, err)
				reps[i] = rep
			}()
		}
		wg.Wait()
		booked, dup := decimal.Zero, 0
		for _, rep := range reps {
			booked = booked.Add(rep.Booked)
			dup += rep.Counts[payment.OutcomeDuplicate]
		}
		assert.True(t, decimal.RequireFromString("25").Equal(booked), "booked %s", booked)
		assert.Equal(t, 6, dup, "three of four imports repeat both lines")
		got, err := st.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Len(t, got.Payments, 1)
		assert.Equal(t, 1, countUnmatched(t, st))
	})
}

func outcomes(rep payment.Report) []payment.Outcome {
	out := make([]payment.Outcome, len(rep.Lines))
	for i, l := range rep.Lines {
		out[i] = l.Outcome
	}
	return out
}

func countUnmatched(t *testing.T, st payment.Store) int {
	n := 0
	for _, err := range st.Unmatched(context.Background()) {
		require.NoError(t, err)
		n++
	}
	return n
}
