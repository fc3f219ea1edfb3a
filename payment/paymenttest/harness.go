package paymenttest

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/payment"
)

// storeHarness hands the shared event subtests payment's operations.
func storeHarness(t *testing.T, h Harness) eventtest.StoreHarness {
	svc := payment.NewService(h.Store, clock.NewSettable(Start))
	return eventtest.StoreHarness{
		Committed: h.Committed,
		Create: func(ctx context.Context, key string) (uuid.UUID, error) {
			n := NewRequest(t)
			n.IdempotencyKey = key
			r, err := svc.Create(ctx, n)
			if err != nil {
				return uuid.Nil, err
			}
			return r.ID, nil
		},
		Change: func(ctx context.Context, id uuid.UUID) error {
			_, err := svc.Cancel(ctx, id, "issued twice")
			return err
		},
		FailingChange: func(ctx context.Context, id uuid.UUID) error {
			// A reminder before the due date breaks the rule inside the
			// store's update.
			_, err := svc.Remind(ctx, id, decimal.Zero)
			return err
		},
		StaleChange: func(ctx context.Context, reqID uuid.UUID) error {
			// A writer that read the request as Create left it (version 0)
			// writes through the store's one door: on the fresh copy the
			// version has moved on, so its rule refuses and nothing is
			// stored or emitted.
			_, err := h.Store.Update(ctx, reqID, func(r *payment.Request) (payment.Change, error) {
				if r.Version != 0 {
					return payment.Change{}, payment.ErrConflict
				}
				r.Checkout = "stale"
				return payment.Change{Events: []event.Event{{ID: id.New(), Type: "payment.stale", AggregateID: r.ID, Time: Start}}}, nil
			})
			return err
		},
	}
}
