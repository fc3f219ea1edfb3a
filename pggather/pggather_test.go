package pggather_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/pggather"
)

// roundTrips is a pgx tracer that counts what goes to the server: single
// queries and batches.
type roundTrips struct {
	mu               sync.Mutex
	queries, batches int
}

func (r *roundTrips) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries++
	return ctx
}
func (r *roundTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (r *roundTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches++
	return ctx
}
func (r *roundTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (r *roundTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// take returns the counts so far and starts again.
func (r *roundTrips) take() (queries, batches int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	queries, batches = r.queries, r.batches
	r.queries, r.batches = 0, 0
	return queries, batches
}

// pool opens a pool on the test database whose round trips are counted.
func pool(t *testing.T) (*pgxpool.Pool, *roundTrips) {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.URL(t))
	require.NoError(t, err)
	rt := &roundTrips{}
	cfg.ConnConfig.Tracer = rt
	cfg.MaxConns = 8
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	require.NoError(t, p.Ping(context.Background()))
	rt.take()
	return p, rt
}

// series reads the numbers from..to through Query.
func series(ctx context.Context, p *pgxpool.Pool, from, to int) ([]int, error) {
	rows, err := pggather.Query(ctx, p, "SELECT n FROM generate_series($1::int, $2::int) AS n", from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int])
}

// gather runs fn in n goroutines on the contexts of one gathering, each
// calling Done when fn returns, and waits for them (at most 10 s: a
// gathering that never sends is a failure, not a hung test).
func gather(t *testing.T, ctx context.Context, n int, fn func(i int, ctx context.Context)) {
	t.Helper()
	ctxs := pggather.Gather(ctx, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			defer pggather.Done(ctxs[i])
			fn(i, ctxs[i])
		})
	}
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
	case <-time.After(10 * time.Second):
		t.Fatal("the gathering did not finish")
	}
}

func TestGatheredReadsShareOneRoundTrip(t *testing.T) {
	p, rt := pool(t)
	const n = 6
	got := make([][]int, n)
	again := make([][]int, n)
	gather(t, context.Background(), n, func(i int, ctx context.Context) {
		var err error
		got[i], err = series(ctx, p, i, i+i)
		assert.NoError(t, err)
		again[i], err = series(ctx, p, 100+i, 100+i) // a second read: alone
		assert.NoError(t, err)
	})
	for i := range n {
		want := []int{}
		for k := i; k <= i+i; k++ {
			want = append(want, k)
		}
		assert.Equal(t, want, got[i], "reader %d", i)
		assert.Equal(t, []int{100 + i}, again[i], "reader %d, second read", i)
	}
	queries, batches := rt.take()
	assert.Equal(t, 1, batches, "the first reads of %d goroutines in one batch", n)
	assert.Equal(t, n, queries, "the second reads each at once, alone")
}

func TestWithoutGatherQueryIsThePools(t *testing.T) {
	p, rt := pool(t)
	got, err := series(context.Background(), p, 1, 3)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3}, got)
	queries, batches := rt.take()
	assert.Equal(t, []int{1, 0}, []int{queries, batches})

	// After Done, a goroutine's reads are its own again.
	ctxs := pggather.Gather(context.Background(), 2)
	pggather.Done(ctxs[0])
	pggather.Done(ctxs[0]) // twice: counted once
	got, err = series(ctxs[0], p, 4, 4)
	require.NoError(t, err)
	assert.Equal(t, []int{4}, got)
	queries, batches = rt.take()
	assert.Equal(t, []int{1, 0}, []int{queries, batches})
	pggather.Done(ctxs[1])
}

func TestAReaderAloneDoesNotWaitForThoseWhoAreDone(t *testing.T) {
	p, rt := pool(t)
	var got []int
	gather(t, context.Background(), 4, func(i int, ctx context.Context) {
		if i != 2 {
			return // done without reading
		}
		var err error
		got, err = series(ctx, p, 7, 8)
		assert.NoError(t, err)
	})
	assert.Equal(t, []int{7, 8}, got)
	queries, batches := rt.take()
	assert.Equal(t, []int{1, 0}, []int{queries, batches}, "one read is no batch")
}

