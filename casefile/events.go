package casefile

import (
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// The event types this package emits; AggregateID is always the case ID.
const (
	EventCreated           = "casefile.case_created"
	EventTransitioned      = "casefile.case_transitioned"
	EventAssigned          = "casefile.case_assigned"
	EventCommented         = "casefile.case_commented"
	EventAttachmentAdded   = "casefile.attachment_added"
	EventDeadlineSuspended = "casefile.deadline_suspended"
	EventDeadlineResumed   = "casefile.deadline_resumed"
	EventMerged            = "casefile.case_merged"
	// EventRequesterNotice asks whoever informs citizens (e-mail, app push)
	// to tell the requester about a change: a status change, a merge, or
	// the resolution of the report their duplicate was merged into.
	EventRequesterNotice = "casefile.requester_notice"
)

// Created is the payload of EventCreated.
type Created struct {
	Reference   string    `json:"reference"`
	Type        string    `json:"type"`
	Category    string    `json:"category"`
	Subcategory string    `json:"subcategory,omitempty"`
	Status      string    `json:"status"`
	Team        string    `json:"team,omitempty"`
	Channel     Channel   `json:"channel"`
	Due         time.Time `json:"due,omitzero"`
}

// Transitioned is the payload of EventTransitioned.
type Transitioned struct {
	Reference  string `json:"reference"`
	Transition string `json:"transition"`
	From       string `json:"from"`
	To         string `json:"to"`
	Result     string `json:"result,omitempty"`
	Closed     bool   `json:"closed"`
	Actor      Actor  `json:"actor"`
}

// Assigned is the payload of EventAssigned.
type Assigned struct {
	Reference        string `json:"reference"`
	Team             string `json:"team"`
	Assignee         string `json:"assignee,omitempty"`
	PreviousTeam     string `json:"previous_team,omitempty"`
	PreviousAssignee string `json:"previous_assignee,omitempty"`
	Actor            Actor  `json:"actor"`
}

// Commented is the payload of EventCommented; the text stays in the timeline.
type Commented struct {
	Reference string `json:"reference"`
	Public    bool   `json:"public"`
	Actor     Actor  `json:"actor"`
}

// AttachmentAdded is the payload of EventAttachmentAdded.
type AttachmentAdded struct {
	Reference  string     `json:"reference"`
	Attachment Attachment `json:"attachment"`
}

// DeadlineChanged is the payload of the suspended and resumed events.
type DeadlineChanged struct {
	Reference string    `json:"reference"`
	Due       time.Time `json:"due,omitzero"`
}

// Merged is the payload of EventMerged, emitted for the duplicate.
type Merged struct {
	Reference       string    `json:"reference"`
	Parent          uuid.UUID `json:"parent"`
	ParentReference string    `json:"parent_reference"`
}

// RequesterNotice is the payload of EventRequesterNotice. It carries what a
// notifier needs so it does not have to read the case back.
type RequesterNotice struct {
	Reference   string    `json:"reference"`
	Reason      EntryKind `json:"reason"`
	Requester   Requester `json:"requester"`
	Status      string    `json:"status"`
	StatusLabel Label     `json:"status_label"`
	// Parent is set when the notice is about a merge or about the parent's
	// resolution.
	ParentReference string `json:"parent_reference,omitempty"`
	// Text is the message for the requester, when the notice carries one:
	// the clerk's answer to a question, the question asked of the
	// reporter, the public message of a reopening.
	Text string `json:"text,omitempty"`
}

func newEvent(typ string, c *Case, at time.Time, payload any) event.Event {
	return event.Event{ID: id.New(), Type: typ, AggregateID: c.ID, Time: at, Payload: payload}
}

func (s *Service) notice(ct *CaseType, c *Case, at time.Time, reason EntryKind, parentRef string) (event.Event, bool) {
	if !c.Requester.Contactable() {
		return event.Event{}, false
	}
	st, _ := ct.Status(c.Status)
	return newEvent(EventRequesterNotice, c, at, RequesterNotice{
		Reference: c.Reference, Reason: reason, Requester: c.Requester,
		Status: c.Status, StatusLabel: st.Label, ParentReference: parentRef,
	}), true
}
