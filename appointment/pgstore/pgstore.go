// Package pgstore is the PostgreSQL appointment.Store (pgx v5), on the
// SDK's shared skeleton (internal/pgdoc). It holds no rule of its own: it
// runs appointment.Admit and appointment.Fits in the transaction that
// writes a booking, after locking the counter's row FOR UPDATE, so two
// bookings on one counter are checked one after the other and can never
// both take the last place. A citizen's requests take a transaction-scoped
// advisory lock on the citizen (the open-booking limit, double clicks), a
// channel quota one on the slot. Events go to the outbox in the same
// transaction, after the booking's row is written or locked.
package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/pgdoc"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate creates or updates the tables, the outbox's included.
func (s *Store) Migrate(ctx context.Context) error {
	return pgdoc.Migrate(ctx, s.pool, "appointment", migrations, "migrations")
}

// Store is the PostgreSQL store. Counter ids must be unique across
// locations.
type Store struct{ pool *pgxpool.Pool }

// New returns a store on pool; run Migrate first.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

var _ appointment.Store = (*Store)(nil)

// PutService implements appointment.Store.
func (s *Store) PutService(ctx context.Context, svc appointment.Service) error {
	doc, err := pgdoc.JSON(svc)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO appointment_services (id, doc) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc`, svc.ID, doc)
	return pgdoc.Err(err)
}

// Service implements appointment.Store.
func (s *Store) Service(ctx context.Context, id string) (appointment.Service, error) {
	return pgdoc.Get[appointment.Service](ctx, s.pool, fmt.Sprintf("service %q", id), "SELECT doc FROM appointment_services WHERE id = $1", id)
}

// PutLocation implements appointment.Store.
func (s *Store) PutLocation(ctx context.Context, l appointment.Location) error {
	doc, err := pgdoc.JSON(l)
	if err != nil {
		return err
	}
	return pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO appointment_locations (id, doc) VALUES ($1, $2)
			ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc`, l.ID, doc); err != nil {
			return err
		}
		for _, c := range l.Counters {
			if _, err := tx.Exec(ctx, `INSERT INTO appointment_counters (id, location_id) VALUES ($1, $2)
				ON CONFLICT (id) DO UPDATE SET location_id = EXCLUDED.location_id`, c.ID, l.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// Location implements appointment.Store.
func (s *Store) Location(ctx context.Context, id string) (appointment.Location, error) {
	return pgdoc.Get[appointment.Location](ctx, s.pool, fmt.Sprintf("location %q", id), "SELECT doc FROM appointment_locations WHERE id = $1", id)
}

// counterBookings locks the counter's row and reads the bookings on it
// whose occupied time overlaps b's, whatever their status: Fits decides
// which count.
func counterBookings(ctx context.Context, tx pgx.Tx, b *appointment.Booking) ([]appointment.Booking, error) {
	var one int
	err := tx.QueryRow(ctx, "SELECT 1 FROM appointment_counters WHERE id = $1 FOR UPDATE", b.CounterID).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: counter %q", appointment.ErrNotFound, b.CounterID)
	}
	if err != nil {
		return nil, err
	}
	return collect(ctx, tx, `SELECT doc FROM appointment_bookings
		WHERE counter_id = $1 AND occupied_from < $3 AND occupied_to > $2`, b.CounterID, b.OccupiedFrom, b.OccupiedTo)
}

func collect(ctx context.Context, tx pgx.Tx, sql string, args ...any) ([]appointment.Booking, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgdoc.Collect[appointment.Booking](rows)
}

// neighbours takes the locks a new booking needs and reads what Admit
// judges it against.
func neighbours(ctx context.Context, tx pgx.Tx, b *appointment.Booking, lim appointment.Limits) (appointment.Neighbours, error) {
	var n appointment.Neighbours
	var err error
	if lim.MaxOpen > 0 {
		n.Citizen, err = collect(ctx, tx, `SELECT doc FROM appointment_bookings WHERE citizen_key = $1 AND service_id = $2`,
			b.Citizen.Key(), b.ServiceID)
		if err != nil {
			return n, err
		}
	}
	if lim.Quota > 0 {
		// Quota bookings at one start and channel may land on different
		// counters, so the counter lock does not cover them: lock the slot.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 11))",
			fmt.Sprintf("%s|%d|%s", b.LocationID, b.Start.UnixNano(), b.Channel)); err != nil {
			return n, err
		}
		n.Slot, err = collect(ctx, tx, `SELECT doc FROM appointment_bookings WHERE location_id = $1 AND start_at = $2`, b.LocationID, b.Start)
		if err != nil {
			return n, err
		}
	}
	n.Counter, err = counterBookings(ctx, tx, b)
	return n, err
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// heldBy returns a *DuplicateError naming the booking that holds key, or
// nil when none does.
func heldBy(ctx context.Context, tx pgx.Tx, key string) error {
	var held uuid.UUID
	err := tx.QueryRow(ctx, "SELECT id FROM appointment_bookings WHERE idempotency_key = $1", key).Scan(&held)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return &appointment.DuplicateError{Key: key, ID: held}
}

// create runs Create inside tx.
func create(ctx context.Context, tx pgx.Tx, nb appointment.NewBooking) error {
	b := &nb.Booking
	// The citizen's lock serialises a citizen's own requests: double clicks
	// and the open-booking count.
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", b.Citizen.Key()); err != nil {
		return err
	}
	if b.IdempotencyKey != "" {
		if err := heldBy(ctx, tx, b.IdempotencyKey); err != nil {
			return err
		}
	}
	n, err := neighbours(ctx, tx, b, nb.Limits)
	if err != nil {
		return err
	}
	if err := appointment.Admit(b, nb.Limits, n, nb.Now); err != nil {
		return err
	}
	doc, err := pgdoc.JSON(b)
	if err != nil {
		return err
	}
	// A key taken by a create that committed meanwhile (another citizen's)
	// inserts nothing; the unique index on the key decides, and the error
	// below rolls the events back.
	tag, err := pgdoc.Write(ctx, tx, nb.Events, `INSERT INTO appointment_bookings (id, reference, idempotency_key, citizen_key, service_id,
		location_id, counter_id, channel, start_at, occupied_from, occupied_to, status, hold_until, version, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (idempotency_key) DO NOTHING`,
		b.ID, b.Reference, nullString(b.IdempotencyKey), b.Citizen.Key(), b.ServiceID, b.LocationID, b.CounterID,
		b.Channel, b.Start, b.OccupiedFrom, b.OccupiedTo, b.Status, nullTime(b.HoldUntil), b.Version, doc)
	if pgdoc.IsUnique(err, "appointment_bookings_reference_key") {
		return appointment.ErrReferenceTaken
	}
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		if err := heldBy(ctx, tx, b.IdempotencyKey); err != nil {
			return err
		}
		return fmt.Errorf("%w: idempotency key %q", appointment.ErrConflict, b.IdempotencyKey)
	}
	return nil
}

