package assistant

import (
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// Intent is what a citizen's message asks for.
type Intent string

// The intents the assistant recognises.
const (
	// IntentInformation asks about a product or service ("informatie").
	IntentInformation Intent = "information"
	// IntentReport reports a problem in public space ("melding").
	IntentReport Intent = "report"
	// IntentDossier asks where the citizen's own case stands ("waar staat mijn dossier").
	IntentDossier Intent = "dossier"
	// IntentAppointment asks for an appointment ("afspraak").
	IntentAppointment Intent = "appointment"
	// IntentHandover asks for a person ("medewerker").
	IntentHandover Intent = "handover"
	// IntentOutOfScope is a question the catalogue does not answer.
	IntentOutOfScope Intent = "out_of_scope"
)

// Speakers of a turn.
const (
	FromCitizen   = "citizen"
	FromAssistant = "assistant"
)

// Turn is one message of a conversation, already redacted.
type Turn struct {
	At       time.Time `json:"at"`
	From     string    `json:"from"`
	Text     string    `json:"text"`
	Intent   Intent    `json:"intent,omitempty"`
	EntryIDs []string  `json:"entry_ids,omitempty"`
}

// MaxTurns bounds the turns a conversation keeps; older ones are dropped.
const MaxTurns = 20

// Conversation is the bounded state of one chat ("gesprek"). It holds no
// identity of the citizen: a signed-in person is passed with each question
// and never stored. It expires at ExpiresAt.
type Conversation struct {
	ID       uuid.UUID `json:"id"`
	Language string    `json:"language"`
	Turns    []Turn    `json:"turns"`
	// Options are the entries offered in a clarifying question, waiting
	// for the citizen's choice.
	Options []string `json:"options,omitempty"`
	// Draft is a report being filled in, waiting for its location.
	Draft *ReportDraft `json:"draft,omitempty"`
	// Handover is set once the conversation was handed to a person.
	Handover  *Ticket   `json:"handover,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Version   int       `json:"version"`
}

// add appends a turn, keeping at most MaxTurns.
func (c *Conversation) add(t Turn) {
	c.Turns = append(c.Turns, t)
	if n := len(c.Turns) - MaxTurns; n > 0 {
		c.Turns = append(c.Turns[:0:0], c.Turns[n:]...)
	}
}

// ReportDraft is a report ("melding") the assistant filled in from the
// conversation; the citizen confirms it in the portal, which files it as
// a case. It mirrors the few fields a case needs without importing the
// case package.
type ReportDraft struct {
	// Category is a public-space category: street_lighting, waste,
	// road, greenery, noise or other.
	Category    string `json:"category"`
	Description string `json:"description"`
	Location    string `json:"location,omitempty"`
}

// Outcome is what statistics keep of one answer, and nothing more: no
// text, no person, no conversation.
type Outcome struct {
	Day        calendar.Date `json:"day"`
	Intent     Intent        `json:"intent"`
	EntryID    string        `json:"entry_id,omitempty"`
	Resolved   bool          `json:"resolved"`
	HandedOver bool          `json:"handed_over"`
}

// OutcomeCount counts equal outcomes.
type OutcomeCount struct {
	Outcome
	Count int64 `json:"count"`
}
