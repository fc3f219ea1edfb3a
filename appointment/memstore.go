package appointment

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// MemStore is the in-memory Store: the reference implementation, used by
// examples and tests. One mutex guards everything, and events go to the sink
// while it is held, so they are published exactly when the change commits.
type MemStore struct {
	mu        sync.Mutex
	sink      event.Sink
	services  map[string]Service
	locations map[string]Location
	bookings  map[uuid.UUID]*Booking
	byRef     map[Reference]uuid.UUID
	byKey     map[string]uuid.UUID
	byCitizen map[string][]uuid.UUID
	// byCounter keeps each counter's bookings sorted by OccupiedFrom, so
	// availability reads a range without sorting.
	byCounter map[string]*counterIndex
	waiters   []Waiter
	// longest is the longest occupied time of any indexed booking, so a
	// range read can start its binary search that much earlier.
	longest time.Duration
}

// NewMemStore returns an empty store publishing to sink (nil: discard).
func NewMemStore(sink event.Sink) *MemStore {
	if sink == nil {
		sink = event.Discard
	}
	return &MemStore{
		sink: sink, services: map[string]Service{}, locations: map[string]Location{},
		bookings: map[uuid.UUID]*Booking{}, byRef: map[Reference]uuid.UUID{}, byKey: map[string]uuid.UUID{},
		byCitizen: map[string][]uuid.UUID{}, byCounter: map[string]*counterIndex{},
	}
}

// PutService implements Store.
func (m *MemStore) PutService(_ context.Context, s Service) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s.Documents = slices.Clone(s.Documents)
	m.services[s.ID] = s
	return nil
}

// Service implements Store.
func (m *MemStore) Service(_ context.Context, id string) (Service, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.services[id]
	if !ok {
		return Service{}, fmt.Errorf("%w: service %q", ErrNotFound, id)
	}
	return s, nil
}

// PutLocation implements Store. Locations are stored as given; the caller
// must not change the slices afterwards.
func (m *MemStore) PutLocation(_ context.Context, l Location) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.locations[l.ID] = l
	return nil
}

// Location implements Store.
func (m *MemStore) Location(_ context.Context, id string) (Location, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.locations[id]
	if !ok {
		return Location{}, fmt.Errorf("%w: location %q", ErrNotFound, id)
	}
	return l, nil
}

// counterIndex is a counter's bookings sorted by OccupiedFrom, with the
// start instants alongside so a binary search touches no booking.
type counterIndex struct {
	from []int64
	bs   []*Booking
}

func (m *MemStore) overlapping(counterID string, from, to time.Time) []*Booking {
	x := m.byCounter[counterID]
	if x == nil {
		return nil
	}
	i, _ := slices.BinarySearch(x.from, from.Add(-m.longest).UnixNano())
	j, end := i, to.UnixNano()
	for j < len(x.from) && x.from[j] < end {
		j++
	}
	return x.bs[i:j]
}

// neighbours copies the stored bookings Admit judges b against, read from
// the indexes: the counter's overlapping ones, the citizen's when lim caps
// them, and the slot's at the location when a quota applies.
func (m *MemStore) neighbours(b *Booking, lim Limits) Neighbours {
	var n Neighbours
	for _, o := range m.overlapping(b.CounterID, b.OccupiedFrom, b.OccupiedTo) {
		n.Counter = append(n.Counter, *o)
	}
	if lim.MaxOpen > 0 {
		for _, id := range m.byCitizen[b.Citizen.Key()] {
			n.Citizen = append(n.Citizen, *m.bookings[id])
		}
	}
	if lim.Quota > 0 {
		for _, c := range m.locations[b.LocationID].Counters {
			for _, o := range m.overlapping(c.ID, b.Start, b.Start.Add(1)) {
				n.Slot = append(n.Slot, *o)
			}
		}
	}
	return n
}

func (m *MemStore) index(b *Booking) {
	m.longest = max(m.longest, b.OccupiedTo.Sub(b.OccupiedFrom))
	x := m.byCounter[b.CounterID]
	if x == nil {
		x = &counterIndex{}
		m.byCounter[b.CounterID] = x
	}
	f := b.OccupiedFrom.UnixNano()
	i, _ := slices.BinarySearch(x.from, f)
	x.from = slices.Insert(x.from, i, f)
	x.bs = slices.Insert(x.bs, i, b)
}