// Create implements appointment.Store.
func (s *Store) Create(ctx context.Context, nb appointment.NewBooking) error {
	return pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error { return create(ctx, tx, nb) })
}

func (s *Store) getWhere(ctx context.Context, what, where string, arg any) (*appointment.Booking, error) {
	b, err := pgdoc.Get[appointment.Booking](ctx, s.pool, what, "SELECT doc FROM appointment_bookings WHERE "+where, arg)
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// Get implements appointment.Store.
func (s *Store) Get(ctx context.Context, id uuid.UUID) (*appointment.Booking, error) {
	return s.getWhere(ctx, "booking "+id.String(), "id = $1", id)
}

// ByIdempotencyKey implements appointment.Store.
func (s *Store) ByIdempotencyKey(ctx context.Context, key string) (*appointment.Booking, error) {
	return s.getWhere(ctx, "idempotency key", "idempotency_key = $1", key)
}

// ByReference implements appointment.Store.
func (s *Store) ByReference(ctx context.Context, ref appointment.Reference) (*appointment.Booking, error) {
	return s.getWhere(ctx, "booking "+string(ref), "reference = $1", ref)
}

// Update implements appointment.Store. It locks the booking's row before
// anything else, so the events of one booking reach the outbox in the
// order of its changes.
func (s *Store) Update(ctx context.Context, id uuid.UUID, fn func(*appointment.Booking) (appointment.Change, error)) (*appointment.Booking, error) {
	var out *appointment.Booking
	err := pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := pgdoc.Get[appointment.Booking](ctx, tx, "booking "+id.String(), "SELECT doc FROM appointment_bookings WHERE id = $1 FOR UPDATE", id)
		if err != nil {
			return err
		}
		next := cur
		ch, err := fn(&next)
		if err != nil {
			return err
		}
		if next.ActiveAt(ch.Now) {
			others, err := counterBookings(ctx, tx, &next)
			if err != nil {
				return err
			}
			if err := appointment.Fits(&next, others, ch.Now); err != nil {
				return err
			}
		}
		next.Version = cur.Version + 1
		doc, err := pgdoc.JSON(next)
		if err != nil {
			return err
		}
		if _, err := pgdoc.Write(ctx, tx, ch.Events, `UPDATE appointment_bookings SET counter_id = $2, start_at = $3, occupied_from = $4,
			occupied_to = $5, status = $6, hold_until = $7, version = $8, doc = $9 WHERE id = $1`,
			id, next.CounterID, next.Start, next.OccupiedFrom, next.OccupiedTo, next.Status, nullTime(next.HoldUntil), next.Version, doc); err != nil {
			return err
		}
		out = &next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Busy implements appointment.Store. The bookings overlapping the range
// are read whatever their status; Booking.ActiveAt says which take time.
func (s *Store) Busy(ctx context.Context, locationID string, from, to, now time.Time) ([]appointment.Busy, error) {
	rows, err := s.pool.Query(ctx, `SELECT counter_id, service_id, start_at, occupied_from, occupied_to, channel, status, hold_until
		FROM appointment_bookings WHERE location_id = $1 AND occupied_from < $3 AND occupied_to > $2
		ORDER BY counter_id, occupied_from`, locationID, from, to)
	if err != nil {
		return nil, pgdoc.Err(err)
	}
	defer rows.Close()
	var out []appointment.Busy
	for rows.Next() {
		var b appointment.Booking
		var holdUntil *time.Time
		if err := rows.Scan(&b.CounterID, &b.ServiceID, &b.Start, &b.OccupiedFrom, &b.OccupiedTo, &b.Channel, &b.Status, &holdUntil); err != nil {
			return nil, err
		}
		if holdUntil != nil {
			b.HoldUntil = *holdUntil
		}
		if b.ActiveAt(now) {
			out = append(out, b.Busy())
		}
	}
	return out, pgdoc.Err(rows.Err())
}

// CounterBookings implements appointment.Store.
func (s *Store) CounterBookings(ctx context.Context, counterID string, from, to time.Time) iter.Seq2[appointment.Booking, error] {
	return pgdoc.All[appointment.Booking](ctx, s.pool, `SELECT doc FROM appointment_bookings
		WHERE counter_id = $1 AND start_at >= $2 AND start_at < $3 ORDER BY start_at, id`, counterID, from, to)
}

// CitizenBookings implements appointment.Store, on the index on
// (citizen_key, start_at).
func (s *Store) CitizenBookings(ctx context.Context, citizenKey string, from, to time.Time) iter.Seq2[appointment.Booking, error] {
	return pgdoc.All[appointment.Booking](ctx, s.pool, `SELECT doc FROM appointment_bookings
		WHERE citizen_key = $1 AND start_at >= $2 AND start_at < $3 ORDER BY start_at, id`, citizenKey, from, to)
}

// AddWaiter implements appointment.Store.
func (s *Store) AddWaiter(ctx context.Context, w appointment.Waiter, events []event.Event) error {
	doc, err := pgdoc.JSON(w)
	if err != nil {
		return err
	}
	return pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := pgdoc.Write(ctx, tx, events, `INSERT INTO appointment_waiters (id, service_id, location_id, doc) VALUES ($1, $2, $3, $4)`,
			w.ID, w.ServiceID, w.LocationID, doc)
		return err
	})
}

