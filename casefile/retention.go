package casefile

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// The events of retention: one per purged case, without personal data,
// and one per run, the audit record's.
const (
	EventPurged   = "casefile.case_purged"
	EventPurgeRun = "casefile.purge_run"
)

// EntryAnonymised records that the case was stripped of personal data.
const EntryAnonymised EntryKind = "anonymised"

// Purged is the payload of EventPurged.
type Purged struct {
	Reference string          `json:"reference"`
	Type      string          `json:"type"`
	Category  string          `json:"category"`
	Action    RetentionAction `json:"action"`
}

// PurgeRun is the audit record of one purge ("vernietigingslijst" in
// counts): what was done, never to whom. It is also EventPurgeRun's payload.
type PurgeRun struct {
	ID           uuid.UUID `json:"id"`
	Municipality string    `json:"municipality"`
	At           time.Time `json:"at"`
	Deleted      int       `json:"deleted"`
	Anonymised   int       `json:"anonymised"`
	// Failed counts the cases whose files the Purger could not delete or
	// whose change the store refused; they are tried again next run.
	Failed int `json:"failed"`
}

// Purger deletes the files (photos, documents) of a case that retention is
// about to delete or anonymise: the bytes live in storage the caller owns,
// behind Attachment.URI. It is called before the case changes, so it must
// be safe to call again for the same case (a failed store change is
// retried on the next run). An error leaves the case as it is.
type Purger interface {
	PurgeAttachments(ctx context.Context, c *Case) error
}

// PurgerFunc is a function that is a Purger.
type PurgerFunc func(ctx context.Context, c *Case) error

// PurgeAttachments calls f.
func (f PurgerFunc) PurgeAttachments(ctx context.Context, c *Case) error { return f(ctx, c) }

// Purge applies every case type's retention policy at now: closed cases
// kept longer than their case type version's retention days are deleted or
// anonymised, their files first removed through Config.Purger, and the run
// is recorded with its counts (Store.RecordPurge, EventPurgeRun). A failed
// case is counted and its error joined into the returned error; the run
// goes on with the others. Safe to run again: a case is purged once.
func (s *Service) Purge(ctx context.Context, now time.Time) (PurgeRun, error) {
	run := PurgeRun{ID: id.New(), Municipality: s.cfg.Municipality, At: now.Truncate(time.Microsecond)}
	var all []error
	for code, versions := range s.versions {
		shortest := 0
		for _, ct := range versions {
			if d := ct.Retention.Days; d > 0 && (shortest == 0 || d < shortest) {
				shortest = d
			}
		}
		if shortest == 0 {
			continue
		}
		q := Query{Municipality: s.cfg.Municipality, Type: code, PurgeableBefore: now.AddDate(0, 0, -shortest), Limit: MaxLimit}
		for {
			p, err := s.cfg.Store.List(ctx, q)
			if err != nil {
				return run, errors.Join(append(all, err)...)
			}
			for _, c := range p.Cases {
				action, err := s.purgeCase(ctx, c, now)
				switch {
				case err != nil:
					run.Failed++
					all = append(all, fmt.Errorf("case %s: %w", c.Reference, err))
				case action == RetainDelete:
					run.Deleted++
				case action == RetainAnonymise:
					run.Anonymised++
				}
			}
			if p.Next == "" {
				break
			}
			q.Cursor = p.Next
		}
	}
	ev := event.Event{ID: id.New(), Type: EventPurgeRun, AggregateID: run.ID, Time: run.At, Payload: run}
	if err := s.cfg.Store.RecordPurge(ctx, run, []event.Event{ev}); err != nil {
		all = append(all, fmt.Errorf("casefile: record purge run: %w", err))
	}
	return run, errors.Join(all...)
}

// retentionDue returns the retention action due for c at now under its
// case type version, or "" when none is.
func retentionDue(ct *CaseType, c *Case, now time.Time) RetentionAction {
	p := ct.Retention
	if p.Days <= 0 || !c.Purgeable(now.AddDate(0, 0, -p.Days)) {
		return ""
	}
	return p.Action
}

// purgeCase deletes or anonymises one case if its retention has run out,
// and returns what it did ("" for nothing).
func (s *Service) purgeCase(ctx context.Context, c *Case, now time.Time) (RetentionAction, error) {
	ct, err := s.typeOf(c)
	if err != nil {
		return "", err
	}
	if retentionDue(ct, c, now) == "" {
		return "", nil
	}
	if s.cfg.Purger != nil && len(c.Attachments) > 0 {
		if err := s.cfg.Purger.PurgeAttachments(ctx, c); err != nil {
			return "", fmt.Errorf("casefile: purge attachments: %w", err)
		}
	}
	var done RetentionAction
	at := s.now()
	_, err = s.cfg.Store.Update(ctx, c.ID, func(c *Case) (Change, error) {
		done = retentionDue(ct, c, now) // on fresh data: a reopened case is kept
		if done == "" {
			return Change{}, errNothingToDo
		}
		ev := newEvent(EventPurged, c, at, Purged{Reference: c.Reference, Type: c.Type, Category: c.Category, Action: done})
		if done == RetainDelete {
			return Change{Delete: true, Events: []event.Event{ev}}, nil
		}
		Anonymise(c)
		c.AnonymisedAt, c.UpdatedAt = at, at
		return Change{RedactTimeline: true, Events: []event.Event{ev},
			Entries: []Entry{{ID: id.New(), CaseID: c.ID, Kind: EntryAnonymised, Actor: Actor{ID: "casefile", Role: RoleSystem},
				At: at, Version: c.Version}}}, nil
	})
	if errors.Is(err, errNothingToDo) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return done, nil
}

// Anonymise strips c of personal data: the description, the requester, the
// exact location (the postal code and municipality stay, for statistics
// per area), the attachments and the satisfaction comment. Category,
// dates, statuses, result, team and score stay.
func Anonymise(c *Case) {
	c.Description, c.Requester, c.Attachments = "", Requester{}, nil
	c.Location = Location{Address: pii.Address{PostalCode: c.Location.Address.PostalCode, Municipality: c.Location.Address.Municipality}}
	c.Satisfaction.Comment = ""
}
