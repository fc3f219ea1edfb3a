// Package assistanttest is the conformance suite every assistant.Store
// passes: the in-memory store and the PostgreSQL store run the very same
// tests, the concurrency ones included.
package assistanttest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// EventLister is what a store under test offers so the suite can check
// that events were made durable with the change: the events recorded for
// a conversation, oldest first. MemStore tests wrap the store with a
// recorder; pgstore reads its outbox.
type EventLister interface {
	Events(ctx context.Context, conversationID uuid.UUID) ([]event.Event, error)
}

// Start is the suite's clock start: Monday 2 March 2026, 09:00 in Brussels.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, clock.Brussels)

func entry(id, title string) assistant.Entry {
	return assistant.Entry{ID: id, Title: title, Description: "Over " + title + ": één, twee.", Keywords: []string{"k1", "k2"},
		Themes: []string{"Burger en Overheid"}, Audiences: []string{"Burger"}, Type: "Bewijs", URL: "https://www.demogem.be/" + id,
		ValidFrom: calendar.NewDate(2025, 1, 1), Language: "nl", Version: 1}
}

func conversation(now time.Time) *assistant.Conversation {
	return &assistant.Conversation{ID: id.New(), Language: "nl", CreatedAt: now, UpdatedAt: now, ExpiresAt: now.Add(30 * time.Minute),
		Turns: []assistant.Turn{{At: now, From: assistant.FromCitizen, Text: "hallo", Intent: assistant.IntentInformation}}}
}

