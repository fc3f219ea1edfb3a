package payment_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/payment/paymenttest"
)

// FuzzServiceInput drives the service's doors with any year and any text:
// nothing panics, input within calendar.MinYear–MaxYear and with
// acceptable text is taken, the rest is refused with ErrValidation.
func FuzzServiceInput(f *testing.F) {
	f.Add(2026, 45, "Parkeerkaart")
	f.Add(9999, 363, "Parkeerkaart")
	f.Add(calendar.MaxYear, 364, "Straße\tcafé\r\n")
	f.Add(calendar.MinYear-1, 0, "x")
	f.Add(2026, 1, "nul\x00byte")
	f.Add(2026, 1, "\xff\xfe")
	f.Add(-5, 10, "")
	f.Fuzz(func(t *testing.T, year, day int, text string) {
		if year < -100000 || year > 100000 {
			return // time.Date's own range; the service sees only real times
		}
		ctx := context.Background()
		svc := payment.NewService(payment.NewMemStore(nil), clock.NewSettable(paymenttest.Start))
		when := time.Date(year, 1, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, ((day%366)+366)%366)
		date := calendar.DateOf(when)
		okDate := date.InHorizon()
		rule, _ := validate.TextProblem(text)
		okText := rule == ""

		n := paymenttest.NewRequest(t)
		n.DueDate = date
		if text != "" {
			n.Lines[0].Description = text
		}
		r, err := svc.Create(ctx, n)
		if okDate && okText {
			require.NoError(t, err)
		} else {
			require.ErrorIs(t, err, payment.ErrValidation)
			r, err = svc.Create(ctx, paymenttest.NewRequest(t))
			require.NoError(t, err)
		}

		_, err = svc.BookPayment(ctx, r.ID, payment.Payment{Key: "k", Amount: decimal.NewFromInt(1), BookedAt: when, Source: "manual", Counterparty: text})
		if okDate && okText {
			assert.NoError(t, err)
		} else {
			assert.ErrorIs(t, err, payment.ErrValidation)
		}

		_, err = svc.Import(ctx, payment.Statement{ID: "s", Lines: []payment.StatementLine{
			{Key: "s:1", BookingDate: date, Amount: decimal.NewFromInt(2), Text: text},
		}})
		if okDate && okText {
			assert.NoError(t, err)
		} else {
			assert.ErrorIs(t, err, payment.ErrValidation)
		}

		_, err = svc.Cancel(ctx, r.ID, text)
		if okText {
			assert.NotErrorIs(t, err, payment.ErrValidation)
		} else {
			assert.ErrorIs(t, err, payment.ErrValidation)
		}
	})
}
