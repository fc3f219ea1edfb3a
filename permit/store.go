package permit

import (
	"context"
	"iter"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// Store keeps applications, planned works and conflict ratings. It holds
// no business rule: what it must decide atomically it asks the package
// (Application.Occupies, Applicant.ID, Rating.Ordered). Write methods take
// the events that describe the change and make them durable together with
// it (published under the lock in memory, written to the outbox in the
// same transaction in PostgreSQL).
type Store interface {
	// Create stores a new application with Version 1. When
	// a.IdempotencyKey is set and an application holds it, Create stores
	// nothing and returns a *DuplicateError naming that application; of
	// concurrent creates with one key exactly one stores its application.
	Create(ctx context.Context, a *Application, events []event.Event) error
	// Get returns a copy of the application, or ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (*Application, error)
	// Update runs fn on a fresh copy and saves the result, with the change
	// fn returns, if nobody else saved the application in between;
	// otherwise it returns ErrConflict and saves nothing. An error from fn
	// aborts the update and stores nothing. It returns a copy of what it
	// saved.
	Update(ctx context.Context, id uuid.UUID, fn func(*Application) (Change, error)) (*Application, error)
	// List yields the applications in the given statuses (all when
	// empty), ordered by ID.
	List(ctx context.Context, statuses ...Status) iter.Seq2[*Application, error]
	// ByApplicant yields the applications whose Applicant.ID is one of
	// ids, by ID from the highest (the newest, for UUID v7 IDs). It reads
	// an index, not every application.
	ByApplicant(ctx context.Context, ids []ApplicantID) iter.Seq2[*Application, error]
	// SummariesByApplicant yields what ByApplicant yields, each
	// application as its Summary, which a store need not read whole.
	SummariesByApplicant(ctx context.Context, ids []ApplicantID) iter.Seq2[*Application, error]
	// PutWorks stores or replaces planned works.
	PutWorks(ctx context.Context, w PlannedWorks) error
	// Works returns planned works, or ErrNotFound.
	Works(ctx context.Context, id uuid.UUID) (PlannedWorks, error)
	// Candidates returns the applications that occupy their place
	// (Application.Occupies) and the planned works whose bounding box,
	// grown by buffer metres, meets the geometry's and whose span overlaps
	// window. It may return more than truly conflict; the caller does the
	// exact check.
	Candidates(ctx context.Context, g Geometry, buffer float64, window Period) ([]Occupation, error)
	// SaveRating stores a party's rating of a conflict (r.Ordered()),
	// replacing its earlier one. The party is an application; its events
	// are that application's, so the store locks it first (ErrNotFound
	// when it does not exist).
	SaveRating(ctx context.Context, r Rating, events []event.Event) error
	// Ratings returns the stored ratings of the conflict between a and b
	// (in either order), by party.
	Ratings(ctx context.Context, a, b uuid.UUID) ([]Rating, error)
}

// Change is what an update of an application commits with it: the events
// that describe the change.
type Change struct {
	Events []event.Event
}

// PlannedWorks are works in the public domain that are not permits (road
// works, utility works), loaded so permits can be checked against them.
type PlannedWorks struct {
	ID          uuid.UUID `json:"id"`
	Owner       string    `json:"owner"`
	Description string    `json:"description"`
	Location    Geometry  `json:"location"`
	Periods     []Period  `json:"periods"`
	Revision    int       `json:"revision"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Occupation returns the works as an indexable occupation.
func (w PlannedWorks) Occupation() Occupation {
	return Occupation{ID: w.ID, Kind: KindWorks, Label: w.Description, Geometry: w.Location, Occurrences: w.Periods, Revision: w.Revision}
}

// clone copies the works so a store shares no memory with its callers.
func (w PlannedWorks) clone() PlannedWorks {
	w.Location = w.Location.mapPositions(func(p Position) Position { return p })
	w.Periods = slices.Clone(w.Periods)
	return w
}
