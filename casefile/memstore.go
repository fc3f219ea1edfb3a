package casefile

import (
	"context"
	"fmt"
	"slices"
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
	cases    map[uuid.UUID]*stored
	byID     *btree.BTreeG[uuid.UUID]
	byDue    *btree.BTreeG[dueKey]
	byRef    map[refKey]uuid.UUID
	counters map[counterKey]int64
}

// stored is what the store keeps of one case: its current version and its
// timeline, in one allocation and one map entry. The case is overwritten in
// place on update (under the write lock; readers copy it under the read
// lock), so an update allocates only the copy it hands back.
type stored struct {
	c Case
	// timeline holds the entries of each change as the mutation handed
	// them over, oldest change first: appending a change copies no
	// entries, and Timeline flattens them into the caller's copy.
	timeline [][]Entry
	// first backs timeline for the first two changes (creation and,
	// nearly always, a transition), saving an allocation per case.
	first [2][]Entry
}

// NewMemStore returns an empty store that publishes to sink (event.Discard
// when nil).
func NewMemStore(sink event.Sink) *MemStore {
	if sink == nil {
		sink = event.Discard
	}
	return &MemStore{
		sink:     sink,
		cases:    map[uuid.UUID]*stored{},
		byID:     btree.NewG(32, uuidLess),
		byDue:    btree.NewG(32, dueLess),
		byRef:    map[refKey]uuid.UUID{},
		counters: map[counterKey]int64{},
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
	st := &stored{c: *c}
	st.c.Attachments = slices.Clone(c.Attachments)
	st.timeline = st.first[:0]
	s.cases[c.ID] = st
	s.byID.ReplaceOrInsert(c.ID)
	s.byRef[refKey{c.Municipality, c.Reference}] = c.ID
	s.index(nil, &st.c)
	st.append(rec.Entries)
	return nil
}

// append keeps the entries of one change. The record is the store's once
// the mutation returns (see Mutation), so its slice is kept as it is; the
// capacity is cut so no later append could write into it.
func (st *stored) append(entries []Entry) {
	if len(entries) > 0 {
		st.timeline = append(st.timeline, entries[:len(entries):len(entries)])
	}
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
	st, ok := s.cases[id]
	if !ok {
		return nil, fmt.Errorf("%w: case %s", ErrNotFound, id)
	}
	return st.c.Clone(), nil
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
	st, ok := s.cases[id]
	if !ok {
		return nil, fmt.Errorf("%w: case %s", ErrNotFound, id)
	}
	old := &st.c
	if version != 0 && version != old.Version {
		return nil, fmt.Errorf("%w: case %s is at version %d, not %d", ErrConflict, id, old.Version, version)
	}
	c := old.Clone() // fn's working copy, handed back to the caller
	c.Version = old.Version + 1
	rec, err := fn(c)
	if err != nil {
		return nil, err
	}
	if err := s.publish(ctx, rec.Events); err != nil {
		return nil, err
	}
	c.ID, c.Reference, c.Municipality = old.ID, old.Reference, old.Municipality // identity never changes
	s.index(old, c)
	// Overwrite the stored version in place; only the attachments need a
	// copy of their own, since c goes back to the caller.
	*old = *c
	old.Attachments = slices.Clone(c.Attachments)
	st.append(rec.Entries)
	return c, nil
}

// Timeline implements Store.
func (s *MemStore) Timeline(_ context.Context, id uuid.UUID) ([]Entry, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st, ok := s.cases[id]
	if !ok {
		return nil, fmt.Errorf("%w: case %s", ErrNotFound, id)
	}
	n := 0
	for _, entries := range st.timeline {
		n += len(entries)
	}
	out := make([]Entry, 0, n)
	for _, entries := range st.timeline {
		out = append(out, entries...)
	}
	return out, nil
}

// List implements Store.
func (s *MemStore) List(_ context.Context, q Query) (Page, error) {
	cur, err := ParseCursor(q)
	if err != nil {
		return Page{}, err
	}
	size := q.PageSize()
	page := Page{Cases: make([]*Case, 0, min(size, 64))}
	// The copies handed out are carved from blocks of up to 16 cases: one
	// allocation per block instead of one per case. A caller keeping one
	// case of a page keeps its block alive, a fair price for a page.
	var block []Case
	clone := func(c *Case) *Case {
		if len(block) == cap(block) {
			block = make([]Case, 0, min(size-len(page.Cases), 16))
		}
		block = append(block, *c)
		d := &block[len(block)-1]
		d.Attachments = slices.Clone(c.Attachments)
		return d
	}
	var last *Case
	visit := func(id uuid.UUID) bool {
		c := &s.cases[id].c
		if !q.Matches(c) {
			return true
		}
		if len(page.Cases) == size {
			page.Next = CursorAfter(q, last)
			return false
		}
		last = c
		page.Cases = append(page.Cases, clone(c))
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
