package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
)

// Consumers runs named consumers over the outbox, each with its own
// progress stored beside the events, so what they promise survives a crash
// and a restart:
//
//   - At least once, per consumer: an event is done for a consumer only
//     when its handler returned nil. A process that dies after a handler's
//     work but before its progress commits hands the event to the handler
//     again, so handlers are idempotent.
//   - Retries and dead letters: a failed event is tried again with the
//     policy's backoff and parked after its attempts (event.Pass is the
//     rule); Failures lists them and Replay makes one due again.
//   - Several processes: any number may run Step on one database. A
//     consumer's pass holds an advisory lock named for it, so one process at
//     a time handles a consumer's events, and normally each event once per
//     consumer; other consumers run in the other processes. A pass writes
//     only after its handlers ran, so while they run it holds no
//     transaction ID and a slow handler holds up no other consumer.
//   - Order: events are read in the order of their transactions' IDs.
//     Two changes of one aggregate are stored in that order when the second
//     transaction locks or writes the aggregate's row before writing
//     anything else, as every store of this module does; an Ordered
//     consumer then sees them in that order, and waits with an aggregate's
//     later events while an earlier one waits for a retry or is parked.
//
// A pass keeps its (read-only until the end) transaction open while the
// handlers run, and each handler does its own work on its own connection:
// give the pool at least two connections. Consumers does not delete outbox
// rows.
type Consumers struct {
	pool   *pgxpool.Pool
	clock  clock.Clock
	policy event.RetryPolicy

	mu   sync.Mutex
	list []event.Consumer
}

// NewConsumers returns a runner of consumers over the outbox in pool. A nil
// clock means the real one.
func NewConsumers(pool *pgxpool.Pool, c clock.Clock, p event.RetryPolicy) *Consumers {
	if c == nil {
		c = clock.Real{}
	}
	return &Consumers{pool: pool, clock: c, policy: p}
}

// Subscribe adds a consumer. A consumer seen for the first time starts at
// the first event in the outbox; one that ran before goes on where it
// stopped, in whichever process.
func (cs *Consumers) Subscribe(ctx context.Context, c event.Consumer) error {
	if c.Name == "" || c.Handle == nil {
		return errors.New("outbox: a consumer needs a name and a handler")
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for _, o := range cs.list {
		if o.Name == c.Name {
			return fmt.Errorf("outbox: consumer %q subscribed twice", c.Name)
		}
	}
	if _, err := cs.pool.Exec(ctx, "INSERT INTO outbox_consumer (name) VALUES ($1) ON CONFLICT DO NOTHING", c.Name); err != nil {
		return fmt.Errorf("outbox: subscribe %s: %w", c.Name, err)
	}
	cs.list = append(cs.list, c)
	return nil
}

// Batch is how many new events one pass of a consumer reads at most.
const Batch = 256

// maxPending is how many due waiting events one pass reads; an ordered
// consumer with more reads no new events until some are resolved.
const maxPending = 1000

// Step runs one pass of every consumer this process is not already running
// elsewhere and returns how many events changed state (handled, failed,
// parked or passed by).
func (cs *Consumers) Step(ctx context.Context) (int, error) {
	cs.mu.Lock()
	list := append([]event.Consumer(nil), cs.list...)
	cs.mu.Unlock()
	n := 0
	var errs []error
	for _, c := range list {
		k, err := cs.pass(ctx, c)
		n += k
		if err != nil {
			errs = append(errs, fmt.Errorf("outbox: consumer %s: %w", c.Name, err))
		}
	}
	return n, errors.Join(errs...)
}

type position struct {
	txid string // xid8, as text
	seq  int64
}

// pass runs one pass of consumer c. It takes the consumer with an advisory
// lock, which needs no transaction ID, and writes only after the handlers
// ran: a slow handler holds up no other consumer, in any process, because
// readers wait only for transactions that have an ID. The commit uses a
// context that is not cancelled, so the work of handlers that ran is
// recorded even when ctx ends meanwhile.
func (cs *Consumers) pass(ctx context.Context, c event.Consumer) (n int, err error) {
	tx, err := cs.pool.Begin(ctx)
	if err != nil {
		return 0, err
	}
	done := context.WithoutCancel(ctx)
	defer func() { _ = tx.Rollback(done) }()
	var mine bool
	if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock(hashtextextended('outbox_consumer:' || $1, 0))", c.Name).Scan(&mine); err != nil {
		return 0, err
	}
	if !mine {
		return 0, nil // another process is running this consumer
	}
	var pos position
	if err := tx.QueryRow(ctx, "SELECT txid::text, seq FROM outbox_consumer WHERE name = $1", c.Name).Scan(&pos.txid, &pos.seq); err != nil {
		return 0, err
	}
	now := cs.clock.Now()
	var held map[uuid.UUID]bool
	if c.Ordered {
		if held, err = heldAggregates(ctx, tx, c.Name, now); err != nil {
			return 0, err
		}
	}
	ds, txids, err := loadDue(ctx, tx, c.Name, now, held)
	if err != nil {
		return 0, err
	}
	// An ordered consumer reads on only when every due event was offered,
	// so none of an aggregate's events overtakes an earlier one.
	if !c.Ordered || len(ds) < maxPending {
		fresh, freshTxids, err := loadNew(ctx, tx, pos)
		if err != nil {
			return 0, err
		}
		ds = append(ds, fresh...)
		for k, v := range freshTxids {
			txids[k] = v
		}
	}
	if len(ds) == 0 {
		return 0, nil
	}
	before := make(map[int64]event.Delivery, len(ds))
	for _, d := range ds {
		before[d.Seq] = d
	}
	out := event.PassHeld(ctx, c, cs.policy, now, ds, held)
	b := &pgx.Batch{}
	last := pos
	for _, o := range out {
		if o.Changed {
			n++
		}
		old := before[o.Seq]
		switch {
		case o.New && o.Done:
		case o.New:
			b.Queue(`INSERT INTO outbox_pending (consumer, seq, txid, attempts, next_attempt_at, last_error, parked)
				VALUES ($1, $2, $3::text::xid8, $4, $5, $6, $7)`,
				c.Name, o.Seq, txids[o.Seq], o.Attempts, nullTime(o.NextAttempt), o.LastError, o.Parked)
		// A waiting event changes only if nobody replayed it meanwhile.
		case o.Done:
			b.Queue(`DELETE FROM outbox_pending WHERE consumer = $1 AND seq = $2 AND attempts = $3 AND parked = $4`,
				c.Name, o.Seq, old.Attempts, old.Parked)
		case o.Changed:
			b.Queue(`UPDATE outbox_pending SET attempts = $3, next_attempt_at = $4, last_error = $5, parked = $6
				WHERE consumer = $1 AND seq = $2 AND attempts = $7 AND parked = $8`,
				c.Name, o.Seq, o.Attempts, nullTime(o.NextAttempt), o.LastError, o.Parked, old.Attempts, old.Parked)
		}
		if o.New {
			last = position{txid: txids[o.Seq], seq: o.Seq}
		}
	}
	if last != pos {
		b.Queue("UPDATE outbox_consumer SET txid = $2::text::xid8, seq = $3 WHERE name = $1", c.Name, last.txid, last.seq)
	}
	if b.Len() > 0 {
		if err := tx.SendBatch(done, b).Close(); err != nil {
			return 0, err
		}
	}
	return n, tx.Commit(done)
}

