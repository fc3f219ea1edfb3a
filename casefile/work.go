package casefile

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

func staffOnly(a Actor, what string) error {
	if a.Role == RoleCitizen {
		return fmt.Errorf("%w: a citizen may not %s", ErrForbidden, what)
	}
	return nil
}

// AssignRequest (re)assigns a case to a team and optionally a person.
type AssignRequest struct {
	CaseID   uuid.UUID `json:"case_id"`
	Version  int       `json:"version"`
	Team     string    `json:"team"`
	Assignee string    `json:"assignee,omitempty"`
	Reason   string    `json:"reason,omitempty"`
	Actor    Actor     `json:"actor"`
}

// Assign sets the team and assignee; the previous ones stay in the timeline.
func (s *Service) Assign(ctx context.Context, r AssignRequest) (*Case, error) {
	var v errs.Collector
	v.Merge("", validate.Input(r))
	if r.CaseID == uuid.Nil {
		v.Add("case_id", "required", "is required")
	}
	if r.Version <= 0 {
		v.Add("version", "required", "the version you saw is required")
	}
	if r.Team == "" {
		v.Add("team", "required", "is required")
	}
	checkActor(&v, r.Actor)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := staffOnly(r.Actor, "assign a case"); err != nil {
		return nil, err
	}
	now := s.now()
	return s.cfg.Store.Update(ctx, r.CaseID, AtVersion(r.Version, func(c *Case) (Change, error) {
		if c.Closed {
			return Change{}, fmt.Errorf("%w: case %s is closed", ErrInvalidTransition, c.Reference)
		}
		prevTeam, prevAssignee := c.Team, c.Assignee
		c.Team, c.Assignee, c.UpdatedAt = r.Team, r.Assignee, now
		return Change{
			Entries: []Entry{{ID: id.New(), CaseID: c.ID, Kind: EntryAssigned, Actor: r.Actor, At: now,
				Text: r.Reason, Team: r.Team, Assignee: r.Assignee, Version: c.Version}},
			Events: []event.Event{newEvent(EventAssigned, c, now, Assigned{Reference: c.Reference,
				Team: r.Team, Assignee: r.Assignee, PreviousTeam: prevTeam, PreviousAssignee: prevAssignee, Actor: r.Actor})},
		}, nil
	}))
}

// CommentRequest adds a note to the timeline. Comments do not conflict
// with other changes, so no version is needed.
type CommentRequest struct {
	CaseID uuid.UUID `json:"case_id"`
	Text   string    `json:"text"`
	// Public comments are shown to the citizen; a citizen's are always public.
	Public bool  `json:"public"`
	Actor  Actor `json:"actor"`
}

// Comment appends a public or internal comment.
func (s *Service) Comment(ctx context.Context, r CommentRequest) (*Case, error) {
	var v errs.Collector
	v.Merge("", validate.Input(r))
	if r.CaseID == uuid.Nil {
		v.Add("case_id", "required", "is required")
	}
	checkDescription(&v, "text", r.Text)
	checkActor(&v, r.Actor)
	if err := v.Err(); err != nil {
		return nil, err
	}
	public := r.Public || r.Actor.Role == RoleCitizen
	now := s.now()
	return s.cfg.Store.Update(ctx, r.CaseID, func(c *Case) (Change, error) {
		c.UpdatedAt = now
		return Change{
			Entries: []Entry{{ID: id.New(), CaseID: c.ID, Kind: EntryCommented, Actor: r.Actor, At: now,
				Public: public, Text: r.Text, Version: c.Version}},
			Events: []event.Event{newEvent(EventCommented, c, now, Commented{Reference: c.Reference, Public: public, Actor: r.Actor})},
		}, nil
	})
}

// AttachmentRequest adds a file's metadata to a case.
type AttachmentRequest struct {
	CaseID     uuid.UUID  `json:"case_id"`
	Attachment Attachment `json:"attachment"`
	Public     bool       `json:"public"`
	Actor      Actor      `json:"actor"`
}

// AddAttachment records an attachment on an open case.
func (s *Service) AddAttachment(ctx context.Context, r AttachmentRequest) (*Case, error) {
	var v errs.Collector
	v.Merge("", validate.Input(r))
	if r.CaseID == uuid.Nil {
		v.Add("case_id", "required", "is required")
	}
	checkAttachment(&v, "attachment", r.Attachment)
	checkActor(&v, r.Actor)
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	a := r.Attachment
	a.AddedAt = now
	return s.cfg.Store.Update(ctx, r.CaseID, func(c *Case) (Change, error) {
		if c.Closed {
			return Change{}, fmt.Errorf("%w: case %s is closed", ErrInvalidTransition, c.Reference)
		}
		c.Attachments = append(c.Attachments, a)
		c.UpdatedAt = now
		return Change{
			Entries: []Entry{{ID: id.New(), CaseID: c.ID, Kind: EntryAttachmentAdded, Actor: r.Actor, At: now,
				Public: r.Public || r.Actor.Role == RoleCitizen, Attachment: a.Name, Version: c.Version}},
			Events: []event.Event{newEvent(EventAttachmentAdded, c, now, AttachmentAdded{Reference: c.Reference, Attachment: a})},
		}, nil
	})
}

// MergeRequest merges a duplicate report into a parent ("samenvoegen").
type MergeRequest struct {
	CaseID  uuid.UUID `json:"case_id"` // the duplicate
	Version int       `json:"version"`
	Into    uuid.UUID `json:"into"` // the parent
	Actor   Actor     `json:"actor"`
}

