package payment_test

import (
	"testing"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/payment/paymenttest"
)

func TestMemStore(t *testing.T) {
	paymenttest.Run(t, func(t *testing.T) paymenttest.Harness {
		rec := &event.Recorder{}
		return paymenttest.Harness{Store: payment.NewMemStore(rec), Committed: func(*testing.T) []event.Event { return rec.Events() }}
	})
}
