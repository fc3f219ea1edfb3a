package paymenttest

import (
	"testing"

	"github.com/lokaalbestuur/bouwstenen/internal/clock"
	"github.com/lokaalbestuur/bouwstenen/payment"
)

// runReconcile holds the statement-import tests; filled in with reconciliation.
func runReconcile(t *testing.T, setup func(t *testing.T) (*payment.Service, payment.Store, *clock.Settable)) {
	_ = t
	_ = setup
}
