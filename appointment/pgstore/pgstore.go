// Package pgstore is the PostgreSQL appointment.Store (pgx v5). A booking's
// capacity check runs in the transaction that writes it, after locking the
// counter's row FOR UPDATE, so two bookings on one counter are checked one
// after the other and can never both take the last place. Per-citizen limits
// take a transaction-scoped advisory lock on the citizen. Events go to the
// outbox in the same transaction.
package pgstore

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/lokaalbestuur/bouwstenen/appointment"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/outbox"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate creates or updates the tables, the outbox's included.
func (s *Store) Migrate(ctx context.Context) error {
	if err := outbox.Migrate(ctx, s.pool); err != nil {
		return err
	}
	_, err := migrate.Run(ctx, s.pool, "appointment", migrations, "migrations")
	return err
}

// Store is the PostgreSQL store. Counter ids must be unique across
// locations.
type Store struct{ pool *pgxpool.Pool }

// New returns a store on pool; run Migrate first.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

var _ appointment.Store = (*Store)(nil)

func getDoc[T any](ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, what, sql string, args ...any) (T, error) {
	var v T
	var doc []byte
	err := q.QueryRow(ctx, sql, args...).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, fmt.Errorf("%w: %s %v", appointment.ErrNotFound, what, args[0])
	}
	if err != nil {
		return v, err
	}
	return v, json.Unmarshal(doc, &v)
}

// PutService implements appointment.Store.
func (s *Store) PutService(ctx context.Context, svc appointment.Service) error {
	doc, err := json.Marshal(svc)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO appointment_services (id, doc) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc`, svc.ID, doc)
	return err
}

// Service implements appointment.Store.
func (s *Store) Service(ctx context.Context, id string) (appointment.Service, error) {
	return getDoc[appointment.Service](ctx, s.pool, "service", "SELECT doc FROM appointment_services WHERE id = $1", id)
}

// PutLocation implements appointment.Store.
func (s *Store) PutLocation(ctx context.Context, l appointment.Location) error {
	doc, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
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
	return getDoc[appointment.Location](ctx, s.pool, "location", "SELECT doc FROM appointment_locations WHERE id = $1", id)
}

// active is the SQL for "active at the time in parameter n" (see
// appointment.Booking.ActiveAt).
func active(n int) string {
	return fmt.Sprintf("(status IN ('confirmed', 'checked_in') OR (status = 'held' AND hold_until > $%d))", n)
}

// fits locks the counter's row and checks b against the counter's other
// active bookings.
func fits(ctx context.Context, tx pgx.Tx, b *appointment.Booking, now time.Time) error {
	var one int
	err := tx.QueryRow(ctx, "SELECT 1 FROM appointment_counters WHERE id = $1 FOR UPDATE", b.CounterID).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: counter %q", appointment.ErrNotFound, b.CounterID)
	}
	if err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT doc FROM appointment_bookings
		WHERE counter_id = $1 AND occupied_from < $3 AND occupied_to > $2 AND `+active(4),
		b.CounterID, b.OccupiedFrom, b.OccupiedTo, now)
	if err != nil {
		return err
	}
	others, err := pgx.CollectRows(rows, scanBooking)
	if err != nil {
		return err
	}
	return appointment.Fits(b, others, now)
}

func scanBooking(row pgx.CollectableRow) (appointment.Booking, error) {
	var doc []byte
	var b appointment.Booking
	if err := row.Scan(&doc); err != nil {
		return b, err
	}
	return b, json.Unmarshal(doc, &b)
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

func insert(ctx context.Context, tx pgx.Tx, b *appointment.Booking) error {
	doc, err := json.Marshal(b)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO appointment_bookings (id, reference, idempotency_key, citizen_key, service_id,
		location_id, counter_id, channel, start_at, occupied_from, occupied_to, status, hold_until, version, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		b.ID, b.Reference, nullString(b.IdempotencyKey), b.Citizen.Key(), b.ServiceID, b.LocationID, b.CounterID,
		b.Channel, b.Start, b.OccupiedFrom, b.OccupiedTo, b.Status, nullTime(b.HoldUntil), b.Version, doc)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		if pe.ConstraintName == "appointment_bookings_reference_key" {
			return appointment.ErrReferenceTaken
		}
		return fmt.Errorf("%w: %s", appointment.ErrConflict, pe.ConstraintName)
	}
	return err
}

