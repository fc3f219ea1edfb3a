package casefile_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/casefile/casefiletest"
	"github.com/lokaalbestuur/bouwstenen/event"
)

// recordedStore lets the suite see what the memstore published.
type recordedStore struct {
	*casefile.MemStore
	rec *event.Recorder
}

func (s recordedStore) Events(_ context.Context, id uuid.UUID) ([]event.Event, error) {
	var out []event.Event
	for _, e := range s.rec.Events() {
		if e.AggregateID == id {
			out = append(out, e)
		}
	}
	return out, nil
}

func TestMemStore(t *testing.T) {
	casefiletest.Run(t, func(t *testing.T) casefile.Store {
		rec := &event.Recorder{}
		return recordedStore{casefile.NewMemStore(rec), rec}
	})
}