// heldAggregates returns the aggregates with an event that waits and is not
// due now (parked, or waiting for a retry): an ordered consumer holds their
// later events.
func heldAggregates(ctx context.Context, tx pgx.Tx, consumer string, now time.Time) (map[uuid.UUID]bool, error) {
	rows, err := tx.Query(ctx, `SELECT DISTINCT o.aggregate_id FROM outbox_pending p JOIN outbox o ON o.seq = p.seq
		WHERE p.consumer = $1 AND (p.parked OR p.next_attempt_at > $2)`, consumer, now)
	if err != nil {
		return nil, err
	}
	held := map[uuid.UUID]bool{}
	for rows.Next() {
		var agg uuid.UUID
		if err := rows.Scan(&agg); err != nil {
			rows.Close()
			return nil, err
		}
		held[agg] = true
	}
	return held, rows.Err()
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

const eventColumns = "o.id, o.type, o.aggregate_id, o.occurred_at, o.payload"

func scanEvent(e *event.Event, payload *[]byte) []any {
	return []any{&e.ID, &e.Type, &e.AggregateID, &e.Time, payload}
}

func withPayload(e event.Event, payload []byte) event.Event {
	if payload != nil {
		e.Payload = json.RawMessage(payload)
	}
	return e
}

// loadDue reads the waiting events that are due now, oldest first, at most
// maxPending: parked events and events of held aggregates stay out, so they
// never crowd out the rest.
func loadDue(ctx context.Context, tx pgx.Tx, consumer string, now time.Time, held map[uuid.UUID]bool) ([]event.Delivery, map[int64]string, error) {
	skip := make([]uuid.UUID, 0, len(held))
	for agg := range held {
		skip = append(skip, agg)
	}
	rows, err := tx.Query(ctx, `SELECT p.seq, p.txid::text, p.attempts, p.next_attempt_at, p.last_error, p.parked, `+eventColumns+`
		FROM outbox_pending p JOIN outbox o ON o.seq = p.seq
		WHERE p.consumer = $1 AND NOT p.parked AND (p.next_attempt_at IS NULL OR p.next_attempt_at <= $2)
			AND NOT (o.aggregate_id = ANY($3))
		ORDER BY p.txid, p.seq LIMIT $4`, consumer, now, skip, maxPending)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ds []event.Delivery
	txids := map[int64]string{}
	for rows.Next() {
		var d event.Delivery
		var txid string
		var next *time.Time
		var payload []byte
		dest := append([]any{&d.Seq, &txid, &d.Attempts, &next, &d.LastError, &d.Parked}, scanEvent(&d.Event, &payload)...)
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, err
		}
		if next != nil {
			d.NextAttempt = *next
		}
		d.Event = withPayload(d.Event, payload)
		txids[d.Seq] = txid
		ds = append(ds, d)
	}
	return ds, txids, rows.Err()
}

