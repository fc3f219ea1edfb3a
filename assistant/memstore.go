package assistant

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// MemStore is the in-memory Store, the reference implementation. It
// publishes a change's events to its sink while it holds the lock that
// commits the change.
type MemStore struct {
	mu       sync.Mutex
	sink     event.Sink
	entries  map[string]Entry
	convs    map[uuid.UUID]*Conversation
	outcomes map[Outcome]int64
}

var _ Store = (*MemStore)(nil)

// NewMemStore returns an empty store publishing to sink (nil for none).
func NewMemStore(sink event.Sink) *MemStore {
	return &MemStore{sink: sink, entries: map[string]Entry{}, convs: map[uuid.UUID]*Conversation{}, outcomes: map[Outcome]int64{}}
}

func cloneEntry(e Entry) Entry {
	e.Keywords = slices.Clone(e.Keywords)
	e.Themes = slices.Clone(e.Themes)
	e.Audiences = slices.Clone(e.Audiences)
	return e
}

// cloneConversation copies c deeply through JSON, the form every store
// keeps, so the memory store holds exactly what PostgreSQL would.
func cloneConversation(c *Conversation) *Conversation {
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // a Conversation always encodes
	}
	var out Conversation
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return &out
}

// PutEntries implements Store.
func (s *MemStore) PutEntries(ctx context.Context, entries []Entry) error {
	if err := ValidateCatalogue(entries); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range entries {
		s.entries[e.ID] = cloneEntry(e)
	}
	return nil
}

// DeleteEntries implements Store.
func (s *MemStore) DeleteEntries(ctx context.Context, ids []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.entries, id)
	}
	return nil
}

// GetEntry implements Store.
func (s *MemStore) GetEntry(ctx context.Context, id string) (*Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok {
		return nil, errs.Wrap(ErrNotFound, "entry %q", id)
	}
	e = cloneEntry(e)
	return &e, nil
}

// ListEntries implements Store.
func (s *MemStore) ListEntries(ctx context.Context, after string, limit int) ([]Entry, error) {
	limit = pageLimit(limit)
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.entries))
	for id := range s.entries {
		if id > after {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	if len(ids) > limit {
		ids = ids[:limit]
	}
	out := make([]Entry, len(ids))
	for i, id := range ids {
		out[i] = cloneEntry(s.entries[id])
	}
	return out, nil
}

func pageLimit(limit int) int {
	if limit <= 0 || limit > MaxLimit {
		return MaxLimit
	}
	return limit
}

// CreateConversation implements Store.
func (s *MemStore) CreateConversation(ctx context.Context, c *Conversation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.convs[c.ID]; dup {
		return errs.Wrap(ErrConflict, "conversation %s exists", c.ID)
	}
	c.Version = 1
	s.convs[c.ID] = cloneConversation(c)
	return nil
}

func (s *MemStore) live(id uuid.UUID, now time.Time) (*Conversation, error) {
	c, ok := s.convs[id]
	if !ok || c.ExpiresAt.Before(now) {
		return nil, errs.Wrap(ErrNotFound, "conversation %s", id)
	}
	return c, nil
}

// GetConversation implements Store.
func (s *MemStore) GetConversation(ctx context.Context, id uuid.UUID, now time.Time) (*Conversation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.live(id, now)
	if err != nil {
		return nil, err
	}
	return cloneConversation(c), nil
}

// UpdateConversation implements Store.
func (s *MemStore) UpdateConversation(ctx context.Context, id uuid.UUID, now time.Time, fn ConversationMutation) (*Conversation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.live(id, now)
	if err != nil {
		return nil, err
	}
	next := cloneConversation(c)
	next.Version++
	events, err := fn(next)
	if err != nil {
		return nil, err
	}
	if s.sink != nil && len(events) > 0 {
		if err := s.sink.Publish(ctx, events...); err != nil {
			return nil, err
		}
	}
	next.ID = id
	s.convs[id] = cloneConversation(next)
	return next, nil
}

// DeleteExpired implements Store.
func (s *MemStore) DeleteExpired(ctx context.Context, now time.Time) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, c := range s.convs {
		if c.ExpiresAt.Before(now) {
			delete(s.convs, id)
			n++
		}
	}
	return n, nil
}

// RecordOutcome implements Store.
func (s *MemStore) RecordOutcome(ctx context.Context, o Outcome) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outcomes[o]++
	return nil
}

// Outcomes implements Store.
func (s *MemStore) Outcomes(ctx context.Context, from, to calendar.Date) ([]OutcomeCount, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []OutcomeCount
	for o, n := range s.outcomes {
		if !o.Day.Before(from) && !o.Day.After(to) {
			out = append(out, OutcomeCount{Outcome: o, Count: n})
		}
	}
	sortOutcomes(out)
	return out, nil
}

// sortOutcomes orders counts by day, intent, entry, resolved, handed over.
func sortOutcomes(out []OutcomeCount) {
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if c := a.Day.Compare(b.Day); c != 0 {
			return c < 0
		}
		if a.Intent != b.Intent {
			return a.Intent < b.Intent
		}
		if a.EntryID != b.EntryID {
			return a.EntryID < b.EntryID
		}
		if a.Resolved != b.Resolved {
			return !a.Resolved
		}
		return !a.HandedOver && b.HandedOver
	})
}
