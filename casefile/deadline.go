package casefile

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// DeadlineRequest stops or restarts the deadline clock by hand, for case
// types whose waiting is not modelled as a status (e.g. waiting for a
// third party's advice).
type DeadlineRequest struct {
	CaseID  uuid.UUID `json:"case_id"`
	Version int       `json:"version"`
	Reason  string    `json:"reason,omitempty"`
	Actor   Actor     `json:"actor"`
}

// ErrDeadlineState is returned when suspending a suspended deadline or
// resuming a running one.
var ErrDeadlineState = fmt.Errorf("%w: deadline is not in that state", ErrInvalidTransition)

// SuspendDeadline stops the deadline clock of an open case.
func (s *Service) SuspendDeadline(ctx context.Context, r DeadlineRequest) (*Case, error) {
	return s.changeDeadline(ctx, r, true)
}

// ResumeDeadline restarts the clock and moves the due date by the time it
// stood still (in working days for working-day deadlines).
func (s *Service) ResumeDeadline(ctx context.Context, r DeadlineRequest) (*Case, error) {
	return s.changeDeadline(ctx, r, false)
}

func (s *Service) changeDeadline(ctx context.Context, r DeadlineRequest, suspend bool) (*Case, error) {
	var v errs.Collector
	v.Merge("", validate.Input(r))
	if r.CaseID == uuid.Nil {
		v.Add("case_id", "required", "is required")
	}
	if r.Version <= 0 {
		v.Add("version", "required", "the version you saw is required")
	}
	checkActor(&v, r.Actor)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := staffOnly(r.Actor, "stop or start a deadline"); err != nil {
		return nil, err
	}
	now := s.now()
	return s.cfg.Store.Update(ctx, r.CaseID, AtVersion(r.Version, func(c *Case) (Change, error) {
		ct, err := s.typeOf(c)
		if err != nil {
			return Change{}, err
		}
		if c.Closed || c.Due.IsZero() || c.MergedInto != uuid.Nil {
			return Change{}, fmt.Errorf("%w: case %s has no running deadline", ErrInvalidTransition, c.Reference)
		}
		if suspend == !c.SuspendedAt.IsZero() {
			return Change{}, ErrDeadlineState
		}
		c.UpdatedAt = now
		kind, typ := EntrySuspended, EventDeadlineSuspended
		if suspend {
			c.SuspendedAt = now
		} else {
			c.Due = s.resumedDue(ct, c, now)
			c.SuspendedAt = time.Time{}
			kind, typ = EntryResumed, EventDeadlineResumed
		}
		return Change{
			Entries: []Entry{{ID: id.New(), CaseID: c.ID, Kind: kind, Actor: r.Actor, At: now, Text: r.Reason, Version: c.Version}},
			Events:  []event.Event{newEvent(typ, c, now, DeadlineChanged{Reference: c.Reference, Due: c.Due})},
		}, nil
	}))
}

// dueDates answers Calendar.Due for the cases filed today from a memo: the
// calendar walks a deadline day by day, and every case filed on one day
// with the same deadline ends on the same day. A calendar never changes
// once made, so the memo holds; the first case of a new day starts a new
// one. The due time is put together as Calendar.Due does (Date.AtTimeOf):
// the same wall-clock time in Brussels, on the day the deadline ends.
type dueDates struct {
	cal   *calendar.Calendar
	today atomic.Pointer[dueDay]
}

// dueDay is the memo of one day; it is copied, never changed, when a
// deadline is added.
type dueDay struct {
	date calendar.Date
	ends map[calendar.Deadline]calendar.Date
}

func (d *dueDates) due(now time.Time, dl calendar.Deadline) time.Time {
	t := now.In(clock.Brussels)
	date := calendar.DateOf(t)
	day := d.today.Load()
	if day != nil && day.date == date {
		if end, ok := day.ends[dl]; ok {
			return end.AtTimeOf(t) // Calendar.Due's rule, repeated and skipped hours included
		}
	}
	due := d.cal.Due(now, dl)
	next := &dueDay{date: date, ends: map[calendar.Deadline]calendar.Date{dl: calendar.DateIn(due)}}
	if day != nil && day.date == date {
		for k, v := range day.ends {
			next.ends[k] = v
		}
	}
	d.today.CompareAndSwap(day, next) // losing a race only costs a later lookup
	return due
}
