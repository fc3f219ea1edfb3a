// Package pgstore is the PostgreSQL delivery.Store (pgx v5) on the SDK's
// shared skeleton (internal/pgdoc). A delivery is two rows with its ID:
// its document in delivery_deliveries, which a dispatch never changes, and
// its place in the queue in delivery_queue (the version, the lease, the
// progress and the time due; see the migration 0007). Claim takes due
// queue rows with SELECT ... FOR UPDATE SKIP LOCKED so concurrent
// dispatchers never share a row, and every change writes its evidence and
// its events (to the outbox) in the same transaction, after locking or
// inserting the delivery's queue row. The rules the store applies are
// the delivery package's (ApplyCreate, ApplyUpdate, ApplyClaim,
// ApplyPreference); this package only reads and writes.
package pgstore

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/memo"
	"github.com/lokaalbestuur/bouwstenen/internal/pgdoc"
	"github.com/lokaalbestuur/bouwstenen/outbox"
	"github.com/lokaalbestuur/bouwstenen/pggather"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the PostgreSQL delivery.Store.
type Store struct {
	pool *pgxpool.Pool
	// summaries remembers decoded summaries by row and version, so a
	// recipient's post, listed on every visit, is decoded once per change.
	summaries *memo.Memo[summaryKey, delivery.Delivery]
}

// summaryMemo is how many decoded summaries a store remembers (a few MB).
const summaryMemo = 8192

var _ delivery.Store = (*Store)(nil)

// New returns a store over pool; call Migrate once before use.
func New(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, summaries: memo.New[summaryKey, delivery.Delivery](summaryMemo)}
}

// Migrate creates or upgrades the tables, the outbox included.
func (s *Store) Migrate(ctx context.Context) error {
	return pgdoc.Migrate(ctx, s.pool, "delivery", migrations, "migrations")
}

// UpdatePreference implements delivery.Store.
func (s *Store) UpdatePreference(ctx context.Context, party delivery.Party, fn func(*delivery.Preference, bool) ([]event.Event, error)) error {
	err := pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		p, err := pgdoc.Get[delivery.Preference](ctx, tx, "preference",
			`SELECT data FROM delivery_preferences WHERE party = $1 ORDER BY version DESC LIMIT 1 FOR UPDATE`, party.String())
		exists := err == nil
		if err != nil && !errors.Is(err, delivery.ErrNotFound) {
			return err
		}
		evs, err := delivery.ApplyPreference(&p, exists, party, fn)
		if err != nil {
			return err
		}
		data, err := pgdoc.JSON(p)
		if err != nil {
			return err
		}
		_, err = pgdoc.Write(ctx, tx, evs, `INSERT INTO delivery_preferences (party, version, data) VALUES ($1, $2, $3)`, party.String(), p.Version, data)
		return err
	})
	if pgdoc.IsUnique(err) {
		return errs.Wrap(delivery.ErrConflict, "preference changed concurrently")
	}
	return err
}

// Preference implements delivery.Store.
func (s *Store) Preference(ctx context.Context, party delivery.Party) (delivery.Preference, error) {
	return pgdoc.Get[delivery.Preference](ctx, s.pool, "no preference for party",
		`SELECT data FROM delivery_preferences WHERE party = $1 ORDER BY version DESC LIMIT 1`, party.String())
}

// PreferenceHistory implements delivery.Store.
func (s *Store) PreferenceHistory(ctx context.Context, party delivery.Party) ([]delivery.Preference, error) {
	rows, err := s.pool.Query(ctx, `SELECT data FROM delivery_preferences WHERE party = $1 ORDER BY version`, party.String())
	if err != nil {
		return nil, pgdoc.Err(err)
	}
	return pgdoc.Collect[delivery.Preference](rows)
}

// PutRule implements delivery.Store. Of two concurrent writers of one
// version, the primary key lets one in.
func (s *Store) PutRule(ctx context.Context, r delivery.Rule) error {
	data, err := pgdoc.JSON(r)
	if err != nil {
		return err
	}
	err = pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		var latest int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(max(version), 0) FROM delivery_rules WHERE category = $1`, string(r.Category)).Scan(&latest); err != nil {
			return err
		}
		if err := delivery.CheckRuleVersion(latest, r); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO delivery_rules (category, version, data) VALUES ($1, $2, $3)`, string(r.Category), r.Version, data)
		return err
	})
	if pgdoc.IsUnique(err) {
		return errs.Wrap(delivery.ErrConflict, "rule version %d was stored concurrently", r.Version)
	}
	return err
}

