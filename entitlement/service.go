package entitlement

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"sync"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// FactSource is a data connection a municipality plugs in (national
// register, Crossroads Bank, its own records). Load sets the facts it knows
// about the subject and its household; facts it does not know stay unknown.
type FactSource interface {
	Load(ctx context.Context, subjectID string, s *Subject) error
}

// FactSourceFunc adapts a function to FactSource.
type FactSourceFunc func(ctx context.Context, subjectID string, s *Subject) error

// Load implements FactSource.
func (f FactSourceFunc) Load(ctx context.Context, subjectID string, s *Subject) error {
	return f(ctx, subjectID, s)
}

// Service is the proactive service: it assesses, grants, ends and records.
type Service struct {
	rules   *Ruleset
	store   Store
	clock   clock.Clock
	sources []FactSource
}

// NewService returns a service over the rules and store; sources are
// consulted in order by Assess.
func NewService(rules *Ruleset, store Store, clk clock.Clock, sources ...FactSource) *Service {
	return &Service{rules: rules, store: store, clock: clk, sources: sources}
}

// Assess gathers the subject's facts from the fact sources and evaluates
// the benefit on date, with its explanation. A date outside the years
// calendar.MinYear to calendar.MaxYear is a *ValidationError, and so is a
// subject ID or benefit that is not text (see the reads in query.go).
func (s *Service) Assess(ctx context.Context, subjectID, benefit string, date calendar.Date) (Result, error) {
	if err := checkKeys("subject_id", subjectID, "benefit", benefit); err != nil {
		return Result{}, err
	}
	subj := s.rules.Schema().NewSubject(subjectID)
	for _, src := range s.sources {
		if err := src.Load(ctx, subjectID, subj); err != nil {
			// The subject ID is often a national register number: the
			// caller knows it, and an error must not carry it into a log.
			return Result{}, fmt.Errorf("entitlement: load facts: %w", err)
		}
	}
	return s.rules.Evaluate(subj, benefit, date)
}

// RunOptions configures a proactive run.
type RunOptions struct {
	Date        calendar.Date `validate:"required"`
	Actor       string        `validate:"required"` // recorded as who decided, e.g. "batch:2026-03"
	DecisionRef string        `validate:"required"` // the decision the grants rest on
	Benefits    []string
	Workers     int
	OnProgress  func(done int)
	// CompletePopulation says the population is everyone who may hold a
	// right (the whole register, not a sample or a district). Holders the
	// run does not meet are then given notice like anyone who no longer
	// qualifies; otherwise they are only listed in RunReport.Absent.
	CompletePopulation bool
	// IdempotencyKey makes the run safe to retry (after a crash or a
	// timeout): each grant it makes carries a key derived from it, the
	// benefit and the subject, so the run retried with the same key and
	// options grants nobody twice, not even someone whose grant was
	// revoked or ended in between; it counts them as Skipped. A run that
	// would grant again under the key of a grant made for another date,
	// actor or decision fails with ErrConflict. Empty: grants are not keyed
	// (a subject still holds one current grant at most).
	IdempotencyKey string
}

// RunReport is what a run found and did.
type RunReport struct {
	Batch      BatchReport
	Granted    int
	Ending     int
	Reinstated int
	Ended      int
	Skipped    int // already granted by a concurrent run or, for a retried run, by this run before; or opted out
	Unknown    []Undetermined
	Faulty     []FaultySubject
	// Absent lists holders of a right whom the population did not contain
	// (moved away, deceased, or left out of the feed).
	Absent []Holder
}

// Holder is a subject that holds a right.
type Holder struct {
	SubjectID string `json:"subject_id"`
	Benefit   string `json:"benefit"`
}

// Undetermined is a subject the run could not decide on, with the facts to fetch.
type Undetermined struct {
	SubjectID string   `json:"subject_id"`
	Benefit   string   `json:"benefit"`
	Missing   []string `json:"missing"`
}

// FaultySubject is a subject the run could not assess. Error never shows
// the subject's ID, nor any other national register number, in clear:
// reports are read and logged more widely than the register.
type FaultySubject struct {
	SubjectID string `json:"subject_id"`
	Benefit   string `json:"benefit"`
	Error     string `json:"error"`
}

