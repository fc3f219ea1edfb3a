package assistant

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/event"
)

// ConversationMutation changes a fresh copy of a conversation and returns
// the events to publish with the change. An error leaves it as it was.
type ConversationMutation func(c *Conversation) ([]event.Event, error)

// Store keeps the catalogue, the conversations and the statistics.
// Implementations: MemStore and assistant/pgstore; both pass
// assistanttest.Run.
type Store interface {
	// PutEntries inserts or replaces entries by ID, all or none.
	PutEntries(ctx context.Context, entries []Entry) error
	// DeleteEntries removes entries by ID; unknown IDs are ignored.
	DeleteEntries(ctx context.Context, ids []string) error
	// GetEntry returns one entry, or ErrNotFound.
	GetEntry(ctx context.Context, id string) (*Entry, error)
	// ListEntries returns up to limit entries (at most MaxLimit) with IDs
	// after the given one, in ID order; "" starts at the beginning.
	ListEntries(ctx context.Context, after string, limit int) ([]Entry, error)

	// CreateConversation stores a new conversation with Version 1.
	CreateConversation(ctx context.Context, c *Conversation) error
	// GetConversation returns a conversation, or ErrNotFound when there is
	// none or it expired before now.
	GetConversation(ctx context.Context, id uuid.UUID, now time.Time) (*Conversation, error)
	// UpdateConversation runs fn on a fresh copy of a live conversation
	// under a lock, increments its Version, and stores it with fn's events.
	// It returns ErrNotFound when there is none or it expired before now.
	UpdateConversation(ctx context.Context, id uuid.UUID, now time.Time, fn ConversationMutation) (*Conversation, error)
	// DeleteExpired removes the conversations that expired before now and
	// returns how many.
	DeleteExpired(ctx context.Context, now time.Time) (int, error)

	// RecordOutcome counts one outcome.
	RecordOutcome(ctx context.Context, o Outcome) error
	// Outcomes returns the counts of the days from through to, ordered by
	// day, intent, entry, resolved and handed over.
	Outcomes(ctx context.Context, from, to calendar.Date) ([]OutcomeCount, error)
}

// MaxLimit is the largest page ListEntries returns.
const MaxLimit = 1000