func (m *MemStore) unindex(b *Booking) {
	x := m.byCounter[b.CounterID]
	if x == nil {
		return
	}
	if i := slices.Index(x.bs, b); i >= 0 {
		x.from = slices.Delete(x.from, i, i+1)
		x.bs = slices.Delete(x.bs, i, i+1)
	}
}

// Create implements Store.
func (m *MemStore) Create(ctx context.Context, nb NewBooking) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.create(ctx, nb)
}

func (m *MemStore) create(ctx context.Context, nb NewBooking) error {
	b := nb.Booking
	if b.IdempotencyKey != "" {
		if id, ok := m.byKey[b.IdempotencyKey]; ok {
			return &DuplicateError{Key: b.IdempotencyKey, ID: id}
		}
	}
	if _, dup := m.byRef[b.Reference]; dup {
		return ErrReferenceTaken
	}
	if _, dup := m.bookings[b.ID]; dup {
		return fmt.Errorf("%w: booking %s exists", ErrConflict, b.ID)
	}
	if err := Admit(&b, nb.Limits, m.neighbours(&b, nb.Limits), nb.Now); err != nil {
		return err
	}
	if err := m.sink.Publish(ctx, nb.Events...); err != nil {
		return err
	}
	p := &b
	m.bookings[b.ID] = p
	m.byRef[b.Reference] = b.ID
	if b.IdempotencyKey != "" {
		m.byKey[b.IdempotencyKey] = b.ID
	}
	key := b.Citizen.Key()
	m.byCitizen[key] = append(m.byCitizen[key], b.ID)
	m.index(p)
	return nil
}

// Get implements Store.
func (m *MemStore) Get(_ context.Context, id uuid.UUID) (*Booking, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.bookings[id]
	if !ok {
		return nil, fmt.Errorf("%w: booking %s", ErrNotFound, id)
	}
	c := *b
	return &c, nil
}

// ByIdempotencyKey implements Store.
func (m *MemStore) ByIdempotencyKey(ctx context.Context, key string) (*Booking, error) {
	m.mu.Lock()
	id, ok := m.byKey[key]
	m.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%w: idempotency key", ErrNotFound)
	}
	return m.Get(ctx, id)
}

// ByReference implements Store.
func (m *MemStore) ByReference(ctx context.Context, ref Reference) (*Booking, error) {
	m.mu.Lock()
	id, ok := m.byRef[ref]
	m.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%w: booking %s", ErrNotFound, ref)
	}
	return m.Get(ctx, id)
}

// Update implements Store.
func (m *MemStore) Update(ctx context.Context, id uuid.UUID, fn func(*Booking) (Change, error)) (*Booking, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.bookings[id]
	if !ok {
		return nil, fmt.Errorf("%w: booking %s", ErrNotFound, id)
	}
	next := *cur
	ch, err := fn(&next)
	if err != nil {
		return nil, err
	}
	if next.ActiveAt(ch.Now) {
		if err := Fits(&next, m.neighbours(&next, Limits{}).Counter, ch.Now); err != nil {
			return nil, err
		}
	}
	if err := m.sink.Publish(ctx, ch.Events...); err != nil {
		return nil, err
	}
	next.Version = cur.Version + 1
	m.unindex(cur)
	*cur = next
	if cur.ActiveAt(ch.Now) || cur.Status == NoShow || cur.Status == CheckedIn {
		m.index(cur)
	}
	out := next
	return &out, nil
}

