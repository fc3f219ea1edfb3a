// Package pggather sends the reads that several goroutines of one request
// make at the same time to PostgreSQL together: one round trip instead of
// one per read.
//
// A page such as the portal's "Mijn dossiers" asks seven building blocks
// for their part at once, and each block's store reads one query. Sent one
// by one, every read pays a round trip: a write and a wake-up in the
// application and in a server process, which on a small machine costs more
// CPU than the query itself. Gathered, they go as one pipelined batch
// (pgx.Batch) on one connection:
//
//	ctxs := pggather.Gather(ctx, len(parts))
//	for i, part := range parts {
//		wg.Go(func() {
//			defer pggather.Done(ctxs[i])
//			part.Read(ctxs[i]) // its store calls pggather.Query(ctx, pool, ...)
//		})
//	}
//
// The first read through Query on a gathered context waits until every
// goroutine of the gathering is either waiting in Query or Done; then the
// reads waiting go at once, and each gets its own rows. Later reads (a
// second query that needs the first one's result) go at once, alone:
// waiting for the others to read again would mostly wait for goroutines
// that read no more. Without Gather, Query is the pool's Query.
//
// The reads of a batch run each in its own statement; one that fails does
// not fail the others (those after it in the batch are sent again, alone).
// The rows of a gathered read are read into memory before Query returns,
// so a gathered read is for what one page shows, not for a large export.
// A goroutine of a gathering must call Done when it reads no more, and
// must not hold a connection of the pool while it waits in Query.
package pggather

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Gather returns n contexts derived from ctx, one for each of n goroutines
// that read at the same time; their reads through Query go together. Each
// goroutine must call Done with its context when it reads no more.
func Gather(ctx context.Context, n int) []context.Context {
	g := &group{active: n}
	out := make([]context.Context, n)
	for i := range out {
		out[i] = context.WithValue(ctx, memberKey{}, &member{g: g})
	}
	return out
}

// Split turns the goroutine of ctx, a context of Gather, into n goroutines
// of the same gathering, for a part that makes n reads at once (reads that
// do not need each other's result): their first reads go with the others'.
// Each of the n must call Done with its context; Done with ctx then does
// nothing. Once the gathering's reads went, or on a context of no
// gathering, it returns ctx n times: the reads go alone.
func Split(ctx context.Context, n int) []context.Context {
	out := make([]context.Context, n)
	m, _ := ctx.Value(memberKey{}).(*member)
	if m == nil || n < 1 || !m.g.split(m, n) {
		for i := range out {
			out[i] = ctx
		}
		return out
	}
	for i := range out {
		out[i] = context.WithValue(ctx, memberKey{}, &member{g: m.g})
	}
	return out
}

// Done tells the gathering of ctx that its goroutine reads no more, so the
// others no longer wait for it. It does nothing on a context Gather did
// not return, and nothing the second time.
func Done(ctx context.Context) {
	m, _ := ctx.Value(memberKey{}).(*member)
	if m == nil || m.done.Swap(true) {
		return
	}
	if batch := m.g.leave(); batch != nil {
		send(ctx, batch)
	}
}

// Query runs sql on pool. On a context of Gather, it waits for the other
// goroutines of the gathering (see the package doc) and sends the reads
// waiting then in one batch; the rows it returns are then in memory.
func Query(ctx context.Context, pool *pgxpool.Pool, sql string, args ...any) (pgx.Rows, error) {
	m, _ := ctx.Value(memberKey{}).(*member)
	if m == nil || m.done.Load() {
		return pool.Query(ctx, sql, args...)
	}
	c := &call{pool: pool, sql: sql, args: args, done: make(chan struct{})}
	batch, gathered := m.g.add(c)
	if !gathered {
		return pool.Query(ctx, sql, args...)
	}
	if batch != nil {
		send(ctx, batch)
	}
	select {
	case <-c.done:
	case <-ctx.Done():
		if m.g.withdraw(c) {
			return nil, ctx.Err()
		}
		<-c.done // on its way: the batch ends soon, its context canceled too
	}
	if c.alone {
		return pool.Query(ctx, sql, args...)
	}
	return c.rows, c.err
}