// Run assesses a population and applies the result: grants the newly
// entitled (with their explanation as snapshot), gives notice to those no
// longer entitled, reinstates ending grants of those entitled again, and
// closes grants whose notice period is over. Subjects with missing facts
// keep what they have. Running it again, or twice at once, grants nothing twice.
func (s *Service) Run(ctx context.Context, population iter.Seq[*Subject], opt RunOptions) (RunReport, error) {
	var c errs.Collector
	c.Merge("", checkDate("date", opt.Date))
	if opt.Actor == "" {
		c.Add("actor", "required", "the run must say who or what decides")
	}
	validate.CheckText(&c, "actor", opt.Actor)
	if opt.DecisionRef == "" {
		c.Add("decision_ref", "required", "the run must name the decision grants rest on")
	}
	validate.CheckText(&c, "decision_ref", opt.DecisionRef)
	idem.CheckKey(&c, "idempotency_key", opt.IdempotencyKey)
	for i, b := range opt.Benefits {
		validate.CheckText(&c, "benefits["+strconv.Itoa(i)+"]", b)
	}
	if err := c.Err(); err != nil {
		return RunReport{}, err
	}
	benefits := opt.Benefits
	if len(benefits) == 0 {
		for _, b := range s.rules.Benefits() {
			benefits = append(benefits, b.ID)
		}
	}
	var rep RunReport
	// ending lets a still-entitled subject skip the store unless notice
	// was given and must be taken back.
	held, ending := GrantSet{}, GrantSet{}
	for _, b := range benefits {
		for g, err := range s.store.Held(ctx, b) {
			if err != nil {
				return rep, err
			}
			if g.Status == GrantEnding && g.Until.Before(opt.Date) {
				switch err := s.end(ctx, g.ID, opt.Actor); {
				case err == nil:
					rep.Ended++
				case !errors.Is(err, ErrInvalidTransition): // a concurrent run ended it first
					return rep, err
				}
				continue
			}
			held.Add(g.SubjectID, g.Benefit)
			if g.Status == GrantEnding {
				ending.Add(g.SubjectID, g.Benefit)
			}
		}
	}
	p := s.rules.At(opt.Date)
	var (
		mu       sync.Mutex
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	// met records the holders the batch reported on, to find the absent ones.
	met, metAll := GrantSet{}, map[string]bool{}
	batch, err := s.rules.Batch(ctx, population, BatchOptions{
		Date: opt.Date, Benefits: benefits, Holdings: held, Workers: opt.Workers, OnProgress: opt.OnProgress, ReportUnchanged: true,
		OnChange: func(ch Change) {
			mu.Lock()
			switch {
			case ch.Benefit == "":
				metAll[ch.SubjectID] = true
			case held.Holds(ch.SubjectID, ch.Benefit):
				met.Add(ch.SubjectID, ch.Benefit)
			}
			mu.Unlock()
			switch ch.Kind {
			case NewlyEntitled:
				err := s.grant(ctx, p, ch, opt)
				mu.Lock()
				switch {
				case err == nil:
					rep.Granted++
				case errors.Is(err, ErrAlreadyGranted), errors.Is(err, ErrOptedOut), errors.Is(err, errRepeated):
					rep.Skipped++
				case errors.Is(err, ErrValidation): // text or dates no store should keep
					rep.Faulty = append(rep.Faulty, FaultySubject{SubjectID: ch.SubjectID, Benefit: ch.Benefit, Error: maskText(err.Error(), ch.SubjectID)})
				default:
					mu.Unlock()
					fail(err)
					return
				}
				mu.Unlock()
			case NoLongerEntitled, StillEntitled:
				if ch.Kind == StillEntitled && !ending.Holds(ch.SubjectID, ch.Benefit) {
					return
				}
				n, err := s.notice(ctx, ch, opt)
				if err != nil {
					fail(err)
					return
				}
				mu.Lock()
				if ch.Kind == NoLongerEntitled {
					rep.Ending += n
				} else {
					rep.Reinstated += n
				}
				mu.Unlock()
			case MissingData:
				mu.Lock()
				rep.Unknown = append(rep.Unknown, Undetermined{SubjectID: ch.SubjectID, Benefit: ch.Benefit, Missing: slices.Clone(ch.Missing)})
				mu.Unlock()
			case Faulty:
				mu.Lock()
				rep.Faulty = append(rep.Faulty, FaultySubject{SubjectID: ch.SubjectID, Benefit: ch.Benefit, Error: maskText(ch.Err.Error(), ch.SubjectID)})
				mu.Unlock()
			}
		},
	})
	rep.Batch = batch
	if err == nil {
		err = firstErr
	}
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return rep, err // an interrupted run has not met everyone: judge no one absent
	}
	if opt.CompletePopulation && batch.Subjects == 0 && len(held) > 0 {
		// An empty feed is far likelier a broken connection than a town
		// that emptied overnight.
		return rep, errs.Invalid("population", "not_empty", "the complete population is empty; refusing to end every right")
	}
	return rep, s.absent(ctx, &rep, benefits, held, met, metAll, opt)
}

