package deliverytest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// testIdempotentSubmit checks Submit against the idempotent-create pattern:
// the document ID is the key; the same document again is the same delivery
// with no second event or evidence, and any other document under the ID,
// even one differing only in a field outside the content hash, is
// ErrConflict and stores nothing.
func testIdempotentSubmit(t *testing.T, h Harness) {
	ctx := context.Background()
	svc := setup(t, h.Store, clock.NewSettable(Start))
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	doc := KeyedDoc("tax-2026-1")
	doc.Metadata = map[string]string{"reference": "AJ-2026-1"}
	// Binary and empty attachments must compare equal after the store's
	// round trip (JSON in PostgreSQL).
	doc.Attachments = []delivery.Attachment{{Name: "aanslag.pdf", ContentType: "application/pdf", Data: []byte{0, 0xff, '%'}},
		{Name: "leeg.txt", ContentType: "text/plain", Data: []byte{}}}
	first, err := svc.Submit(ctx, doc)
	require.NoError(t, err)
	assert.Equal(t, 1, first.Version, "the version the store gave it")
	events := len(h.Committed(t))

	again, err := svc.Submit(ctx, doc)
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, first.Version, again.Version)
	assert.True(t, first.CreatedAt.Equal(again.CreatedAt), "the first delivery, not a second one")
	assert.Len(t, h.Committed(t), events, "no second event")

	others := map[string]func(*delivery.Document){
		"other name":     func(d *delivery.Document) { d.Name = pii.Name{Given: "Anna", Family: "Peeters"} },
		"other metadata": func(d *delivery.Document) { d.Metadata = map[string]string{"reference": "AJ-2026-2"} },
		"other party":    func(d *delivery.Document) { d.Party = Enterprise },
		"other body":     func(d *delivery.Document) { d.Body = "Een andere aanslag" },
	}
	for name, change := range others {
		other := doc
		change(&other)
		_, err := svc.Submit(ctx, other)
		assert.ErrorIs(t, err, delivery.ErrConflict, name)
	}
	assert.Len(t, h.Committed(t), events, "a refused submit emits nothing")
	ev, err := h.Store.Evidence(ctx, doc.ID)
	require.NoError(t, err)
	assert.Len(t, ev, 1, "one routing entry")
	got, err := svc.Delivery(ctx, doc.ID)
	require.NoError(t, err)
	assert.Equal(t, doc.Name, got.Document.Name, "the first document stands")
	assert.Equal(t, "AJ-2026-1", got.Document.Metadata["reference"])
}