// Waiters implements appointment.Store.
func (s *Store) Waiters(ctx context.Context, serviceID, locationID string) iter.Seq2[appointment.Waiter, error] {
	return pgdoc.All[appointment.Waiter](ctx, s.pool, `SELECT doc FROM appointment_waiters
		WHERE service_id = $1 AND location_id = $2 ORDER BY seq`, serviceID, locationID)
}

func lockWaiter(ctx context.Context, tx pgx.Tx, id uuid.UUID) (appointment.Waiter, error) {
	return pgdoc.Get[appointment.Waiter](ctx, tx, "waiter "+id.String(), "SELECT doc FROM appointment_waiters WHERE id = $1 FOR UPDATE", id)
}

// OfferTo implements appointment.Store.
func (s *Store) OfferTo(ctx context.Context, waiterID uuid.UUID, hold appointment.NewBooking) error {
	return pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		w, err := lockWaiter(ctx, tx, waiterID)
		if err != nil {
			return err
		}
		if w.OfferedBooking != uuid.Nil {
			return fmt.Errorf("%w: waiter %s already has an offer", appointment.ErrConflict, waiterID)
		}
		if err := create(ctx, tx, hold); err != nil {
			return err
		}
		w.OfferedBooking = hold.Booking.ID
		doc, err := pgdoc.JSON(w)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE appointment_waiters SET offered_booking = $2, doc = $3 WHERE id = $1", waiterID, w.OfferedBooking, doc)
		return err
	})
}

// LapseOffer implements appointment.Store.
func (s *Store) LapseOffer(ctx context.Context, waiterID uuid.UUID) error {
	return pgdoc.Tx(ctx, s.pool, func(tx pgx.Tx) error {
		w, err := lockWaiter(ctx, tx, waiterID)
		if err != nil {
			return err
		}
		if w.OfferedBooking == uuid.Nil || w.Lapsed {
			return fmt.Errorf("%w: waiter %s has no open offer", appointment.ErrConflict, waiterID)
		}
		w.Lapsed = true
		doc, err := pgdoc.JSON(w)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE appointment_waiters SET doc = $2 WHERE id = $1", waiterID, doc)
		return err
	})
}
