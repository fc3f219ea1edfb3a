package entitlement

import (
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
)

// GrantStatus is where a granted right stands.
type GrantStatus string

// The statuses of a grant. Active and ending grants are current: a subject
// holds at most one current grant per benefit.
const (
	GrantActive   GrantStatus = "active"    // the right runs
	GrantEnding   GrantStatus = "ending"    // no longer entitled; the right runs until the end of the notice period
	GrantEnded    GrantStatus = "ended"     // the notice period is over
	GrantRevoked  GrantStatus = "revoked"   // withdrawn by a decision ("intrekking")
	GrantOptedOut GrantStatus = "opted_out" // the citizen refused the right ("afstand")
)

// Current reports whether the grant still counts as held.
func (s GrantStatus) Current() bool { return s == GrantActive || s == GrantEnding }

// Grant is a right granted to a subject ("toekenning"), with the decision it
// rests on and a snapshot of the reasoning at the time.
type Grant struct {
	ID          uuid.UUID     `json:"id"`
	SubjectID   string        `json:"subject_id"`
	Benefit     string        `json:"benefit"`
	From        calendar.Date `json:"from,omitzero"`
	Until       calendar.Date `json:"until,omitzero"` // last day; zero while open-ended
	Status      GrantStatus   `json:"status"`
	DecisionRef string        `json:"decision_ref"`
	DecidedBy   string        `json:"decided_by"` // who or what decided: "batch:<run>", a clerk's ID
	Reason      *Result       `json:"reason,omitempty"`
	EndReason   string        `json:"end_reason,omitempty"`
	Version     int           `json:"version"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
	// IdempotencyKey is the key the grant was created with, if any (see
	// RunOptions.IdempotencyKey); a store keeps it unique.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// RequestDigest fingerprints what the grant was created for, so a
	// repeat with the same key is told apart from a different request.
	RequestDigest string `json:"request_digest,omitempty"`
}

// OptOut records that a citizen does not want a right ("afstand van recht");
// the right is then never granted again automatically.
type OptOut struct {
	SubjectID  string    `json:"subject_id"`
	Benefit    string    `json:"benefit"`
	At         time.Time `json:"at"`
	Reason     string    `json:"reason,omitempty"`
	RecordedBy string    `json:"recorded_by"`
}

// AuditEntry records who or what decided what ("audittrail").
type AuditEntry struct {
	ID        uuid.UUID `json:"id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	Action    string    `json:"action"` // an event type
	SubjectID string    `json:"subject_id"`
	Benefit   string    `json:"benefit"`
	GrantID   uuid.UUID `json:"grant_id"`
	Detail    string    `json:"detail,omitempty"`
}

// Event types emitted for grants.
const (
	EventGranted    = "entitlement.granted"
	EventEnding     = "entitlement.ending"
	EventReinstated = "entitlement.reinstated"
	EventEnded      = "entitlement.ended"
	EventRevoked    = "entitlement.revoked"
	EventOptedOut   = "entitlement.opted_out"
)

// GrantEvent is the payload of every grant event.
type GrantEvent struct {
	GrantID   uuid.UUID     `json:"grant_id"`
	SubjectID string        `json:"subject_id"`
	Benefit   string        `json:"benefit"`
	Status    GrantStatus   `json:"status"`
	Until     calendar.Date `json:"until,omitzero"`
	Actor     string        `json:"actor"`
}
