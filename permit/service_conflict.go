package permit

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

func isAny(err error, kinds ...error) bool {
	for _, k := range kinds {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

// Conflicts returns the conflicts of an application with the granted and
// active applications and the planned works, each with its severity under
// the policy and the parties' current ratings.
func (s *Service) Conflicts(ctx context.Context, appID uuid.UUID) ([]Conflict, error) {
	a, err := s.cfg.Store.Get(ctx, appID)
	if err != nil {
		return nil, err
	}
	return s.conflicts(ctx, a)
}

func (s *Service) conflicts(ctx context.Context, a *Application) ([]Conflict, error) {
	subject := a.Occupation()
	subject.Occurrences = normalize(subject.Occurrences)
	cands, err := s.cfg.Store.Candidates(ctx, a.Location, s.cfg.Buffer, Span(subject.Occurrences))
	if err != nil {
		return nil, err
	}
	sg := a.Location.projected()
	var out []Conflict
	for i := range cands {
		o := &cands[i]
		if o.ID == a.ID {
			continue
		}
		o.Occurrences = normalize(o.Occurrences)
		c, ok := exactConflict(subject, sg, o, o.Geometry.projected(), s.cfg.Buffer)
		if !ok {
			continue
		}
		c.Severity = s.cfg.Policy(subject, c)
		ratings, err := s.cfg.Store.Ratings(ctx, a.ID, o.ID)
		if err != nil {
			return nil, err
		}
		c.Ratings = map[uuid.UUID]RatingValue{a.ID: NotRated}
		if o.Kind == KindPermit {
			c.Ratings[o.ID] = NotRated
		} else {
			// Planned works have no party in this system; their owner
			// rates outside it, so only the applicant's rating counts.
			c.Ratings[o.ID] = Accepted
		}
		for _, r := range ratings {
			revs := map[uuid.UUID]int{a.ID: a.Revision, o.ID: o.Revision}
			c.Ratings[r.Party] = r.Effective(revs[r.A], revs[r.B])
		}
		out = append(out, c)
	}
	return out, nil
}

// RateConflict records how the party (one of the two applications) rates
// the conflict between applications a and b, at both current revisions.
// Conflicts with planned works are rated by the applicant side only.
func (s *Service) RateConflict(ctx context.Context, a, b, party uuid.UUID, value RatingValue) error {
	if party != a && party != b {
		return errs.Invalid("party", "oneof", "the party must be one of the two occupations")
	}
	switch value {
	case Accepted, NotAccepted, NotRated:
	default:
		return errs.Invalid("value", "oneof", "must be accepted, not_accepted or not_rated")
	}
	revA, err := s.revision(ctx, a, party == a)
	if err != nil {
		return err
	}
	revB, err := s.revision(ctx, b, party == b)
	if err != nil {
		return err
	}
	x, y := Pair(a, b)
	revs := map[uuid.UUID]int{a: revA, b: revB}
	r := Rating{A: x, B: y, Party: party, Value: value, ARevision: revs[x], BRevision: revs[y], At: s.cfg.Clock.Now()}
	ev := event.Event{ID: id.New(), Type: EventConflictRated, AggregateID: party, Time: r.At, Payload: r}
	return s.cfg.Store.SaveRating(ctx, r, []event.Event{ev})
}

// revision finds the current revision of an application or, when it is
// not the rating party, of planned works.
func (s *Service) revision(ctx context.Context, occID uuid.UUID, isParty bool) (int, error) {
	app, err := s.cfg.Store.Get(ctx, occID)
	if err == nil {
		return app.Revision, nil
	}
	if isParty || !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	w, err := s.cfg.Store.Works(ctx, occID)
	if err != nil {
		return 0, err
	}
	return w.Revision, nil
}

// LoadWorks puts planned works into the conflict index.
func (s *Service) LoadWorks(ctx context.Context, works ...PlannedWorks) error {
	for i, w := range works {
		var c errs.Collector
		c.Merge("", validate.Input(w)) // text and dates, as for every input
		c.Merge("", w.Location.check("location"))
		for j, p := range w.Periods {
			c.Merge(fmt.Sprintf("periods[%d]", j), p.Validate())
		}
		if len(w.Periods) == 0 {
			c.Add("periods", "required", "is required")
		}
		if err := c.Err(); err != nil {
			return fmt.Errorf("works %d: %w", i, err)
		}
		if w.ID == uuid.Nil {
			return errs.Invalid("id", "required", "works %d has no id", i)
		}
		// Changed works make ratings against them "to re-rate", as a
		// changed application does.
		old, err := s.cfg.Store.Works(ctx, w.ID)
		switch {
		case err == nil:
			w.Revision = old.Revision
			if !geometryEqual(old.Location, w.Location) || !slices.EqualFunc(old.Periods, w.Periods, samePeriod) {
				w.Revision++
			}
		case errors.Is(err, ErrNotFound):
			w.Revision = 1
		default:
			return err
		}
		w.UpdatedAt = s.cfg.Clock.Now()
		if err := s.cfg.Store.PutWorks(ctx, w); err != nil {
			return err
		}
	}
	return nil
}