// absent lists the holders the run did not meet and, for a complete
// population, gives them notice.
func (s *Service) absent(ctx context.Context, rep *RunReport, benefits []string, held, met GrantSet, metAll map[string]bool, opt RunOptions) error {
	for _, b := range benefits {
		subjects := make([]string, 0, len(held[b]))
		for subject := range held[b] {
			if !met.Holds(subject, b) && !metAll[subject] {
				subjects = append(subjects, subject)
			}
		}
		slices.Sort(subjects)
		for _, subject := range subjects {
			rep.Absent = append(rep.Absent, Holder{SubjectID: subject, Benefit: b})
			if !opt.CompletePopulation {
				continue
			}
			n, err := s.notice(ctx, Change{Kind: NoLongerEntitled, SubjectID: subject, Benefit: b}, opt)
			if err != nil {
				return err
			}
			rep.Ending += n
		}
	}
	return nil
}

func (s *Service) grant(ctx context.Context, p *Prepared, ch Change, opt RunOptions) error {
	b := p.rs.benefitIdx[ch.Benefit]
	res, err := p.Explain(ch.Subject, b)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	g := &Grant{ID: id.New(), SubjectID: ch.SubjectID, Benefit: ch.Benefit, From: opt.Date, Status: GrantActive,
		DecisionRef: opt.DecisionRef, DecidedBy: opt.Actor, Reason: &res, CreatedAt: now, UpdatedAt: now}
	if opt.IdempotencyKey != "" {
		// The subject ID is often a national register number: the key
		// holds a digest of it, and is bounded whatever its length.
		g.IdempotencyKey = opt.IdempotencyKey + "/" + idem.Digest([2]string{ch.Benefit, ch.SubjectID})
		g.RequestDigest = idem.Digest(grantRequest{g.SubjectID, g.Benefit, g.From, g.DecisionRef, g.DecidedBy})
	}
	a := AuditEntry{ID: id.New(), At: now, Actor: opt.Actor, Action: EventGranted, SubjectID: g.SubjectID, Benefit: g.Benefit, GrantID: g.ID, Detail: opt.DecisionRef}
	if err := checkGrant(g, &a); err != nil {
		return err
	}
	err = s.store.Create(ctx, g, GrantChange{Audit: a, Events: []event.Event{s.event(EventGranted, *g, opt.Actor)}})
	if held, dup := idem.Existing(err); dup {
		prev, err := s.store.Get(ctx, held)
		if err != nil {
			return err
		}
		if err := idem.Same(g.IdempotencyKey, prev.RequestDigest, g.RequestDigest); err != nil {
			return err
		}
		return errRepeated
	}
	return err
}

// grantRequest is what a run's grant is for; its digest tells a retried
// run from another run that reuses the key.
type grantRequest struct {
	SubjectID   string        `json:"subject_id"`
	Benefit     string        `json:"benefit"`
	From        calendar.Date `json:"from"`
	DecisionRef string        `json:"decision_ref"`
	DecidedBy   string        `json:"decided_by"`
}

// errRepeated says a retried run found the grant it made before.
var errRepeated = errors.New("granted before by this run")

// notice gives notice on a grant whose holder no longer qualifies, or
// takes notice back when they qualify again. It returns 1 if it changed something.
func (s *Service) notice(ctx context.Context, ch Change, opt RunOptions) (int, error) {
	cur, err := s.store.Current(ctx, ch.SubjectID, ch.Benefit)
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	bdef, _ := s.rules.Benefit(ch.Benefit)
	changed := 0
	_, err = s.store.Update(ctx, cur.ID, func(g *Grant) (GrantChange, error) {
		changed = 0
		var typ string
		switch {
		case ch.Kind == NoLongerEntitled && g.Status == GrantActive:
			g.Status, g.Until, g.EndReason, typ = GrantEnding, opt.Date.AddDays(bdef.NoticeDays), "no longer entitled", EventEnding
		case ch.Kind == StillEntitled && g.Status == GrantEnding:
			g.Status, g.Until, g.EndReason, typ = GrantActive, calendar.Date{}, "", EventReinstated
		default:
			return GrantChange{}, errNoChange
		}
		changed = 1
		g.UpdatedAt = s.clock.Now()
		return s.change(typ, *g, opt.Actor, g.EndReason), nil
	})
	if errors.Is(err, errNoChange) {
		return 0, nil
	}
	return changed, err
}

var errNoChange = errors.New("no change")