// Rule implements delivery.Store.
func (s *Store) Rule(ctx context.Context, c delivery.Category) (delivery.Rule, error) {
	return pgdoc.Get[delivery.Rule](ctx, s.pool, fmt.Sprintf("no rule for category %q", c),
		`SELECT data FROM delivery_rules WHERE category = $1 ORDER BY version DESC LIMIT 1`, string(c))
}

func dueArg(d *delivery.Delivery) any {
	if due := d.DueAt(); !due.IsZero() {
		return due
	}
	return nil
}

const (
	insertEvidence = `INSERT INTO delivery_evidence (document_id, seq, data) VALUES ($1, $2, $3)`
	updateQueue    = `UPDATE delivery_queue SET version = $2, lease_id = $3, lease_until = $4, progress = $5, due_at = $6 WHERE id = $1`
	updateDocument = `UPDATE delivery_deliveries SET data = $2, header = $3 WHERE id = $1`
)

// queueChange adds to b the write of d (its queue row already locked) with
// its evidence and events.
func queueChange(b *pgx.Batch, d *delivery.Delivery, c delivery.Change) error {
	data, head, prog, err := encode(d)
	if err != nil {
		return err
	}
	lease, until := leaseArgs(d)
	b.Queue(updateQueue, d.ID, d.Version, lease, until, prog, dueArg(d))
	b.Queue(updateDocument, d.ID, data, head)
	if err := queueEvidence(b, c.Evidence); err != nil {
		return err
	}
	return outbox.Queue(b, c.Events...)
}

func queueEvidence(b *pgx.Batch, ev []delivery.Evidence) error {
	for _, e := range ev {
		data, err := pgdoc.JSON(e)
		if err != nil {
			return err
		}
		b.Queue(insertEvidence, e.DocumentID, e.Seq, data)
	}
	return nil
}

// Enqueue implements delivery.Store. The insert of the document and of its
// queue row comes first in its transaction, as one statement; a concurrent
// enqueue of the ID waits for it to commit and then inserts nothing.
func (s *Store) Enqueue(ctx context.Context, d delivery.Delivery, c delivery.Change) error {
	if err := delivery.ApplyCreate(&d, c); err != nil {
		return err
	}
	data, head, prog, err := encode(&d)
	if err != nil {
		return err
	}
	return pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		lease, until := leaseArgs(&d)
		tag, err := tx.Exec(ctx, `WITH d AS (
				INSERT INTO delivery_deliveries (id, party, data, header) VALUES ($1, $2, $3, $4)
				ON CONFLICT (id) DO NOTHING RETURNING id)
			INSERT INTO delivery_queue (id, version, lease_id, lease_until, progress, due_at)
			SELECT id, $5, $6, $7, $8, $9 FROM d`,
			d.ID, d.Document.Party.String(), data, head, d.Version, lease, until, prog, dueArg(&d))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &delivery.DuplicateError{Key: d.ID.String(), ID: d.ID}
		}
		b := &pgx.Batch{}
		if err := queueEvidence(b, c.Evidence); err != nil {
			return err
		}
		if err := outbox.Queue(b, c.Events...); err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	})
}

// Get implements delivery.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*delivery.Delivery, error) {
	return getDelivery(ctx, s.pool, `SELECT `+deliveryColumns+` FROM `+deliveryTables+` WHERE q.id = $1`, id)
}

// getDelivery reads the one delivery the query selects; no row is
// ErrNotFound.
func getDelivery(ctx context.Context, q pgdoc.Querier, sql string, id uuid.UUID) (*delivery.Delivery, error) {
	var d delivery.Delivery
	if err := scanDelivery(q.QueryRow(ctx, sql, id), &d); errors.Is(err, pgx.ErrNoRows) {
		return nil, errs.Wrap(delivery.ErrNotFound, "delivery %s", id)
	} else if err != nil {
		return nil, pgdoc.Err(err)
	}
	return &d, nil
}