// Busy implements Store.
func (m *MemStore) Busy(_ context.Context, locationID string, from, to, now time.Time) ([]Busy, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.locations[locationID]
	if !ok {
		return nil, fmt.Errorf("%w: location %q", ErrNotFound, locationID)
	}
	// Count, then copy into a slice of the right size: a 90-day read holds
	// thousands of bookings. The ranges found while counting are kept for
	// the copy, on the stack for a location of up to smallLocation counters
	// (a booking reads one instant; it should not allocate for this).
	var small [smallLocation][]*Booking
	ranges := small[:0]
	keep := func(b *Booking) bool { return b.ActiveAt(now) && b.OccupiedTo.After(from) }
	n := 0
	for _, c := range l.Counters {
		r := m.overlapping(c.ID, from, to)
		ranges = append(ranges, r)
		for _, b := range r {
			if keep(b) {
				n++
			}
		}
	}
	if n == 0 {
		return nil, nil
	}
	out := make([]Busy, 0, n)
	for _, r := range ranges {
		for _, b := range r {
			if keep(b) {
				out = append(out, b.Busy())
			}
		}
	}
	return out, nil
}

// CounterBookings implements Store. It copies the range under the lock so
// the caller may take its time.
func (m *MemStore) CounterBookings(_ context.Context, counterID string, from, to time.Time) iter.Seq2[Booking, error] {
	m.mu.Lock()
	var out []Booking
	for _, b := range m.overlapping(counterID, from, to) {
		if !b.Start.Before(from) && b.Start.Before(to) {
			out = append(out, *b)
		}
	}
	// Cancelled bookings are unindexed; feeds still show them as cancelled.
	for _, b := range m.bookings {
		if b.CounterID == counterID && b.Status == Cancelled && !b.Start.Before(from) && b.Start.Before(to) {
			out = append(out, *b)
		}
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b Booking) int { return a.Start.Compare(b.Start) })
	return values(out)
}

// CitizenBookings implements Store. It reads the citizen's index and
// copies the range under the lock.
func (m *MemStore) CitizenBookings(_ context.Context, citizenKey string, from, to time.Time) iter.Seq2[Booking, error] {
	m.mu.Lock()
	ids := m.byCitizen[citizenKey]
	out := make([]Booking, 0, len(ids))
	for _, id := range ids {
		if b := m.bookings[id]; !b.Start.Before(from) && b.Start.Before(to) {
			out = append(out, *b)
		}
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b Booking) int { return a.Start.Compare(b.Start) })
	return values(out)
}

// values yields the copies a read made under the lock.
func values[T any](out []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, v := range out {
			if !yield(v, nil) {
				return
			}
		}
	}
}

// AddWaiter implements Store.
func (m *MemStore) AddWaiter(ctx context.Context, w Waiter, events []event.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.sink.Publish(ctx, events...); err != nil {
		return err
	}
	m.waiters = append(m.waiters, w)
	return nil
}

// Waiters implements Store.
func (m *MemStore) Waiters(_ context.Context, serviceID, locationID string) iter.Seq2[Waiter, error] {
	m.mu.Lock()
	var out []Waiter
	for _, w := range m.waiters {
		if w.ServiceID == serviceID && w.LocationID == locationID {
			out = append(out, w)
		}
	}
	m.mu.Unlock()
	return values(out)
}

// OfferTo implements Store.
func (m *MemStore) OfferTo(ctx context.Context, waiterID uuid.UUID, hold NewBooking) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.waiters, func(w Waiter) bool { return w.ID == waiterID })
	if i < 0 {
		return fmt.Errorf("%w: waiter %s", ErrNotFound, waiterID)
	}
	if m.waiters[i].OfferedBooking != uuid.Nil {
		return fmt.Errorf("%w: waiter %s already has an offer", ErrConflict, waiterID)
	}
	if err := m.create(ctx, hold); err != nil {
		return err
	}
	m.waiters[i].OfferedBooking = hold.Booking.ID
	return nil
}

// LapseOffer implements Store.
func (m *MemStore) LapseOffer(_ context.Context, waiterID uuid.UUID) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.waiters, func(w Waiter) bool { return w.ID == waiterID })
	if i < 0 {
		return fmt.Errorf("%w: waiter %s", ErrNotFound, waiterID)
	}
	w := &m.waiters[i]
	if w.OfferedBooking == uuid.Nil || w.Lapsed {
		return fmt.Errorf("%w: waiter %s has no open offer", ErrConflict, waiterID)
	}
	w.Lapsed = true
	return nil
}
