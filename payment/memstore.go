package payment

import (
	"context"
	"encoding/json"
	"iter"
	"slices"
	"sync"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// MemStore is the in-memory Store, the reference implementation used by
// tests and examples. It publishes events to its sink while it holds the
// lock that commits the change.
type MemStore struct {
	mu    sync.Mutex
	sink  event.Sink
	seq   uint64
	byID  map[uuid.UUID][]byte // JSON, so callers never share memory with the store
	byRef map[string]uuid.UUID
	byKey map[string]uuid.UUID // by idempotency key
	order []uuid.UUID
	// byPayer holds, per Debtor.PayerKey, the positions in order of the
	// payer's requests, ascending: List by payer reads these, not all.
	byPayer   map[string][]int
	unmatched map[string]Unmatched
	umOrder   []string
}

// NewMemStore returns an empty store that publishes to sink (nil drops events).
func NewMemStore(sink event.Sink) *MemStore {
	if sink == nil {
		sink = event.Discard
	}
	return &MemStore{sink: sink, byID: map[uuid.UUID][]byte{}, byRef: map[string]uuid.UUID{}, byKey: map[string]uuid.UUID{},
		byPayer: map[string][]int{}, unmatched: map[string]Unmatched{}}
}

var _ Store = (*MemStore)(nil)

// NextSequence returns 1, 2, 3 ...
func (m *MemStore) NextSequence(context.Context) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq++
	return m.seq, nil
}

// Create stores r.
func (m *MemStore) Create(ctx context.Context, r *Request, events ...event.Event) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if held, ok := m.byKey[r.IdempotencyKey]; ok && r.IdempotencyKey != "" {
		return &DuplicateError{Key: r.IdempotencyKey, ID: held}
	}
	if _, ok := m.byID[r.ID]; ok {
		return errs.Wrap(ErrConflict, "payment request %s exists", r.ID)
	}
	key := r.Reference.Key()
	if _, ok := m.byRef[key]; ok && key != "" {
		return errs.Wrap(ErrConflict, "reference %s is taken", key)
	}
	if err := m.sink.Publish(ctx, events...); err != nil {
		return err
	}
	m.byID[r.ID] = b
	if key != "" {
		m.byRef[key] = r.ID
	}
	if r.IdempotencyKey != "" {
		m.byKey[r.IdempotencyKey] = r.ID
	}
	if p := r.Debtor.PayerKey(); p != "" {
		m.byPayer[p] = append(m.byPayer[p], len(m.order))
	}
	m.order = append(m.order, r.ID)
	return nil
}

func (m *MemStore) load(id uuid.UUID) (*Request, error) {
	b, ok := m.byID[id]
	if !ok {
		return nil, errs.Wrap(ErrNotFound, "payment request %s", id)
	}
	var r Request
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Get returns a copy of the request.
func (m *MemStore) Get(_ context.Context, id uuid.UUID) (*Request, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.load(id)
}

// GetByReference finds a request by its reference key.
func (m *MemStore) GetByReference(_ context.Context, key string) (*Request, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.byRef[key]
	if !ok {
		return nil, errs.Wrap(ErrNotFound, "payment request with reference %s", key)
	}
	return m.load(id)
}

// GetByIdempotencyKey finds a request by the key it was created with.
func (m *MemStore) GetByIdempotencyKey(_ context.Context, key string) (*Request, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.byKey[key]
	if !ok || key == "" {
		return nil, errs.Wrap(ErrNotFound, "payment request with idempotency key %q", key)
	}
	return m.load(id)
}

// Update runs ApplyChange under the store's lock.
func (m *MemStore) Update(ctx context.Context, id uuid.UUID, fn func(*Request) (Change, error)) (*Request, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.load(id)
	if err != nil {
		return nil, err
	}
	ch, err := ApplyChange(r, fn)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	if err := m.sink.Publish(ctx, ch.Events...); err != nil {
		return nil, err
	}
	m.byID[id] = b
	return r, nil
}

// List yields matching requests in creation order; with q.Payers it walks
// only those payers' positions.
func (m *MemStore) List(_ context.Context, q Query) iter.Seq2[*Request, error] {
	return func(yield func(*Request, error) bool) {
		next := 0 // the least position not yet read
		for {
			m.mu.Lock()
			i := m.nextPosition(q.Payers, next)
			if i < 0 {
				m.mu.Unlock()
				return
			}
			r, err := m.load(m.order[i])
			m.mu.Unlock()
			if err != nil {
				yield(nil, err)
				return
			}
			if q.Matches(r) && !yield(r, nil) {
				return
			}
			next = i + 1
		}
	}
}

// nextPosition returns the least position ≥ from of a request of one of
// payers (of any request when payers is empty), or -1.
func (m *MemStore) nextPosition(payers []string, from int) int {
	if len(payers) == 0 {
		if from < len(m.order) {
			return from
		}
		return -1
	}
	best := -1
	for _, p := range payers {
		pos := m.byPayer[p]
		if j, _ := slices.BinarySearch(pos, from); j < len(pos) && (best < 0 || pos[j] < best) {
			best = pos[j]
		}
	}
	return best
}

// RecordUnmatched keeps u once per key.
func (m *MemStore) RecordUnmatched(ctx context.Context, u Unmatched, events ...event.Event) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.unmatched[u.Key]; ok {
		return false, nil
	}
	if err := m.sink.Publish(ctx, events...); err != nil {
		return false, err
	}
	m.unmatched[u.Key] = u
	m.umOrder = append(m.umOrder, u.Key)
	return true, nil
}

// Unmatched yields the recorded lines in the order they were recorded.
func (m *MemStore) Unmatched(context.Context) iter.Seq2[Unmatched, error] {
	return func(yield func(Unmatched, error) bool) {
		m.mu.Lock()
		keys := slices.Clone(m.umOrder)
		m.mu.Unlock()
		for _, k := range keys {
			m.mu.Lock()
			u := m.unmatched[k]
			m.mu.Unlock()
			if !yield(u, nil) {
				return
			}
		}
	}
}

// GetUnmatched returns the line recorded under key.
func (m *MemStore) GetUnmatched(_ context.Context, key string) (Unmatched, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	u, ok := m.unmatched[key]
	if !ok {
		return Unmatched{}, errs.Wrap(ErrNotFound, "unmatched statement line %q", key)
	}
	return u, nil
}