// create runs Create's checks and insert inside tx.
func create(ctx context.Context, tx pgx.Tx, nb appointment.NewBooking, now time.Time) (appointment.Booking, bool, error) {
	b := nb.Booking
	key := b.Citizen.Key()
	// The citizen's lock serialises a citizen's own requests: double clicks
	// and the open-booking count.
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", key); err != nil {
		return b, false, err
	}
	if b.IdempotencyKey != "" {
		got, err := getDoc[appointment.Booking](ctx, tx, "booking", "SELECT doc FROM appointment_bookings WHERE idempotency_key = $1", b.IdempotencyKey)
		if err == nil {
			return got, false, nil
		}
		if !errors.Is(err, appointment.ErrNotFound) {
			return b, false, err
		}
	}
	if nb.MaxOpen > 0 {
		var open int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM appointment_bookings
			WHERE citizen_key = $1 AND service_id = $2 AND start_at > $3 AND `+active(3),
			key, b.ServiceID, now).Scan(&open); err != nil {
			return b, false, err
		}
		if open >= nb.MaxOpen {
			return b, false, appointment.ErrLimitReached
		}
	}
	if nb.QuotaLimit > 0 {
		// Quota bookings at one start and channel may land on different
		// counters, so the counter lock does not cover them: lock the slot.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 11))",
			fmt.Sprintf("%s|%d|%s", b.LocationID, b.Start.UnixNano(), b.Channel)); err != nil {
			return b, false, err
		}
		var used int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM appointment_bookings
			WHERE location_id = $1 AND start_at = $2 AND channel = $3 AND `+active(4),
			b.LocationID, b.Start, b.Channel, now).Scan(&used); err != nil {
			return b, false, err
		}
		if used >= nb.QuotaLimit {
			return b, false, fmt.Errorf("%w: the %s quota for this slot is used up", appointment.ErrSlotTaken, b.Channel)
		}
	}
	if err := fits(ctx, tx, &b, now); err != nil {
		return b, false, err
	}
	if err := insert(ctx, tx, &b); err != nil {
		return b, false, err
	}
	return b, true, outbox.Write(ctx, tx, nb.Events...)
}

// Create implements appointment.Store.
func (s *Store) Create(ctx context.Context, nb appointment.NewBooking, now time.Time) (appointment.Booking, bool, error) {
	var out appointment.Booking
	var created bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		out, created, err = create(ctx, tx, nb, now)
		return err
	})
	if err != nil {
		return appointment.Booking{}, false, err
	}
	return out, created, nil
}

// Booking implements appointment.Store.
func (s *Store) Booking(ctx context.Context, id uuid.UUID) (appointment.Booking, error) {
	return getDoc[appointment.Booking](ctx, s.pool, "booking", "SELECT doc FROM appointment_bookings WHERE id = $1", id)
}

// ByIdempotencyKey implements appointment.Store.
func (s *Store) ByIdempotencyKey(ctx context.Context, key string) (appointment.Booking, error) {
	return getDoc[appointment.Booking](ctx, s.pool, "booking", "SELECT doc FROM appointment_bookings WHERE idempotency_key = $1", key)
}

// ByReference implements appointment.Store.
func (s *Store) ByReference(ctx context.Context, ref appointment.Reference) (appointment.Booking, error) {
	return getDoc[appointment.Booking](ctx, s.pool, "booking", "SELECT doc FROM appointment_bookings WHERE reference = $1", ref)
}

