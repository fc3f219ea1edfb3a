package permit

import (
	"bytes"
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
// a spatial and temporal Index over the applications that occupy their
// place and the planned works, and indexes applications by applicant and
// by idempotency key.
type MemStore struct {
	mu      sync.RWMutex
	sink    event.Sink
	apps    map[uuid.UUID]*Application
	works   map[uuid.UUID]PlannedWorks
	ratings map[ratingKey]Rating
	index   *Index
	// byApplicant holds the IDs of each applicant's applications.
	byApplicant map[ApplicantID]map[uuid.UUID]struct{}
	// keys finds an application by idempotency key.
	keys map[string]uuid.UUID
}

type ratingKey struct{ a, b, party uuid.UUID }

// NewMemStore returns an empty store that publishes committed events to sink.
func NewMemStore(sink event.Sink) *MemStore {
	if sink == nil {
		sink = event.Discard
	}
	return &MemStore{sink: sink, apps: map[uuid.UUID]*Application{}, works: map[uuid.UUID]PlannedWorks{},
		ratings: map[ratingKey]Rating{}, index: NewIndex(), byApplicant: map[ApplicantID]map[uuid.UUID]struct{}{}, keys: map[string]uuid.UUID{}}
}

// Create implements Store.
func (s *MemStore) Create(ctx context.Context, a *Application, events []event.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if held, ok := s.keys[a.IdempotencyKey]; ok && a.IdempotencyKey != "" {
		return &DuplicateError{Key: a.IdempotencyKey, ID: held}
	}
	if _, ok := s.apps[a.ID]; ok {
		return errs.Wrap(ErrConflict, "application %s already exists", a.ID)
	}
	c := a.clone()
	c.Version = 1
	if err := s.sink.Publish(ctx, events...); err != nil {
		return err
	}
	s.apps[c.ID] = c
	if c.IdempotencyKey != "" {
		s.keys[c.IdempotencyKey] = c.ID
	}
	s.reindex(nil, c)
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

// Update implements Store. fn runs outside the lock on a copy (it may read
// the store, as Grant does for conflicts); the save checks the version, so
// two concurrent updates cannot both win.
func (s *MemStore) Update(ctx context.Context, id uuid.UUID, fn func(*Application) (Change, error)) (*Application, error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	seen := a.Version
	ch, err := fn(a)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.apps[id]
	if cur.Version != seen {
		return nil, errs.Wrap(ErrConflict, "application %s changed meanwhile (version %d, expected %d)", id, cur.Version, seen)
	}
	a.ID, a.Version = id, seen+1
	if err := s.sink.Publish(ctx, ch.Events...); err != nil {
		return nil, err
	}
	saved := a.clone()
	s.apps[id] = saved
	s.reindex(cur, saved)
	return saved.clone(), nil
}

// reindex brings the conflict index and the applicant index from old (nil
// for a new application) to a.
func (s *MemStore) reindex(old, a *Application) {
	if a.Occupies() {
		s.index.Put(a.Occupation())
	} else {
		s.index.Remove(a.ID)
	}
	var was ApplicantID
	if old != nil {
		was = old.Applicant.ID()
	}
	now := a.Applicant.ID()
	if was == now && old != nil {
		return
	}
	if ids := s.byApplicant[was]; was != "" && ids != nil {
		delete(ids, a.ID)
		if len(ids) == 0 {
			delete(s.byApplicant, was)
		}
	}
	if now != "" {
		if s.byApplicant[now] == nil {
			s.byApplicant[now] = map[uuid.UUID]struct{}{}
		}
		s.byApplicant[now][a.ID] = struct{}{}
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
		slices.SortFunc(ids, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
		s.yieldFresh(ctx, ids, func(a *Application) bool { return len(statuses) == 0 || slices.Contains(statuses, a.Status) }, yield)
	}
}

// ByApplicant implements Store from the applicant index.
func (s *MemStore) ByApplicant(ctx context.Context, ids []ApplicantID) iter.Seq2[*Application, error] {
	return func(yield func(*Application, error) bool) {
		s.mu.RLock()
		var apps []uuid.UUID
		for _, who := range ids {
			apps = slices.AppendSeq(apps, maps.Keys(s.byApplicant[who]))
		}
		s.mu.RUnlock()
		slices.SortFunc(apps, func(a, b uuid.UUID) int { return bytes.Compare(b[:], a[:]) })
		apps = slices.Compact(apps)
		s.yieldFresh(ctx, apps, func(a *Application) bool { return slices.Contains(ids, a.Applicant.ID()) }, yield)
	}
}

// SummariesByApplicant implements Store.
func (s *MemStore) SummariesByApplicant(ctx context.Context, ids []ApplicantID) iter.Seq2[*Application, error] {
	return func(yield func(*Application, error) bool) {
		for a, err := range s.ByApplicant(ctx, ids) {
			if err == nil {
				a = a.Summary()
			}
			if !yield(a, err) {
				return
			}
		}
	}
}

// yieldFresh reads each application anew and yields those that still
// match: one may have changed since the IDs were taken.
func (s *MemStore) yieldFresh(ctx context.Context, ids []uuid.UUID, match func(*Application) bool, yield func(*Application, error) bool) {
	for _, id := range ids {
		a, err := s.Get(ctx, id)
		if err != nil || !match(a) {
			continue
		}
		if !yield(a, nil) {
			return
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
	if _, ok := s.apps[r.Party]; !ok {
		return errs.Wrap(ErrNotFound, "application %s", r.Party)
	}
	if err := s.sink.Publish(ctx, events...); err != nil {
		return err
	}
	r = r.Ordered()
	s.ratings[ratingKey{r.A, r.B, r.Party}] = r
	return nil
}

// Ratings implements Store.
func (s *MemStore) Ratings(_ context.Context, a, b uuid.UUID) ([]Rating, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, b = Pair(a, b)
	var out []Rating
	for _, k := range slices.SortedFunc(maps.Keys(s.ratings), func(x, y ratingKey) int { return cmp.Compare(x.party.String(), y.party.String()) }) {
		if k.a == a && k.b == b {
			out = append(out, s.ratings[k])
		}
	}
	return out, nil
}