// ErrHasDuplicates is returned when a case that others were merged into is
// itself to be merged; merge its duplicates into the new parent first.
var ErrHasDuplicates = fmt.Errorf("%w: case has duplicates merged into it", ErrInvalidTransition)

// Merge makes a case a duplicate of another open case of the same type. The
// duplicate stops its own deadline, follows the parent's resolution, and
// its reporter is informed now and when the parent closes.
func (s *Service) Merge(ctx context.Context, r MergeRequest) (*Case, error) {
	var v errs.Collector
	v.Merge("", validate.Input(r))
	if r.CaseID == uuid.Nil {
		v.Add("case_id", "required", "is required")
	}
	if r.Into == uuid.Nil {
		v.Add("into", "required", "is required")
	} else if r.Into == r.CaseID {
		v.Add("into", "nefield", "a case cannot be merged into itself")
	}
	if r.Version <= 0 {
		v.Add("version", "required", "the version you saw is required")
	}
	checkActor(&v, r.Actor)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := staffOnly(r.Actor, "merge cases"); err != nil {
		return nil, err
	}
	parent, err := s.cfg.Store.Get(ctx, r.Into)
	if err != nil {
		return nil, notFoundOr(err, "into")
	}
	if parent.MergedInto != uuid.Nil {
		return nil, errs.Invalid("into", "not_merged", "case %s is itself a duplicate of another case", parent.Reference)
	}
	children, err := s.cfg.Store.List(ctx, Query{MergedInto: r.CaseID, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(children.Cases) > 0 {
		return nil, ErrHasDuplicates
	}
	now := s.now()
	c, err := s.cfg.Store.Update(ctx, r.CaseID, AtVersion(r.Version, func(c *Case) (Change, error) {
		ct, err := s.typeOf(c)
		if err != nil {
			return Change{}, err
		}
		switch {
		case c.Closed:
			return Change{}, fmt.Errorf("%w: case %s is closed", ErrInvalidTransition, c.Reference)
		case c.MergedInto != uuid.Nil:
			return Change{}, fmt.Errorf("%w: case %s is already merged", ErrInvalidTransition, c.Reference)
		case c.Type != parent.Type || c.Municipality != parent.Municipality:
			return Change{}, errs.Invalid("into", "same_type", "case %s is of another case type or municipality", parent.Reference)
		}
		c.MergedInto, c.UpdatedAt = parent.ID, now
		rec := Change{
			Entries: []Entry{{ID: id.New(), CaseID: c.ID, Kind: EntryMerged, Actor: r.Actor, At: now, Public: true,
				Text: "Merged into " + parent.Reference, Related: parent.ID, Version: c.Version}},
			Events: []event.Event{newEvent(EventMerged, c, now, Merged{Reference: c.Reference, Parent: parent.ID, ParentReference: parent.Reference})},
		}
		if e, ok := s.notice(ct, c, now, EntryMerged, parent.Reference); ok {
			rec.Events = append(rec.Events, e)
		}
		return rec, nil
	}))
	if err != nil {
		return nil, err
	}
	_, err = s.cfg.Store.Update(ctx, parent.ID, func(p *Case) (Change, error) {
		p.UpdatedAt = now
		return Change{Entries: []Entry{{ID: id.New(), CaseID: p.ID, Kind: EntryDuplicateAdded, Actor: r.Actor, At: now,
			Text: "Duplicate " + c.Reference + " merged in", Related: c.ID, Version: p.Version}}}, nil
	})
	if err != nil {
		return c, err
	}
	// The parent may have closed while we merged: follow it now.
	if err := s.FollowParent(ctx, parent.ID); err != nil {
		return c, err
	}
	return s.cfg.Store.Get(ctx, c.ID)
}

// FollowParent closes the open duplicates of a closed case with the
// parent's status and result and informs their reporters. It does nothing
// while the parent is open, and is safe to run again.
func (s *Service) FollowParent(ctx context.Context, parentID uuid.UUID) error {
	parent, err := s.cfg.Store.Get(ctx, parentID)
	if err != nil || !parent.Closed {
		return err
	}
	var all []error
	q := Query{MergedInto: parentID, OpenOnly: true}
	for {
		p, err := s.cfg.Store.List(ctx, q)
		if err != nil {
			return err
		}
		for _, child := range p.Cases {
			_, err := s.cfg.Store.Update(ctx, child.ID, func(c *Case) (Change, error) {
				if c.Closed || c.MergedInto != parent.ID {
					return Change{}, errNothingToDo
				}
				ct, err := s.typeOf(c)
				if err != nil {
					return Change{}, err
				}
				now := s.now()
				from := c.Status
				c.Status, c.Result, c.Closed, c.UpdatedAt = parent.Status, parent.Result, true, now
				c.ClosedAt = now
				actor := Actor{ID: "casefile", Role: RoleSystem}
				rec := Change{
					Entries: []Entry{{ID: id.New(), CaseID: c.ID, Kind: EntryFollowedParent, Actor: actor, At: now, Public: true,
						FromStatus: from, ToStatus: c.Status, Result: c.Result, Related: parent.ID, Version: c.Version}},
					Events: []event.Event{newEvent(EventTransitioned, c, now, Transitioned{Reference: c.Reference,
						From: from, To: c.Status, Result: c.Result, Closed: true, Actor: actor})},
				}
				if e, ok := s.notice(ct, c, now, EntryFollowedParent, parent.Reference); ok {
					rec.Events = append(rec.Events, e)
				}
				return rec, nil
			})
			if err != nil && !errors.Is(err, errNothingToDo) {
				all = append(all, fmt.Errorf("case %s: %w", child.Reference, err))
			}
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
	}
	return errors.Join(all...)
}

var errNothingToDo = errors.New("casefile: nothing to do")
