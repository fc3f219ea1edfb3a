package payment_test

import (
	"testing"

	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/payment/paymenttest"
)

func TestMemStore(t *testing.T) {
	paymenttest.Run(t, func(t *testing.T) payment.Store { return payment.NewMemStore(nil) })
}
