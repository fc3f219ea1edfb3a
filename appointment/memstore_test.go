package appointment_test

import (
	"testing"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/appointment/appointmenttest"
)

func TestMemStore(t *testing.T) {
	appointmenttest.Run(t, func(t *testing.T) appointment.Store { return appointment.NewMemStore(nil) })
}
