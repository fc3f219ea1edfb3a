package payment

// Status is where a payment request stands ("betaalstatus").
type Status string

// The statuses of a payment request, named as Stripe and Mollie do.
const (
	// StatusOpen is sent and waiting for payment.
	StatusOpen Status = "open"
	// StatusPending has a checkout under way at a payment provider.
	StatusPending Status = "pending"
	// StatusPartiallyPaid has received less than is due ("gedeeltelijk betaald").
	StatusPartiallyPaid Status = "partially_paid"
	// StatusPaid has received exactly what is due.
	StatusPaid Status = "paid"
	// StatusOverpaid has received more than is due; the difference is owed back.
	StatusOverpaid Status = "overpaid"
	// StatusFailed had a checkout that failed; the debtor may try again.
	StatusFailed Status = "failed"
	// StatusCanceled was withdrawn by the municipality ("geannuleerd").
	StatusCanceled Status = "canceled"
	// StatusExpired passed its expiry without payment ("vervallen").
	StatusExpired Status = "expired"
	// StatusRefunded was paid and paid back ("terugbetaald").
	StatusRefunded Status = "refunded"
)

// Settled reports whether nothing more is expected for the request.
func (s Status) Settled() bool {
	switch s {
	case StatusPaid, StatusOverpaid, StatusCanceled, StatusRefunded:
		return true
	}
	return false
}

// awaiting reports whether money is still expected: the statuses a bank
// statement line can be matched against.
func (s Status) awaiting() bool {
	switch s {
	case StatusOpen, StatusPending, StatusPartiallyPaid, StatusFailed, StatusExpired:
		return true
	}
	return false
}

// transitions lists the explicit status changes; payments move a request
// through settle, which follows the money and never needs this table.
var transitions = map[Status][]Status{
	StatusOpen:          {StatusPending, StatusCanceled, StatusExpired},
	StatusPending:       {StatusFailed, StatusOpen, StatusExpired},
	StatusFailed:        {StatusPending, StatusCanceled, StatusExpired},
	StatusExpired:       {StatusPending, StatusCanceled},
	StatusPartiallyPaid: {StatusPending, StatusRefunded},
	StatusPaid:          {StatusRefunded},
	StatusOverpaid:      {StatusRefunded},
}

// CanTransition reports whether a request may go from one status to another
// by an explicit action (cancel, expire, checkout, refund).
func CanTransition(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}
