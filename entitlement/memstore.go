package entitlement

import (
	"context"
	"iter"
	"sort"
	"sync"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// MemStore is the in-memory Store, the reference implementation. It
// publishes events to its sink while holding the lock that commits the change.
type MemStore struct {
	mu      sync.Mutex
	sink    event.Sink
	grants  map[uuid.UUID]Grant
	current map[[2]string]uuid.UUID
	optOuts map[[2]string]OptOut
	audit   []AuditEntry
}

// NewMemStore returns an empty store publishing to sink (nil discards).
func NewMemStore(sink event.Sink) *MemStore {
	if sink == nil {
		sink = event.Discard
	}
	return &MemStore{sink: sink, grants: map[uuid.UUID]Grant{}, current: map[[2]string]uuid.UUID{}, optOuts: map[[2]string]OptOut{}}
}

func key(subjectID, benefit string) [2]string { return [2]string{subjectID, benefit} }

// Create implements Store.
func (m *MemStore) Create(ctx context.Context, g Grant, a AuditEntry, events []event.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := key(g.SubjectID, g.Benefit)
	if _, ok := m.optOuts[k]; ok {
		return ErrOptedOut
	}
	if _, ok := m.current[k]; ok {
		return ErrAlreadyGranted
	}
	if _, ok := m.grants[g.ID]; ok {
		return ErrAlreadyGranted
	}
	if err := m.sink.Publish(ctx, events...); err != nil {
		return err
	}
	g.Version = 1
	m.grants[g.ID] = g
	m.current[k] = g.ID
	m.audit = append(m.audit, a)
	return nil
}

// Update implements Store.
func (m *MemStore) Update(ctx context.Context, id uuid.UUID, fn func(*Grant) (AuditEntry, []event.Event, error)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.grants[id]
	if !ok {
		return ErrNotFound
	}
	next := g
	a, events, err := fn(&next)
	if err != nil {
		return err
	}
	if err := m.sink.Publish(ctx, events...); err != nil {
		return err
	}
	m.put(g, next, a)
	return nil
}

func (m *MemStore) put(old, next Grant, a AuditEntry) {
	next.Version = old.Version + 1
	m.grants[next.ID] = next
	k := key(next.SubjectID, next.Benefit)
	if !next.Status.Current() && m.current[k] == next.ID {
		delete(m.current, k)
	}
	m.audit = append(m.audit, a)
}

// Get implements Store.
func (m *MemStore) Get(_ context.Context, id uuid.UUID) (Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.grants[id]
	if !ok {
		return Grant{}, ErrNotFound
	}
	return g, nil
}

// Current implements Store.
func (m *MemStore) Current(_ context.Context, subjectID, benefit string) (Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.current[key(subjectID, benefit)]
	if !ok {
		return Grant{}, ErrNotFound
	}
	return m.grants[id], nil
}

// Held implements Store; it iterates over a snapshot taken at the start.
func (m *MemStore) Held(_ context.Context, benefit string) iter.Seq2[Grant, error] {
	return func(yield func(Grant, error) bool) {
		m.mu.Lock()
		var out []Grant
		for k, id := range m.current {
			if k[1] == benefit {
				out = append(out, m.grants[id])
			}
		}
		m.mu.Unlock()
		sort.Slice(out, func(i, j int) bool { return out[i].SubjectID < out[j].SubjectID })
		for _, g := range out {
			if !yield(g, nil) {
				return
			}
		}
	}
}

// OptOut implements Store.
func (m *MemStore) OptOut(ctx context.Context, o OptOut, end func(*Grant), a AuditEntry, events []event.Event) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := key(o.SubjectID, o.Benefit)
	if err := m.sink.Publish(ctx, events...); err != nil {
		return err
	}
	if _, ok := m.optOuts[k]; !ok {
		m.optOuts[k] = o
	}
	if id, ok := m.current[k]; ok {
		g := m.grants[id]
		next := g
		end(&next)
		m.put(g, next, a)
		return nil
	}
	m.audit = append(m.audit, a)
	return nil
}

// OptedOut implements Store.
func (m *MemStore) OptedOut(_ context.Context, subjectID, benefit string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.optOuts[key(subjectID, benefit)]
	return ok, nil
}

// Audit implements Store.
func (m *MemStore) Audit(_ context.Context, subjectID string) iter.Seq2[AuditEntry, error] {
	return func(yield func(AuditEntry, error) bool) {
		m.mu.Lock()
		var out []AuditEntry
		for _, a := range m.audit {
			if a.SubjectID == subjectID {
				out = append(out, a)
			}
		}
		m.mu.Unlock()
		for _, a := range out {
			if !yield(a, nil) {
				return
			}
		}
	}
}
