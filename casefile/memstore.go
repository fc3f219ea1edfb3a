package casefile

import (
	"context"
	"fmt"
	"sync"

	"github.com/google/btree"
	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/event"
)

// dueKey orders the deadline index: earliest due first, ties by ID.
type dueKey struct {
	due int64 // Unix microseconds, the precision every store keeps
	id  uuid.UUID
}

func dueLess(a, b dueKey) bool {
	if a.due != b.due {
		return a.due < b.due
	}
	return uuidLess(a.id, b.id)
}

func uuidLess(a, b uuid.UUID) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

type refKey struct {
	municipality string
	reference    string
}

type counterKey struct {
	municipality string
	year         int
}

// MemStore is the in-memory Store: the reference implementation, used by
// tests and examples. It keeps two ordered indexes (creation order and,
// for cases whose deadline runs, due date) so listings, overdue ones
// included, cost the size of the page rather than the number of cases.
// Events go to the sink while the lock that commits the change is held;
// when the sink fails, nothing changes.
type MemStore struct {
	mu       sync.RWMutex
	sink     event.Sink
	cases    map[uuid.UUID]*Case
	byID     *btree.BTreeG[uuid.UUID]
	byDue    *btree.BTreeG[dueKey]
	byRef    map[refKey]uuid.UUID
	counters map[counterKey]int64
	timeline map[uuid.UUID][]Entry
}

// NewMemStore returns an empty store that publishes to sink (event.Discard
// when nil).
func NewMemStore(sink event.Sink) *MemStore {
	if sink == nil {
		sink = event.Discard
	}
	return &MemStore{
		sink:     sink,
		cases:    map[uuid.UUID]*Case{},
		byID:     btree.NewG(32, uuidLess),
		byDue:    btree.NewG(32, dueLess),
		byRef:    map[refKey]uuid.UUID{},
		counters: map[counterKey]int64{},
		timeline: map[uuid.UUID][]Entry{},
	}
}

var _ Store = (*MemStore)(nil)

// Create implements Store.
func (s *MemStore) Create(ctx context.Context, c *Case, build Mutation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cases[c.ID]; ok {
		return fmt.Errorf("%w: case %s exists", ErrConflict, c.ID)
	}
	year := calendar.DateIn(c.CreatedAt).Year
	key := counterKey{c.Municipality, year}
	n := s.counters[key] + 1
	c.Reference = FormatReference(year, n)
	c.Version = 1
	rec, err := build(c)
	if err != nil {
		return err
	}
	if err := s.publish(ctx, rec.Events); err != nil {
		return err
	}
	s.counters[key] = n
	stored := c.Clone()
	s.cases[c.ID] = stored
	s.byID.ReplaceOrInsert(c.ID)
	s.byRef[refKey{c.Municipality, c.Reference}] = c.ID
	s.index(nil, stored)
	if len(rec.Entries) > 0 {
		// The record is ours now (see Store.Create); keeping its slice saves a copy.
		s.timeline[c.ID] = rec.Entries[:len(rec.Entries):len(rec.Entries)]
	}
	return nil
}

func (s *MemStore) publish(ctx context.Context, events []event.Event) error {
	if len(events) == 0 {
		return nil
	}
	if err := s.sink.Publish(ctx, events...); err != nil {
		return fmt.Errorf("casefile: publish events: %w", err)
	}
	return nil
}

// index keeps the due-date index in step when a case changes from old to new.
func (s *MemStore) index(old, c *Case) {
	if old != nil && old.DeadlineRunning() {
		if c.DeadlineRunning() && old.Due.Equal(c.Due) {
			return
		}
		s.byDue.Delete(dueKey{old.Due.UnixMicro(), old.ID})
	}
	if c.DeadlineRunning() {
		s.byDue.ReplaceOrInsert(dueKey{c.Due.UnixMicro(), c.ID})
	}
}

// Get implements Store.
func (s *MemStore) Get(_ context.Context, id uuid.UUID) (*Case, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := s.cases[id]
	if !ok {
		return nil, fmt.Errorf("%w: case %s", ErrNotFound, id)
	}
	return c.Clone(), nil
}

// GetByReference implements Store.
func (s *MemStore) GetByReference(ctx context.Context, municipality, reference string) (*Case, error) {
	s.mu.RLock()
	id, ok := s.byRef[refKey{municipality, reference}]
	s.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w: case %s of %s", ErrNotFound, reference, municipality)
	}
	return s.Get(ctx, id)
}

// Update implements Store.
func (s *MemStore) Update(ctx context.Context, id uuid.UUID, version int, fn Mutation) (*Case, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.cases[id]
	if !ok {
		return nil, fmt.Errorf("%w: case %s", ErrNotFound, id)
	}
	if version != 0 && version != old.Version {
		return nil, fmt.Errorf("%w: case %s is at version %d, not %d", ErrConflict, id, old.Version, version)
	}
	c := old.Clone()
	c.Version = old.Version + 1
	rec, err := fn(c)
	if err != nil {
		return nil, err
	}
	if err := s.publish(ctx, rec.Events); err != nil {
		return nil, err
	}
	c.ID, c.Reference, c.Municipality = old.ID, old.Reference, old.Municipality // identity never changes
	s.cases[id] = c
	s.index(old, c)
	if len(rec.Entries) > 0 {
		s.timeline[id] = append(s.timeline[id], rec.Entries...)
	}
	return c.Clone(), nil
}

// Timeline implements Store.
func (s *MemStore) Timeline(_ context.Context, id uuid.UUID) ([]Entry, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, ok := s.cases[id]; !ok {
		return nil, fmt.Errorf("%w: case %s", ErrNotFound, id)
	}
	return append([]Entry(nil), s.timeline[id]...), nil
}

// List implements Store.
func (s *MemStore) List(_ context.Context, q Query) (Page, error) {
	cur, err := ParseCursor(q)
	if err != nil {
		return Page{}, err
	}
	size := q.PageSize()
	page := Page{Cases: make([]*Case, 0, min(size, 64))}
	var last *Case
	visit := func(id uuid.UUID) bool {
		c := s.cases[id]
		if !q.Matches(c) {
			return true
		}
		if len(page.Cases) == size {
			page.Next = CursorAfter(q, last)
			return false
		}
		last = c
		page.Cases = append(page.Cases, c.Clone())
		return true
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !q.DueBefore.IsZero() {
		end := q.DueBefore.UnixMicro()
		walk := func(k dueKey) bool {
			if k.due >= end {
				return false
			}
			if q.Cursor != "" && k.due == cur.Due.UnixMicro() && k.id == cur.ID {
				return true
			}
			return visit(k.id)
		}
		if q.Cursor == "" {
			s.byDue.Ascend(walk)
		} else {
			s.byDue.AscendGreaterOrEqual(dueKey{cur.Due.UnixMicro(), cur.ID}, walk)
		}
		return page, nil
	}
	walk := func(id uuid.UUID) bool {
		if q.Cursor != "" && id == cur.ID {
			return true
		}
		return visit(id)
	}
	if q.Cursor == "" {
		s.byID.Ascend(walk)
	} else {
		s.byID.AscendGreaterOrEqual(cur.ID, walk)
	}
	return page, nil
}