func TestAFailedReadFailsOnlyItself(t *testing.T) {
	p, _ := pool(t)
	// Whichever place the failing read takes in the batch, the others get
	// their rows: those before it from the batch, those after it sent
	// again alone.
	for round := range 5 {
		const n = 4
		got := make([][]int, n)
		errs := make([]error, n)
		gather(t, context.Background(), n, func(i int, ctx context.Context) {
			if i == round%n {
				rows, err := pggather.Query(ctx, p, "SELECT 1 / $1::int", 0)
				if err == nil {
					_, err = pgx.CollectRows(rows, pgx.RowTo[int])
				}
				errs[i] = err
				return
			}
			got[i], errs[i] = series(ctx, p, i, i)
		})
		for i := range n {
			if i == round%n {
				var pg *pgconn.PgError
				require.ErrorAs(t, errs[i], &pg)
				assert.Equal(t, "22012", pg.Code, "division by zero")
				continue
			}
			assert.NoError(t, errs[i], "round %d, reader %d", round, i)
			assert.Equal(t, []int{i}, got[i], "round %d, reader %d", round, i)
		}
	}
}

func TestACanceledReaderStopsWaiting(t *testing.T) {
	p, _ := pool(t)
	ctx, cancel := context.WithCancel(context.Background())
	ctxs := pggather.Gather(ctx, 2)
	failed := make(chan error, 1)
	go func() {
		defer pggather.Done(ctxs[0])
		_, err := series(ctxs[0], p, 1, 1) // waits for the second goroutine
		failed <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-failed:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("the canceled read still waits")
	}
	pggather.Done(ctxs[1])
}

// sample is a row of every kind of column the SDK's stores read.
const sample = `SELECT 42::int8 AS n, 'tekst'::text AS t, NULL::text AS missing, '` + sampleID + `'::uuid AS id,
	'2026-03-29 02:30:00+01'::timestamptz AS at, 12.34::numeric AS amount, true AS ok, 1.5::float8 AS f,
	'{"a": [1, 2]}'::jsonb AS doc, ARRAY['x', 'y']::text[] AS list, '\x00ff'::bytea AS raw, ''::text AS empty`

const sampleID = "0192f7c4-8d2a-7c3e-9a4b-0123456789ab"

// sampleRow holds sample's columns scanned.
type sampleRow struct {
	N       int64
	T       string
	Missing *string
	ID      uuid.UUID
	At      time.Time
	Amount  pgtype.Numeric
	OK      bool
	F       float64
	Doc     map[string]any
	List    []string
	Raw     []byte
	Empty   string
}

func scanSample(rows pgx.Rows) (sampleRow, []any, [][]byte, error) {
	var s sampleRow
	if !rows.Next() {
		return s, nil, nil, fmt.Errorf("no row: %w", rows.Err())
	}
	raw := [][]byte{}
	for _, v := range rows.RawValues() {
		raw = append(raw, bytes.Clone(v)) // nil stays nil, empty stays empty
	}
	values, err := rows.Values()
	if err != nil {
		return s, nil, nil, err
	}
	err = rows.Scan(&s.N, &s.T, &s.Missing, &s.ID, &s.At, &s.Amount, &s.OK, &s.F, &s.Doc, &s.List, &s.Raw, &s.Empty)
	if err != nil {
		return s, nil, nil, err
	}
	if rows.Next() {
		return s, nil, nil, errors.New("a second row")
	}
	return s, values, raw, rows.Err()
}

func TestGatheredRowsScanAsThePoolsDo(t *testing.T) {
	p, _ := pool(t)
	direct, err := p.Query(context.Background(), sample)
	require.NoError(t, err)
	fields := slices.Clone(direct.FieldDescriptions()) // the connection reuses its own
	want, wantValues, wantRaw, err := scanSample(direct)
	require.NoError(t, err)
	require.Nil(t, want.Missing)
	require.Equal(t, uuid.MustParse(sampleID), want.ID)

	var got sampleRow
	var gotValues []any
	var gotRaw [][]byte
	var gotFields []pgconn.FieldDescription
	var tag pgconn.CommandTag
	gather(t, context.Background(), 2, func(i int, ctx context.Context) {
		if i == 1 {
			_, err := series(ctx, p, 1, 1) // the sample is not alone: it goes in a batch
			assert.NoError(t, err)
			return
		}
		rows, err := pggather.Query(ctx, p, sample)
		if !assert.NoError(t, err) {
			return
		}
		assert.Nil(t, rows.Conn(), "gathered rows hold no connection")
		gotFields = rows.FieldDescriptions()
		got, gotValues, gotRaw, err = scanSample(rows)
		assert.NoError(t, err)
		tag = rows.CommandTag()
		assert.False(t, rows.Next(), "closed")
		assert.Nil(t, rows.RawValues())
	})
	assert.Equal(t, want, got)
	assert.Equal(t, wantValues, gotValues)
	assert.Equal(t, wantRaw, gotRaw)
	assert.Equal(t, fields, gotFields)
	assert.Equal(t, "SELECT 1", tag.String())
	assert.Nil(t, gotRaw[2], "NULL")
	assert.NotNil(t, gotRaw[11], "an empty text is no NULL")
}

