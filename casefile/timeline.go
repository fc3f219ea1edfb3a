package casefile

import (
	"time"

	"github.com/google/uuid"
)

// Actor is who did something: a user or system identifier and the role it
// acted in.
type Actor struct {
	ID   string `json:"id"`
	Role Role   `json:"role"`
}

// EntryKind says what a timeline entry records.
type EntryKind string

// The kinds of timeline entry.
const (
	EntryCreated         EntryKind = "created"
	EntryTransitioned    EntryKind = "transitioned"
	EntryAssigned        EntryKind = "assigned"
	EntryCommented       EntryKind = "commented"
	EntryAttachmentAdded EntryKind = "attachment_added"
	EntrySuspended       EntryKind = "deadline_suspended"
	EntryResumed         EntryKind = "deadline_resumed"
	EntryMerged          EntryKind = "merged"          // this case was merged into another
	EntryDuplicateAdded  EntryKind = "duplicate_added" // another case was merged into this one
	EntryFollowedParent  EntryKind = "followed_parent" // closed because the parent was
)

// Entry is one append-only line of a case's timeline ("tijdlijn"). Public
// entries are shown to the citizen; the rest only to staff.
type Entry struct {
	ID         uuid.UUID `json:"id"`
	CaseID     uuid.UUID `json:"case_id"`
	Kind       EntryKind `json:"kind"`
	Actor      Actor     `json:"actor"`
	At         time.Time `json:"at"`
	Public     bool      `json:"public"`
	Text       string    `json:"text,omitempty"`
	Transition string    `json:"transition,omitempty"`
	FromStatus string    `json:"from_status,omitempty"`
	ToStatus   string    `json:"to_status,omitempty"`
	Result     string    `json:"result,omitempty"`
	Team       string    `json:"team,omitempty"`
	Assignee   string    `json:"assignee,omitempty"`
	Attachment string    `json:"attachment,omitempty"` // its name
	Related    uuid.UUID `json:"related,omitzero"`     // parent or child of a merge
	// Version is the case version this entry produced.
	Version int `json:"version"`
}

// CitizenView is what the requester sees ("mijn meldingen"): the
// citizen-facing status label and only the public timeline.
type CitizenView struct {
	Reference   string         `json:"reference"`
	Category    string         `json:"category"`
	Subcategory string         `json:"subcategory,omitempty"`
	Status      string         `json:"status"`
	StatusLabel string         `json:"status_label"`
	Closed      bool           `json:"closed"`
	Result      string         `json:"result,omitempty"`
	ResultLabel string         `json:"result_label,omitempty"`
	Description string         `json:"description"`
	Location    Location       `json:"location"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	Due         time.Time      `json:"due,omitzero"`
	Timeline    []CitizenEntry `json:"timeline"`
}

// CitizenEntry is a public timeline entry in the citizen's words.
type CitizenEntry struct {
	At   time.Time `json:"at"`
	Kind EntryKind `json:"kind"`
	// StatusLabel is the label of the status entered, for status changes.
	StatusLabel string `json:"status_label,omitempty"`
	Text        string `json:"text,omitempty"`
}

// ClerkView is what staff see: the whole case and every entry.
type ClerkView struct {
	Case     *Case   `json:"case"`
	Timeline []Entry `json:"timeline"`
}

// NewCitizenView builds the citizen's view of c in lang ("nl" or "en").
// Internal entries, team, assignee and requester details are left out.
func NewCitizenView(ct *CaseType, c *Case, timeline []Entry, lang string) CitizenView {
	v := CitizenView{
		Reference: c.Reference, Category: c.Category, Subcategory: c.Subcategory,
		Status: c.Status, Closed: c.Closed, Result: c.Result, Description: c.Description,
		Location: c.Location, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Due: c.Due,
		Timeline: []CitizenEntry{},
	}
	if s, ok := ct.Status(c.Status); ok {
		v.StatusLabel = s.Label.In(lang)
	}
	if r, ok := ct.Result(c.Result); ok {
		v.ResultLabel = r.Label.In(lang)
	}
	for _, e := range timeline {
		if !e.Public {
			continue
		}
		ce := CitizenEntry{At: e.At, Kind: e.Kind, Text: e.Text}
		if ce.Text == "" {
			ce.Text = e.Kind.Label().In(lang)
		}
		if s, ok := ct.Status(e.ToStatus); ok {
			ce.StatusLabel = s.Label.In(lang)
		}
		v.Timeline = append(v.Timeline, ce)
	}
	return v
}
