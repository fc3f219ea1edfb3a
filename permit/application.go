package permit

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Status is where an application stands in its lifecycle.
type Status string

// The statuses of an application ("aanvraag").
const (
	StatusDraft      Status = "draft"      // being prepared by the applicant
	StatusSubmitted  Status = "submitted"  // ingediend, waiting for the clerk
	StatusIncomplete Status = "incomplete" // onvolledig, back with the applicant
	StatusInAdvice   Status = "in_advice"  // adviesronde with the departments
	StatusGranted    Status = "granted"    // vergund, not yet started
	StatusRefused    Status = "refused"    // geweigerd
	StatusActive     Status = "active"     // the occupation is running
	StatusEnded      Status = "ended"      // the occupation is over
	StatusWithdrawn  Status = "withdrawn"  // ingetrokken by the applicant
)

// Applicant is the person or enterprise asking for the permit. An
// enterprise is identified by its KBO number.
type Applicant struct {
	Name pii.Name `json:"name" validate:"required"`
	// INSZ is the national register number ("rijksregisternummer") of the
	// person who applies, when known (an e-ID login gives it); with KBO it
	// lets a front office find the applications of an applicant (see ID).
	INSZ       pii.INSZ  `json:"insz,omitempty" validate:"omitempty,insz"`
	Enterprise string    `json:"enterprise,omitempty" validate:"max=200"`
	KBO        string    `json:"kbo,omitempty" validate:"required_with=Enterprise,omitempty,kbo"`
	Email      pii.Email `json:"email" validate:"required,email"`
	Phone      pii.Phone `json:"phone,omitempty" validate:"max=30"`
}

// Attachment is the metadata of a document the applicant added; the
// content lives in a document store.
type Attachment struct {
	Kind      string `json:"kind" validate:"required,max=50"`
	Filename  string `json:"filename" validate:"required,max=255"`
	MediaType string `json:"media_type" validate:"required,max=100"`
	Size      int64  `json:"size" validate:"gte=0"`
	SHA256    string `json:"sha256,omitempty" validate:"omitempty,len=64,hexadecimal"`
}

// Opinion is a department's advice.
type Opinion string

// The opinions a department can give.
const (
	Favourable               Opinion = "favourable"
	FavourableWithConditions Opinion = "favourable_with_conditions"
	Unfavourable             Opinion = "unfavourable"
)

// Advice is one request to a department and, once given, its answer.
type Advice struct {
	Department Department `json:"department"`
	Requested  time.Time  `json:"requested"`
	Due        time.Time  `json:"due"`
	Opinion    Opinion    `json:"opinion,omitempty"`
	Conditions []string   `json:"conditions,omitempty"`
	Remarks    string     `json:"remarks,omitempty"`
	GivenAt    time.Time  `json:"given_at,omitzero"`
	RemindedAt time.Time  `json:"reminded_at,omitzero"`
}

// Overdue reports whether the advice is still missing after its due time.
func (a Advice) Overdue(now time.Time) bool { return a.Opinion == "" && !now.Before(a.Due) }

// Application is a request to occupy the public domain, from draft to end.
type Application struct {
	ID      uuid.UUID `json:"id"`
	Version int       `json:"version"` // bumped by the store on every change
	// Revision counts changes to what is occupied (where or when); a
	// conflict rating made at another revision must be redone.
	Revision  int         `json:"revision"`
	Type      string      `json:"type"`
	Status    Status      `json:"status"`
	Applicant Applicant   `json:"applicant"`
	Location  Geometry    `json:"location"`
	Address   pii.Address `json:"address"`
	// Area (m²) and Length (m) are derived from Location.
	Area          float64      `json:"area"`
	Length        float64      `json:"length"`
	Periods       []Period     `json:"periods,omitempty"`
	Schedules     []Schedule   `json:"schedules,omitempty"`
	Description   string       `json:"description"`
	Attachments   []Attachment `json:"attachments,omitempty"`
	ParkingPlaces int          `json:"parking_places,omitempty"`
	Signage       bool         `json:"signage"`
	Exemption     Exemption    `json:"exemption,omitempty"`
	Fee           Fee          `json:"fee"`
	Missing       []string     `json:"missing,omitempty"`    // why it is incomplete
	Advice        []Advice     `json:"advice,omitempty"`     // the advice round
	Conditions    []string     `json:"conditions,omitempty"` // of the permit
	Reasons       []string     `json:"reasons,omitempty"`    // of a refusal
	CreatedAt     time.Time    `json:"created_at"`
	SubmittedAt   time.Time    `json:"submitted_at,omitzero"`
	DecidedAt     time.Time    `json:"decided_at,omitzero"`
	UpdatedAt     time.Time    `json:"updated_at"`
	// IdempotencyKey is the key the draft was created under, if any, and
	// RequestDigest the fingerprint of that request (see
	// ApplicationInput.IdempotencyKey).
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	RequestDigest  string `json:"request_digest,omitempty"`
}

// Occupies reports whether the application holds its place in the public
// domain: granted or active. Only those are conflict candidates, so every
// store indexes exactly these.
func (a *Application) Occupies() bool {
	return a.Status == StatusGranted || a.Status == StatusActive
}

// Occurrences returns every concrete period of the application, from its
// one-off periods and its expanded schedules, sorted by start.
func (a *Application) Occurrences() []Period {
	out := slices.Clone(a.Periods)
	for _, s := range a.Schedules {
		out = append(out, s.Occurrences()...)
	}
	slices.SortFunc(out, func(p, q Period) int { return p.Start.Compare(q.Start) })
	return out
}

// Span is the period from the first start to the last end.
func (a *Application) Span() Period { return Span(a.Occurrences()) }

// Summary returns the application as a list shows it ("mijn aanvragen"):
// without its location (the geometry, the largest part of it), its
// description, its attachments and the advice round. What it occupies
// when (Periods, Schedules, Span), where (Address) and its status, fee and
// applicant stay. Store.SummariesByApplicant lists applications so.
func (a *Application) Summary() *Application {
	s := *a
	s.Location, s.Description, s.Attachments, s.Advice = Geometry{}, "", nil, nil
	return &s
}

// clone deep-copies the application so a store never shares memory with
// its callers.
func (a *Application) clone() *Application {
	b, err := json.Marshal(a)
	if err != nil {
		panic(err)
	}
	var c Application
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	return &c
}

// Clone returns a deep copy of the application.
func (a *Application) Clone() *Application { return a.clone() }
