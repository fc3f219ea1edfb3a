package pgstore

import (
	"context"
	"encoding/json"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/outbox"
	"github.com/lokaalbestuur/bouwstenen/payment"
	"github.com/lokaalbestuur/bouwstenen/payment/paymenttest"
)

// The invoices of a payer are read from the payer index, also in the
// generic plan a prepared statement gets after five runs: the query names
// the indexed column without an OR that such a plan could not see through.
func TestListByPayerUsesTheIndex(t *testing.T) {
	pool := pgtest.Pool(t, 2)
	ctx := context.Background()
	require.NoError(t, New(pool).Migrate(ctx))
	conn, err := pool.Acquire(ctx)
	require.NoError(t, err)
	defer conn.Release()
	for _, stmt := range []string{
		"SET enable_seqscan = off", "SET plan_cache_mode = force_generic_plan",
		"PREPARE by_payer AS " + listSQL(payment.Query{Payers: []string{"x"}}),
	} {
		_, err = conn.Exec(ctx, stmt)
		require.NoError(t, err, stmt)
	}
	rows, err := conn.Query(ctx, "EXPLAIN EXECUTE by_payer('"+id.New().String()+"', 100, '{insz:85073003328,kbo:0123456749}')")
	require.NoError(t, err)
	var plan string
	for rows.Next() {
		var line string
		require.NoError(t, rows.Scan(&line))
		plan += line + "\n"
	}
	require.NoError(t, rows.Err())
	assert.Contains(t, plan, "payment_requests_payer", plan)
}

// Requests stored before payers were indexed are found by payer once the
// migration ran: an enterprise's number is taken from the document.
func TestMigrationIndexesEarlierEnterpriseRequests(t *testing.T) {
	pool := pgtest.Pool(t, 2)
	ctx := context.Background()
	require.NoError(t, outbox.Migrate(ctx, pool))
	first, err := fs.ReadFile(migrations, "migrations/0001_payment.sql")
	require.NoError(t, err)
	_, err = migrate.Run(ctx, pool, "payment", fstest.MapFS{"m/0001_payment.sql": {Data: first}}, "m")
	require.NoError(t, err)

	n := paymenttest.NewRequest(t)
	old := payment.Request{ID: id.New(), Debtor: payment.Debtor{Kind: payment.DebtorEnterprise, EnterpriseName: "Bouwbedrijf", EnterpriseNumber: "0123.456.749"},
		Creditor: n.Creditor, DueDate: n.DueDate, Status: payment.StatusOpen}
	doc, err := json.Marshal(old)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO payment_requests (id, reference_key, status, due_date, version, doc) VALUES ($1, '000000000101', 'open', $2, 0, $3)`,
		old.ID, old.DueDate.Start(), doc)
	require.NoError(t, err)

	st := New(pool)
	require.NoError(t, st.Migrate(ctx))
	var got []payment.Request
	for r, err := range st.List(ctx, payment.Query{Payers: []string{"kbo:0123456749"}}) {
		require.NoError(t, err)
		got = append(got, *r)
	}
	require.Len(t, got, 1)
	assert.Equal(t, old.ID, got[0].ID)
}
