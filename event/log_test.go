package event_test

import (
	"testing"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
)

func TestLog(t *testing.T) {
	eventtest.Run(t, func(_ *testing.T, clk clock.Clock, p event.RetryPolicy) eventtest.Harness {
		l := event.NewLog(clk, p)
		return eventtest.Harness{Consumers: l, Publish: l.Publish}
	})
}
