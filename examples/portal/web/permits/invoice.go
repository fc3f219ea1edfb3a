package permits

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/payment"
)

// The fee invoice as the permit page shows it, read from the payment
// service (the same labels as the payment pages).

var paymentStatusLabels = map[payment.Status]string{
	payment.StatusOpen: "Openstaand", payment.StatusPending: "Betaling bezig", payment.StatusPartiallyPaid: "Gedeeltelijk betaald",
	payment.StatusPaid: "Betaald", payment.StatusOverpaid: "Te veel betaald", payment.StatusFailed: "Betaling mislukt",
	payment.StatusCanceled: "Geannuleerd", payment.StatusExpired: "Vervallen", payment.StatusRefunded: "Terugbetaald",
}

// payable reports whether the debtor can still pay online.
func payable(s payment.Status) bool {
	switch s {
	case payment.StatusOpen, payment.StatusPending, payment.StatusPartiallyPaid, payment.StatusFailed, payment.StatusExpired:
		return true
	}
	return false
}

// invoiceSummary is an invoice as a permit page shows it.
type invoiceSummary struct {
	ID, Reference, Status string
	Amount, Outstanding   decimal.Decimal
	Due                   time.Time
	Paid, Payable         bool
}

func (a *Block) invoiceSummary(ctx context.Context, id uuid.UUID) (invoiceSummary, error) {
	r, err := a.payments.Get(ctx, id)
	if err != nil {
		return invoiceSummary{}, err
	}
	return invoiceSummary{ID: r.ID.String(), Reference: r.Reference.String(), Status: paymentStatusLabels[r.Status],
		Amount: r.Due(), Outstanding: r.Outstanding(), Due: r.DueDate.Start(),
		Paid: r.Status == payment.StatusPaid || r.Status == payment.StatusOverpaid, Payable: payable(r.Status)}, nil
}
