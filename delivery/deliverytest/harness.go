package deliverytest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/event/eventtest"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// Harness is one store under test, in the manner of Go CDK's drivertest:
// the store, and the events it committed so far in commit order (recorded
// for a memory store, read from the outbox for PostgreSQL). A store that
// drops or invents events fails the suite.
type Harness struct {
	Store     delivery.Store
	Committed func(t *testing.T) []event.Event
}

// KeyedDoc is the document the harness submits under an idempotency key:
// its ID is derived from the key, as a sending application derives it from
// what it answers (an event, a dossier).
func KeyedDoc(key string) delivery.Document {
	doc := Doc(Person)
	doc.ID = uuid.NewSHA1(uuid.NameSpaceURL, []byte("deliverytest:"+key))
	return doc
}

// storeHarness hands the shared event subtests delivery's operations: a
// create is Submit (its idempotency key is the document ID), a change a
// status callback, a failing change an update whose rule fails, and a
// stale change a write of the delivery as Submit left it.
func storeHarness(t *testing.T, h Harness) eventtest.StoreHarness {
	svc := setup(t, h.Store, clock.NewSettable(Start))
	_, err := svc.ChangePreference(context.Background(), Person, "burger", emailPref)
	require.NoError(t, err)
	var created sync.Map // document ID → *delivery.Delivery as first stored
	return eventtest.StoreHarness{
		Committed: h.Committed,
		Create: func(ctx context.Context, key string) (uuid.UUID, error) {
			doc := Doc(Person)
			if key != "" {
				doc = KeyedDoc(key)
			}
			d, err := svc.Submit(ctx, doc)
			if err != nil {
				return uuid.Nil, err
			}
			if first, err := h.Store.Get(ctx, d.ID); err == nil {
				created.LoadOrStore(d.ID, first)
			}
			return d.ID, nil
		},
		Change: func(ctx context.Context, id uuid.UUID) error {
			return svc.HandleStatus(ctx, delivery.StatusUpdate{Key: delivery.IdempotencyKey(id, delivery.ChannelEmail), Status: delivery.StatusDelivered})
		},
		FailingChange: func(ctx context.Context, docID uuid.UUID) error {
			_, err := h.Store.Update(ctx, docID, func(d *delivery.Delivery) (delivery.Change, error) {
				d.State = delivery.StateFailed
				return delivery.Change{Events: []event.Event{{ID: id.New(), Type: delivery.EventFailed, AggregateID: docID, Time: Start}}},
					errors.New("the rule refuses")
			})
			return err
		},
		StaleChange: func(ctx context.Context, docID uuid.UUID) error {
			first, ok := created.Load(docID)
			require.True(t, ok, "created by this harness")
			_, err := h.Store.Update(ctx, docID, func(d *delivery.Delivery) (delivery.Change, error) {
				*d = *first.(*delivery.Delivery) // a writer that read before the change
				d.State = delivery.StateCompleted
				return delivery.Change{Events: []event.Event{{ID: id.New(), Type: delivery.EventCompleted, AggregateID: docID, Time: Start}}}, nil
			})
			return err
		},
	}
}
