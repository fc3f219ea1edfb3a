package paymenttest

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/payment"
)

func ogmBase(t *testing.T, r *payment.Request) uint64 {
	t.Helper()
	o, ok := r.Reference.OGM()
	require.True(t, ok, "an OGM reference")
	return o.Base()
}

func eventsOf(events []event.Event, id [16]byte) []string {
	var out []string
	for _, e := range events {
		if e.AggregateID == id {
			out = append(out, e.Type)
		}
	}
	return out
}

func runIdempotent(t *testing.T, newHarness func(t *testing.T) Harness) {
	ctx := context.Background()

	t.Run("IdempotentCreate", func(t *testing.T) {
		h := newHarness(t)
		svc := payment.NewService(h.Store, clock.NewSettable(Start))
		n := NewRequest(t)
		n.IdempotencyKey = "permit-fee:0192f7a0-7d8e-7c3a-9b1e-2f4c5d6e7f80"
		n.Metadata = map[string]string{"permit_id": "0192f7a0-7d8e-7c3a-9b1e-2f4c5d6e7f80", "subject": "Retributie"}
		first, err := svc.Create(ctx, n)
		require.NoError(t, err)
		n.Metadata["subject"] = "changed by the caller afterwards"
		assert.Equal(t, "Retributie", first.Metadata["subject"], "the request keeps its own copy")
		n.Metadata["subject"] = "Retributie"

		again, err := svc.Create(ctx, n)
		require.NoError(t, err, "a retry with the same key and request")
		assert.Equal(t, first.ID, again.ID)
		assert.Equal(t, first.Reference.Key(), again.Reference.Key())
		assert.Equal(t, map[string]string{"permit_id": "0192f7a0-7d8e-7c3a-9b1e-2f4c5d6e7f80", "subject": "Retributie"}, again.Metadata)
		assert.Equal(t, []string{payment.EventRequestCreated}, eventsOf(h.Committed(t), first.ID), "no second event")

		byKey, err := h.Store.GetByIdempotencyKey(ctx, n.IdempotencyKey)
		require.NoError(t, err)
		assert.Equal(t, first.ID, byKey.ID)
		_, err = h.Store.GetByIdempotencyKey(ctx, "never-used")
		assert.ErrorIs(t, err, payment.ErrNotFound)

		other := n
		other.Lines = append([]payment.NewLine(nil), n.Lines...)
		other.Lines[0].Description = "Iets anders"
		_, err = svc.Create(ctx, other)
		assert.ErrorIs(t, err, payment.ErrConflict, "the same key for a different request")
		otherMeta := n
		otherMeta.Metadata = map[string]string{"permit_id": "another"}
		_, err = svc.Create(ctx, otherMeta)
		assert.ErrorIs(t, err, payment.ErrConflict, "metadata is part of the request")

		plain, err := svc.Create(ctx, NewRequest(t))
		require.NoError(t, err)
		assert.Equal(t, ogmBase(t, first)+1, ogmBase(t, plain), "the repeats used no reference number")
	})

	t.Run("StoreRefusesATakenKey", func(t *testing.T) {
		h := newHarness(t)
		svc := payment.NewService(h.Store, clock.NewSettable(Start))
		n := NewRequest(t)
		n.IdempotencyKey = "k-1"
		first, err := svc.Create(ctx, n)
		require.NoError(t, err)
		before := len(h.Committed(t))

		// A second request under the key, as a racing create would make it.
		dup := *first
		dup.ID = id.New()
		seq, err := h.Store.NextSequence(ctx)
		require.NoError(t, err)
		o, err := payment.NewOGM(seq)
		require.NoError(t, err)
		dup.Reference = payment.OGMReference(o)
		err = h.Store.Create(ctx, &dup, event.Event{ID: id.New(), Type: payment.EventRequestCreated, AggregateID: dup.ID, Time: Start})
		var d *payment.DuplicateError
		require.True(t, errors.As(err, &d), "a *DuplicateError, got %v", err)
		assert.Equal(t, first.ID, d.ID)
		assert.Equal(t, "k-1", d.Key)
		_, err = h.Store.Get(ctx, dup.ID)
		assert.ErrorIs(t, err, payment.ErrNotFound, "nothing stored")
		_, err = h.Store.GetByReference(ctx, dup.Reference.Key())
		assert.ErrorIs(t, err, payment.ErrNotFound, "the reference stays free")
		assert.Len(t, h.Committed(t), before, "no event")
	})

	t.Run("UpdateKeepsWhatStoresIndex", func(t *testing.T) {
		h := newHarness(t)
		svc := payment.NewService(h.Store, clock.NewSettable(Start))
		n := NewRequest(t)
		n.IdempotencyKey = "k-2"
		r, err := svc.Create(ctx, n)
		require.NoError(t, err)
		before := len(h.Committed(t))
		for name, change := range map[string]func(*payment.Request){
			"id":        func(x *payment.Request) { x.ID = id.New() },
			"reference": func(x *payment.Request) { x.Reference = payment.Reference{} },
			"key":       func(x *payment.Request) { x.IdempotencyKey = "k-3" },
			"payer":     func(x *payment.Request) { x.Debtor.INSZ = PersonINSZ },
		} {
			_, err := h.Store.Update(ctx, r.ID, func(x *payment.Request) (payment.Change, error) {
				change(x)
				return payment.Change{Events: []event.Event{{ID: id.New(), Type: "payment.test", AggregateID: r.ID, Time: Start}}}, nil
			})
			assert.ErrorIs(t, err, payment.ErrConflict, name)
		}
		got, err := h.Store.Get(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, r.Version, got.Version)
		assert.Len(t, h.Committed(t), before)
		after, err := h.Store.Update(ctx, r.ID, func(*payment.Request) (payment.Change, error) { return payment.Change{}, nil })
		require.NoError(t, err)
		assert.Equal(t, r.Version+1, after.Version, "a stored change counts the version up")
	})
}
