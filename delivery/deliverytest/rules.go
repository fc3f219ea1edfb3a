package deliverytest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
)

// testStoreRules checks that a store applies the package's rules
// (delivery.ApplyCreate, ApplyUpdate, CheckClaim) rather than its own: the
// evidence chain has no gap, whatever the store's keys allow, and a claim's
// arguments are checked the same way everywhere.
func testStoreRules(t *testing.T, s delivery.Store) {
	ctx := context.Background()
	svc := setup(t, s, clock.NewSettable(Start))
	_, err := svc.ChangePreference(ctx, Person, "burger", emailPref)
	require.NoError(t, err)
	d, err := svc.Submit(ctx, Doc(Person))
	require.NoError(t, err)

	// Evidence that skips a number is refused, and nothing is stored.
	_, err = s.Update(ctx, d.ID, func(d *delivery.Delivery) (delivery.Change, error) {
		e := delivery.Evidence{DocumentID: d.ID, Seq: d.EvidenceSeq + 2, At: Start, Kind: delivery.EvidenceStatus}
		d.EvidenceSeq = e.Seq
		return delivery.Change{Evidence: []delivery.Evidence{e}}, nil
	})
	assert.ErrorIs(t, err, delivery.ErrConflict, "a gap in the evidence chain")
	ev, err := s.Evidence(ctx, d.ID)
	require.NoError(t, err)
	assert.Len(t, ev, 1)
	cur, err := s.Get(ctx, d.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, cur.EvidenceSeq)
	assert.Equal(t, 1, cur.Version)

	// A new delivery's evidence starts the chain at 1.
	doc := Doc(Person)
	nd, c := delivery.NewDelivery(doc, delivery.Preference{Party: Person}, TaxRule(), Start)
	for i := range c.Evidence {
		c.Evidence[i].Seq++
	}
	nd.EvidenceSeq++
	assert.ErrorIs(t, s.Enqueue(ctx, nd, c), delivery.ErrConflict, "a chain that starts at 2")
	_, err = s.Get(ctx, doc.ID)
	assert.ErrorIs(t, err, delivery.ErrNotFound, "nothing stored")

	// The update returns what it stored.
	up, err := s.Update(ctx, d.ID, func(d *delivery.Delivery) (delivery.Change, error) {
		d.NextAt = Start.Add(time.Hour)
		return delivery.Change{}, nil
	})
	require.NoError(t, err)
	assert.Equal(t, 2, up.Version)
	assert.True(t, up.NextAt.Equal(Start.Add(time.Hour)))

	for _, bad := range []struct {
		lease time.Duration
		limit int
	}{{0, 10}, {time.Minute, 0}, {time.Minute, -1}} {
		_, err := s.Claim(ctx, Start, bad.lease, bad.limit)
		assert.ErrorIs(t, err, delivery.ErrValidation, "lease %s, limit %d", bad.lease, bad.limit)
	}
}
