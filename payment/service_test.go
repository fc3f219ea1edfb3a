package payment_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/payment/paymenttest"
)

func TestServiceEmitsEvents(t *testing.T) {
	ctx := context.Background()
	rec := &event.Recorder{}
	c := clock.NewSettable(paymenttest.Start)
	svc := payment.NewService(payment.NewMemStore(rec), c)
	r, err := svc.Create(ctx, paymenttest.NewRequest(t))
	require.NoError(t, err)
	c.Advance(40 * 24 * time.Hour)
	_, err = svc.Remind(ctx, r.ID, decimal.RequireFromString("7.50"))
	require.NoError(t, err)
	_, err = svc.BookPayment(ctx, r.ID, payment.Payment{Key: "k1", Amount: decimal.RequireFromString("32.50"), Source: "manual"})
	require.NoError(t, err)
	assert.Equal(t, []string{payment.EventRequestCreated, payment.EventReminderSent, payment.EventPaymentBooked, payment.EventStatusChanged}, rec.Types())
	sc, err := event.Decode[payment.StatusChanged](rec.Events()[3])
	require.NoError(t, err)
	assert.Equal(t, payment.StatusPaid, sc.To)
}

func TestEPCForRequest(t *testing.T) {
	ctx := context.Background()
	svc := payment.NewService(payment.NewMemStore(nil), clock.NewSettable(paymenttest.Start))
	r, err := svc.Create(ctx, paymenttest.NewRequest(t))
	require.NoError(t, err)
	_, err = svc.BookPayment(ctx, r.ID, payment.Payment{Key: "k1", Amount: decimal.RequireFromString("10"), Source: "manual"})
	require.NoError(t, err)
	r, err = svc.Get(ctx, r.ID)
	require.NoError(t, err)
	p, err := payment.EPCFor(r, "Factuur parkeerkaart").Payload()
	require.NoError(t, err)
	assert.Equal(t, "BCD\n002\n1\nSCT\n\nGemeente Zottegem\nBE68539007547034\nEUR15\n\n"+r.Reference.Key()+"\n\nFactuur parkeerkaart", string(p))
}

func TestCreateRejectsBadInput(t *testing.T) {
	svc := payment.NewService(payment.NewMemStore(nil), nil)
	n := paymenttest.NewRequest(t)
	n.Lines = append(n.Lines, payment.NewLine{Description: "", Quantity: decimal.Zero, UnitPrice: decimal.RequireFromString("1.001")})
	n.Debtor.Kind = "alien"
	_, err := svc.Create(context.Background(), n)
	var ve *payment.ValidationError
	require.ErrorAs(t, err, &ve)
	for _, f := range []string{"debtor.kind", "lines.1.description", "lines.1.quantity", "lines.1.unit_price"} {
		_, ok := ve.Field(f)
		assert.True(t, ok, f)
	}
}

// Each unmatched statement line is its own aggregate in the events: an
// ordered consumer that parks one holds up no other.
func TestUnmatchedLinesAreTheirOwnAggregates(t *testing.T) {
	ctx := context.Background()
	rec := &event.Recorder{}
	svc := payment.NewService(payment.NewMemStore(rec), clock.NewSettable(paymenttest.Start))
	day := calendar.DateIn(paymenttest.Start)
	_, err := svc.Import(ctx, payment.Statement{ID: "s", Lines: []payment.StatementLine{
		{Key: "s:1", BookingDate: day, Amount: decimal.NewFromInt(3), BankReference: "A"},
		{Key: "s:2", BookingDate: day, Amount: decimal.NewFromInt(4), BankReference: "B"},
	}})
	require.NoError(t, err)
	evs := rec.Events()
	require.Len(t, evs, 2)
	for _, e := range evs {
		u, err := event.Decode[payment.Unmatched](e)
		require.NoError(t, err)
		assert.NotEqual(t, uuid.Nil, e.AggregateID)
		assert.Equal(t, payment.UnmatchedID(u.Key), e.AggregateID)
	}
	assert.NotEqual(t, evs[0].AggregateID, evs[1].AggregateID)
}
