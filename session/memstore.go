package session

import (
	"context"
	"sync"
	"time"
)

// MemStore is the in-memory Store: sessions last as long as the process.
// The zero value is ready to use.
type MemStore struct {
	mu        sync.RWMutex
	sessions  map[Hash]Session
	bySubject map[string]map[Hash]struct{}
}

var _ Store = (*MemStore)(nil)

// NewMemStore returns an empty store.
func NewMemStore() *MemStore { return &MemStore{} }

func (m *MemStore) initLocked() {
	if m.sessions == nil {
		m.sessions = map[Hash]Session{}
		m.bySubject = map[string]map[Hash]struct{}{}
	}
}

// Create stores s.
func (m *MemStore) Create(_ context.Context, s Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.createLocked(s)
}

func (m *MemStore) createLocked(s Session) error {
	m.initLocked()
	if _, ok := m.sessions[s.Hash]; ok {
		return ErrConflict
	}
	m.sessions[s.Hash] = s
	set := m.bySubject[s.Subject]
	if set == nil {
		set = map[Hash]struct{}{}
		m.bySubject[s.Subject] = set
	}
	set[s.Hash] = struct{}{}
	return nil
}

// Get returns a copy of the session.
func (m *MemStore) Get(_ context.Context, h Hash) (*Session, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s, ok := m.sessions[h]
	if !ok {
		return nil, ErrNotFound
	}
	return &s, nil
}

// Touch sets LastSeen and IdleExpiry.
func (m *MemStore) Touch(_ context.Context, h Hash, lastSeen, idleExpiry time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[h]
	if !ok {
		return ErrNotFound
	}
	s.LastSeen, s.IdleExpiry = lastSeen, idleExpiry
	m.sessions[h] = s
	return nil
}

// Replace deletes old and creates next under one lock.
func (m *MemStore) Replace(_ context.Context, old Hash, next Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sessions[old]; !ok {
		return ErrNotFound
	}
	if _, ok := m.sessions[next.Hash]; ok {
		return ErrConflict
	}
	m.deleteLocked(old)
	return m.createLocked(next)
}

// Delete removes the session.
func (m *MemStore) Delete(_ context.Context, h Hash) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deleteLocked(h)
	return nil
}

func (m *MemStore) deleteLocked(h Hash) {
	s, ok := m.sessions[h]
	if !ok {
		return
	}
	delete(m.sessions, h)
	if set := m.bySubject[s.Subject]; set != nil {
		delete(set, h)
		if len(set) == 0 {
			delete(m.bySubject, s.Subject)
		}
	}
}

// DeleteSubject removes every session of subject.
func (m *MemStore) DeleteSubject(_ context.Context, subject string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for h := range m.bySubject[subject] {
		m.deleteLocked(h)
		n++
	}
	return n, nil
}

// Purge removes the sessions expired at now.
func (m *MemStore) Purge(_ context.Context, now time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for h, s := range m.sessions {
		if s.Expired(now) {
			m.deleteLocked(h)
			n++
		}
	}
	return n, nil
}
