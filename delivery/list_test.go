package delivery_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/delivery/deliverytest"
)

// FuzzDocuments feeds the listing arbitrary cursors, limits and metadata:
// it never panics, refuses a cursor it did not hand out with a validation
// error, never returns more than a page, and keeps metadata as given.
func FuzzDocuments(f *testing.F) {
	f.Add("", 0, "reference", "2026-000001")
	f.Add("1", 1, "", "x")
	f.Add("-5", -1, "link", "/a\x00b")
	f.Add("9223372036854775807", 1000, "k\xff", "v")
	f.Fuzz(func(t *testing.T, cursor string, limit int, key, value string) {
		ctx := context.Background()
		svc := delivery.NewService(delivery.NewMemStore(nil), clock.NewSettable(deliverytest.Start), nil)
		_, err := svc.PutRule(ctx, deliverytest.TaxRule())
		require.NoError(t, err)
		doc := deliverytest.Doc(deliverytest.Person)
		doc.Metadata = map[string]string{key: value}
		d, err := svc.Submit(ctx, doc)
		if err != nil {
			require.ErrorIs(t, err, delivery.ErrValidation)
		} else {
			require.Equal(t, value, d.Document.Metadata[key])
			require.Empty(t, firstProblem(key, value))
		}
		q := delivery.Query{Parties: []delivery.Party{deliverytest.Person}, Cursor: cursor, Limit: limit}
		page, err := svc.Documents(ctx, q)
		if err != nil {
			require.ErrorIs(t, err, delivery.ErrValidation)
			return
		}
		require.LessOrEqual(t, len(page.Deliveries), q.PageSize())
	})
}
