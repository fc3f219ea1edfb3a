package casefile

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// The bounds of a satisfaction score and the longest comment, in characters.
const (
	MinScore         = 1
	MaxScore         = 5
	MaxRatingComment = 2000
)

// EventRated is emitted when the reporter rates a case.
const EventRated = "casefile.case_rated"

// EntryRated records a rating; it is internal: staff see the score, the
// comment stays on the case.
const EntryRated EntryKind = "rated"

// Rated is the payload of EventRated; the comment stays on the case.
type Rated struct {
	Reference string `json:"reference"`
	Score     int    `json:"score"`
	// Reopened is set when the score reopened the case.
	Reopened bool `json:"reopened"`
}

// The reasons a rating is refused.
var (
	// ErrAlreadyRated: the reporter answered the questionnaire already.
	ErrAlreadyRated = fmt.Errorf("%w: the case is rated already", ErrInvalidTransition)
	// ErrRatingClosed: the case is open, the case type asks no rating, or
	// the period to answer has passed.
	ErrRatingClosed = fmt.Errorf("%w: the case cannot be rated", ErrInvalidTransition)
)

// LogValue keeps the comment, which may name people, out of logs.
func (s Satisfaction) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("score", s.Score), slog.Bool("comment", s.Comment != ""), slog.Time("at", s.At))
}

// RateRequest is the reporter's answer to the satisfaction questionnaire.
type RateRequest struct {
	CaseID  uuid.UUID `json:"case_id"`
	Score   int       `json:"score"`
	Comment string    `json:"comment,omitempty"`
	Actor   Actor     `json:"actor"`
}

// Rate records the reporter's satisfaction with a closed case, once per
// case. A score at or below the case type's threshold reopens the case when
// its reopen policy allows it (the status, and the reporter's period);
// otherwise the rating is kept and the case stays closed. Errors:
// ErrNotReporter, ErrAlreadyRated, ErrRatingClosed, *ValidationError.
func (s *Service) Rate(ctx context.Context, r RateRequest) (*Case, error) {
	var v errs.Collector
	v.Merge("", validate.Input(r))
	if r.CaseID == uuid.Nil {
		v.Add("case_id", "required", "is required")
	}
	if r.Score < MinScore || r.Score > MaxScore {
		v.Add("score", "range", "must be %d to %d", MinScore, MaxScore)
	}
	if utf8.RuneCountInString(r.Comment) > MaxRatingComment {
		v.Add("comment", "max", "is longer than %d characters", MaxRatingComment)
	}
	checkActor(&v, r.Actor)
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	return s.cfg.Store.Update(ctx, r.CaseID, func(c *Case) (Change, error) {
		ct, err := s.typeOf(c)
		if err != nil {
			return Change{}, err
		}
		if !isReporter(c, r.Actor) {
			return Change{}, fmt.Errorf("%w: case %s", ErrNotReporter, c.Reference)
		}
		p := ct.Satisfaction
		switch {
		case !c.Satisfaction.IsZero():
			return Change{}, fmt.Errorf("%w: case %s", ErrAlreadyRated, c.Reference)
		case !p.Ask:
			return Change{}, fmt.Errorf("%w: case type %q asks no satisfaction questionnaire", ErrRatingClosed, ct.Code)
		case !c.Closed:
			return Change{}, fmt.Errorf("%w: case %s is open", ErrRatingClosed, c.Reference)
		case p.Within.Days > 0 && now.After(s.cal.Due(closedAt(c), p.Within)):
			return Change{}, fmt.Errorf("%w: the period to rate case %s has passed", ErrRatingClosed, c.Reference)
		}
		c.Satisfaction = Satisfaction{Score: r.Score, Comment: strings.TrimSpace(r.Comment), At: now}
		c.UpdatedAt = now
		rec := Change{Entries: []Entry{{ID: id.New(), CaseID: c.ID, Kind: EntryRated, Actor: r.Actor, At: now,
			Text: fmt.Sprintf("%d/%d", r.Score, MaxScore), Version: c.Version}}}
		reopened := false
		if p.ReopenAtOrBelow > 0 && r.Score <= p.ReopenAtOrBelow {
			reason := c.Satisfaction.Comment
			if reason == "" {
				reason = "Niet tevreden over de afhandeling."
			}
			// A reopening the policy refuses leaves the rating standing.
			trial := c.Clone()
			var more Change
			if err := s.reopen(ct, trial, r.Actor, reason, now, &more); err == nil {
				*c = *trial
				rec.Entries = append(rec.Entries, more.Entries...)
				rec.Events = append(rec.Events, more.Events...)
				reopened = true
			}
		}
		rec.Events = append(rec.Events, newEvent(EventRated, c, now, Rated{Reference: c.Reference, Score: r.Score, Reopened: reopened}))
		return rec, nil
	})
}

// closedAt is when c closed; for a case closed before ClosedAt was kept,
// its last update.
func closedAt(c *Case) time.Time {
	if c.ClosedAt.IsZero() {
		return c.UpdatedAt
	}
	return c.ClosedAt
}
