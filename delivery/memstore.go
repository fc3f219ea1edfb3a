package delivery

import (
	"container/heap"
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// MemStore is the in-memory Store: the reference implementation, used by
// examples and tests. Its queue is a min-heap on due time with lazy deletion.
type MemStore struct {
	mu         sync.Mutex
	sink       event.Sink
	prefs      map[Party][]Preference
	rules      map[Category][]Rule
	deliveries map[uuid.UUID]*Delivery
	evidence   map[uuid.UUID][]Evidence
	queue      dueHeap
	paper      map[calendar.Date]int
}

// NewMemStore returns an empty store publishing events to sink (nil discards).
func NewMemStore(sink event.Sink) *MemStore {
	if sink == nil {
		sink = event.Discard
	}
	return &MemStore{sink: sink, prefs: map[Party][]Preference{}, rules: map[Category][]Rule{},
		deliveries: map[uuid.UUID]*Delivery{}, evidence: map[uuid.UUID][]Evidence{}, paper: map[calendar.Date]int{}}
}

var _ Store = (*MemStore)(nil)

// UpdatePreference implements Store.
func (s *MemStore) UpdatePreference(ctx context.Context, party Party, fn func(*Preference, bool) ([]event.Event, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	hist := s.prefs[party]
	var p Preference
	exists := len(hist) > 0
	if exists {
		p = hist[len(hist)-1].clone()
	}
	prev := p.Version
	evs, err := fn(&p, exists)
	if err != nil {
		return err
	}
	if p.Version != prev+1 || p.Party != party {
		return errs.Wrap(ErrConflict, "preference version %d does not follow %d", p.Version, prev)
	}
	if err := s.sink.Publish(ctx, evs...); err != nil {
		return err
	}
	s.prefs[party] = append(hist, p.clone())
	return nil
}

// Preference implements Store.
func (s *MemStore) Preference(_ context.Context, party Party) (Preference, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.prefs[party]
	if len(h) == 0 {
		return Preference{}, errs.Wrap(ErrNotFound, "no preference for party")
	}
	return h[len(h)-1].clone(), nil
}

// PreferenceHistory implements Store.
func (s *MemStore) PreferenceHistory(_ context.Context, party Party) ([]Preference, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Preference, len(s.prefs[party]))
	for i, p := range s.prefs[party] {
		out[i] = p.clone()
	}
	return out, nil
}

// PutRule implements Store.
func (s *MemStore) PutRule(_ context.Context, r Rule) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.rules[r.Category]
	if r.Version != len(h)+1 {
		return errs.Wrap(ErrConflict, "rule version %d does not follow %d", r.Version, len(h))
	}
	r.Allowed = append([]ChannelKind(nil), r.Allowed...)
	s.rules[r.Category] = append(h, r)
	return nil
}

// Rule implements Store.
func (s *MemStore) Rule(_ context.Context, c Category) (Rule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.rules[c]
	if len(h) == 0 {
		return Rule{}, errs.Wrap(ErrNotFound, "no rule for category %q", c)
	}
	r := h[len(h)-1]
	r.Allowed = append([]ChannelKind(nil), r.Allowed...)
	return r, nil
}

// Enqueue implements Store.
func (s *MemStore) Enqueue(ctx context.Context, d Delivery, c Change) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.deliveries[d.ID]; ok {
		return errs.Wrap(ErrConflict, "delivery %s already exists", d.ID)
	}
	if err := checkEvidence(0, c.Evidence); err != nil {
		return err
	}
	if err := s.sink.Publish(ctx, c.Events...); err != nil {
		return err
	}
	d = d.clone()
	d.Version = 1
	s.deliveries[d.ID] = &d
	s.evidence[d.ID] = c.Evidence[:len(c.Evidence):len(c.Evidence)] // the store owns the Change
	s.push(&d)
	return nil
}

func checkEvidence(have int, ev []Evidence) error {
	for i, e := range ev {
		if e.Seq != have+i+1 {
			return errs.Wrap(ErrConflict, "evidence sequence %d does not follow %d", e.Seq, have+i)
		}
	}
	return nil
}

func (s *MemStore) push(d *Delivery) {
	if due := d.DueAt(); !due.IsZero() {
		heap.Push(&s.queue, dueEntry{at: due, id: d.ID})
	}
}

