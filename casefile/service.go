package casefile

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Config wires a Service.
type Config struct {
	// Municipality scopes reference numbers (e.g. the NIS code "44021").
	Municipality string
	Store        Store
	Clock        clock.Clock        // clock.Real{} when nil
	Calendar     *calendar.Calendar // calendar.Flanders() when nil
	Types        []*CaseType        // loaded with LoadCaseType
	Routing      []RoutingRule
	// DefaultTeam gets cases no routing rule matches.
	DefaultTeam string
	// Purger deletes a purged case's files (photos) before retention
	// deletes or anonymises the case; nil when the caller keeps none.
	Purger Purger
}

// Service runs the use cases of the case engine. Events reach the outside
// world through the Store, which makes them durable with each change
// (MemStore publishes to its sink, pgstore writes the outbox).
type Service struct {
	cfg   Config
	clock clock.Clock
	cal   *calendar.Calendar
	due   dueDates
	types map[string]*CaseType
	// versions keeps every version of each case type, lowest first;
	// types holds the highest, which new cases get.
	versions map[string][]*CaseType
}

// NewService checks cfg and returns a service.
func NewService(cfg Config) (*Service, error) {
	var c errs.Collector
	if cfg.Municipality == "" {
		c.Add("municipality", "required", "is required")
	}
	if cfg.Store == nil {
		c.Add("store", "required", "is required")
	}
	if len(cfg.Types) == 0 {
		c.Add("types", "required", "at least one case type is required")
	}
	s := &Service{cfg: cfg, clock: cfg.Clock, cal: cfg.Calendar, types: map[string]*CaseType{}, versions: map[string][]*CaseType{}}
	for i, ct := range cfg.Types {
		if ct == nil || !ct.loaded {
			c.Add(fmt.Sprintf("types[%d]", i), "loaded", "case types must come from LoadCaseType")
			continue
		}
		if err := s.register(ct); err != nil {
			c.Add(fmt.Sprintf("types[%d].version", i), "unique", "%v", err)
		}
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	if s.clock == nil {
		s.clock = clock.Real{}
	}
	if s.cal == nil {
		s.cal = calendar.Flanders()
	}
	s.due.cal = s.cal
	return s, nil
}

// CaseType returns the loaded case type with code.
func (s *Service) CaseType(code string) (*CaseType, bool) {
	ct, ok := s.types[code]
	return ct, ok
}

// Municipality returns the municipality the service files cases for.
func (s *Service) Municipality() string { return s.cfg.Municipality }

// now keeps microseconds, the precision every store keeps.
func (s *Service) now() time.Time { return s.clock.Now().Round(0).Truncate(time.Microsecond) }

// CreateRequest files a new case.
type CreateRequest struct {
	Type        string       `json:"type"`
	Category    string       `json:"category"`
	Subcategory string       `json:"subcategory,omitempty"`
	Requester   Requester    `json:"requester"`
	Channel     Channel      `json:"channel"`
	Location    Location     `json:"location"`
	Description string       `json:"description"`
	Attachments []Attachment `json:"attachments,omitempty"`
	Priority    Priority     `json:"priority,omitempty"`
	Actor       Actor        `json:"actor"`
	// IdempotencyKey makes the create safe to retry: a second Create with
	// the key returns the first case when the request is the same, and
	// ErrConflict when it differs. Empty means every Create files a case.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// Attributes answers the category's extra questions: a question's
	// code to what was entered (see CheckAttributes).
	Attributes map[string][]string `json:"attributes,omitempty"`
	// DescriptionOptional files the case without a description, for a
	// channel whose protocol makes it optional (Open311 GeoReport v2).
	DescriptionOptional bool `json:"description_optional,omitempty"`
	// MediaURL links a picture hosted elsewhere (see Case.MediaURL).
	MediaURL string `json:"media_url,omitempty"`
}

func (s *Service) checkCreate(r *CreateRequest) (*CaseType, calendar.Deadline, []AttributeValue, error) {
	var c errs.Collector
	c.Merge("", validate.Input(r))
	ct, ok := s.types[r.Type]
	var dl calendar.Deadline
	if !ok {
		c.Add("type", "oneof", "unknown case type %q", r.Type)
	} else if dl, ok = ct.Deadline(r.Category, r.Subcategory); !ok {
		c.Add("category", "oneof", "case type %q has no category %q with sub-category %q", r.Type, r.Category, r.Subcategory)
	}
	if !r.Channel.valid() {
		c.Add("channel", "oneof", "must be web, app, phone, counter or email")
	}
	if r.Priority != "" && !r.Priority.valid() {
		c.Add("priority", "oneof", "must be low, normal or high")
	}
	if !r.DescriptionOptional || r.Description != "" {
		checkDescription(&c, "description", r.Description)
	}
	var attrs []AttributeValue
	if ct != nil && dl.Days > 0 {
		attrs = checkAttributes(&c, ct.Attributes(r.Category), r.Attributes)
	}
	checkMediaURL(&c, r.MediaURL)
	checkRequester(&c, r.Requester)
	checkLocation(&c, r.Location, ct != nil && ct.BelgianLocation)
	for i, a := range r.Attachments {
		checkAttachment(&c, fmt.Sprintf("attachments[%d]", i), a)
	}
	checkActor(&c, r.Actor)
	idem.CheckKey(&c, "idempotency_key", r.IdempotencyKey)
	return ct, dl, attrs, c.Err()
}

// Create validates r, routes the case to a team, computes its due date from
// the category's deadline, and stores it with its reference number. With an
// idempotency key it is safe to retry (see CreateRequest.IdempotencyKey).
func (s *Service) Create(ctx context.Context, r CreateRequest) (*Case, error) {
	ct, dl, attrs, err := s.checkCreate(&r)
	if err != nil {
		return nil, err
	}
	var digest string
	if r.IdempotencyKey != "" {
		key := r.IdempotencyKey
		r.IdempotencyKey = ""
		digest = idem.Digest(r)
		r.IdempotencyKey = key
	}
	now := s.now()
	c := &Case{
		ID: id.New(), Municipality: s.cfg.Municipality, Type: ct.Code,
		Category: r.Category, Subcategory: r.Subcategory, Requester: r.Requester,
		Channel: r.Channel, Location: r.Location, Description: r.Description,
		Attachments: slices.Clone(r.Attachments), Attributes: attrs, Status: ct.Initial, Priority: r.Priority,
		Due: s.due.due(now, dl).Truncate(time.Microsecond), CreatedAt: now, UpdatedAt: now,
		IdempotencyKey: r.IdempotencyKey, RequestDigest: digest, TypeVersion: ct.Version,
	}
	c.MediaURL = r.MediaURL
	if c.Priority == "" {
		c.Priority = PriorityNormal
	}
	for i := range c.Attachments {
		c.Attachments[i].AddedAt = now
	}
	if team, ok := Route(s.cfg.Routing, c); ok {
		c.Team = team
	} else {
		c.Team = s.cfg.DefaultTeam
	}
	// The mutation captures only the actor: capturing r would move the
	// whole request to the heap.
	actor := r.Actor
	entries := getEntries()
	err = s.cfg.Store.Create(ctx, c, func(c *Case) (Change, error) {
		entries[0] = Entry{ID: id.New(), CaseID: c.ID, Kind: EntryCreated, Actor: actor, At: now,
			Public: true, ToStatus: c.Status, Team: c.Team, Version: c.Version}
		return Change{
			Entries: entries[:1],
			Events: []event.Event{newEvent(EventCreated, c, now, Created{
				Reference: c.Reference, Type: c.Type, Category: c.Category, Subcategory: c.Subcategory,
				Status: c.Status, Team: c.Team, Channel: c.Channel, Due: c.Due})},
		}, nil
	})
	putEntries(entries)
	if id, dup := idem.Existing(err); dup {
		prev, gerr := s.cfg.Store.Get(ctx, id)
		if gerr != nil {
			return nil, gerr
		}
		if err := idem.Same(r.IdempotencyKey, prev.RequestDigest, digest); err != nil {
			return nil, err
		}
		return prev, nil
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// entryBufs recycles the entries of the records Create and Transition
// hand to the store: a store copies what it keeps (see Mutation), so once
// it returns, the entries can back the next record. Two entries cover a
// transition that also stops or restarts the deadline.
var entryBufs = sync.Pool{New: func() any { return new([2]Entry) }}

func getEntries() *[2]Entry { return entryBufs.Get().(*[2]Entry) }

func putEntries(e *[2]Entry) {
	*e = [2]Entry{} // keep no texts alive
	entryBufs.Put(e)
}

// TransitionRequest moves a case along a transition of its case type.
type TransitionRequest struct {
	CaseID uuid.UUID `json:"case_id"`
	// Version is the version the actor saw; a stale one gives ErrConflict.
	Version    int    `json:"version"`
	Transition string `json:"transition"`
	Result     string `json:"result,omitempty"`
	// Text is an optional public explanation for the citizen.
	Text  string `json:"text,omitempty"`
	Actor Actor  `json:"actor"`
}

// Transition takes a transition. Errors: ErrInvalidTransition (unknown
// transition, wrong from-status, guard not met, case merged), ErrForbidden
// (role not allowed), ErrConflict (stale version), *ValidationError.
// When the case closes, its duplicates follow; a failure there is returned
// after the case itself is stored, and the duplicates can be synced again
// with FollowParent.
func (s *Service) Transition(ctx context.Context, r TransitionRequest) (*Case, error) {
	var v errs.Collector
	v.Merge("", validate.Input(r))
	if r.CaseID == uuid.Nil {
		v.Add("case_id", "required", "is required")
	}
	if r.Version <= 0 {
		v.Add("version", "required", "the version you saw is required")
	}
	if r.Transition == "" {
		v.Add("transition", "required", "is required")
	}
	if len(r.Text) > MaxDescription {
		v.Add("text", "max", "is longer than %d characters", MaxDescription)
	}
	checkActor(&v, r.Actor)
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	entries := getEntries()
	c, err := s.cfg.Store.Update(ctx, r.CaseID, AtVersion(r.Version, func(c *Case) (Change, error) {
		ct, err := s.typeOf(c)
		if err != nil {
			return Change{}, err
		}
		if c.MergedInto != uuid.Nil {
			return Change{}, fmt.Errorf("%w: case %s is merged and follows its parent", ErrInvalidTransition, c.Reference)
		}
		t, err := ct.CanTake(r.Transition, c.Status, r.Actor.Role, r.Result, c.Assignee != "")
		if err != nil {
			return Change{}, err
		}
		if t.RequireMessage && strings.TrimSpace(r.Text) == "" {
			return Change{}, errs.Invalid("text", "required", "transition %q needs a public message for the citizen", t.Name)
		}
		from := c.Status
		c.Status, c.UpdatedAt = t.To, now
		to, _ := ct.Status(t.To)
		if t.Guard == GuardResultRecorded {
			c.Result = r.Result
		}
		c.Closed = to.Terminal
		if c.Closed {
			c.ClosedAt = now
		}
		// Sized for the common case (a status change and a notice); a
		// suspension or resumption appends one more of each.
		rec := Change{
			Entries: entries[:1],
			Events:  make([]event.Event, 1, 2),
		}
		rec.Entries[0] = Entry{ID: id.New(), CaseID: c.ID, Kind: EntryTransitioned, Actor: r.Actor, At: now, Public: true,
			Text: r.Text, Transition: t.Name, FromStatus: from, ToStatus: t.To, Result: c.Result, Version: c.Version}
		rec.Events[0] = newEvent(EventTransitioned, c, now, Transitioned{Reference: c.Reference, Transition: t.Name,
			From: from, To: t.To, Result: c.Result, Closed: c.Closed, Actor: r.Actor})
		s.adjustDeadline(ct, c, to, r.Actor, now, &rec)
		if e, ok := s.notice(ct, c, now, EntryTransitioned, ""); ok && r.Actor.Role != RoleCitizen {
			rec.Events = append(rec.Events, e)
		}
		return rec, nil
	}))
	putEntries(entries)
	if err != nil {
		return nil, err
	}
	if c.Closed {
		if err := s.FollowParent(ctx, c.ID); err != nil {
			return c, err
		}
	}
	return c, nil
}

// adjustDeadline stops the deadline clock when c enters a waiting status
// and restarts it, moving the due date by the time spent waiting, when it
// leaves one. Working-day deadlines move by working days.
func (s *Service) adjustDeadline(ct *CaseType, c *Case, to Status, actor Actor, now time.Time, rec *Change) {
	if !ct.SuspendWhileWaiting || c.Due.IsZero() {
		return
	}
	switch {
	case to.Waiting && !to.Terminal && c.SuspendedAt.IsZero():
		c.SuspendedAt = now
		rec.Entries = append(rec.Entries, Entry{ID: id.New(), CaseID: c.ID, Kind: EntrySuspended, Actor: actor, At: now, Version: c.Version})
		rec.Events = append(rec.Events, newEvent(EventDeadlineSuspended, c, now, DeadlineChanged{Reference: c.Reference}))
	case !to.Waiting && !c.SuspendedAt.IsZero():
		c.Due = s.resumedDue(ct, c, now)
		c.SuspendedAt = time.Time{}
		rec.Entries = append(rec.Entries, Entry{ID: id.New(), CaseID: c.ID, Kind: EntryResumed, Actor: actor, At: now, Version: c.Version})
		rec.Events = append(rec.Events, newEvent(EventDeadlineResumed, c, now, DeadlineChanged{Reference: c.Reference, Due: c.Due}))
	}
}

func (s *Service) resumedDue(ct *CaseType, c *Case, now time.Time) time.Time {
	dl, _ := ct.Deadline(c.Category, c.Subcategory)
	if dl.WorkingDays {
		n := s.cal.WorkingDaysBetween(calendar.DateIn(c.SuspendedAt), calendar.DateIn(now))
		return s.cal.AddWorkingDaysAt(c.Due, n).Truncate(time.Microsecond)
	}
	return c.Due.Add(now.Sub(c.SuspendedAt))
}

func (s *Service) typeOf(c *Case) (*CaseType, error) {
	ct, ok := s.CaseTypeVersion(c.Type, c.TypeVersion)
	if !ok {
		return nil, fmt.Errorf("%w: case %s has case type %q, which this service does not know", ErrInvalidTransition, c.Reference, c.Type)
	}
	return ct, nil
}

// Get returns a case.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*Case, error) {
	return s.cfg.Store.Get(ctx, id)
}

// GetByReference returns the case with a reference of this municipality.
//
// A reference not of the form FormatReference writes is not found without
// asking the store, so text no store can hold (a NUL byte, invalid UTF-8)
// gets the same answer from every store.
func (s *Service) GetByReference(ctx context.Context, reference string) (*Case, error) {
	if _, _, ok := parseReference(reference); !ok {
		return nil, fmt.Errorf("%w: no case with reference %q", ErrNotFound, reference)
	}
	return s.cfg.Store.GetByReference(ctx, s.cfg.Municipality, reference)
}

// List returns a page of this municipality's cases. A filter on a case
// type, status or category no loaded case type declares is a
// *ValidationError rather than an empty page, so typos do not pass silently.
func (s *Service) List(ctx context.Context, q Query) (Page, error) {
	if err := s.checkQuery(&q); err != nil {
		return Page{}, err
	}
	q.Municipality = s.cfg.Municipality
	return s.cfg.Store.List(ctx, q)
}

func (s *Service) checkQuery(q *Query) error {
	var c errs.Collector
	c.Merge("", validate.Input(q))
	if q.Type != "" {
		if _, ok := s.types[q.Type]; !ok {
			c.Add("type", "oneof", "unknown case type %q", q.Type)
		}
	}
	statusKnown, categoryKnown := q.Status == "", q.Category == ""
	for _, ct := range s.types {
		if q.Type != "" && ct.Code != q.Type {
			continue
		}
		if _, ok := ct.Status(q.Status); ok {
			statusKnown = true
		}
		if _, ok := ct.Deadline(q.Category, ""); ok {
			categoryKnown = true
		}
	}
	if !statusKnown {
		c.Add("status", "oneof", "unknown status %q", q.Status)
	}
	if !categoryKnown {
		c.Add("category", "oneof", "unknown category %q", q.Category)
	}
	if q.Limit < 0 {
		c.Add("limit", "gte", "must not be negative")
	}
	return c.Err()
}

// All iterates over every case matching q, page by page.
func (s *Service) All(ctx context.Context, q Query) iter.Seq2[*Case, error] {
	return func(yield func(*Case, error) bool) {
		for {
			p, err := s.List(ctx, q)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, c := range p.Cases {
				if !yield(c, nil) {
					return
				}
			}
			if p.Next == "" {
				return
			}
			q.Cursor = p.Next
		}
	}
}

// Overdue lists open cases past their due date, earliest first, with q's
// other filters.
func (s *Service) Overdue(ctx context.Context, q Query) (Page, error) {
	q.DueBefore = s.now()
	return s.List(ctx, q)
}

// DueWithin lists open cases due within days calendar days from now,
// overdue ones included.
func (s *Service) DueWithin(ctx context.Context, days int, q Query) (Page, error) {
	if days < 0 {
		return Page{}, errs.Invalid("days", "gte", "must not be negative")
	}
	q.DueBefore = s.now().AddDate(0, 0, days)
	return s.List(ctx, q)
}

// ClerkView returns the case with its whole timeline.
func (s *Service) ClerkView(ctx context.Context, id uuid.UUID) (ClerkView, error) {
	c, err := s.cfg.Store.Get(ctx, id)
	if err != nil {
		return ClerkView{}, err
	}
	tl, err := s.cfg.Store.Timeline(ctx, id)
	if err != nil {
		return ClerkView{}, err
	}
	return ClerkView{Case: c, Timeline: tl}, nil
}

// CitizenView returns what the citizen may see of the case with reference,
// in lang ("nl" or "en").
func (s *Service) CitizenView(ctx context.Context, reference, lang string) (CitizenView, error) {
	c, err := s.GetByReference(ctx, reference)
	if err != nil {
		return CitizenView{}, err
	}
	ct, err := s.typeOf(c)
	if err != nil {
		return CitizenView{}, err
	}
	tl, err := s.cfg.Store.Timeline(ctx, c.ID)
	if err != nil {
		return CitizenView{}, err
	}
	return NewCitizenView(ct, c, tl, lang), nil
}

func notFoundOr(err error, field string) error {
	if errors.Is(err, ErrNotFound) {
		return errors.Join(err, errs.Invalid(field, "exists", "no such case"))
	}
	return err
}