type memberKey struct{}

// member is one goroutine of a gathering.
type member struct {
	g    *group
	done atomic.Bool
}

// group is a gathering: how many of its goroutines still read, the reads
// waiting, and whether they went (then the gathering is over).
type group struct {
	mu      sync.Mutex
	active  int
	pending []*call
	sent    bool
}

// call is one read, and its result once sent.
type call struct {
	pool *pgxpool.Pool
	sql  string
	args []any
	done chan struct{}

	alone bool // send it on its own (it was the only one, or one before it in the batch failed)
	rows  pgx.Rows
	err   error
}

// add queues c, unless the gathering is over, and returns the reads to
// send when every goroutine still reading now waits.
func (g *group) add(c *call) (batch []*call, gathered bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.sent {
		return nil, false
	}
	g.pending = append(g.pending, c)
	return g.ready(), true
}

// leave counts one goroutine out and returns the reads to send if the
// others all wait.
func (g *group) leave() []*call {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.active--
	return g.ready()
}

// split gives the place of m to n new goroutines, unless m is done or the
// gathering is over.
func (g *group) split(m *member, n int) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.sent || m.done.Load() {
		return false
	}
	m.done.Store(true) // its place goes to the n new ones: Done(ctx) does nothing
	g.active += n - 1
	return true
}

// withdraw takes c out of the queue if it is still there.
func (g *group) withdraw(c *call) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, p := range g.pending {
		if p == c {
			g.pending = append(g.pending[:i], g.pending[i+1:]...)
			return true
		}
	}
	return false
}

// ready takes the queue when every goroutine still reading waits in it (a
// goroutine may wait with more than one read), and ends the gathering.
func (g *group) ready() []*call {
	if g.sent || len(g.pending) == 0 || len(g.pending) < g.active {
		return nil
	}
	batch := g.pending
	g.pending, g.sent = nil, true
	return batch
}

// send runs the reads of batch, by pool, and wakes their goroutines.
func send(ctx context.Context, batch []*call) {
	defer func() {
		for _, c := range batch {
			close(c.done)
		}
	}()
	byPool := map[*pgxpool.Pool][]*call{}
	for _, c := range batch {
		byPool[c.pool] = append(byPool[c.pool], c)
	}
	for pool, calls := range byPool {
		if len(calls) == 1 {
			calls[0].alone = true // a round trip either way: the pool's own rows
			continue
		}
		sendBatch(ctx, pool, calls)
	}
}

// sendBatch sends calls in one pipelined batch and reads each result into
// memory. PostgreSQL skips the statements after one that fails, up to the
// batch's end; those are marked to be sent again alone.
func sendBatch(ctx context.Context, pool *pgxpool.Pool, calls []*call) {
	b := &pgx.Batch{}
	for _, c := range calls {
		b.Queue(c.sql, c.args...)
	}
	results := pool.SendBatch(ctx, b)
	failed := false
	for _, c := range calls {
		if failed {
			c.alone = true
			continue
		}
		rows, err := results.Query()
		if err == nil {
			c.rows, err = buffer(rows)
		}
		if err != nil {
			c.err, failed = err, true
		}
	}
	// Every read has its rows or its error (or goes again alone): an
	// error closing the batch (the connection lost after the last result)
	// is none of theirs.
	_ = results.Close()
}

