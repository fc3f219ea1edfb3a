package subsidy

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// MemStore is the in-memory Store, the reference implementation. It keeps
// values as JSON so callers never share memory with it, and publishes
// events to its sink while holding the lock that commits the change.
type MemStore struct {
	mu      sync.Mutex
	sink    event.Sink
	schemes map[uuid.UUID][]byte
	calls   map[uuid.UUID][]byte
	order   []uuid.UUID // call IDs in creation order
	apps    map[uuid.UUID][]byte
	byCall  map[uuid.UUID][]uuid.UUID
	appCall map[uuid.UUID]uuid.UUID
	appSeq  map[uuid.UUID]int      // creation order of applications
	byRef   map[string][]uuid.UUID // applications by ApplicantRef, in creation order
	keys    map[string]uuid.UUID   // applications by idempotency key
}

// NewMemStore returns an empty store that publishes to sink (event.Discard when nil).
func NewMemStore(sink event.Sink) *MemStore {
	if sink == nil {
		sink = event.Discard
	}
	return &MemStore{sink: sink, schemes: map[uuid.UUID][]byte{}, calls: map[uuid.UUID][]byte{},
		apps: map[uuid.UUID][]byte{}, byCall: map[uuid.UUID][]uuid.UUID{}, appCall: map[uuid.UUID]uuid.UUID{},
		appSeq: map[uuid.UUID]int{}, byRef: map[string][]uuid.UUID{}, keys: map[string]uuid.UUID{}}
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("subsidy: encode %T: %v", v, err)) // our own types always encode
	}
	return b
}

func decode[T any](b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}

// CreateScheme implements Store.
func (m *MemStore) CreateScheme(ctx context.Context, s Scheme, events []event.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.schemes[s.ID]; ok {
		return fmt.Errorf("%w: scheme %s exists", ErrConflict, s.ID)
	}
	if err := m.sink.Publish(ctx, events...); err != nil {
		return err
	}
	m.schemes[s.ID] = encode(s)
	return nil
}

// Scheme implements Store.
func (m *MemStore) Scheme(_ context.Context, id uuid.UUID) (Scheme, error) {
	m.mu.Lock()
	b, ok := m.schemes[id]
	m.mu.Unlock()
	if !ok {
		return Scheme{}, fmt.Errorf("%w: scheme %s", ErrNotFound, id)
	}
	return decode[Scheme](b)
}

// CreateCall implements Store.
func (m *MemStore) CreateCall(ctx context.Context, c Call, events []event.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.schemes[c.SchemeID]; !ok {
		return fmt.Errorf("%w: scheme %s", ErrNotFound, c.SchemeID)
	}
	if _, ok := m.calls[c.ID]; ok {
		return fmt.Errorf("%w: call %s exists", ErrConflict, c.ID)
	}
	if err := m.sink.Publish(ctx, events...); err != nil {
		return err
	}
	m.calls[c.ID] = encode(c)
	m.order = append(m.order, c.ID)
	return nil
}

// Call implements Store.
func (m *MemStore) Call(_ context.Context, id uuid.UUID) (Call, error) {
	m.mu.Lock()
	b, ok := m.calls[id]
	m.mu.Unlock()
	if !ok {
		return Call{}, fmt.Errorf("%w: call %s", ErrNotFound, id)
	}
	return decode[Call](b)
}

// Calls implements Store; like Applications it reads one call at a time.
func (m *MemStore) Calls(context.Context) iter.Seq2[Call, error] {
	return func(yield func(Call, error) bool) {
		for i := 0; ; i++ {
			m.mu.Lock()
			if i >= len(m.order) {
				m.mu.Unlock()
				return
			}
			b := m.calls[m.order[i]]
			m.mu.Unlock()
			c, err := decode[Call](b)
			if !yield(c, err) || err != nil {
				return
			}
		}
	}
}

