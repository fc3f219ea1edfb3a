package assistant

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Config wires a Service. Store is required; everything else has a default
// or is optional.
type Config struct {
	Store Store
	// Clock defaults to the real clock.
	Clock clock.Clock
	// Retriever defaults to an Index of the store's catalogue, built by
	// Reload with Options.
	Retriever Retriever
	Options   Options
	// Generator drafts answers; nil answers extractively.
	Generator Generator
	// Dossiers, Appointments and Handover are implemented by the portal;
	// without them the assistant says it cannot do that here.
	Dossiers     Dossiers
	Appointments Appointments
	Handover     Handover
	// TTL is how long a conversation lives after its last message; 0
	// means DefaultTTL.
	TTL time.Duration
	// ClarifyRatio: when the second-best entry scores at least this share
	// of the best, the assistant offers the top three instead of
	// guessing; 0 means 0.9.
	ClarifyRatio float64
}

// DefaultTTL is how long a conversation lives after its last message.
const DefaultTTL = 30 * time.Minute

// MaxQuestion is the longest question accepted, in bytes.
const MaxQuestion = 2000

// Service is the virtual assistant ("Virtuele Assistent"): it answers a
// citizen's questions from the catalogue, reports problems, shows a
// signed-in person's dossiers, offers appointments and hands over to a
// person.
type Service struct {
	cfg   Config
	clock clock.Clock

	mu        sync.RWMutex
	retriever Retriever
	entries   map[string]*Entry
}

// NewService checks cfg and returns a service. Call Reload (or Import)
// before the first question to load the catalogue.
func NewService(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, errs.Invalid("store", "required", "is required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.TTL <= 0 {
		cfg.TTL = DefaultTTL
	}
	if cfg.ClarifyRatio <= 0 {
		cfg.ClarifyRatio = 0.9
	}
	return &Service{cfg: cfg, clock: cfg.Clock, retriever: cfg.Retriever, entries: map[string]*Entry{}}, nil
}

// Import validates entries, stores them and reloads the catalogue.
func (s *Service) Import(ctx context.Context, entries []Entry) error {
	if err := ValidateCatalogue(entries); err != nil {
		return err
	}
	if err := s.cfg.Store.PutEntries(ctx, entries); err != nil {
		return err
	}
	return s.Reload(ctx)
}

// Reload reads the catalogue from the store, keeps the entries valid
// today, and rebuilds the default index (a configured Retriever is kept).
func (s *Service) Reload(ctx context.Context) error {
	today := calendar.DateIn(s.clock.Now())
	var all []Entry
	after := ""
	for {
		page, err := s.cfg.Store.ListEntries(ctx, after, MaxLimit)
		if err != nil {
			return err
		}
		for _, e := range page {
			if e.Valid(today) {
				all = append(all, e)
			}
		}
		if len(page) < MaxLimit {
			break
		}
		after = page[len(page)-1].ID
	}
	byID := make(map[string]*Entry, len(all))
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	var r Retriever
	if s.cfg.Retriever != nil {
		r = s.cfg.Retriever
	} else {
		r = NewIndex(all, s.cfg.Options)
	}
	s.mu.Lock()
	s.retriever, s.entries = r, byID
	s.mu.Unlock()
	return nil
}

// Question is one message of a citizen.
type Question struct {
	// ConversationID continues a conversation; zero (or an expired one)
	// starts a new one.
	ConversationID uuid.UUID `json:"conversation_id,omitzero"`
	Text           string    `json:"text"`
	// Language is "nl" or "en"; "" detects it from the text.
	Language string `json:"language,omitempty"`
	// Person is the signed-in citizen, or nil. It is used for this
	// question only and never stored.
	Person *Person `json:"-"`
}

func (q *Question) validate() error {
	var c errs.Collector
	if strings.TrimSpace(q.Text) == "" {
		c.Add("text", "required", "is required")
	} else if len(q.Text) > MaxQuestion {
		c.Add("text", "max", "must be at most %d bytes long", MaxQuestion)
	} else {
		validate.CheckText(&c, "text", q.Text)
	}
	if q.Language != "" && q.Language != "nl" && q.Language != "en" {
		c.Add("language", "oneof", "must be nl or en")
	}
	if q.Person != nil && strings.TrimSpace(q.Person.ID) == "" {
		c.Add("person.id", "required", "is required for a signed-in person")
	}
	return c.Err()
}