// buffer reads rows into memory and closes them.
func buffer(rows pgx.Rows) (pgx.Rows, error) {
	defer rows.Close()
	b := &buffered{fields: append([]pgconn.FieldDescription(nil), rows.FieldDescriptions()...)}
	for rows.Next() {
		raw := rows.RawValues() // valid until the next row: copied
		size := 0
		for _, v := range raw {
			size += len(v)
		}
		buf := make([]byte, 0, size)
		row := make([][]byte, len(raw))
		for i, v := range raw {
			if v == nil {
				continue // NULL stays nil
			}
			start := len(buf)
			buf = append(buf, v...)
			row[i] = buf[start:len(buf):len(buf)]
		}
		b.values = append(b.values, row)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	b.tag = rows.CommandTag()
	return b, nil
}

// typeMaps are the type maps buffered rows decode with: pgx's default
// types, as every pool of the SDK registers no others. A map is not safe
// for concurrent use; each rows takes one while it scans.
var typeMaps = sync.Pool{New: func() any { return pgtype.NewMap() }}

// buffered is a read's result held in memory: pgx.Rows without a
// connection.
type buffered struct {
	fields []pgconn.FieldDescription
	values [][][]byte
	tag    pgconn.CommandTag
	next   int // rows read so far; the current row is values[next-1]
	closed bool
	err    error
	types  *pgtype.Map

	plans   []pgtype.ScanPlan // per column, for destinations of the types planned
	planned []reflect.Type
}

func (r *buffered) Close() {
	if r.closed {
		return
	}
	r.closed = true
	if r.types != nil {
		typeMaps.Put(r.types)
		r.types = nil
	}
}

func (r *buffered) Err() error                                   { return r.err }
func (r *buffered) CommandTag() pgconn.CommandTag                { return r.tag }
func (r *buffered) FieldDescriptions() []pgconn.FieldDescription { return r.fields }
func (r *buffered) Conn() *pgx.Conn                              { return nil }

func (r *buffered) Next() bool {
	if r.closed {
		return false
	}
	if r.next >= len(r.values) {
		r.Close()
		return false
	}
	r.next++
	return true
}

// row is the current row, or an error when there is none.
func (r *buffered) row() ([][]byte, error) {
	if r.closed || r.next == 0 {
		return nil, errors.New("pggather: no current row")
	}
	r.TypeMap()
	return r.values[r.next-1], nil
}

// TypeMap returns the map the rows decode with, nil once they are closed.
func (r *buffered) TypeMap() *pgtype.Map {
	if r.types == nil && !r.closed {
		r.types = typeMaps.Get().(*pgtype.Map)
	}
	return r.types
}

// fail keeps err as the rows' error and closes them, as pgx's rows do.
func (r *buffered) fail(err error) error {
	r.err = err
	r.Close()
	return err
}

func (r *buffered) Scan(dest ...any) error {
	row, err := r.row()
	if err != nil {
		return err
	}
	if len(dest) == 1 {
		if rs, ok := dest[0].(pgx.RowScanner); ok {
			if err := rs.ScanRow(r); err != nil {
				return r.fail(err)
			}
			return nil
		}
	}
	if len(dest) != len(r.fields) {
		return r.fail(fmt.Errorf("pggather: %d columns, %d destinations", len(r.fields), len(dest)))
	}
	if r.plans == nil {
		r.plans = make([]pgtype.ScanPlan, len(dest))
		r.planned = make([]reflect.Type, len(dest))
	}
	for i, d := range dest {
		if d == nil {
			continue
		}
		// A plan per column, made for the first row and kept while the
		// destinations keep their types, as pgx's own rows do.
		if t := reflect.TypeOf(d); r.planned[i] != t {
			r.plans[i] = r.types.PlanScan(r.fields[i].DataTypeOID, r.fields[i].Format, d)
			r.planned[i] = t
		}
		if err := r.plans[i].Scan(row[i], d); err != nil {
			return r.fail(pgx.ScanArgError{ColumnIndex: i, FieldName: r.fields[i].Name, Err: err})
		}
	}
	return nil
}

func (r *buffered) Values() ([]any, error) {
	row, err := r.row()
	if err != nil {
		return nil, err
	}
	out := make([]any, len(row))
	for i, v := range row {
		if v == nil {
			continue
		}
		fd := r.fields[i]
		t, ok := r.types.TypeForOID(fd.DataTypeOID)
		if !ok {
			if fd.Format == pgx.TextFormatCode {
				out[i] = string(v)
			} else {
				out[i] = append([]byte(nil), v...)
			}
			continue
		}
		if out[i], err = t.Codec.DecodeValue(r.types, fd.DataTypeOID, fd.Format, v); err != nil {
			return nil, r.fail(fmt.Errorf("pggather: column %s: %w", fd.Name, err))
		}
	}
	return out, nil
}

func (r *buffered) RawValues() [][]byte {
	if r.closed || r.next == 0 {
		return nil
	}
	return r.values[r.next-1]
}
