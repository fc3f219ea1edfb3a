package casefile

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// Change is what a change leaves behind besides the case itself: timeline
// entries to append and events to publish. A store makes all three durable
// together or not at all.
type Change struct {
	Entries []Entry
	Events  []event.Event
	// RedactTimeline strips the case's stored timeline of free text,
	// attachment names and citizens' actor IDs (anonymisation); the
	// entries of this change are appended as they are.
	RedactTimeline bool
	// Delete removes the case and its timeline instead of storing it; the
	// events are still published. Its reference number is not reused.
	Delete bool
}

// Mutation changes a copy of a case and says what to record. Returning an
// error leaves everything stored as it was. The record's slices are lent
// to the store until its Create or Update returns: a store copies what it
// keeps, so the service can reuse them.
type Mutation func(c *Case) (Change, error)

// AtVersion wraps fn so it runs only on the case at version (the version
// an actor saw) and fails with ErrConflict otherwise; version 0 accepts any.
func AtVersion(version int, fn Mutation) Mutation {
	if version == 0 {
		return fn
	}
	return func(c *Case) (Change, error) {
		if stored := c.Version - 1; stored != version {
			return Change{}, fmt.Errorf("%w: case %s is at version %d, not %d", ErrConflict, c.ID, stored, version)
		}
		return fn(c)
	}
}

// Store keeps cases, their timelines and, atomically with them, their
// events. Implementations: MemStore and casefile/pgstore; both pass
// casefiletest.Run.
type Store interface {
	// Create numbers c (Reference from a counter per municipality and year
	// of c.CreatedAt in Brussels, never handing out a number twice), sets
	// Version to 1, asks build for the record, and stores all of it. When
	// c.IdempotencyKey is set and a case of the municipality holds it,
	// Create stores nothing, uses no number, and returns a *DuplicateError
	// naming that case; of concurrent creates with one key exactly one
	// stores its case.
	Create(ctx context.Context, c *Case, build Mutation) error
	// Get returns a copy of the case, or ErrNotFound.
	Get(ctx context.Context, id uuid.UUID) (*Case, error)
	// GetByReference finds a case by municipality and reference.
	GetByReference(ctx context.Context, municipality, reference string) (*Case, error)
	// Update runs fn on a fresh copy of the case, whose Version is already
	// the next one, under the store's lock or the case's row lock, and
	// stores the result with its change; an error from fn stores nothing.
	// Concurrent updates of one case run one after the other, each on the
	// other's result, so a rule that checks the version the actor saw (see
	// AtVersion) lets exactly one of two stale writers win. The case's ID,
	// reference, municipality and idempotency key never change.
	Update(ctx context.Context, id uuid.UUID, fn Mutation) (*Case, error)
	// Timeline returns the case's entries, oldest first.
	Timeline(ctx context.Context, id uuid.UUID) ([]Entry, error)
	// List returns one page of the cases matching q.
	List(ctx context.Context, q Query) (Page, error)
	// ListSummaries returns the page List returns for q, each case as its
	// SummaryOf, which a store may read without the whole case.
	ListSummaries(ctx context.Context, q Query) (SummaryPage, error)
	// RecordPurge keeps the audit record of a purge run and publishes its
	// events with it.
	RecordPurge(ctx context.Context, run PurgeRun, events []event.Event) error
	// PurgeRuns returns the audit records of a municipality's purge runs,
	// oldest first.
	PurgeRuns(ctx context.Context, municipality string) ([]PurgeRun, error)
}

// Query selects cases. Empty fields match anything. With DueBefore set,
// only cases whose deadline runs (open, not suspended, not merged) and
// falls before it are listed, earliest due first; otherwise cases come in
// creation order.
type Query struct {
	Municipality string    `json:"municipality,omitempty"`
	Type         string    `json:"type,omitempty"`
	Status       string    `json:"status,omitempty"`
	Team         string    `json:"team,omitempty"`
	Assignee     string    `json:"assignee,omitempty"`
	Category     string    `json:"category,omitempty"`
	RequesterID  string    `json:"requester_id,omitempty"`
	MergedInto   uuid.UUID `json:"merged_into,omitzero"`
	OpenOnly     bool      `json:"open_only,omitempty"`
	DueBefore    time.Time `json:"due_before,omitzero"`
	// PurgeableBefore, when set, lists only closed cases that still hold
	// personal data (not anonymised) and were closed before it: the
	// candidates of a retention purge. Cases come in creation order.
	PurgeableBefore time.Time `json:"purgeable_before,omitzero"`
	// Limit is the page size: 50 when 0, at most MaxLimit.
	Limit int `json:"limit,omitempty"`
	// Cursor is Page.Next of the previous page.
	Cursor string `json:"cursor,omitempty"`
}

// MaxLimit is the largest page a store returns.
const MaxLimit = 500

// Page is one page of a listing; Next is empty on the last page.
type Page struct {
	Cases []*Case `json:"cases"`
	Next  string  `json:"next,omitempty"`
}

// PageSize returns the effective page size of q.
func (q Query) PageSize() int {
	switch {
	case q.Limit <= 0:
		return 50
	case q.Limit > MaxLimit:
		return MaxLimit
	}
	return q.Limit
}

// Matches reports whether c satisfies every filter of q (not the cursor).
func (q *Query) Matches(c *Case) bool {
	return (q.Municipality == "" || q.Municipality == c.Municipality) &&
		(q.Type == "" || q.Type == c.Type) &&
		(q.Status == "" || q.Status == c.Status) &&
		(q.Team == "" || q.Team == c.Team) &&
		(q.Assignee == "" || q.Assignee == c.Assignee) &&
		(q.Category == "" || q.Category == c.Category) &&
		(q.RequesterID == "" || q.RequesterID == c.Requester.ID) &&
		(q.MergedInto == uuid.Nil || q.MergedInto == c.MergedInto) &&
		(!q.OpenOnly || !c.Closed) &&
		(q.DueBefore.IsZero() || (c.DeadlineRunning() && c.Due.Before(q.DueBefore))) &&
		(q.PurgeableBefore.IsZero() || c.Purgeable(q.PurgeableBefore))
}

// Purgeable reports whether c is closed, closed before t, and not anonymised.
func (c *Case) Purgeable(t time.Time) bool {
	return c.Closed && !c.ClosedAt.IsZero() && c.ClosedAt.Before(t) && c.AnonymisedAt.IsZero()
}

// Cursor is the decoded position after which a page starts.
type Cursor struct {
	Due time.Time // only for due-ordered listings
	ID  uuid.UUID
}

// CursorAfter encodes the position of c for q's ordering.
func CursorAfter(q Query, c *Case) string {
	if !q.DueBefore.IsZero() {
		return strconv.FormatInt(c.Due.UnixMicro(), 10) + "_" + c.ID.String()
	}
	return c.ID.String()
}

// ParseCursor decodes q.Cursor; the zero Cursor means "from the start".
func ParseCursor(q Query) (Cursor, error) {
	if q.Cursor == "" {
		return Cursor{}, nil
	}
	bad := errs.Invalid("cursor", "cursor", "not a cursor this listing handed out")
	s := q.Cursor
	var cur Cursor
	if !q.DueBefore.IsZero() {
		due, rest, ok := strings.Cut(s, "_")
		if !ok {
			return cur, bad
		}
		us, err := strconv.ParseInt(due, 10, 64)
		if err != nil {
			return cur, bad
		}
		cur.Due = time.UnixMicro(us)
		s = rest
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return cur, bad
	}
	cur.ID = id
	return cur, nil
}
