package delivery_test

import (
	"testing"

	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
)

func TestMemStore(t *testing.T) {
	deliverytest.Run(t, func(*testing.T) delivery.Store { return delivery.NewMemStore(nil) })
}