// CreateApplication implements Store.
func (m *MemStore) CreateApplication(ctx context.Context, a Application, events []event.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.calls[a.CallID]; !ok {
		return fmt.Errorf("%w: call %s", ErrNotFound, a.CallID)
	}
	if held, ok := m.keys[a.IdempotencyKey]; ok && a.IdempotencyKey != "" {
		return &DuplicateError{Key: a.IdempotencyKey, ID: held}
	}
	if _, ok := m.apps[a.ID]; ok {
		return fmt.Errorf("%w: application %s exists", ErrConflict, a.ID)
	}
	if err := m.sink.Publish(ctx, events...); err != nil {
		return err
	}
	m.apps[a.ID] = encode(a)
	m.byCall[a.CallID] = append(m.byCall[a.CallID], a.ID)
	m.appCall[a.ID] = a.CallID
	m.appSeq[a.ID] = len(m.appSeq)
	m.byRef[a.ApplicantRef] = append(m.byRef[a.ApplicantRef], a.ID)
	if a.IdempotencyKey != "" {
		m.keys[a.IdempotencyKey] = a.ID
	}
	return nil
}

// Application implements Store.
func (m *MemStore) Application(_ context.Context, id uuid.UUID) (Application, error) {
	m.mu.Lock()
	b, ok := m.apps[id]
	m.mu.Unlock()
	if !ok {
		return Application{}, fmt.Errorf("%w: application %s", ErrNotFound, id)
	}
	return decode[Application](b)
}

// Applications implements Store; it reads one application at a time so
// the caller may write between steps.
func (m *MemStore) Applications(ctx context.Context, callID uuid.UUID) iter.Seq2[Application, error] {
	return func(yield func(Application, error) bool) {
		for i := 0; ; i++ {
			m.mu.Lock()
			ids := m.byCall[callID]
			if i >= len(ids) {
				m.mu.Unlock()
				return
			}
			b := m.apps[ids[i]]
			m.mu.Unlock()
			a, err := decode[Application](b)
			if !yield(a, err) || err != nil {
				return
			}
		}
	}
}

// ApplicationsOf implements Store from the index by reference: it takes
// the applicant's application IDs under the lock and reads them one at a
// time.
func (m *MemStore) ApplicationsOf(_ context.Context, refs []string) iter.Seq2[Application, error] {
	return func(yield func(Application, error) bool) {
		m.mu.Lock()
		var ids []uuid.UUID
		for _, ref := range slices.Compact(slices.Sorted(slices.Values(refs))) {
			ids = append(ids, m.byRef[ref]...)
		}
		slices.SortFunc(ids, func(a, b uuid.UUID) int { return cmp.Compare(m.appSeq[a], m.appSeq[b]) })
		m.mu.Unlock()
		for _, id := range ids {
			m.mu.Lock()
			b := m.apps[id]
			m.mu.Unlock()
			a, err := decode[Application](b)
			if !yield(a, err) || err != nil {
				return
			}
		}
	}
}

// Update implements Store.
func (m *MemStore) Update(ctx context.Context, callID uuid.UUID, appIDs []uuid.UUID, fn ChangeFunc) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	cb, ok := m.calls[callID]
	if !ok {
		return fmt.Errorf("%w: call %s", ErrNotFound, callID)
	}
	call, err := decode[Call](cb)
	if err != nil {
		return err
	}
	apps := make([]*Application, len(appIDs))
	for i, id := range appIDs {
		b, ok := m.apps[id]
		if !ok || m.appCall[id] != callID {
			return fmt.Errorf("%w: application %s in call %s", ErrNotFound, id, callID)
		}
		a, err := decode[Application](b)
		if err != nil {
			return err
		}
		apps[i] = &a
	}
	events, err := fn(&call, apps)
	if err != nil {
		return err
	}
	if err := m.sink.Publish(ctx, events...); err != nil {
		return err
	}
	call.Version++
	m.calls[callID] = encode(call)
	for _, a := range apps {
		a.Version++
		m.apps[a.ID] = encode(a)
	}
	return nil
}
