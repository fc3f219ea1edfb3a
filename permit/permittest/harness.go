package permittest

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/permit"
)

// storeHarness hands the shared event subtests permit's operations.
func storeHarness(_ *testing.T, h Harness) eventtest.StoreHarness {
	svc, _ := newService(h.Store)
	return eventtest.StoreHarness{
		Committed: h.Committed,
		Create: func(ctx context.Context, key string) (uuid.UUID, error) {
			in := Input(Square(4.40, 51.21, 5), start, 3)
			in.IdempotencyKey = key
			a, err := svc.Draft(ctx, in)
			if err != nil {
				return uuid.Nil, err
			}
			return a.ID, nil
		},
		Change: func(ctx context.Context, id uuid.UUID) error {
			_, err := svc.Submit(ctx, id)
			return err
		},
		FailingChange: func(ctx context.Context, id uuid.UUID) error {
			// A draft cannot be granted: the lifecycle rule fails inside
			// the store's update.
			_, err := svc.Grant(ctx, id, nil)
			return err
		},
		StaleChange: func(ctx context.Context, appID uuid.UUID) error {
			// The service takes no version, so the stale write is the race
			// itself: another writer saves (without events) after this
			// update read the application and before it saves.
			_, err := h.Store.Update(ctx, appID, func(a *permit.Application) (permit.Change, error) {
				if _, err := h.Store.Update(ctx, appID, func(b *permit.Application) (permit.Change, error) {
					b.Description = "the other writer"
					return permit.Change{}, nil
				}); err != nil {
					return permit.Change{}, err
				}
				a.Description = "stale"
				return permit.Change{Events: []event.Event{{ID: id.New(), Type: permit.EventModified, AggregateID: appID, Time: Now}}}, nil
			})
			return err
		},
	}
}
