// Package pgstore is the PostgreSQL delivery.Store (pgx v5) on the SDK's
// shared skeleton (internal/pgdoc). The queue is the deliveries table
// itself: Claim takes due rows with SELECT ... FOR UPDATE SKIP LOCKED so
// concurrent dispatchers never share a row, and every change writes its
// evidence and its events (to the outbox) in the same transaction, after
// locking or inserting the delivery's row. The rules the store applies are
// the delivery package's (ApplyCreate, ApplyUpdate, ApplyClaim,
// ApplyPreference); this package only reads and writes.
package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/pgdoc"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the PostgreSQL delivery.Store.
type Store struct {
	pool *pgxpool.Pool
}

var _ delivery.Store = (*Store)(nil)

// New returns a store over pool; call Migrate once before use.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

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
	updateDelivery = `UPDATE delivery_deliveries SET version = $2, due_at = $3, data = $4, lease_id = $5, lease_until = $6, summary = $7 WHERE id = $1`
)

// queueChange adds to b the write of d (already locked) with its evidence
// and events.
func queueChange(b *pgx.Batch, d *delivery.Delivery, c delivery.Change) error {
	data, sum, err := encode(d)
	if err != nil {
		return err
	}
	lease, until := leaseArgs(d)
	b.Queue(updateDelivery, d.ID, d.Version, dueArg(d), data, lease, until, sum)
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

// Enqueue implements delivery.Store. The insert comes first in its
// transaction; a concurrent enqueue of the ID waits for it to commit and
// then inserts nothing.
func (s *Store) Enqueue(ctx context.Context, d delivery.Delivery, c delivery.Change) error {
	if err := delivery.ApplyCreate(&d, c); err != nil {
		return err
	}
	data, sum, err := encode(&d)
	if err != nil {
		return err
	}
	return pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		lease, until := leaseArgs(&d)
		tag, err := tx.Exec(ctx, `INSERT INTO delivery_deliveries (id, version, due_at, party, data, lease_id, lease_until, summary)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`, d.ID, d.Version, dueArg(&d), d.Document.Party.String(), data, lease, until, sum)
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
	return getDelivery(ctx, s.pool, `SELECT `+deliveryColumns+` FROM delivery_deliveries WHERE id = $1`, id)
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

// Claim implements delivery.Store with one statement: the due rows are
// picked and locked (FOR UPDATE SKIP LOCKED, so concurrent claimers never
// get one row) and leased in place, in the lease columns only (the
// document is not rewritten), so a batch costs one round trip and one
// commit whatever its size. The deliveries of one claim share its lease ID.
//
// A row is due when due_at has passed and it holds no lease that still
// runs: together, when its delivery's DueAt (the later of NextAt and the
// lease's end) has passed. The claim leaves due_at alone, so it changes no
// indexed column and PostgreSQL can update the row in place (HOT; see the
// migration 0004). The rows are taken in the order of due_at, the index's:
// a delivery whose lease ran out (its dispatcher died) ranks by when it was
// due before that claim, ahead of deliveries that fell due since. The rows
// are updated by the physical address (ctid) the locking scan returned,
// which a locked row keeps.
func (s *Store) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]delivery.Delivery, error) {
	if err := delivery.CheckClaim(lease, limit); err != nil {
		return nil, err
	}
	var probe delivery.Delivery
	delivery.ApplyClaim(&probe, now, lease) // the package's rule: the lease's ID and end
	rows, err := s.pool.Query(ctx, `UPDATE delivery_deliveries d
		SET version = d.version + 1, lease_id = $3, lease_until = $4
		WHERE d.ctid = ANY (ARRAY(
			SELECT ctid FROM delivery_deliveries
			WHERE due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
			ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED))
		RETURNING d.`+deliveryColumns, now, limit, probe.LeaseID, probe.LeaseUntil)
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

// Update implements delivery.Store: the row is locked first, then the rule
// runs on it, then the delivery, its evidence and its events are written.
func (s *Store) Update(ctx context.Context, id uuid.UUID, fn func(*delivery.Delivery) (delivery.Change, error)) (*delivery.Delivery, error) {
	var out *delivery.Delivery
	err := pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		d, err := getDelivery(ctx, tx, `SELECT `+deliveryColumns+` FROM delivery_deliveries WHERE id = $1 FOR UPDATE`, id)
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

// UpdateMany implements delivery.Store: one transaction locks every row
// and reads only its version, the caller's copies being current when the
// versions agree, and three statements write the deliveries, their
// evidence and their events.
func (s *Store) UpdateMany(ctx context.Context, ds []delivery.Delivery, fn func(int, *delivery.Delivery) (delivery.Change, error)) ([]error, error) {
	failed := make([]error, len(ds))
	ids := make([][16]byte, len(ds)) // [16]byte, which pgx encodes directly, not through uuid's text
	for i := range ds {
		ids[i] = ds[i].ID
	}
	err := pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		clear(failed)
		rows, err := tx.Query(ctx, `SELECT id, version FROM delivery_deliveries WHERE id = ANY($1) ORDER BY id FOR UPDATE`, ids)
		if err != nil {
			return err
		}
		stored := make(map[uuid.UUID]int, len(ds))
		for rows.Next() {
			var id uuid.UUID
			var v int
			if err := rows.Scan((*[16]byte)(&id), &v); err != nil {
				rows.Close()
				return err
			}
			stored[id] = v
		}
		if err := rows.Err(); err != nil {
			return err
		}
		var w batchWrite
		for i := range ds {
			v, ok := stored[ds[i].ID]
			switch {
			case !ok:
				failed[i] = errs.Wrap(delivery.ErrNotFound, "delivery %s", ds[i].ID)
				continue
			case v != ds[i].Version:
				failed[i] = errs.Wrap(delivery.ErrConflict, "delivery %s is at version %d, not %d", ds[i].ID, v, ds[i].Version)
				continue
			}
			delete(stored, ds[i].ID) // a delivery listed twice is changed once
			d := ds[i]
			c, err := delivery.ApplyUpdate(&d, func(d *delivery.Delivery) (delivery.Change, error) { return fn(i, d) })
			if err != nil {
				failed[i] = err
				continue
			}
			if err := w.add(&d, c); err != nil {
				return err
			}
		}
		if len(w.ids) == 0 {
			return nil
		}
		b, err := w.batch()
		if err != nil {
			return err
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return nil, err
	}
	return failed, nil
}

// batchWrite collects the writes of many deliveries, sent as three
// statements (deliveries, evidence, events) whatever their number. UUIDs
// are kept as [16]byte, which pgx encodes directly (a uuid.UUID goes
// through its text form).
type batchWrite struct {
	ids      [][16]byte
	versions []int
	due      []*time.Time
	docs     []string
	sums     []string
	leases   []*[16]byte
	untils   []*time.Time
	evDocs   [][16]byte
	evSeqs   []int
	evData   []string
	events   []event.Event
}

func (w *batchWrite) add(d *delivery.Delivery, c delivery.Change) error {
	data, sum, err := encode(d)
	if err != nil {
		return err
	}
	w.sums = append(w.sums, string(sum))
	var due *time.Time
	if t := d.DueAt(); !t.IsZero() {
		due = &t
	}
	w.ids, w.versions, w.due, w.docs = append(w.ids, d.ID), append(w.versions, d.Version), append(w.due, due), append(w.docs, string(data))
	var lease *[16]byte
	var until *time.Time
	if d.LeaseID != uuid.Nil {
		lease = (*[16]byte)(&d.LeaseID)
	}
	if !d.LeaseUntil.IsZero() {
		until = &d.LeaseUntil
	}
	w.leases, w.untils = append(w.leases, lease), append(w.untils, until)
	for _, e := range c.Evidence {
		ev, err := pgdoc.JSON(e)
		if err != nil {
			return err
		}
		w.evDocs, w.evSeqs, w.evData = append(w.evDocs, e.DocumentID), append(w.evSeqs, e.Seq), append(w.evData, string(ev))
	}
	w.events = append(w.events, c.Events...)
	return nil
}

func (w *batchWrite) batch() (*pgx.Batch, error) {
	b := &pgx.Batch{}
	b.Queue(`UPDATE delivery_deliveries d
		SET version = u.version, due_at = u.due_at, data = u.data, lease_id = u.lease_id, lease_until = u.lease_until, summary = u.summary
		FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::json[], $5::uuid[], $6::timestamptz[], $7::json[])
			AS u(id, version, due_at, data, lease_id, lease_until, summary)
		WHERE d.id = u.id AND d.id = ANY ($1)`, w.ids, w.versions, w.due, w.docs, w.leases, w.untils, w.sums)
	if len(w.evDocs) > 0 {
		b.Queue(`INSERT INTO delivery_evidence (document_id, seq, data)
			SELECT * FROM unnest($1::uuid[], $2::int[], $3::json[])`, w.evDocs, w.evSeqs, w.evData)
	}
	return b, outbox.QueueAll(b, w.events)
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
// the index on seq.
func (s *Store) List(ctx context.Context, q delivery.Query) (delivery.Page, error) {
	return s.list(ctx, q, deliveryColumns, scanDelivery)
}

// Summaries implements delivery.Store: List reading the column summary
// instead of the document.
func (s *Store) Summaries(ctx context.Context, q delivery.Query) (delivery.Page, error) {
	return s.list(ctx, q, summaryColumns, scanDelivery)
}

// list is List reading cols of each row with scan.
func (s *Store) list(ctx context.Context, q delivery.Query, cols string, scan func(pgx.Row, *delivery.Delivery, ...any) error) (delivery.Page, error) {
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
		rows, err = s.pool.Query(ctx, `SELECT seq, `+cols+` FROM delivery_deliveries WHERE seq < $1 ORDER BY seq DESC LIMIT $2`, after, size+1)
	} else {
		var parties []string
		for _, p := range q.Parties {
			if !slices.Contains(parties, p.String()) {
				parties = append(parties, p.String())
			}
		}
		rows, err = s.pool.Query(ctx, `SELECT d.* FROM unnest($1::text[]) AS p(party)
			CROSS JOIN LATERAL (SELECT seq, `+cols+` FROM delivery_deliveries
				WHERE party = p.party AND seq < $2 ORDER BY seq DESC LIMIT $3) AS d
			ORDER BY d.seq DESC LIMIT $3`, parties, after, size+1)
	}
	if err != nil {
		return delivery.Page{}, pgdoc.Err(err)
	}
	page := delivery.Page{Deliveries: []delivery.Delivery{}}
	var seqs []int64
	for rows.Next() {
		var seq int64
		var d delivery.Delivery
		if err := scan(rows, &d, &seq); err != nil {
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