// Update implements appointment.Store.
func (s *Store) Update(ctx context.Context, id uuid.UUID, now time.Time, fn func(*appointment.Booking) ([]event.Event, error)) (appointment.Booking, error) {
	var out appointment.Booking
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := getDoc[appointment.Booking](ctx, tx, "booking", "SELECT doc FROM appointment_bookings WHERE id = $1 FOR UPDATE", id)
		if err != nil {
			return err
		}
		next := cur
		evs, err := fn(&next)
		if err != nil {
			return err
		}
		if next.ActiveAt(now) {
			if err := fits(ctx, tx, &next, now); err != nil {
				return err
			}
		}
		next.Version = cur.Version + 1
		doc, err := json.Marshal(next)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE appointment_bookings SET counter_id = $2, start_at = $3, occupied_from = $4,
			occupied_to = $5, status = $6, hold_until = $7, version = $8, doc = $9 WHERE id = $1`,
			id, next.CounterID, next.Start, next.OccupiedFrom, next.OccupiedTo, next.Status, nullTime(next.HoldUntil), next.Version, doc); err != nil {
			return err
		}
		out = next
		return outbox.Write(ctx, tx, evs...)
	})
	if err != nil {
		return appointment.Booking{}, err
	}
	return out, nil
}

// Busy implements appointment.Store.
func (s *Store) Busy(ctx context.Context, locationID string, from, to, now time.Time) ([]appointment.Busy, error) {
	rows, err := s.pool.Query(ctx, `SELECT counter_id, service_id, start_at, occupied_from, occupied_to, channel
		FROM appointment_bookings WHERE location_id = $1 AND occupied_from < $3 AND occupied_to > $2 AND `+active(4)+`
		ORDER BY counter_id, occupied_from`, locationID, from, to, now)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (appointment.Busy, error) {
		var b appointment.Busy
		err := row.Scan(&b.CounterID, &b.ServiceID, &b.Start, &b.From, &b.To, &b.Channel)
		return b, err
	})
}

func docs[T any](ctx context.Context, pool *pgxpool.Pool, sql string, args ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		rows, err := pool.Query(ctx, sql, args...)
		if err != nil {
			yield(zero, err)
			return
		}
		defer rows.Close()
		for rows.Next() {
			var doc []byte
			var v T
			if err := rows.Scan(&doc); err != nil {
				yield(zero, err)
				return
			}
			if err := json.Unmarshal(doc, &v); err != nil {
				yield(zero, err)
				return
			}
			if !yield(v, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(zero, err)
		}
	}
}

// CounterBookings implements appointment.Store.
func (s *Store) CounterBookings(ctx context.Context, counterID string, from, to time.Time) iter.Seq2[appointment.Booking, error] {
	return docs[appointment.Booking](ctx, s.pool, `SELECT doc FROM appointment_bookings
		WHERE counter_id = $1 AND start_at >= $2 AND start_at < $3 ORDER BY start_at, id`, counterID, from, to)
}

// AddWaiter implements appointment.Store.
func (s *Store) AddWaiter(ctx context.Context, w appointment.Waiter, events []event.Event) error {
	doc, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO appointment_waiters (id, service_id, location_id, doc) VALUES ($1, $2, $3, $4)`,
			w.ID, w.ServiceID, w.LocationID, doc); err != nil {
			return err
		}
		return outbox.Write(ctx, tx, events...)
	})
}

// Waiters implements appointment.Store.
func (s *Store) Waiters(ctx context.Context, serviceID, locationID string) iter.Seq2[appointment.Waiter, error] {
	return docs[appointment.Waiter](ctx, s.pool, `SELECT doc FROM appointment_waiters
		WHERE service_id = $1 AND location_id = $2 ORDER BY seq`, serviceID, locationID)
}

// OfferTo implements appointment.Store.
func (s *Store) OfferTo(ctx context.Context, waiterID uuid.UUID, hold appointment.NewBooking, now time.Time) (appointment.Booking, error) {
	var out appointment.Booking
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		w, err := getDoc[appointment.Waiter](ctx, tx, "waiter", "SELECT doc FROM appointment_waiters WHERE id = $1 FOR UPDATE", waiterID)
		if err != nil {
			return err
		}
		if w.OfferedBooking != uuid.Nil {
			return fmt.Errorf("%w: waiter %s already has an offer", appointment.ErrConflict, waiterID)
		}
		b, _, err := create(ctx, tx, hold, now)
		if err != nil {
			return err
		}
		w.OfferedBooking = b.ID
		doc, err := json.Marshal(w)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE appointment_waiters SET offered_booking = $2, doc = $3 WHERE id = $1", waiterID, b.ID, doc); err != nil {
			return err
		}
		out = b
		return nil
	})
	return out, err
}

// LapseOffer implements appointment.Store.
func (s *Store) LapseOffer(ctx context.Context, waiterID uuid.UUID) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		w, err := getDoc[appointment.Waiter](ctx, tx, "waiter", "SELECT doc FROM appointment_waiters WHERE id = $1 FOR UPDATE", waiterID)
		if err != nil {
			return err
		}
		if w.OfferedBooking == uuid.Nil || w.Lapsed {
			return fmt.Errorf("%w: waiter %s has no open offer", appointment.ErrConflict, waiterID)
		}
		w.Lapsed = true
		doc, err := json.Marshal(w)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE appointment_waiters SET doc = $2 WHERE id = $1", waiterID, doc)
		return err
	})
}