func (s *Service) end(ctx context.Context, grantID uuid.UUID, actor string) error {
	_, err := s.store.Update(ctx, grantID, func(g *Grant) (GrantChange, error) {
		if g.Status != GrantEnding {
			return GrantChange{}, ErrInvalidTransition
		}
		g.Status, g.UpdatedAt = GrantEnded, s.clock.Now()
		return s.change(EventEnded, *g, actor, "notice period over"), nil
	})
	return err
}

// RevokeRequest asks to withdraw a current grant by decision ("intrekking").
type RevokeRequest struct {
	GrantID uuid.UUID `json:"grant_id"`
	// Version is the version of the grant the decision was taken on (a
	// clerk's page shows it); when the grant changed since, Revoke is
	// ErrConflict and changes nothing. Zero revokes whatever the version.
	Version int    `json:"version,omitempty"`
	Reason  string `json:"reason"`
	Actor   string `json:"actor"` // who decides: a clerk's ID
}

// Revoke withdraws a current grant by decision ("intrekking") and returns it.
func (s *Service) Revoke(ctx context.Context, r RevokeRequest) (*Grant, error) {
	var c errs.Collector
	if r.Reason == "" {
		c.Add("reason", "required", "a revocation needs its reason")
	}
	validate.CheckText(&c, "reason", r.Reason)
	if r.Actor == "" {
		c.Add("actor", "required", "a revocation must say who decides")
	}
	validate.CheckText(&c, "actor", r.Actor)
	if r.Version < 0 {
		c.Add("version", "min", "must be 0 or more")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return s.store.Update(ctx, r.GrantID, func(g *Grant) (GrantChange, error) {
		if r.Version != 0 && g.Version != r.Version {
			return GrantChange{}, fmt.Errorf("%w: the grant changed since version %d (now %d)", ErrConflict, r.Version, g.Version)
		}
		if !g.Status.Current() {
			return GrantChange{}, fmt.Errorf("%w: grant is %s", ErrInvalidTransition, g.Status)
		}
		now := s.clock.Now()
		g.Status, g.EndReason, g.UpdatedAt = GrantRevoked, r.Reason, now
		g.Until = calendar.DateIn(now)
		return s.change(EventRevoked, *g, r.Actor, r.Reason), nil
	})
}

// OptOut records that the citizen does not want the benefit; a current
// grant stops today and the benefit is never granted again automatically.
func (s *Service) OptOut(ctx context.Context, subjectID, benefit, reason, actor string) error {
	var c errs.Collector
	if subjectID == "" {
		c.Add("subject_id", "required", "who opts out")
	}
	validate.CheckText(&c, "subject_id", subjectID)
	if _, ok := s.rules.Benefit(benefit); !ok {
		c.Add("benefit", "exists", "unknown benefit %q", benefit)
	}
	validate.CheckText(&c, "reason", reason)
	if actor == "" {
		c.Add("actor", "required", "who records the opt-out")
	}
	validate.CheckText(&c, "actor", actor)
	if err := c.Err(); err != nil {
		return err
	}
	now := s.clock.Now()
	// The current grant is the one the store finds under its lock: a
	// grant made a moment before is stopped, and the event names it.
	return s.store.OptOut(ctx, OptOut{SubjectID: subjectID, Benefit: benefit, At: now, Reason: reason, RecordedBy: actor},
		func(g *Grant) (GrantChange, error) {
			if g == nil {
				return s.change(EventOptedOut, Grant{SubjectID: subjectID, Benefit: benefit, Status: GrantOptedOut}, actor, reason), nil
			}
			g.Status, g.EndReason, g.UpdatedAt, g.Until = GrantOptedOut, "opted out: "+reason, now, calendar.DateIn(now)
			return s.change(EventOptedOut, *g, actor, reason), nil
		})
}

// change is the audit entry and the event of one change of g.
func (s *Service) change(typ string, g Grant, actor, detail string) GrantChange {
	return GrantChange{Audit: s.audit(typ, g, actor, detail), Events: []event.Event{s.event(typ, g, actor)}}
}

func (s *Service) event(typ string, g Grant, actor string) event.Event {
	return event.Event{ID: id.New(), Type: typ, AggregateID: g.ID, Time: s.clock.Now(),
		Payload: GrantEvent{GrantID: g.ID, SubjectID: g.SubjectID, Benefit: g.Benefit, Status: g.Status, Until: g.Until, Actor: actor}}
}

func (s *Service) audit(action string, g Grant, actor, detail string) AuditEntry {
	return AuditEntry{ID: id.New(), At: s.clock.Now(), Actor: actor, Action: action, SubjectID: g.SubjectID, Benefit: g.Benefit, GrantID: g.ID, Detail: detail}
}
