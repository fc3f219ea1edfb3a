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

func (m *MemStore) fits(b *Booking, now time.Time) error {
	same := 0
	for _, o := range m.overlapping(b.CounterID, b.OccupiedFrom, b.OccupiedTo) {
		if o.ID == b.ID || !o.ActiveAt(now) || !b.OccupiedFrom.Before(o.OccupiedTo) {
			continue
		}
		if o.ServiceID == b.ServiceID && o.Start.Equal(b.Start) {
			same++
			continue
		}
		return ErrSlotTaken
	}
	if same >= b.Capacity {
		return ErrSlotTaken
	}
	return nil
}

// channelUse counts the active bookings at b's location, start and channel.
func (m *MemStore) channelUse(b *Booking, now time.Time) int {
	n := 0
	for _, c := range m.locations[b.LocationID].Counters {
		for _, o := range m.overlapping(c.ID, b.Start, b.Start.Add(1)) {
			if o.Start.Equal(b.Start) && o.Channel == b.Channel && o.ActiveAt(now) {
				n++
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
func (m *MemStore) Create(ctx context.Context, nb NewBooking, now time.Time) (Booking, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.create(ctx, nb, now)
}

func (m *MemStore) create(ctx context.Context, nb NewBooking, now time.Time) (Booking, bool, error) {
	b := nb.Booking
	if b.IdempotencyKey != "" {
		if id, ok := m.byKey[b.IdempotencyKey]; ok {
			return *m.bookings[id], false, nil
		}
	}
	if _, dup := m.byRef[b.Reference]; dup {
		return Booking{}, false, ErrReferenceTaken
	}
	key := b.Citizen.Key()
	if nb.MaxOpen > 0 {
		open := 0
		for _, id := range m.byCitizen[key] {
			if m.bookings[id].OpenFor(key, b.ServiceID, now) {
				open++
			}
		}
		if open >= nb.MaxOpen {
			return Booking{}, false, ErrLimitReached
		}
	}
	if nb.QuotaLimit > 0 && m.channelUse(&b, now) >= nb.QuotaLimit {
		return Booking{}, false, fmt.Errorf("%w: the %s quota for this slot is used up", ErrSlotTaken, b.Channel)
	}
	if err := m.fits(&b, now); err != nil {
		return Booking{}, false, err
	}
	if err := m.sink.Publish(ctx, nb.Events...); err != nil {
		return Booking{}, false, err
	}
	p := &b
	m.bookings[b.ID] = p
	m.byRef[b.Reference] = b.ID
	if b.IdempotencyKey != "" {
		m.byKey[b.IdempotencyKey] = b.ID
	}
	m.byCitizen[key] = append(m.byCitizen[key], b.ID)
	m.index(p)
	return b, true, nil
}

// Booking implements Store.
func (m *MemStore) Booking(_ context.Context, id uuid.UUID) (Booking, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.bookings[id]
	if !ok {
		return Booking{}, fmt.Errorf("%w: booking %s", ErrNotFound, id)
	}
	return *b, nil
}

// ByIdempotencyKey implements Store.
func (m *MemStore) ByIdempotencyKey(_ context.Context, key string) (Booking, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.byKey[key]
	if !ok {
		return Booking{}, fmt.Errorf("%w: idempotency key", ErrNotFound)
	}
	return *m.bookings[id], nil
}

// ByReference implements Store.
func (m *MemStore) ByReference(_ context.Context, ref Reference) (Booking, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.byRef[ref]
	if !ok {
		return Booking{}, fmt.Errorf("%w: booking %s", ErrNotFound, ref)
	}
	return *m.bookings[id], nil
}

// Update implements Store.
func (m *MemStore) Update(ctx context.Context, id uuid.UUID, now time.Time, fn func(*Booking) ([]event.Event, error)) (Booking, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.bookings[id]
	if !ok {
		return Booking{}, fmt.Errorf("%w: booking %s", ErrNotFound, id)
	}
	next := *cur
	evs, err := fn(&next)
	if err != nil {
		return Booking{}, err
	}
	if next.ActiveAt(now) {
		if err := m.fits(&next, now); err != nil {
			return Booking{}, err
		}
	}
	if err := m.sink.Publish(ctx, evs...); err != nil {
		return Booking{}, err
	}
	next.Version = cur.Version + 1
	m.unindex(cur)
	*cur = next
	if cur.ActiveAt(now) || cur.Status == NoShow || cur.Status == CheckedIn {
		m.index(cur)
	}
	return next, nil
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
	return func(yield func(Booking, error) bool) {
		for _, b := range out {
			if !yield(b, nil) {
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
	return func(yield func(Waiter, error) bool) {
		for _, w := range out {
			if !yield(w, nil) {
				return
			}
		}
	}
}

// OfferTo implements Store.
func (m *MemStore) OfferTo(ctx context.Context, waiterID uuid.UUID, hold NewBooking, now time.Time) (Booking, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := slices.IndexFunc(m.waiters, func(w Waiter) bool { return w.ID == waiterID })
	if i < 0 {
		return Booking{}, fmt.Errorf("%w: waiter %s", ErrNotFound, waiterID)
	}
	if m.waiters[i].OfferedBooking != uuid.Nil {
		return Booking{}, fmt.Errorf("%w: waiter %s already has an offer", ErrConflict, waiterID)
	}
	b, _, err := m.create(ctx, hold, now)
	if err != nil {
		return Booking{}, err
	}
	m.waiters[i].OfferedBooking = b.ID
	return b, nil
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