// Delivery implements Store.
func (s *MemStore) Delivery(_ context.Context, id uuid.UUID) (Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.deliveries[id]
	if !ok {
		return Delivery{}, errs.Wrap(ErrNotFound, "delivery %s", id)
	}
	return d.clone(), nil
}

// Claim implements Store.
func (s *MemStore) Claim(_ context.Context, now time.Time, lease time.Duration, limit int) ([]Delivery, error) {
	if lease <= 0 {
		return nil, errs.Invalid("lease", "min", "lease must be positive")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Delivery
	for len(out) < limit && len(s.queue) > 0 && !s.queue[0].at.After(now) {
		e := heap.Pop(&s.queue).(dueEntry)
		d := s.deliveries[e.id]
		if d == nil || !d.DueAt().Equal(e.at) {
			continue // stale entry
		}
		d.LeaseID = id.New()
		d.LeaseUntil = now.Add(lease)
		d.Version++
		s.push(d)
		out = append(out, d.clone())
	}
	return out, nil
}

// Update implements Store.
func (s *MemStore) Update(ctx context.Context, id uuid.UUID, fn func(*Delivery) (Change, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.deliveries[id]
	if !ok {
		return errs.Wrap(ErrNotFound, "delivery %s", id)
	}
	d := cur.clone()
	c, err := fn(&d)
	if err != nil {
		return err
	}
	if d.ID != id || d.Version != cur.Version {
		return errs.Wrap(ErrConflict, "delivery %s changed identity or version", id)
	}
	if err := checkEvidence(len(s.evidence[id]), c.Evidence); err != nil {
		return err
	}
	if err := s.sink.Publish(ctx, c.Events...); err != nil {
		return err
	}
	d.Version++
	oldDue := cur.DueAt()
	*cur = d
	s.evidence[id] = append(s.evidence[id], c.Evidence...)
	if due := cur.DueAt(); !due.Equal(oldDue) {
		s.push(cur)
	}
	return nil
}

// UpdateMany implements Store.
func (s *MemStore) UpdateMany(ctx context.Context, ids []uuid.UUID, fn func(int, *Delivery) (Change, error)) ([]error, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	type result struct {
		cur *Delivery
		d   Delivery
		c   Change
	}
	failed := make([]error, len(ids))
	results := make([]*result, len(ids))
	var events []event.Event
	seen := map[uuid.UUID]bool{}
	for i, id := range ids {
		cur, ok := s.deliveries[id]
		if !ok || seen[id] {
			failed[i] = errs.Wrap(ErrNotFound, "delivery %s", id)
			continue
		}
		seen[id] = true
		r := &result{cur: cur, d: cur.clone()}
		c, err := fn(i, &r.d)
		switch {
		case err != nil:
			failed[i] = err
		case r.d.ID != id || r.d.Version != cur.Version:
			failed[i] = errs.Wrap(ErrConflict, "delivery %s changed identity or version", id)
		default:
			failed[i] = checkEvidence(len(s.evidence[id]), c.Evidence)
		}
		if failed[i] == nil {
			r.c = c
			results[i] = r
			events = append(events, c.Events...)
		}
	}
	if err := s.sink.Publish(ctx, events...); err != nil {
		return nil, err
	}
	for _, r := range results {
		if r == nil {
			continue
		}
		r.d.Version++
		oldDue := r.cur.DueAt()
		*r.cur = r.d
		s.evidence[r.d.ID] = append(s.evidence[r.d.ID], r.c.Evidence...)
		if due := r.cur.DueAt(); !due.Equal(oldDue) {
			s.push(r.cur)
		}
	}
	return failed, nil
}

// Evidence implements Store.
func (s *MemStore) Evidence(_ context.Context, id uuid.UUID) ([]Evidence, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev, ok := s.evidence[id]
	if !ok {
		return nil, errs.Wrap(ErrNotFound, "no evidence for %s", id)
	}
	return append([]Evidence(nil), ev...), nil
}

// ReservePaper implements Store.
func (s *MemStore) ReservePaper(_ context.Context, day calendar.Date, limit int) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.paper[day] >= limit {
		return false, nil
	}
	s.paper[day]++
	return true, nil
}

type dueEntry struct {
	at time.Time
	id uuid.UUID
}

type dueHeap []dueEntry

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h dueHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)        { *h = append(*h, x.(dueEntry)) }
func (h *dueHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