// Claim implements delivery.Store with one statement: the due queue rows
// are picked and locked (FOR UPDATE SKIP LOCKED, so concurrent claimers
// never get one row) and leased in place, in the queue's lease columns
// only, and the documents beside them are read, not written; so a batch
// costs one round trip and one commit whatever its size. The deliveries of
// one claim share its lease ID.
//
// A row is due when due_at has passed and it holds no lease that still
// runs: together, when its delivery's DueAt (the later of NextAt and the
// lease's end) has passed. The claim leaves due_at alone, so it changes no
// indexed column and PostgreSQL can update the row in place (HOT; see the
// migrations 0004 and 0007). The rows are taken in the order of due_at,
// the index's: a delivery whose lease ran out (its dispatcher died) ranks
// by when it was due before that claim, ahead of deliveries that fell due
// since. The rows are updated by the physical address (ctid) the locking
// scan returned, which a locked row keeps.
func (s *Store) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]delivery.Delivery, error) {
	if err := delivery.CheckClaim(lease, limit); err != nil {
		return nil, err
	}
	var probe delivery.Delivery
	delivery.ApplyClaim(&probe, now, lease) // the package's rule: the lease's ID and end
	rows, err := s.pool.Query(ctx, `UPDATE delivery_queue q
		SET version = q.version + 1, lease_id = $3, lease_until = $4
		FROM delivery_deliveries d
		WHERE q.ctid = ANY (ARRAY(
			SELECT ctid FROM delivery_queue
			WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
			ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)) AND d.id = q.id
		RETURNING `+deliveryColumns, now, limit, probe.LeaseID, probe.LeaseUntil)
	if err != nil {
		return nil, pgdoc.Err(err)
	}
	defer rows.Close()
	out := make([]delivery.Delivery, 0, limit) // sized once: a Delivery is large to copy while a slice grows
	for rows.Next() {
		out = append(out, delivery.Delivery{})
		if err := scanDelivery(rows, &out[len(out)-1]); err != nil {
			return nil, pgdoc.Err(err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, pgdoc.Err(err)
	}
	slices.SortFunc(out, func(a, b delivery.Delivery) int { return a.NextAt.Compare(b.NextAt) })
	return out, nil
}

// Update implements delivery.Store: the queue row is locked first, then the
// rule runs on the delivery, then the delivery (its queue row and its
// document), its evidence and its events are written.
func (s *Store) Update(ctx context.Context, id uuid.UUID, fn func(*delivery.Delivery) (delivery.Change, error)) (*delivery.Delivery, error) {
	var out *delivery.Delivery
	err := pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		d, err := getDelivery(ctx, tx, `SELECT `+deliveryColumns+` FROM `+deliveryTables+` WHERE q.id = $1 FOR UPDATE OF q`, id)
		if err != nil {
			return err
		}
		c, err := delivery.ApplyUpdate(d, fn)
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		if err := queueChange(b, d, c); err != nil {
			return err
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		out = d
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateMany implements delivery.Store with one statement, so a batch
// costs one round trip and one commit whatever its size, and writes each
// delivery's queue row, not its document (delivery.ApplyProgress keeps the
// document as it was; see the migrations 0005 and 0007). The rule runs
// first on the caller's copies; the statement then writes a delivery only
// where its stored version is still the copy's (the check and the write
// are one step per row, so no other writer can come between), and writes
// the evidence and events of exactly the deliveries it wrote. A copy that
// was stale is skipped with ErrConflict, its rule's result discarded. No
// row is locked before the write: the statement locks each queue row as
// it updates it.
func (s *Store) UpdateMany(ctx context.Context, ds []delivery.Delivery, fn func(int, *delivery.Delivery) (delivery.Change, error)) ([]error, error) {
	failed := make([]error, len(ds))
	seen := make(map[uuid.UUID]struct{}, len(ds))
	w := newBatchWrite(len(ds))
	copies := make([]delivery.Delivery, len(ds)) // the rule's copies, in one allocation
	for i := range ds {
		if _, dup := seen[ds[i].ID]; dup {
			// A delivery listed twice is changed once, as by the memory store.
			failed[i] = errs.Wrap(delivery.ErrNotFound, "delivery %s", ds[i].ID)
			continue
		}
		seen[ds[i].ID] = struct{}{}
		d := &copies[i]
		*d = ds[i]
		c, err := delivery.ApplyProgress(d, func(d *delivery.Delivery) (delivery.Change, error) { return fn(i, d) })
		if err != nil {
			failed[i] = err
			continue
		}
		if err := w.add(i, d, c); err != nil {
			return nil, err
		}
	}
	if len(w.ids) == 0 {
		return failed, nil
	}
	written, err := w.exec(ctx, s.pool)
	if err != nil {
		return nil, pgdoc.Err(err)
	}
	if len(written) == len(w.ids) {
		return failed, nil
	}
	// Some copies were stale or their deliveries unknown: which, one more
	// read tells (queue rows are never deleted, so this read cannot
	// mistake a stale copy for an unknown delivery).
	rows, err := s.pool.Query(ctx, `SELECT id, version FROM delivery_queue WHERE id = ANY($1)`, w.ids)
	if err != nil {
		return nil, pgdoc.Err(err)
	}
	stored := make(map[uuid.UUID]int, len(w.ids))
	for rows.Next() {
		var id uuid.UUID
		var v int
		if err := rows.Scan((*[16]byte)(&id), &v); err != nil {
			rows.Close()
			return nil, pgdoc.Err(err)
		}
		stored[id] = v
	}
	if err := rows.Err(); err != nil {
		return nil, pgdoc.Err(err)
	}
	for k, id := range w.ids {
		if _, ok := written[id]; ok {
			continue
		}
		i := w.index[k]
		if v, ok := stored[id]; ok {
			failed[i] = errs.Wrap(delivery.ErrConflict, "delivery %s is at version %d, not %d", uuid.UUID(id), v, ds[i].Version)
		} else {
			failed[i] = errs.Wrap(delivery.ErrNotFound, "delivery %s", uuid.UUID(id))
		}
	}
	return failed, nil
}

// batchWrite collects the writes of many deliveries, sent as one statement
// whatever their number. UUIDs are kept as [16]byte, which pgx encodes
// directly (a uuid.UUID goes through its text form).
type batchWrite struct {
	index    []int // the position in the caller's slice of each delivery
	ids      [][16]byte
	versions []int                // the new version; the stored one must be one less
	due      []pgtype.Timestamptz // not valid: NULL
	progress [][]byte
	leases   []pgtype.UUID
	untils   []pgtype.Timestamptz
	evDocs   [][16]byte
	evSeqs   []int
	evData   [][]byte
	// The events, each with the delivery whose change it is (owner).
	evOwners [][16]byte
	evIDs    [][16]byte
	evTypes  []string
	evAggs   [][16]byte
	evTimes  []time.Time
	evLoads  [][]byte
}

// newBatchWrite returns a batchWrite with room for n deliveries and for
// two evidence entries and two events each, what a send usually brings, so
// that its slices seldom grow while the batch is collected.
func newBatchWrite(n int) *batchWrite {
	return &batchWrite{
		index: make([]int, 0, n), ids: make([][16]byte, 0, n), versions: make([]int, 0, n), due: make([]pgtype.Timestamptz, 0, n),
		progress: make([][]byte, 0, n), leases: make([]pgtype.UUID, 0, n), untils: make([]pgtype.Timestamptz, 0, n),
		evDocs: make([][16]byte, 0, 2*n), evSeqs: make([]int, 0, 2*n), evData: make([][]byte, 0, 2*n),
		evOwners: make([][16]byte, 0, 2*n), evIDs: make([][16]byte, 0, 2*n), evTypes: make([]string, 0, 2*n),
		evAggs: make([][16]byte, 0, 2*n), evTimes: make([]time.Time, 0, 2*n), evLoads: make([][]byte, 0, 2*n),
	}
}

func (w *batchWrite) add(i int, d *delivery.Delivery, c delivery.Change) error {
	data, err := pgdoc.JSON(progressOf(d))
	if err != nil {
		return err
	}
	due := d.DueAt()
	w.index = append(w.index, i)
	w.ids, w.versions, w.due, w.progress = append(w.ids, d.ID), append(w.versions, d.Version), append(w.due, pgtype.Timestamptz{Time: due, Valid: !due.IsZero()}), append(w.progress, data)
	w.leases = append(w.leases, pgtype.UUID{Bytes: d.LeaseID, Valid: d.LeaseID != uuid.Nil})
	w.untils = append(w.untils, pgtype.Timestamptz{Time: d.LeaseUntil, Valid: !d.LeaseUntil.IsZero()})
	for _, e := range c.Evidence {
		ev, err := pgdoc.JSON(e)
		if err != nil {
			return err
		}
		w.evDocs, w.evSeqs, w.evData = append(w.evDocs, e.DocumentID), append(w.evSeqs, e.Seq), append(w.evData, ev)
	}
	for _, e := range c.Events {
		payload, err := json.Marshal(e.Payload)
		if err != nil {
			return fmt.Errorf("outbox: encode payload of %s: %w", e.Type, err)
		}
		w.evOwners, w.evIDs, w.evTypes = append(w.evOwners, d.ID), append(w.evIDs, e.ID), append(w.evTypes, e.Type)
		w.evAggs, w.evTimes, w.evLoads = append(w.evAggs, e.AggregateID), append(w.evTimes, e.Time), append(w.evLoads, payload)
	}
	return nil
}

// completeMany writes the queue rows of deliveries whose stored version is
// one less than the new one, then the evidence and the events (into the
// outbox, as outbox.QueueAll writes them, in order) of the deliveries
// written. The
// rows are given in the order of their IDs, and the plan PostgreSQL picks
// for a batch (a loop over them, each looked up by its key) locks them in
// that order, so two such statements over shared rows (a lease that ran
// out) wait for each other rather than deadlock; were it to deadlock,
// PostgreSQL fails one and the dispatcher records that part one by one.
const completeMany = `WITH w AS (
	UPDATE delivery_queue q
	SET version = u.version, lease_id = u.lease_id, lease_until = u.lease_until, progress = u.progress, due_at = u.due_at
	FROM (SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::json[], $5::uuid[], $6::timestamptz[])
			AS u(id, version, due_at, progress, lease_id, lease_until) ORDER BY id) AS u
	WHERE q.id = u.id AND q.version = u.version - 1
	RETURNING q.id
), ev AS (
	INSERT INTO delivery_evidence (document_id, seq, data)
	SELECT e.document_id, e.seq, e.data FROM unnest($7::uuid[], $8::int[], $9::json[]) AS e(document_id, seq, data)
	WHERE e.document_id IN (SELECT id FROM w)
), ob AS (
	INSERT INTO outbox (id, type, aggregate_id, occurred_at, payload)
	SELECT e.id, e.type, e.aggregate_id, e.occurred_at, e.payload
	FROM unnest($10::uuid[], $11::uuid[], $12::text[], $13::uuid[], $14::timestamptz[], $15::jsonb[]) WITH ORDINALITY
		AS e(owner, id, type, aggregate_id, occurred_at, payload, n)
	WHERE e.owner IN (SELECT id FROM w)
	ORDER BY e.n
)
SELECT id FROM w`

// exec runs the write and returns the IDs of the deliveries it wrote.
func (w *batchWrite) exec(ctx context.Context, q pgdoc.Querier) (map[uuid.UUID]struct{}, error) {
	rows, err := q.Query(ctx, completeMany, w.ids, w.versions, w.due, w.progress, w.leases, w.untils,
		w.evDocs, w.evSeqs, w.evData, w.evOwners, w.evIDs, w.evTypes, w.evAggs, w.evTimes, w.evLoads)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	written := make(map[uuid.UUID]struct{}, len(w.ids))
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan((*[16]byte)(&id)); err != nil {
			return nil, err
		}
		written[id] = struct{}{}
	}
	return written, rows.Err()
}

// Evidence implements delivery.Store.
func (s *Store) Evidence(ctx context.Context, id uuid.UUID) ([]delivery.Evidence, error) {
	rows, err := s.pool.Query(ctx, `SELECT data FROM delivery_evidence WHERE document_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, pgdoc.Err(err)
	}
	ev, err := pgdoc.Collect[delivery.Evidence](rows)
	if err == nil && len(ev) == 0 {
		return nil, errs.Wrap(delivery.ErrNotFound, "no evidence for %s", id)
	}
	return ev, err
}

// List implements delivery.Store. A recipient's page walks the index on
// (party, seq) of each party backwards and merges them; everyone's walks
// the index on seq. Only the page's rows are then joined with their queue
// rows.
func (s *Store) List(ctx context.Context, q delivery.Query) (delivery.Page, error) {
	return s.list(ctx, q, "data")
}

// Summaries implements delivery.Store: List reading each delivery's header
// instead of its document.
func (s *Store) Summaries(ctx context.Context, q delivery.Query) (delivery.Page, error) {
	return s.list(ctx, q, "header")
}

// pageSQL is the statement of a page of deliveries: the rows of
// delivery_deliveries that from selects (the columns seq, id and doc,
// newest first, at most $2) joined with their queue rows. The page is
// taken before the join, so that PostgreSQL joins its rows only, each by
// the queue's primary key.
func pageSQL(doc, from string) string {
	return `SELECT d.seq, d.` + doc + `, ` + queueColumns + ` FROM (` + from + `) AS d
		JOIN delivery_queue q ON q.id = d.id ORDER BY d.seq DESC`
}

// partiesSQL is the page of the deliveries of n parties (see pageSQL):
// one index scan per party, newest first, merged. A party is a parameter
// of its own (not an element of an array parameter), so the generic plan
// of the prepared statement knows it scans n parties; PostgreSQL then
// keeps that plan instead of planning the statement again on every call
// (see TestSummariesArePlannedOnce).
func partiesSQL(n int, doc string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(" UNION ALL ")
		}
		fmt.Fprintf(&b, "(SELECT seq, id, %s FROM delivery_deliveries WHERE party = $%d AND seq < $1 ORDER BY seq DESC LIMIT $2)", doc, i+3)
	}
	if n > 1 {
		b.WriteString(" ORDER BY seq DESC LIMIT $2")
	}
	return pageSQL(doc, b.String())
}

// list is List reading the column doc (data or header) of each row beside
// its queue row.
func (s *Store) list(ctx context.Context, q delivery.Query, doc string) (delivery.Page, error) {
	after, err := q.After()
	if err != nil {
		return delivery.Page{}, err
	}
	if after == 0 {
		after = math.MaxInt64
	}
	size := q.PageSize()
	var rows pgx.Rows
	if len(q.Parties) == 0 {
		rows, err = pggather.Query(ctx, s.pool, pageSQL(doc, `SELECT seq, id, `+doc+` FROM delivery_deliveries WHERE seq < $1 ORDER BY seq DESC LIMIT $2`), after, size+1)
	} else {
		args := []any{after, size + 1}
		for _, p := range q.Parties {
			if !slices.Contains(args[2:], any(p.String())) {
				args = append(args, p.String())
			}
		}
		rows, err = pggather.Query(ctx, s.pool, partiesSQL(len(args)-2, doc), args...)
	}
	if err != nil {
		return delivery.Page{}, pgdoc.Err(err)
	}
	page := delivery.Page{Deliveries: []delivery.Delivery{}}
	var seqs []int64
	for rows.Next() {
		var seq int64
		var d delivery.Delivery
		if doc == "header" {
			err = scanSummary(rows, &d, &seq, s.summaries)
		} else {
			err = scanDelivery(rows, &d, &seq)
		}
		if err != nil {
			rows.Close()
			return delivery.Page{}, err
		}
		seqs = append(seqs, seq)
		page.Deliveries = append(page.Deliveries, d)
	}
	if err := rows.Err(); err != nil {
		return delivery.Page{}, pgdoc.Err(err)
	}
	if len(page.Deliveries) > size {
		page.Deliveries = page.Deliveries[:size]
		page.Next = delivery.CursorAt(seqs[size-1])
	}
	return page, nil
}

// ReservePaper implements delivery.Store: the day's row is created or
// locked first, then delivery.PaperSlotFree decides.
func (s *Store) ReservePaper(ctx context.Context, day calendar.Date, limit int) (bool, error) {
	ok := false
	err := pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		var used int
		if err := tx.QueryRow(ctx, `INSERT INTO delivery_paper_quota AS q (day, used) VALUES ($1, 0)
			ON CONFLICT (day) DO UPDATE SET used = q.used RETURNING used`, day.String()).Scan(&used); err != nil {
			return err
		}
		if ok = delivery.PaperSlotFree(used, limit); !ok {
			return nil
		}
		_, err := tx.Exec(ctx, `UPDATE delivery_paper_quota SET used = used + 1 WHERE day = $1`, day.String())
		return err
	})
	if err != nil {
		return false, fmt.Errorf("reserve paper: %w", err)
	}
	return ok, nil
}
