package delivery

import (
	"container/heap"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
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
	// order lists every delivery in the order enqueued (its number is the
	// index plus one); byParty lists each party's numbers, ascending.
	order   []uuid.UUID
	byParty map[Party][]int64
}

// NewMemStore returns an empty store publishing events to sink (nil discards).
func NewMemStore(sink event.Sink) *MemStore {
	if sink == nil {
		sink = event.Discard
	}
	return &MemStore{sink: sink, prefs: map[Party][]Preference{}, rules: map[Category][]Rule{},
		deliveries: map[uuid.UUID]*Delivery{}, evidence: map[uuid.UUID][]Evidence{}, paper: map[calendar.Date]int{},
		byParty: map[Party][]int64{}}
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
	evs, err := ApplyPreference(&p, exists, party, fn)
	if err != nil {
		return err
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
	if err := CheckRuleVersion(len(h), r); err != nil {
		return err
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
		return &DuplicateError{Key: d.ID.String(), ID: d.ID}
	}
	d = d.clone()
	if err := ApplyCreate(&d, c); err != nil {
		return err
	}
	if err := s.sink.Publish(ctx, c.Events...); err != nil {
		return err
	}
	s.deliveries[d.ID] = &d
	s.evidence[d.ID] = c.Evidence[:len(c.Evidence):len(c.Evidence)] // the store owns the Change
	s.order = append(s.order, d.ID)
	s.byParty[d.Document.Party] = append(s.byParty[d.Document.Party], int64(len(s.order)))
	s.push(&d)
	return nil
}

func (s *MemStore) push(d *Delivery) {
	if due := d.DueAt(); !due.IsZero() {
		heap.Push(&s.queue, dueEntry{at: due, id: d.ID})
	}
}

// Get implements Store.
func (s *MemStore) Get(_ context.Context, id uuid.UUID) (*Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.deliveries[id]
	if !ok {
		return nil, errs.Wrap(ErrNotFound, "delivery %s", id)
	}
	out := d.clone()
	return &out, nil
}

// Claim implements Store.
func (s *MemStore) Claim(_ context.Context, now time.Time, lease time.Duration, limit int) ([]Delivery, error) {
	if err := CheckClaim(lease, limit); err != nil {
		return nil, err
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
		ApplyClaim(d, now, lease)
		s.push(d)
		out = append(out, d.clone())
	}
	return out, nil
}

// Update implements Store.
func (s *MemStore) Update(ctx context.Context, id uuid.UUID, fn func(*Delivery) (Change, error)) (*Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.deliveries[id]
	if !ok {
		return nil, errs.Wrap(ErrNotFound, "delivery %s", id)
	}
	d := cur.clone()
	c, err := ApplyUpdate(&d, fn)
	if err != nil {
		return nil, err
	}
	if err := s.sink.Publish(ctx, c.Events...); err != nil {
		return nil, err
	}
	s.store(cur, d, c.Evidence)
	out := d.clone()
	return &out, nil
}

// store replaces cur by d, appends its evidence and queues it anew when
// its due time moved.
func (s *MemStore) store(cur *Delivery, d Delivery, ev []Evidence) {
	oldDue := cur.DueAt()
	*cur = d
	s.evidence[d.ID] = append(s.evidence[d.ID], ev...)
	if due := cur.DueAt(); !due.Equal(oldDue) {
		s.push(cur)
	}
}

// UpdateMany implements Store.
func (s *MemStore) UpdateMany(ctx context.Context, ds []Delivery, fn func(int, *Delivery) (Change, error)) ([]error, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	type result struct {
		cur *Delivery
		d   Delivery
		c   Change
	}
	failed := make([]error, len(ds))
	results := make([]*result, len(ds))
	var events []event.Event
	seen := map[uuid.UUID]bool{}
	for i := range ds {
		id := ds[i].ID
		cur, ok := s.deliveries[id]
		if !ok || seen[id] {
			failed[i] = errs.Wrap(ErrNotFound, "delivery %s", id)
			continue
		}
		seen[id] = true
		if cur.Version != ds[i].Version {
			failed[i] = errs.Wrap(ErrConflict, "delivery %s is at version %d, not %d", id, cur.Version, ds[i].Version)
			continue
		}
		r := &result{cur: cur, d: cur.clone()}
		r.c, failed[i] = ApplyProgress(&r.d, func(d *Delivery) (Change, error) { return fn(i, d) })
		if failed[i] == nil {
			results[i] = r
			events = append(events, r.c.Events...)
		}
	}
	if err := s.sink.Publish(ctx, events...); err != nil {
		return nil, err
	}
	for _, r := range results {
		if r != nil {
			s.store(r.cur, r.d, r.c.Evidence)
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

// List implements Store: each party's deliveries are kept in the order
// enqueued, so a page is a binary search and a walk back over its own
// entries, merged across the query's parties.
func (s *MemStore) List(_ context.Context, q Query) (Page, error) {
	return s.list(q, Delivery.clone)
}

// Summaries implements Store.
func (s *MemStore) Summaries(_ context.Context, q Query) (Page, error) {
	return s.list(q, func(d Delivery) Delivery { return d.Summary().clone() })
}

// list is List with dup making each listed delivery's copy.
func (s *MemStore) list(q Query, dup func(Delivery) Delivery) (Page, error) {
	after, err := q.After()
	if err != nil {
		return Page{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if after == 0 || after > int64(len(s.order)) {
		after = int64(len(s.order)) + 1
	}
	// heads[i] is how many of list i's numbers come before the cursor.
	everyone := len(q.Parties) == 0
	var lists [][]int64
	for i, p := range q.Parties {
		if !slices.Contains(q.Parties[:i], p) {
			lists = append(lists, s.byParty[p])
		}
	}
	heads := make([]int, len(lists))
	for i, l := range lists {
		heads[i], _ = slices.BinarySearch(l, after)
	}
	next := after - 1 // the next number to take when listing everyone
	size := q.PageSize()
	page := Page{Deliveries: []Delivery{}}
	var last int64
	for len(page.Deliveries) < size {
		n := int64(0)
		if everyone {
			n = next
			next--
		} else {
			best := -1
			for i, l := range lists {
				if heads[i] > 0 && (best < 0 || l[heads[i]-1] > lists[best][heads[best]-1]) {
					best = i
				}
			}
			if best >= 0 {
				heads[best]--
				n = lists[best][heads[best]]
			}
		}
		if n < 1 {
			return page, nil
		}
		page.Deliveries = append(page.Deliveries, dup(*s.deliveries[s.order[n-1]]))
		last = n
	}
	more := everyone && next >= 1
	for i := range lists {
		more = more || heads[i] > 0
	}
	if more {
		page.Next = CursorAt(last)
	}
	return page, nil
}

// ReservePaper implements Store.
func (s *MemStore) ReservePaper(_ context.Context, day calendar.Date, limit int) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !PaperSlotFree(s.paper[day], limit) {
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
