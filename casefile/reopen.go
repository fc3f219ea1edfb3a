package casefile

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// EventReopened is emitted when a closed case is reopened.
const EventReopened = "casefile.case_reopened"

// EntryReopened records a reopening; it is public.
const EntryReopened EntryKind = "reopened"

// Reopened is the payload of EventReopened.
type Reopened struct {
	Reference string    `json:"reference"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Due       time.Time `json:"due,omitzero"`
	// ByReporter is set when the reporter said "niet opgelost".
	ByReporter bool  `json:"by_reporter"`
	Actor      Actor `json:"actor"`
}

// The reasons a reopening is refused; each wraps ErrInvalidTransition or
// ErrForbidden, so errors.Is finds both.
var (
	// ErrNotReopenable: the case is open, merged, or its status does not
	// allow reopening, or the reporter may not reopen this case type.
	ErrNotReopenable = fmt.Errorf("%w: the case cannot be reopened", ErrInvalidTransition)
	// ErrReopenPeriodOver: the reporter's period to reopen has passed.
	ErrReopenPeriodOver = fmt.Errorf("%w: the period to reopen the case has passed", ErrInvalidTransition)
	// ErrNotReporter: only the reporter of the case may do this.
	ErrNotReporter = fmt.Errorf("%w: only the reporter of the case may do this", ErrForbidden)
)

// isReporter reports whether a is the case's reporter: a citizen whose ID
// is the requester's. An anonymous report has no reporter to recognise.
func isReporter(c *Case, a Actor) bool {
	return a.Role == RoleCitizen && c.Requester.ID != "" && a.ID == c.Requester.ID
}

// ReopenRequest reopens a closed case ("heropenen"): the reporter saying
// the problem is not solved ("niet opgelost"), or a clerk.
type ReopenRequest struct {
	CaseID uuid.UUID `json:"case_id"`
	// Version is the version the actor saw; 0 accepts any, for a reporter
	// who answers from a link.
	Version int `json:"version,omitempty"`
	// Reason is why, in the actor's words; it is shown in the public timeline.
	Reason string `json:"reason"`
	Actor  Actor  `json:"actor"`
}

// Reopen brings a closed case back to the reopen policy's status and
// recomputes its deadline from now. A clerk may reopen whenever the case
// type allows it from the case's status; the reporter only within the
// policy's reporter period after closing. Errors: ErrNotReopenable,
// ErrReopenPeriodOver, ErrNotReporter (a citizen who is not the reporter),
// ErrConflict, *ValidationError.
func (s *Service) Reopen(ctx context.Context, r ReopenRequest) (*Case, error) {
	var v errs.Collector
	v.Merge("", validate.Input(r))
	if r.CaseID == uuid.Nil {
		v.Add("case_id", "required", "is required")
	}
	if r.Version < 0 {
		v.Add("version", "gte", "must not be negative")
	}
	checkDescription(&v, "reason", r.Reason)
	checkActor(&v, r.Actor)
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	return s.cfg.Store.Update(ctx, r.CaseID, AtVersion(r.Version, func(c *Case) (Change, error) {
		ct, err := s.typeOf(c)
		if err != nil {
			return Change{}, err
		}
		if r.Actor.Role == RoleCitizen && !isReporter(c, r.Actor) {
			return Change{}, fmt.Errorf("%w: case %s", ErrNotReporter, c.Reference)
		}
		var rec Change
		if err := s.reopen(ct, c, r.Actor, r.Reason, now, &rec); err != nil {
			return Change{}, err
		}
		return rec, nil
	}))
}

// reopen applies the reopen policy of ct to c at now and adds the entry
// and events to rec. A citizen actor is taken to be the reporter.
func (s *Service) reopen(ct *CaseType, c *Case, actor Actor, reason string, now time.Time, rec *Change) error {
	p := ct.Reopen
	switch {
	case !c.Closed:
		return fmt.Errorf("%w: case %s is open", ErrNotReopenable, c.Reference)
	case c.MergedInto != uuid.Nil:
		return fmt.Errorf("%w: case %s is merged and follows its parent", ErrNotReopenable, c.Reference)
	case !c.AnonymisedAt.IsZero():
		return fmt.Errorf("%w: case %s is anonymised", ErrNotReopenable, c.Reference)
	case !p.Allows(c.Status):
		return fmt.Errorf("%w: case type %q does not reopen from status %q", ErrNotReopenable, ct.Code, c.Status)
	}
	byReporter := actor.Role == RoleCitizen
	if byReporter {
		if p.ReporterWithin.Days == 0 {
			return fmt.Errorf("%w: the reporter may not reopen a case of type %q", ErrNotReopenable, ct.Code)
		}
		if end := s.cal.Due(closedAt(c), p.ReporterWithin); now.After(end) {
			return fmt.Errorf("%w: case %s could be reopened until %s", ErrReopenPeriodOver, c.Reference, end.Format(time.DateOnly))
		}
	}
	to := p.To
	if to == "" {
		to = ct.Initial
	}
	from := c.Status
	c.Status, c.Result, c.Closed, c.ClosedAt = to, "", false, time.Time{}
	c.Reopened++
	c.ReopenedAt, c.UpdatedAt, c.SuspendedAt = now, now, time.Time{}
	if dl, ok := ct.Deadline(c.Category, c.Subcategory); ok {
		c.Due = s.cal.Due(now, dl).Truncate(time.Microsecond)
	}
	rec.Entries = append(rec.Entries, Entry{ID: id.New(), CaseID: c.ID, Kind: EntryReopened, Actor: actor, At: now, Public: true,
		Text: strings.TrimSpace(reason), FromStatus: from, ToStatus: to, Version: c.Version})
	rec.Events = append(rec.Events, newEvent(EventReopened, c, now, Reopened{Reference: c.Reference, From: from, To: to,
		Due: c.Due, ByReporter: byReporter, Actor: actor}))
	if !byReporter {
		if e, ok := s.noticeText(ct, c, now, EntryReopened, reason); ok {
			rec.Events = append(rec.Events, e)
		}
	}
	return nil
}

// noticeText is notice with a message for the requester.
func (s *Service) noticeText(ct *CaseType, c *Case, at time.Time, reason EntryKind, text string) (event.Event, bool) {
	e, ok := s.notice(ct, c, at, reason, "")
	if ok {
		n := e.Payload.(RequesterNotice)
		n.Text = text
		e.Payload = n
	}
	return e, ok
}