func loadNew(ctx context.Context, tx pgx.Tx, pos position) ([]event.Delivery, map[int64]string, error) {
	rows, err := tx.Query(ctx, `SELECT o.seq, o.txid::text, `+eventColumns+` FROM outbox o
		WHERE (o.txid, o.seq) > ($1::text::xid8, $2) AND o.txid < pg_snapshot_xmin(pg_current_snapshot())
		ORDER BY o.txid, o.seq LIMIT $3`, pos.txid, pos.seq, Batch)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ds []event.Delivery
	txids := map[int64]string{}
	for rows.Next() {
		d := event.Delivery{New: true}
		var txid string
		var payload []byte
		if err := rows.Scan(append([]any{&d.Seq, &txid}, scanEvent(&d.Event, &payload)...)...); err != nil {
			return nil, nil, err
		}
		d.Event = withPayload(d.Event, payload)
		txids[d.Seq] = txid
		ds = append(ds, d)
	}
	return ds, txids, rows.Err()
}

// Run steps until ctx is done, at once again while there is work and every
// interval otherwise. A failing step is retried after interval. It returns
// ctx's error.
func (cs *Consumers) Run(ctx context.Context, interval time.Duration) error {
	for {
		n, err := cs.Step(ctx)
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}

// Settle steps until every consumer has passed every committed event and
// none is due now (events may still wait for a later retry or be parked).
// Tests and demo seeding use it; it returns ctx's error.
func (cs *Consumers) Settle(ctx context.Context) error {
	for {
		n, err := cs.Step(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		var behind bool
		err = cs.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM outbox_consumer c WHERE c.name = ANY($1)
			AND EXISTS (SELECT 1 FROM outbox o WHERE (o.txid, o.seq) > (c.txid, c.seq)))`, cs.names()).Scan(&behind)
		if err != nil {
			return err
		}
		if !behind {
			return nil
		}
		select { // an event's transaction is still running, or another process holds a consumer
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func (cs *Consumers) names() []string {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	out := make([]string, len(cs.list))
	for i, c := range cs.list {
		out[i] = c.Name
	}
	return out
}

// Failures lists the events that failed for a consumer and wait for a retry
// or are parked, oldest first. An empty name lists every consumer's.
func (cs *Consumers) Failures(ctx context.Context, consumer string) ([]event.Failure, error) {
	rows, err := cs.pool.Query(ctx, `SELECT p.consumer, p.seq, p.attempts, p.next_attempt_at, p.last_error, p.parked, `+eventColumns+`
		FROM outbox_pending p JOIN outbox o ON o.seq = p.seq
		WHERE ($1 = '' OR p.consumer = $1) AND (p.attempts > 0 OR p.parked)
		ORDER BY p.consumer, p.txid, p.seq`, consumer)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []event.Failure
	for rows.Next() {
		var f event.Failure
		var next *time.Time
		var payload []byte
		dest := append([]any{&f.Consumer, &f.Seq, &f.Attempts, &next, &f.LastError, &f.Parked}, scanEvent(&f.Event, &payload)...)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if next != nil {
			f.NextAttempt = *next
		}
		f.Event = withPayload(f.Event, payload)
		out = append(out, f)
	}
	return out, rows.Err()
}

// Replay makes a failed or parked event due at once, with its attempts
// counted from zero again. It returns event.ErrNoFailure when the consumer
// has no failed event at seq.
func (cs *Consumers) Replay(ctx context.Context, consumer string, seq int64) error {
	tag, err := cs.pool.Exec(ctx, `UPDATE outbox_pending SET attempts = 0, parked = false, next_attempt_at = NULL
		WHERE consumer = $1 AND seq = $2 AND (attempts > 0 OR parked)`, consumer, seq)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return event.ErrNoFailure
	}
	return nil
}
