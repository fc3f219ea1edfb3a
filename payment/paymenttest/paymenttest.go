// Package paymenttest is the conformance suite every payment.Store passes:
// the in-memory store and the PostgreSQL store run the very same tests,
// including the concurrent ones.
package paymenttest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Start is the time the suite's clock starts at.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)

// NewRequest returns a valid request input for 2 × 12.50 euro, due 30 days
// after Start.
func NewRequest(t testing.TB) payment.NewRequest {
	iban, err := payment.ParseIBAN("BE68539007547034")
	require.NoError(t, err)
	return payment.NewRequest{
		Creditor: payment.Creditor{Name: "Gemeente Zottegem", IBAN: iban},
		Debtor:   payment.Debtor{Kind: payment.DebtorPerson, Person: pii.Name{Given: "An", Family: "Peeters"}, IBAN: "BE71096123456769"},
		Lines:    []payment.NewLine{{Description: "Parkeerkaart", Quantity: decimal.NewFromInt(2), UnitPrice: decimal.RequireFromString("12.50")}},
		DueDate:  calendar.DateIn(Start).AddDays(30),
	}
}

// Harness is one store under test, in the manner of Go CDK's drivertest:
// the store, and the events it committed so far in commit order (recorded
// for a memory store, read from the outbox for PostgreSQL). A store that
// drops or invents events fails the suite.
type Harness struct {
	Store     payment.Store
	Committed func(t *testing.T) []event.Event
}

