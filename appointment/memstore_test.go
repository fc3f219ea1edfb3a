package appointment_test

import (
	"testing"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/appointment/appointmenttest"
	"github.com/lokaalbestuur/bouwstenen/event"
)

func TestMemStore(t *testing.T) {
	appointmenttest.Run(t, func(t *testing.T) appointmenttest.Harness {
		rec := &event.Recorder{}
		return appointmenttest.Harness{Store: appointment.NewMemStore(rec), Committed: func(*testing.T) []event.Event { return rec.Events() }}
	})
}
