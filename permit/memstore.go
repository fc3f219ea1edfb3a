package permit

import (
	"cmp"
	"context"
	"iter"
	"maps"
	"slices"
	"sync"

	"github.com/google/uuid"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// MemStore is the in-memory Store, the reference implementation. It keeps
// a spatial and temporal Index over the granted and active applications
// and the planned works.
type MemStore struct {
	mu      sync.RWMutex
	sink    event.Sink
	apps    map[uuid.UUID]*Application
	works   map[uuid.UUID]PlannedWorks
	ratings map[ratingKey]Rating
	index   *Index
}

type ratingKey struct{ a, b, party uuid.UUID }

// NewMemStore returns an empty store that publishes committed events to sink.
func NewMemStore(sink event.Sink) *MemStore {
	if sink == nil {
		sink = event.Discard
	}
	return &MemStore{sink: sink, apps: map[uuid.UUID]*Application{}, works: map[uuid.UUID]PlannedWorks{}, ratings: map[ratingKey]Rating{}, index: NewIndex()}
}

// Create implements Store.
func (s *MemStore) Create(ctx context.Context, a *Application, events []event.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.apps[a.ID]; ok {
		return errs.Wrap(ErrConflict, "application %s already exists", a.ID)
	}
	c := a.clone()
	c.Version = 1
	if err := s.sink.Publish(ctx, events...); err != nil {
		return err
	}
	s.apps[c.ID] = c
	s.reindex(c)
	a.Version = 1
	return nil
}

// Get implements Store.
func (s *MemStore) Get(_ context.Context, id uuid.UUID) (*Application, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.apps[id]
	if !ok {
		return nil, errs.Wrap(ErrNotFound, "application %s", id)
	}
	return a.clone(), nil
}

// Update implements Store. fn runs outside the lock on a copy; the save
// checks the version, so two concurrent updates cannot both win.
func (s *MemStore) Update(ctx context.Context, id uuid.UUID, fn func(*Application) ([]event.Event, error)) error {
	a, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	seen := a.Version
	events, err := fn(a)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur := s.apps[id]; cur.Version != seen {
		return errs.Wrap(ErrConflict, "application %s changed meanwhile (version %d, expected %d)", id, cur.Version, seen)
	}
	a.ID = id
	a.Version = seen + 1
	if err := s.sink.Publish(ctx, events...); err != nil {
		return err
	}
	s.apps[id] = a.clone()
	s.reindex(a)
	return nil
}

func (s *MemStore) reindex(a *Application) {
	if a.Status == StatusGranted || a.Status == StatusActive {
		s.index.Put(a.Occupation())
	} else {
		s.index.Remove(a.ID)
	}
}

// List implements Store. It snapshots the matching IDs and reads each
// application fresh, so callers may update while iterating.
func (s *MemStore) List(ctx context.Context, statuses ...Status) iter.Seq2[*Application, error] {
	return func(yield func(*Application, error) bool) {
		s.mu.RLock()
		ids := make([]uuid.UUID, 0, len(s.apps))
		for id, a := range s.apps {
			if len(statuses) == 0 || slices.Contains(statuses, a.Status) {
				ids = append(ids, id)
			}
		}
		s.mu.RUnlock()
		slices.SortFunc(ids, func(a, b uuid.UUID) int { return cmp.Compare(a.String(), b.String()) })
		for _, id := range ids {
			a, err := s.Get(ctx, id)
			if err != nil {
				continue // removed meanwhile
			}
			if len(statuses) > 0 && !slices.Contains(statuses, a.Status) {
				continue
			}
			if !yield(a, nil) {
				return
			}
		}
	}
}

// PutWorks implements Store.
func (s *MemStore) PutWorks(_ context.Context, w PlannedWorks) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	w = w.clone()
	s.works[w.ID] = w
	s.index.Put(w.Occupation())
	return nil
}

// Works implements Store.
func (s *MemStore) Works(_ context.Context, id uuid.UUID) (PlannedWorks, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	w, ok := s.works[id]
	if !ok {
		return PlannedWorks{}, errs.Wrap(ErrNotFound, "planned works %s", id)
	}
	return w.clone(), nil
}

// Candidates implements Store through the index.
func (s *MemStore) Candidates(_ context.Context, g Geometry, buffer float64, window Period) ([]Occupation, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Occupation
	s.index.Candidates(g, buffer, window, func(o *Occupation) bool {
		out = append(out, *o)
		return true
	})
	return out, nil
}

// SaveRating implements Store.
func (s *MemStore) SaveRating(ctx context.Context, r Rating, events []event.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.sink.Publish(ctx, events...); err != nil {
		return err
	}
	if a, _ := pair(r.A, r.B); a != r.A {
		r.A, r.B, r.ARevision, r.BRevision = r.B, r.A, r.BRevision, r.ARevision
	}
	s.ratings[ratingKey{r.A, r.B, r.Party}] = r
	return nil
}

// Ratings implements Store.
func (s *MemStore) Ratings(_ context.Context, a, b uuid.UUID) ([]Rating, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, b = pair(a, b)
	var out []Rating
	for _, k := range slices.SortedFunc(maps.Keys(s.ratings), func(x, y ratingKey) int { return cmp.Compare(x.party.String(), y.party.String()) }) {
		if k.a == a && k.b == b {
			out = append(out, s.ratings[k])
		}
	}
	return out, nil
}
