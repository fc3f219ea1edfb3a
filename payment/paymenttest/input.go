package paymenttest

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/payment"
)

// runInput checks that every store gets the same answer for input no store
// can keep: dates outside calendar.MinYear–MaxYear, NUL bytes, control
// characters and invalid UTF-8 are refused with ErrValidation at the
// service's door, before they reach a store (PostgreSQL would refuse the
// text, and a year 10000 cannot be written as JSON).
func runInput(t *testing.T, setup func(t *testing.T) (*payment.Service, payment.Store, *clock.Settable)) {
	ctx := context.Background()

	t.Run("InputAtTheEdges", func(t *testing.T) {
		svc, st, _ := setup(t)
		bad := map[string]func(*payment.NewRequest){
			"due in 9999":          func(n *payment.NewRequest) { n.DueDate = calendar.NewDate(9999, 12, 31) },
			"due in 1899":          func(n *payment.NewRequest) { n.DueDate = calendar.NewDate(1899, 12, 31) },
			"NUL in a description": func(n *payment.NewRequest) { n.Lines[0].Description = "Parkeer\x00kaart" },
			"invalid UTF-8 name":   func(n *payment.NewRequest) { n.Debtor.Person.Family = "Pe\xffters" },
			"control character":    func(n *payment.NewRequest) { n.Creditor.Name = "Gemeente\x1bZottegem" },
		}
		for name, change := range bad {
			n := NewRequest(t)
			change(&n)
			_, err := svc.Create(ctx, n)
			assert.ErrorIs(t, err, payment.ErrValidation, name)
		}
		n := 0
		for _, err := range st.List(ctx, payment.Query{}) {
			require.NoError(t, err)
			n++
		}
		assert.Zero(t, n, "nothing bad was stored")

		edge := NewRequest(t)
		edge.DueDate = calendar.NewDate(calendar.MaxYear, 12, 31)
		edge.Lines[0].Description = "Parkeerkaart\tzone 1\r\nStraße, café, 駐車"
		r, err := svc.Create(ctx, edge)
		require.NoError(t, err, "the last day of the horizon and text with tabs, newlines and accents are fine")
		got, err := st.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, edge.Lines[0].Description, got.Lines[0].Description)
		assert.Equal(t, edge.DueDate, got.DueDate)

		_, err = svc.Cancel(ctx, r.ID, "typo\x00")
		assert.ErrorIs(t, err, payment.ErrValidation)
		_, err = svc.BookPayment(ctx, r.ID, payment.Payment{Key: "k\x00", Amount: decimal.NewFromInt(1), Source: "manual"})
		assert.ErrorIs(t, err, payment.ErrValidation)
		_, err = svc.BookPayment(ctx, r.ID, payment.Payment{Key: "k", Amount: decimal.NewFromInt(1), Source: "manual",
			BookedAt: time.Date(9999, 12, 30, 0, 0, 0, 0, time.UTC)})
		assert.ErrorIs(t, err, payment.ErrValidation)
		_, err = svc.Refund(ctx, r.ID, decimal.NewFromInt(1), "\xff")
		assert.ErrorIs(t, err, payment.ErrValidation)

		day := calendar.DateIn(Start)
		for name, l := range map[string]payment.StatementLine{
			"NUL in the text":       {Key: "s:1", BookingDate: day, Amount: decimal.NewFromInt(3), Text: "x\x00"},
			"invalid UTF-8 name":    {Key: "s:2", BookingDate: day, Amount: decimal.NewFromInt(3), CounterpartyName: "\xc3"},
			"booked in the year 10": {Key: "s:3", BookingDate: calendar.NewDate(10, 1, 1), Amount: decimal.NewFromInt(3)},
		} {
			_, err := svc.Import(ctx, payment.Statement{ID: "s", Lines: []payment.StatementLine{l}})
			assert.ErrorIs(t, err, payment.ErrValidation, name)
		}
		assert.Zero(t, countUnmatched(t, st), "a refused statement keeps nothing")
		got, err = st.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Empty(t, got.Payments)
		assert.Equal(t, payment.StatusOpen, got.Status)
	})
}