// Run runs the suite against stores made by newStore, a fresh empty one
// per subtest.
func Run(t *testing.T, newStore func(t *testing.T) assistant.Store) {
	ctx := context.Background()

	t.Run("entries", func(t *testing.T) {
		st := newStore(t)
		require.NoError(t, st.PutEntries(ctx, []assistant.Entry{entry("b", "Bee"), entry("a", "Aa"), entry("c", "Cee")}))
		got, err := st.GetEntry(ctx, "a")
		require.NoError(t, err)
		assert.Equal(t, entry("a", "Aa"), *got)

		// Upsert replaces.
		e := entry("a", "Aa bis")
		e.Version, e.Keywords, e.ValidUntil = 2, nil, calendar.NewDate(2030, 12, 31)
		require.NoError(t, st.PutEntries(ctx, []assistant.Entry{e}))
		got, err = st.GetEntry(ctx, "a")
		require.NoError(t, err)
		assert.Equal(t, e, *got)

		_, err = st.GetEntry(ctx, "zz")
		assert.ErrorIs(t, err, assistant.ErrNotFound)

		// Invalid entries are refused, all or none.
		err = st.PutEntries(ctx, []assistant.Entry{entry("d", "Dee"), {ID: "e"}})
		assert.ErrorIs(t, err, assistant.ErrValidation)
		_, err = st.GetEntry(ctx, "d")
		assert.ErrorIs(t, err, assistant.ErrNotFound)

		require.NoError(t, st.DeleteEntries(ctx, []string{"b", "nope"}))
		list, err := st.ListEntries(ctx, "", 0)
		require.NoError(t, err)
		assert.Equal(t, []string{"a", "c"}, ids(list))
	})

	t.Run("entries page in byte order", func(t *testing.T) {
		st := newStore(t)
		var all []assistant.Entry
		for _, k := range []string{"Zeta", "alpha", "beta", "é-accent", "_x", "10", "9", "a-b", "a_b", "ab"} {
			all = append(all, entry(k, k))
		}
		require.NoError(t, st.PutEntries(ctx, all))
		var got []string
		after := ""
		for {
			page, err := st.ListEntries(ctx, after, 3)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page), 3)
			got = append(got, ids(page)...)
			if len(page) < 3 {
				break
			}
			after = page[len(page)-1].ID
		}
		assert.Equal(t, []string{"10", "9", "Zeta", "_x", "a-b", "a_b", "ab", "alpha", "beta", "é-accent"}, got)
	})

	t.Run("conversation lifecycle", func(t *testing.T) {
		st := newStore(t)
		now := Start
		c := conversation(now)
		require.NoError(t, st.CreateConversation(ctx, c))
		assert.Equal(t, 1, c.Version)
		assert.ErrorIs(t, st.CreateConversation(ctx, c), assistant.ErrConflict)

		got, err := st.GetConversation(ctx, c.ID, now)
		require.NoError(t, err)
		assert.Equal(t, c.Turns[0].Text, got.Turns[0].Text)
		assert.True(t, c.ExpiresAt.Equal(got.ExpiresAt))

		upd, err := st.UpdateConversation(ctx, c.ID, now.Add(time.Minute), func(c *assistant.Conversation) ([]event.Event, error) {
			c.Options = []string{"a", "b"}
			c.Draft = &assistant.ReportDraft{Category: "waste", Description: "sluikstort"}
			c.ExpiresAt = now.Add(31 * time.Minute)
			return nil, nil
		})
		require.NoError(t, err)
		assert.Equal(t, 2, upd.Version)
		got, err = st.GetConversation(ctx, c.ID, now)
		require.NoError(t, err)
		assert.Equal(t, []string{"a", "b"}, got.Options)
		assert.Equal(t, "sluikstort", got.Draft.Description)
		assert.Equal(t, 2, got.Version)

		// A failing mutation changes nothing.
		boom := errors.New("boom")
		_, err = st.UpdateConversation(ctx, c.ID, now, func(c *assistant.Conversation) ([]event.Event, error) {
			c.Options = nil
			return nil, boom
		})
		assert.ErrorIs(t, err, boom)
		got, err = st.GetConversation(ctx, c.ID, now)
		require.NoError(t, err)
		assert.Equal(t, 2, got.Version)
		assert.Len(t, got.Options, 2)

		// Expired: gone for reading and writing, then swept.
		later := now.Add(32 * time.Minute)
		_, err = st.GetConversation(ctx, c.ID, later)
		assert.ErrorIs(t, err, assistant.ErrNotFound)
		_, err = st.UpdateConversation(ctx, c.ID, later, func(*assistant.Conversation) ([]event.Event, error) { return nil, nil })
		assert.ErrorIs(t, err, assistant.ErrNotFound)
		live := conversation(later)
		require.NoError(t, st.CreateConversation(ctx, live))
		n, err := st.DeleteExpired(ctx, later)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		_, err = st.GetConversation(ctx, c.ID, now)
		assert.ErrorIs(t, err, assistant.ErrNotFound)
		_, err = st.GetConversation(ctx, live.ID, later)
		assert.NoError(t, err)
	})

	t.Run("events commit with the change", func(t *testing.T) {
		st := newStore(t)
		lister, ok := st.(EventLister)
		if !ok {
			t.Skip("store does not list its events")
		}
		c := conversation(Start)
		require.NoError(t, st.CreateConversation(ctx, c))
		ev := event.Event{ID: id.New(), Type: assistant.EventHandedOver, AggregateID: c.ID, Time: Start,
			Payload: assistant.HandedOver{ConversationID: c.ID, Channel: assistant.ChannelCase, Reference: "2026-000001", Reason: "asked"}}
		_, err := st.UpdateConversation(ctx, c.ID, Start, func(c *assistant.Conversation) ([]event.Event, error) {
			c.Handover = &assistant.Ticket{Channel: assistant.ChannelCase, Reference: "2026-000001"}
			return []event.Event{ev}, nil
		})
		require.NoError(t, err)
		_, err = st.UpdateConversation(ctx, c.ID, Start, func(c *assistant.Conversation) ([]event.Event, error) {
			return []event.Event{{ID: id.New(), Type: "never", AggregateID: c.ID, Time: Start}}, errors.New("rolled back")
		})
		require.Error(t, err)
		got, err := lister.Events(ctx, c.ID)
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, ev.ID, got[0].ID)
		p, err := event.Decode[assistant.HandedOver](got[0])
		require.NoError(t, err)
		assert.Equal(t, "2026-000001", p.Reference)
	})

	t.Run("concurrent updates all count", func(t *testing.T) {
		st := newStore(t)
		c := conversation(Start)
		require.NoError(t, st.CreateConversation(ctx, c))
		const n = 16
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := st.UpdateConversation(ctx, c.ID, Start, func(c *assistant.Conversation) ([]event.Event, error) {
					c.Turns = append(c.Turns, assistant.Turn{At: Start, From: assistant.FromCitizen, Text: fmt.Sprint(i)})
					return nil, nil
				})
				assert.NoError(t, err)
			}()
		}
		wg.Wait()
		got, err := st.GetConversation(ctx, c.ID, Start)
		require.NoError(t, err)
		assert.Len(t, got.Turns, n+1)
		assert.Equal(t, n+1, got.Version)
	})

	t.Run("outcomes", func(t *testing.T) {
		st := newStore(t)
		d1, d2 := calendar.NewDate(2026, 3, 2), calendar.NewDate(2026, 3, 3)
		var wg sync.WaitGroup
		for range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				assert.NoError(t, st.RecordOutcome(ctx, assistant.Outcome{Day: d1, Intent: assistant.IntentInformation, EntryID: "a", Resolved: true}))
			}()
		}
		wg.Wait()
		require.NoError(t, st.RecordOutcome(ctx, assistant.Outcome{Day: d1, Intent: assistant.IntentOutOfScope}))
		require.NoError(t, st.RecordOutcome(ctx, assistant.Outcome{Day: d2, Intent: assistant.IntentHandover, HandedOver: true, Resolved: true}))
		got, err := st.Outcomes(ctx, d1, d1)
		require.NoError(t, err)
		assert.Equal(t, []assistant.OutcomeCount{
			{Outcome: assistant.Outcome{Day: d1, Intent: assistant.IntentInformation, EntryID: "a", Resolved: true}, Count: 5},
			{Outcome: assistant.Outcome{Day: d1, Intent: assistant.IntentOutOfScope}, Count: 1},
		}, got)
		got, err = st.Outcomes(ctx, d1, d2)
		require.NoError(t, err)
		assert.Len(t, got, 3)
	})
}

func ids(es []assistant.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}
