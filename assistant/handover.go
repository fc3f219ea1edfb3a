package assistant

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Handover passes a conversation to a person ("overdracht naar een
// medewerker"). The portal implements it by opening a question case
// ("vraag") in the clerk's worklist with the redacted transcript; a live
// chat can sit in front of it with LiveChatHandover.
type Handover interface {
	HandOver(ctx context.Context, r HandoverRequest) (Ticket, error)
}

// HandoverRequest is what a person needs to pick the conversation up.
type HandoverRequest struct {
	ConversationID uuid.UUID `json:"conversation_id"`
	// Person is the signed-in citizen, or nil for an anonymous one (the
	// clerk then answers in the chat or not at all).
	Person   *Person `json:"person,omitempty"`
	Language string  `json:"language"`
	// Transcript is the conversation so far, with personal data masked.
	Transcript []Turn `json:"transcript"`
	// Reason is why the assistant handed over: asked, out_of_scope or
	// unresolved.
	Reason string `json:"reason"`
}

// Channels a handover can take.
const (
	ChannelCase     = "case"      // a question case a clerk answers
	ChannelLiveChat = "live_chat" // a person joins the chat now
)

// Ticket says where a handover went.
type Ticket struct {
	Channel string `json:"channel"`
	// Reference is the case reference or chat session the citizen can
	// quote.
	Reference string `json:"reference"`
	// URL is where the citizen follows it up, if anywhere.
	URL string `json:"url,omitempty"`
	// FellBack reports that a live chat was tried first and the case path
	// took over (no agent in time, or the chat failed).
	FellBack bool `json:"fell_back,omitempty"`
}

// LiveChat is a live-chat system's queue: Join waits until an agent
// accepts the conversation and returns the session, or returns ctx's
// error when the wait is cut short.
type LiveChat interface {
	Join(ctx context.Context, r HandoverRequest) (session string, err error)
}

// LiveChatHandover offers a conversation to a live chat first and, when
// no agent accepts within QueueTimeout or the chat fails, hands it to
// Fallback (the case path) so no citizen is left waiting.
type LiveChatHandover struct {
	Chat     LiveChat
	Fallback Handover
	// QueueTimeout is how long a citizen waits for an agent; 0 means 2 minutes.
	QueueTimeout time.Duration
}

// HandOver implements Handover.
func (h *LiveChatHandover) HandOver(ctx context.Context, r HandoverRequest) (Ticket, error) {
	timeout := h.QueueTimeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	wait, cancel := context.WithTimeout(ctx, timeout)
	session, err := h.Chat.Join(wait, r)
	cancel()
	if err == nil {
		return Ticket{Channel: ChannelLiveChat, Reference: session}, nil
	}
	if ctx.Err() != nil {
		// The citizen's own request ended; nothing to fall back for.
		return Ticket{}, ctx.Err()
	}
	t, ferr := h.Fallback.HandOver(ctx, r)
	if ferr != nil {
		return Ticket{}, fmt.Errorf("assistant: live chat: %w; case fallback: %w", err, ferr)
	}
	t.FellBack = true
	return t, nil
}

// ErrNoAgent is what a LiveChat may return when nobody is on duty.
var ErrNoAgent = errors.New("assistant: no live-chat agent available")
