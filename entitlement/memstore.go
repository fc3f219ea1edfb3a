package entitlement

import (
	"context"
	"iter"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
)

// MemStore is the in-memory Store, the reference implementation. It
// publishes events to its sink while holding the lock that commits the
// change. Every read a service offers goes through an index: by ID, by
// benefit and subject (current grants), by subject (grants, audit), by
// idempotency key.
type MemStore struct {
	mu     sync.Mutex
	sink   event.Sink
	grants map[uuid.UUID]Grant
	// current holds, per benefit, the current grant of each subject.
	current   map[string]map[string]uuid.UUID
	bySubject map[string][]uuid.UUID // every grant of a subject, oldest first
	keys      map[string]uuid.UUID   // grants by idempotency key
	optOuts   map[[2]string]OptOut
	audit     map[string][]AuditEntry // by subject, oldest first
}

// NewMemStore returns an empty store publishing to sink (nil discards).
func NewMemStore(sink event.Sink) *MemStore {
	if sink == nil {
		sink = event.Discard
	}
	return &MemStore{sink: sink, grants: map[uuid.UUID]Grant{}, current: map[string]map[string]uuid.UUID{},
		bySubject: map[string][]uuid.UUID{}, keys: map[string]uuid.UUID{}, optOuts: map[[2]string]OptOut{}, audit: map[string][]AuditEntry{}}
}

func optKey(subjectID, benefit string) [2]string { return [2]string{subjectID, benefit} }

// Create implements Store.
func (m *MemStore) Create(ctx context.Context, g *Grant, ch GrantChange) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var e Existing
	if g.IdempotencyKey != "" {
		e.KeyHolder = m.keys[g.IdempotencyKey]
	}
	_, e.OptedOut = m.optOuts[optKey(g.SubjectID, g.Benefit)]
	e.Current = m.current[g.Benefit][g.SubjectID]
	if err := CheckCreate(g, e); err != nil {
		return err
	}
	if _, ok := m.grants[g.ID]; ok {
		return ErrAlreadyGranted
	}
	if err := m.sink.Publish(ctx, ch.Events...); err != nil {
		return err
	}
	next := *g
	next.Version = 1
	m.grants[next.ID] = next
	m.bySubject[next.SubjectID] = append(m.bySubject[next.SubjectID], next.ID)
	if next.IdempotencyKey != "" {
		m.keys[next.IdempotencyKey] = next.ID
	}
	m.index(next)
	m.record(ch.Audit)
	g.Version = 1
	return nil
}

// index keeps the current grants in step with g.
func (m *MemStore) index(g Grant) {
	held := m.current[g.Benefit]
	switch {
	case g.Status.Current() && held == nil:
		m.current[g.Benefit] = map[string]uuid.UUID{g.SubjectID: g.ID}
	case g.Status.Current():
		held[g.SubjectID] = g.ID
	case held[g.SubjectID] == g.ID:
		delete(held, g.SubjectID)
	}
}

func (m *MemStore) record(a AuditEntry) {
	m.audit[a.SubjectID] = append(m.audit[a.SubjectID], a)
}

// Update implements Store.
func (m *MemStore) Update(ctx context.Context, id uuid.UUID, fn func(*Grant) (GrantChange, error)) (*Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.grants[id]
	if !ok {
		return nil, ErrNotFound
	}
	return m.save(ctx, g, fn)
}

// save runs fn on a copy of g and stores the result; the caller holds the lock.
func (m *MemStore) save(ctx context.Context, g Grant, fn func(*Grant) (GrantChange, error)) (*Grant, error) {
	next := g
	ch, err := fn(&next)
	if err != nil {
		return nil, err
	}
	if err := CheckUpdate(&g, &next); err != nil {
		return nil, err
	}
	if err := m.sink.Publish(ctx, ch.Events...); err != nil {
		return nil, err
	}
	next.Version = g.Version + 1
	m.grants[next.ID] = next
	m.index(next)
	m.record(ch.Audit)
	return &next, nil
}

// Get implements Store.
func (m *MemStore) Get(_ context.Context, id uuid.UUID) (*Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.grants[id]
	if !ok {
		return nil, ErrNotFound
	}
	return &g, nil
}

// Current implements Store.
func (m *MemStore) Current(_ context.Context, subjectID, benefit string) (*Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.current[benefit][subjectID]
	if !ok {
		return nil, ErrNotFound
	}
	g := m.grants[id]
	return &g, nil
}

// Held implements Store; it iterates over a snapshot taken at the start.
func (m *MemStore) Held(_ context.Context, benefit string) iter.Seq2[Grant, error] {
	return func(yield func(Grant, error) bool) {
		m.mu.Lock()
		out := make([]Grant, 0, len(m.current[benefit]))
		for _, id := range m.current[benefit] {
			out = append(out, m.grants[id])
		}
		m.mu.Unlock()
		slices.SortFunc(out, func(a, b Grant) int { return strings.Compare(a.SubjectID, b.SubjectID) })
		for _, g := range out {
			if !yield(g, nil) {
				return
			}
		}
	}
}

// Grants implements Store; it iterates over a snapshot taken at the start.
func (m *MemStore) Grants(_ context.Context, subjectID string) iter.Seq2[Grant, error] {
	return func(yield func(Grant, error) bool) {
		m.mu.Lock()
		ids := m.bySubject[subjectID]
		out := make([]Grant, len(ids))
		for i, id := range ids {
			out[i] = m.grants[id]
		}
		m.mu.Unlock()
		for _, g := range out {
			if !yield(g, nil) {
				return
			}
		}
	}
}

// GrantSummaries implements Store.
func (m *MemStore) GrantSummaries(ctx context.Context, subjectID string) iter.Seq2[Grant, error] {
	return func(yield func(Grant, error) bool) {
		for g, err := range m.Grants(ctx, subjectID) {
			g.Reason = nil
			if !yield(g, err) {
				return
			}
		}
	}
}

// OptOut implements Store.
func (m *MemStore) OptOut(ctx context.Context, o OptOut, fn func(*Grant) (GrantChange, error)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := optKey(o.SubjectID, o.Benefit)
	if id, ok := m.current[o.Benefit][o.SubjectID]; ok {
		if _, err := m.save(ctx, m.grants[id], fn); err != nil {
			return err
		}
	} else {
		ch, err := fn(nil)
		if err != nil {
			return err
		}
		if err := m.sink.Publish(ctx, ch.Events...); err != nil {
			return err
		}
		m.record(ch.Audit)
	}
	if _, ok := m.optOuts[k]; !ok {
		m.optOuts[k] = o
	}
	return nil
}

// OptOutOf implements Store.
func (m *MemStore) OptOutOf(_ context.Context, subjectID, benefit string) (*OptOut, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.optOuts[optKey(subjectID, benefit)]
	if !ok {
		return nil, ErrNotFound
	}
	return &o, nil
}

// Audit implements Store; it iterates over a snapshot taken at the start.
func (m *MemStore) Audit(_ context.Context, subjectID string) iter.Seq2[AuditEntry, error] {
	return func(yield func(AuditEntry, error) bool) {
		m.mu.Lock()
		out := slices.Clone(m.audit[subjectID])
		m.mu.Unlock()
		for _, a := range out {
			if !yield(a, nil) {
				return
			}
		}
	}
}