func TestAScanErrorClosesTheRows(t *testing.T) {
	p, _ := pool(t)
	gather(t, context.Background(), 2, func(i int, ctx context.Context) {
		rows, err := pggather.Query(ctx, p, "SELECT $1::int, 'x'::text", i)
		if !assert.NoError(t, err) {
			return
		}
		require.True(t, rows.Next())
		var n, wrong int
		err = rows.Scan(&n, &wrong) // text into an int
		assert.Error(t, err)
		assert.Equal(t, err, rows.Err(), "the error is kept")
		assert.False(t, rows.Next())
		assert.Error(t, rows.Scan(&n, &wrong), "no row after the error")
	})
}

func TestManyGatheringsAtOnce(t *testing.T) {
	p, _ := pool(t)
	var wg sync.WaitGroup
	for g := range 24 {
		wg.Go(func() {
			gather(t, context.Background(), 5, func(i int, ctx context.Context) {
				for r := range 3 { // the first gathered, then alone
					from := g*1000 + i*10 + r
					got, err := series(ctx, p, from, from+1)
					if assert.NoError(t, err) {
						assert.Equal(t, []int{from, from + 1}, got)
					}
				}
			})
		})
	}
	wg.Wait()
}

func TestRowsScanIntoOtherTypesRowByRow(t *testing.T) {
	p, _ := pool(t)
	gather(t, context.Background(), 2, func(i int, ctx context.Context) {
		rows, err := pggather.Query(ctx, p, "SELECT n, n::text FROM generate_series($1::int, $1::int + 2) AS n", i*10)
		if !assert.NoError(t, err) {
			return
		}
		defer rows.Close()
		var wide int64
		var narrow int32
		var text string
		var skipped int
		require.True(t, rows.Next())
		require.NoError(t, rows.Scan(&wide, &text))
		require.True(t, rows.Next())
		require.NoError(t, rows.Scan(&narrow, nil)) // another type, a column skipped
		require.True(t, rows.Next())
		assert.Error(t, rows.Scan(&skipped), "one destination for two columns")
		assert.Equal(t, []any{int64(i * 10), fmt.Sprint(i * 10), int32(i*10 + 1)}, []any{wide, text, narrow})
	})
}

func TestASplitGoroutineGathersBothReads(t *testing.T) {
	p, rt := pool(t)
	got := make([][]int, 4)
	gather(t, context.Background(), 3, func(i int, ctx context.Context) {
		if i != 1 {
			var err error
			got[i], err = series(ctx, p, i, i)
			assert.NoError(t, err)
			return
		}
		// The second part reads twice at once.
		both := pggather.Split(ctx, 2)
		var wg sync.WaitGroup
		for k, ctx := range both {
			wg.Go(func() {
				defer pggather.Done(ctx)
				var err error
				got[1+k*2], err = series(ctx, p, 10+k, 10+k)
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		pggather.Done(ctx) // does nothing: its place went to both
	})
	assert.Equal(t, [][]int{{0}, {10}, {2}, {11}}, got)
	queries, batches := rt.take()
	assert.Equal(t, []int{0, 1}, []int{queries, batches}, "four reads of three parts, one batch")

	// Split without a gathering, or after its reads went: the reads go alone.
	for _, ctx := range pggather.Split(context.Background(), 2) {
		_, err := series(ctx, p, 1, 1)
		require.NoError(t, err)
	}
	queries, batches = rt.take()
	assert.Equal(t, []int{2, 0}, []int{queries, batches})
}