// Source is an entry an answer cites or offers.
type Source struct {
	EntryID string `json:"entry_id"`
	Title   string `json:"title"`
	URL     string `json:"url,omitempty"`
	Section string `json:"section,omitempty"`
}

// Reply is the assistant's answer to one question.
type Reply struct {
	ConversationID uuid.UUID `json:"conversation_id"`
	Intent         Intent    `json:"intent"`
	Language       string    `json:"language"`
	// Text is the message to show.
	Text string `json:"text"`
	// Sources are the entries the answer is taken from.
	Sources []Source `json:"sources,omitempty"`
	// Options are the entries offered when the question was ambiguous.
	Options  []Source        `json:"options,omitempty"`
	Dossiers []DossierStatus `json:"dossiers,omitempty"`
	Slots    []Slot          `json:"slots,omitempty"`
	// Draft is a report for the citizen to confirm in the portal.
	Draft    *ReportDraft `json:"draft,omitempty"`
	Handover *Ticket      `json:"handover,omitempty"`
	// OfferHandover asks the portal to show a "talk to a person" button.
	OfferHandover bool `json:"offer_handover,omitempty"`
	// Generated reports that a Generator wrote the text (grounded in
	// Sources); otherwise it is quoted from the catalogue.
	Generated bool `json:"generated,omitempty"`
	// Resolved reports that the question got a substantive answer.
	Resolved bool `json:"resolved"`
}

// HandedOver is the payload of the event "assistant.handed_over".
type HandedOver struct {
	ConversationID uuid.UUID `json:"conversation_id"`
	Channel        string    `json:"channel"`
	Reference      string    `json:"reference"`
	Reason         string    `json:"reason"`
}

// EventHandedOver is the type of the event a handover emits.
const EventHandedOver = "assistant.handed_over"

// Ask answers one question and keeps the conversation's bounded, redacted
// state.
func (s *Service) Ask(ctx context.Context, q Question) (*Reply, error) {
	if err := q.validate(); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	conv, err := s.conversation(ctx, q.ConversationID, now)
	if err != nil {
		return nil, err
	}
	lang := q.Language
	if lang == "" {
		lang = detectLanguage(q.Text)
		if len(strings.Fields(q.Text)) < 3 && conv.Version > 0 {
			lang = conv.Language
		}
	}
	rep, err := s.answer(ctx, conv, q, lang)
	if err != nil {
		return nil, err
	}
	rep.ConversationID, rep.Language = conv.ID, lang
	if rep.Intent == IntentHandover && rep.Handover == nil && s.cfg.Handover != nil && q.Person != nil {
		return s.handOver(ctx, conv, q, lang, "asked", rep)
	}
	if err := s.save(ctx, conv, now, lang, q.Text, rep, nil); err != nil {
		return nil, err
	}
	return rep, nil
}

