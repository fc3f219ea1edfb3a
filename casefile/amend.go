package casefile

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// EventAmended is emitted when a case's category or location changes.
const EventAmended = "casefile.case_amended"

// The timeline entries of an amendment; both are public, and neither
// holds the location itself ("categorie gewijzigd", "locatie gewijzigd").
const (
	EntryCategoryChanged EntryKind = "category_changed"
	EntryLocationChanged EntryKind = "location_changed"
)

// Amended is the payload of EventAmended.
type Amended struct {
	Reference           string    `json:"reference"`
	Category            string    `json:"category"`
	Subcategory         string    `json:"subcategory,omitempty"`
	PreviousCategory    string    `json:"previous_category"`
	PreviousSubcategory string    `json:"previous_subcategory,omitempty"`
	LocationChanged     bool      `json:"location_changed"`
	Team                string    `json:"team,omitempty"`
	PreviousTeam        string    `json:"previous_team,omitempty"`
	Due                 time.Time `json:"due,omitzero"`
	Actor               Actor     `json:"actor"`
}

// AmendRequest changes the category or the location of an open case after
// filing. An empty Category keeps the category (and sub-category); a nil
// Location keeps the location.
type AmendRequest struct {
	CaseID      uuid.UUID `json:"case_id"`
	Version     int       `json:"version"`
	Category    string    `json:"category,omitempty"`
	Subcategory string    `json:"subcategory,omitempty"`
	Location    *Location `json:"location,omitempty"`
	// Reason is an internal note on why; the public entries say only
	// what changed.
	Reason string `json:"reason,omitempty"`
	Actor  Actor  `json:"actor"`
}

// Amend changes the category or location of an open case, routes it anew
// (a new team drops the assignee) and recomputes its deadline with the
// new category's, counted from filing or from the last reopening. Time a
// suspension added to the old due date is not carried over; a running
// suspension stays. Staff only. Errors: ErrForbidden, ErrInvalidTransition
// (closed or merged case), ErrConflict, *ValidationError (unknown category,
// invalid location, nothing to change).
func (s *Service) Amend(ctx context.Context, r AmendRequest) (*Case, error) {
	var v errs.Collector
	v.Merge("", validate.Input(r))
	if r.CaseID == uuid.Nil {
		v.Add("case_id", "required", "is required")
	}
	if r.Version <= 0 {
		v.Add("version", "required", "the version you saw is required")
	}
	if r.Category == "" && r.Subcategory != "" {
		v.Add("category", "required_with", "is required with a sub-category")
	}
	if r.Category == "" && r.Location == nil {
		v.Add("category", "required", "give a category or a location to change")
	}
	if len(r.Reason) > MaxDescription {
		v.Add("reason", "max", "is longer than %d characters", MaxDescription)
	}
	checkActor(&v, r.Actor)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := staffOnly(r.Actor, "change a case's category or location"); err != nil {
		return nil, err
	}
	now := s.now()
	return s.cfg.Store.Update(ctx, r.CaseID, AtVersion(r.Version, func(c *Case) (Change, error) {
		ct, err := s.typeOf(c)
		if err != nil {
			return Change{}, err
		}
		switch {
		case c.Closed:
			return Change{}, fmt.Errorf("%w: case %s is closed", ErrInvalidTransition, c.Reference)
		case c.MergedInto != uuid.Nil:
			return Change{}, fmt.Errorf("%w: case %s is merged and follows its parent", ErrInvalidTransition, c.Reference)
		}
		category, sub := c.Category, c.Subcategory
		if r.Category != "" {
			category, sub = r.Category, r.Subcategory
		}
		dl, ok := ct.Deadline(category, sub)
		if !ok {
			return Change{}, errs.Invalid("category", "oneof", "case type %q has no category %q with sub-category %q", ct.Code, category, sub)
		}
		catChanged := category != c.Category || sub != c.Subcategory
		locChanged := r.Location != nil && *r.Location != c.Location
		if r.Location != nil {
			if err := CheckLocation(*r.Location, ct.BelgianLocation); err != nil {
				return Change{}, err
			}
		}
		if !catChanged && !locChanged {
			return Change{}, errs.Invalid("category", "changed", "the category and location are the ones the case has")
		}
		prev := *c
		c.Category, c.Subcategory, c.UpdatedAt = category, sub, now
		if locChanged {
			c.Location = *r.Location
		}
		team, ok := Route(s.cfg.Routing, c)
		if !ok {
			team = s.cfg.DefaultTeam
		}
		if team != c.Team {
			c.Team, c.Assignee = team, ""
		}
		if catChanged && !c.Due.IsZero() {
			from := c.CreatedAt
			if !c.ReopenedAt.IsZero() {
				from = c.ReopenedAt
			}
			c.Due = s.cal.Due(from, dl).Truncate(time.Microsecond)
		}
		var rec Change
		if catChanged {
			rec.Entries = append(rec.Entries, Entry{ID: id.New(), CaseID: c.ID, Kind: EntryCategoryChanged, Actor: r.Actor, At: now,
				Public: true, Team: c.Team, Version: c.Version})
		}
		if locChanged {
			rec.Entries = append(rec.Entries, Entry{ID: id.New(), CaseID: c.ID, Kind: EntryLocationChanged, Actor: r.Actor, At: now,
				Public: true, Team: c.Team, Version: c.Version})
		}
		if r.Reason != "" {
			rec.Entries = append(rec.Entries, Entry{ID: id.New(), CaseID: c.ID, Kind: EntryCommented, Actor: r.Actor, At: now,
				Text: r.Reason, Version: c.Version})
		}
		rec.Events = []event.Event{newEvent(EventAmended, c, now, Amended{Reference: c.Reference,
			Category: c.Category, Subcategory: c.Subcategory, PreviousCategory: prev.Category, PreviousSubcategory: prev.Subcategory,
			LocationChanged: locChanged, Team: c.Team, PreviousTeam: prev.Team, Due: c.Due, Actor: r.Actor})}
		return rec, nil
	}))
}

// entryLabels are the citizen's words for entries that carry no text of
// their own.
var entryLabels = map[EntryKind]Label{
	EntryCategoryChanged: {NL: "categorie gewijzigd", EN: "category changed"},
	EntryLocationChanged: {NL: "locatie gewijzigd", EN: "location changed"},
	EntryReopened:        {NL: "heropend", EN: "reopened"},
}

// Label returns the citizen's words for an entry of kind k that carries no
// text, such as "categorie gewijzigd"; the zero Label for other kinds.
func (k EntryKind) Label() Label { return entryLabels[k] }
