package permit_test

import (
	"testing"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/permit/permittest"
)

func TestMemStoreConformance(t *testing.T) {
	permittest.Run(t, func(*testing.T) permittest.Harness {
		rec := &event.Recorder{}
		return permittest.Harness{Store: permit.NewMemStore(rec), Committed: func(*testing.T) []event.Event { return rec.Events() }}
	})
}