// Run runs the suite against stores made by newHarness, a fresh, empty
// store per call.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	ctx := context.Background()
	setup := func(t *testing.T) (*payment.Service, payment.Store, *clock.Settable) {
		st := newHarness(t).Store
		c := clock.NewSettable(Start)
		return payment.NewService(st, c), st, c
	}
	eventtest.StoreEvents(t, func(t *testing.T) eventtest.StoreHarness { return storeHarness(t, newHarness(t)) })
	runIdempotent(t, newHarness)
	runPayers(t, setup)

	t.Run("CreateAndGet", func(t *testing.T) {
		svc, st, _ := setup(t)
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		got, err := st.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, payment.StatusOpen, got.Status)
		assert.True(t, decimal.RequireFromString("25").Equal(got.Amount))
		assert.Equal(t, r.Reference.Key(), got.Reference.Key())
		assert.Equal(t, "Peeters", got.Debtor.Person.Family)
		byRef, err := st.GetByReference(ctx, r.Reference.Key())
		require.NoError(t, err)
		assert.Equal(t, r.ID, byRef.ID)
		_, err = st.Get(ctx, uuid.New())
		assert.ErrorIs(t, err, payment.ErrNotFound)
		_, err = st.GetByReference(ctx, "000000000097")
		assert.ErrorIs(t, err, payment.ErrNotFound)
	})

	t.Run("DuplicateReferenceConflicts", func(t *testing.T) {
		svc, st, _ := setup(t)
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		dup := *r
		dup.ID = uuid.New()
		assert.ErrorIs(t, st.Create(ctx, &dup), payment.ErrConflict)
		assert.ErrorIs(t, st.Create(ctx, r), payment.ErrConflict)
	})

	t.Run("UpdateErrorSavesNothing", func(t *testing.T) {
		svc, st, _ := setup(t)
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		boom := fmt.Errorf("boom")
		_, err = st.Update(ctx, r.ID, func(x *payment.Request) (payment.Change, error) {
			x.Status = payment.StatusPaid
			return payment.Change{}, boom
		})
		assert.ErrorIs(t, err, boom)
		got, err := st.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, payment.StatusOpen, got.Status)
		assert.Equal(t, r.Version, got.Version)
		_, err = st.Update(ctx, uuid.New(), func(*payment.Request) (payment.Change, error) { return payment.Change{}, nil })
		assert.ErrorIs(t, err, payment.ErrNotFound)
	})

	t.Run("LifecycleAndTimeline", func(t *testing.T) {
		svc, _, c := setup(t)
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		_, err = svc.Remind(ctx, r.ID, decimal.RequireFromString("5"))
		assert.ErrorIs(t, err, payment.ErrInvalidTransition, "not yet past due")
		c.Advance(31 * 24 * time.Hour)
		r, err = svc.Remind(ctx, r.ID, decimal.RequireFromString("5"))
		require.NoError(t, err)
		assert.True(t, decimal.RequireFromString("30").Equal(r.Due()))
		ok, err := svc.BookPayment(ctx, r.ID, payment.Payment{Key: "line-1", Amount: decimal.RequireFromString("25"), Source: "manual"})
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = svc.BookPayment(ctx, r.ID, payment.Payment{Key: "line-2", Amount: decimal.RequireFromString("10"), Source: "manual"})
		require.NoError(t, err)
		assert.True(t, ok)
		r, err = svc.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, payment.StatusOverpaid, r.Status)
		var path []payment.Status
		for _, e := range r.Timeline {
			path = append(path, e.To)
		}
		assert.Equal(t, []payment.Status{payment.StatusOpen, payment.StatusPartiallyPaid, payment.StatusOverpaid}, path)
		_, err = svc.Cancel(ctx, r.ID, "mistake")
		assert.ErrorIs(t, err, payment.ErrInvalidTransition)
		r, err = svc.Refund(ctx, r.ID, decimal.RequireFromString("5"), "overpaid")
		require.NoError(t, err)
		assert.Equal(t, payment.StatusRefunded, r.Status)
	})

	t.Run("BadInputChangesNothing", func(t *testing.T) {
		svc, st, _ := setup(t)
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		_, err = svc.BookPayment(ctx, r.ID, payment.Payment{Key: "k", Amount: decimal.RequireFromString("1.001")})
		assert.ErrorIs(t, err, payment.ErrValidation)
		_, err = svc.BookPayment(ctx, r.ID, payment.Payment{Key: "k", Amount: decimal.RequireFromString("-1")})
		assert.ErrorIs(t, err, payment.ErrValidation)
		got, err := st.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, r.Version, got.Version)
		assert.Empty(t, got.Payments)
		bad := NewRequest(t)
		bad.Lines[0].UnitPrice = decimal.RequireFromString("-1")
		_, err = svc.Create(ctx, bad)
		assert.ErrorIs(t, err, payment.ErrValidation)
	})

	t.Run("ConcurrentSequenceAndCreate", func(t *testing.T) {
		svc, _, _ := setup(t)
		const n = 8
		var wg sync.WaitGroup
		refs := make([]string, n)
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := svc.Create(ctx, NewRequest(t))
				errs[i] = err
				if err == nil {
					refs[i] = r.Reference.Key()
				}
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		for i := range n {
			require.NoError(t, errs[i])
			assert.False(t, seen[refs[i]], "reference %s given twice", refs[i])
			seen[refs[i]] = true
		}
	})

	t.Run("ConcurrentPaymentsAreAllBooked", func(t *testing.T) {
		svc, _, _ := setup(t)
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		const n = 5
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := svc.BookPayment(ctx, r.ID, payment.Payment{Key: fmt.Sprintf("part-%d", i), Amount: decimal.RequireFromString("5"), Source: "manual"})
				assert.NoError(t, err)
			}()
		}
		wg.Wait()
		got, err := svc.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Len(t, got.Payments, n)
		assert.Equal(t, payment.StatusPaid, got.Status)
	})

	t.Run("SamePaymentTwiceAtOnceIsBookedOnce", func(t *testing.T) {
		svc, _, _ := setup(t)
		r, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		var wg sync.WaitGroup
		booked := make([]bool, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := svc.BookPayment(ctx, r.ID, payment.Payment{Key: "tr_1", Amount: decimal.RequireFromString("25"), Source: "provider"})
				assert.NoError(t, err)
				booked[i] = ok
			}()
		}
		wg.Wait()
		assert.NotEqual(t, booked[0], booked[1], "exactly one delivery books")
		got, err := svc.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Len(t, got.Payments, 1)
		assert.Equal(t, payment.StatusPaid, got.Status)
	})

	t.Run("ListFiltersAndPages", func(t *testing.T) {
		svc, st, _ := setup(t)
		var ids []uuid.UUID
		for range 5 {
			r, err := svc.Create(ctx, NewRequest(t))
			require.NoError(t, err)
			ids = append(ids, r.ID)
		}
		_, err := svc.Cancel(ctx, ids[1], "x")
		require.NoError(t, err)
		var got []uuid.UUID
		for r, err := range st.List(ctx, payment.Query{Statuses: []payment.Status{payment.StatusOpen}}) {
			require.NoError(t, err)
			got = append(got, r.ID)
		}
		assert.Equal(t, []uuid.UUID{ids[0], ids[2], ids[3], ids[4]}, got)
		n := 0
		for range st.List(ctx, payment.Query{}) {
			n++
			if n == 2 {
				break
			}
		}
		assert.Equal(t, 2, n)
	})

	t.Run("UnmatchedOncePerKey", func(t *testing.T) {
		_, st, _ := setup(t)
		u := payment.Unmatched{Key: "S1/0001", Reason: "unknown reference", RecordedAt: Start,
			Line: payment.StatementLine{Key: "S1/0001", Amount: decimal.RequireFromString("10"), BookingDate: calendar.DateIn(Start)}}
		var wg sync.WaitGroup
		firsts := make([]bool, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := st.RecordUnmatched(ctx, u)
				assert.NoError(t, err)
				firsts[i] = ok
			}()
		}
		wg.Wait()
		assert.NotEqual(t, firsts[0], firsts[1])
		var all []payment.Unmatched
		for x, err := range st.Unmatched(ctx) {
			require.NoError(t, err)
			all = append(all, x)
		}
		require.Len(t, all, 1)
		assert.True(t, decimal.RequireFromString("10").Equal(all[0].Line.Amount))
		one, err := st.GetUnmatched(ctx, "S1/0001")
		require.NoError(t, err)
		assert.Equal(t, u.Reason, one.Reason)
		assert.True(t, decimal.RequireFromString("10").Equal(one.Line.Amount))
		_, err = st.GetUnmatched(ctx, "S1/0002")
		assert.ErrorIs(t, err, payment.ErrNotFound)
	})

	runReconcile(t, setup)
	runTransaction(t, setup)
	runInput(t, setup)
	runWebhook(t, setup)
}