// conversation returns the live conversation id, or a new unsaved one
// (Version 0) when id is zero, unknown or expired.
func (s *Service) conversation(ctx context.Context, cid uuid.UUID, now time.Time) (*Conversation, error) {
	if cid != uuid.Nil {
		c, err := s.cfg.Store.GetConversation(ctx, cid, now)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	return &Conversation{ID: id.New(), CreatedAt: now}, nil
}

// save records the turn pair, the pending state and the outcome.
func (s *Service) save(ctx context.Context, conv *Conversation, now time.Time, lang, question string, rep *Reply, events []event.Event) error {
	ids := make([]string, 0, len(rep.Sources))
	for _, src := range rep.Sources {
		ids = append(ids, src.EntryID)
	}
	options := make([]string, 0, len(rep.Options))
	for _, o := range rep.Options {
		options = append(options, o.EntryID)
	}
	apply := func(c *Conversation) {
		c.Language, c.UpdatedAt, c.ExpiresAt = lang, now, now.Add(s.cfg.TTL)
		c.add(Turn{At: now, From: FromCitizen, Text: Redact(question), Intent: rep.Intent})
		c.add(Turn{At: now, From: FromAssistant, Text: Redact(rep.Text), Intent: rep.Intent, EntryIDs: ids})
		c.Options = options
		c.Draft = nil
		if rep.Draft != nil && rep.Draft.Location == "" {
			c.Draft = rep.Draft
		}
		if rep.Handover != nil && c.Handover == nil {
			c.Handover = rep.Handover
		}
	}
	if conv.Version == 0 {
		apply(conv)
		if err := s.cfg.Store.CreateConversation(ctx, conv); err != nil {
			return err
		}
		if len(events) > 0 {
			// A handover in the first message: publish with an update.
			if _, err := s.cfg.Store.UpdateConversation(ctx, conv.ID, now, func(*Conversation) ([]event.Event, error) { return events, nil }); err != nil {
				return err
			}
		}
	} else if _, err := s.cfg.Store.UpdateConversation(ctx, conv.ID, now, func(c *Conversation) ([]event.Event, error) {
		apply(c)
		return events, nil
	}); err != nil {
		return err
	}
	entry := ""
	if len(ids) > 0 {
		entry = ids[0]
	}
	return s.cfg.Store.RecordOutcome(ctx, Outcome{
		Day: calendar.DateIn(now), Intent: rep.Intent, EntryID: entry,
		Resolved: rep.Resolved, HandedOver: rep.Handover != nil,
	})
}

// HandOver passes a conversation to a person at the citizen's request (the
// portal's "talk to a person" button).
func (s *Service) HandOver(ctx context.Context, conversationID uuid.UUID, person *Person) (*Reply, error) {
	if person != nil && strings.TrimSpace(person.ID) == "" {
		return nil, errs.Invalid("person.id", "required", "is required for a signed-in person")
	}
	now := s.clock.Now()
	conv, err := s.cfg.Store.GetConversation(ctx, conversationID, now)
	if err != nil {
		return nil, err
	}
	q := Question{ConversationID: conversationID, Text: "Ik wil een medewerker spreken.", Person: person}
	if conv.Language == "en" {
		q.Text = "I want to talk to a person."
	}
	rep := &Reply{ConversationID: conv.ID, Intent: IntentHandover, Language: conv.Language}
	if s.cfg.Handover == nil || person == nil {
		rep.Text = msg(conv.Language, "handover_signin")
		if s.cfg.Handover == nil {
			rep.Text = msg(conv.Language, "handover_off")
		}
		if err := s.save(ctx, conv, now, conv.Language, q.Text, rep, nil); err != nil {
			return nil, err
		}
		return rep, nil
	}
	return s.handOver(ctx, conv, q, conv.Language, "asked", rep)
}

func (s *Service) handOver(ctx context.Context, conv *Conversation, q Question, lang, reason string, rep *Reply) (*Reply, error) {
	now := s.clock.Now()
	if conv.Handover != nil {
		rep.Handover = conv.Handover
	} else {
		transcript := append(append([]Turn(nil), conv.Turns...), Turn{At: now, From: FromCitizen, Text: Redact(q.Text), Intent: IntentHandover})
		t, err := s.cfg.Handover.HandOver(ctx, HandoverRequest{ConversationID: conv.ID, Person: q.Person, Language: lang, Transcript: transcript, Reason: reason})
		if err != nil {
			return nil, fmt.Errorf("assistant: hand over: %w", err)
		}
		rep.Handover = &t
	}
	rep.Intent, rep.Resolved = IntentHandover, true
	if rep.Handover.Channel == ChannelLiveChat {
		rep.Text = msg(lang, "handover_chat")
	} else {
		rep.Text = fmt.Sprintf(msg(lang, "handover_case"), rep.Handover.Reference)
	}
	var events []event.Event
	if conv.Handover == nil {
		events = []event.Event{{ID: id.New(), Type: EventHandedOver, AggregateID: conv.ID, Time: now,
			Payload: HandedOver{ConversationID: conv.ID, Channel: rep.Handover.Channel, Reference: rep.Handover.Reference, Reason: reason}}}
	}
	if err := s.save(ctx, conv, now, lang, q.Text, rep, events); err != nil {
		return nil, err
	}
	return rep, nil
}

// Conversation returns a live conversation, for the portal to show it.
func (s *Service) Conversation(ctx context.Context, id uuid.UUID) (*Conversation, error) {
	return s.cfg.Store.GetConversation(ctx, id, s.clock.Now())
}

// Sweep deletes expired conversations; run it periodically.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	return s.cfg.Store.DeleteExpired(ctx, s.clock.Now())
}

// Outcomes returns the statistics of the days from through to.
func (s *Service) Outcomes(ctx context.Context, from, to calendar.Date) ([]OutcomeCount, error) {
	return s.cfg.Store.Outcomes(ctx, from, to)
}
