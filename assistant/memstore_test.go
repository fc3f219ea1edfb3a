package assistant_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/assistant/assistanttest"
	"github.com/lokaalbestuur/bouwstenen/event"
)

// recordedStore is a MemStore with the events it published, for the suite.
type recordedStore struct {
	*assistant.MemStore
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
	assistanttest.Run(t, func(t *testing.T) assistant.Store {
		rec := &event.Recorder{}
		return recordedStore{assistant.NewMemStore(rec), rec}
	})
}
