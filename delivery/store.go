package delivery

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/event"
)

// Store keeps preferences, rules, the delivery queue and the evidence log.
// Every write is atomic with the evidence and events it carries.
type Store interface {
	// UpdatePreference runs fn through ApplyPreference on the party's
	// latest preference (exists is false for a first one) and stores the result as a new version with
	// the events fn returns. Concurrent updates: one wins, the other gets
	// ErrConflict.
	UpdatePreference(ctx context.Context, party Party, fn func(p *Preference, exists bool) ([]event.Event, error)) error
	// Preference returns the latest version, or ErrNotFound.
	Preference(ctx context.Context, party Party) (Preference, error)
	// PreferenceHistory returns every version, oldest first.
	PreferenceHistory(ctx context.Context, party Party) ([]Preference, error)

	// PutRule stores a new rule version; r.Version must be one more than
	// the latest stored version (1 for a new category), else ErrConflict.
	PutRule(ctx context.Context, r Rule) error
	// Rule returns the latest version of a category's rule, or ErrNotFound.
	Rule(ctx context.Context, c Category) (Rule, error)

	// Enqueue stores a new delivery with its first evidence and events,
	// after ApplyCreate. The document ID is the create's idempotency key: a
	// delivery with the ID already stored gives a *DuplicateError naming it,
	// and of concurrent enqueues of one ID exactly one stores anything. The
	// store may keep the Change's slices; the caller must not reuse them.
	Enqueue(ctx context.Context, d Delivery, c Change) error
	// Get returns a copy of one delivery, or ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (*Delivery, error)
	// Claim leases up to limit deliveries due at now (DueAt not after now),
	// oldest due first, applying CheckClaim and ApplyClaim; a store may rank
	// a delivery whose lease ran out by its NextAt, as though never claimed.
	// Concurrent claimers never get the same delivery.
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Delivery, error)
	// Update runs fn through ApplyUpdate on a fresh copy of the delivery,
	// under a row lock or the store's lock, and stores the result, its
	// evidence and events atomically; an error stores nothing. It returns
	// the stored delivery.
	Update(ctx context.Context, id uuid.UUID, fn func(d *Delivery) (Change, error)) (*Delivery, error)
	// UpdateMany changes many deliveries the caller read before (ds, as
	// Claim handed them out) in one atomic write with one commit (the
	// Dispatcher writes a batch of more than 256 in parts). It runs fn through ApplyProgress on a copy of
	// each ds[i] and stores the result with its evidence and events only
	// where the stored version is still ds[i].Version, so that ds[i] was the
	// current delivery: the check and the write of each delivery are one
	// step under its lock or the row's lock. A delivery changed since
	// (ErrConflict; fn may have run on the stale copy, its result is
	// discarded), unknown (ErrNotFound) or whose fn failed is skipped alone,
	// its error returned at its index in errs; err is for the write as a
	// whole, which then stored nothing.
	UpdateMany(ctx context.Context, ds []Delivery, fn func(i int, d *Delivery) (Change, error)) (errs []error, err error)
	// Evidence returns a document's evidence log in order.
	Evidence(ctx context.Context, id uuid.UUID) ([]Evidence, error)

	// List returns one page of deliveries, newest first (in the order the
	// store enqueued them), of the parties of q or of everyone. Indexed: a
	// page costs its size, not the number of deliveries.
	List(ctx context.Context, q Query) (Page, error)
	// Summaries returns the page List returns with each delivery's
	// Summary (its document without body and attachments, and without
	// what a list does not show), which a store may keep apart.
	Summaries(ctx context.Context, q Query) (Page, error)

	// ReservePaper takes one of the day's paper slots; false when the
	// daily limit is reached.
	ReservePaper(ctx context.Context, day calendar.Date, limit int) (bool, error)
}
