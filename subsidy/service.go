package subsidy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Service holds the use cases of calls and applications. Each validates
// its input, loads, applies the rules and saves with its events through
// Store.Update, so a failed call changes nothing.
type Service struct {
	store      Store
	clock      clock.Clock
	keys       map[string][]byte // applicant keys by ID
	currentKey string            // the ID new calls use
}

// NewService returns a service over the store; clk nil means the system
// clock. Without WithApplicantKeys the service makes a random applicant
// key that lives as long as the service: enough for the memory store, but
// a store that outlives the process needs the municipality's own key, or
// drafts on calls made before a restart fail with ErrUnknownApplicantKey.
func NewService(store Store, clk clock.Clock, opts ...Option) *Service {
	if clk == nil {
		clk = clock.Real{}
	}
	s := &Service{store: store, clock: clk}
	for _, o := range opts {
		o(s)
	}
	if s.keys == nil {
		WithApplicantKeys(ephemeralKey())(s)
	}
	return s
}

// CreateScheme registers a subsidy regulation.
func (s *Service) CreateScheme(ctx context.Context, in SchemeInput) (Scheme, error) {
	if err := in.Validate(); err != nil {
		return Scheme{}, err
	}
	now := s.clock.Now()
	sc := Scheme{ID: id.New(), Name: in.Name, Regulation: in.Regulation, LegalBasis: in.LegalBasis, BudgetArticle: in.BudgetArticle, CreatedAt: now}
	return sc, s.store.CreateScheme(ctx, sc, []event.Event{newEvent(EventSchemeCreated, sc.ID, now, Change{Detail: sc.Name})})
}

// CreateCall opens a round of the scheme; an invalid definition is rejected.
func (s *Service) CreateCall(ctx context.Context, schemeID uuid.UUID, rules CallRules) (Call, error) {
	if err := rules.Validate(); err != nil {
		return Call{}, err
	}
	now := s.clock.Now()
	c := Call{ID: id.New(), SchemeID: schemeID, CallRules: rules, CreatedAt: now, ApplicantKeyID: s.currentKey,
		Ledger: Ledger{Reserved: decimal.Zero, Paid: decimal.Zero}, Version: 1}
	ev := newEvent(EventCallCreated, c.ID, now, Change{CallID: c.ID, Amount: rules.Budget, Detail: rules.Title})
	return c, s.store.CreateCall(ctx, c, []event.Event{ev})
}

// ChangeBudget sets the call's budget; it may never drop below what is committed.
func (s *Service) ChangeBudget(ctx context.Context, callID uuid.UUID, budget decimal.Decimal) error {
	var c errs.Collector
	euro(&c, "budget", budget, true)
	if err := c.Err(); err != nil {
		return err
	}
	return s.change(ctx, callID, nil, func(call *Call, _ []*Application) ([]event.Event, error) {
		if budget.LessThan(call.Ledger.Committed()) {
			return nil, fmt.Errorf("%w: %s committed", ErrBelowCommitted, call.Ledger.Committed().StringFixed(2))
		}
		if budget.LessThan(call.MaxPerApplication) {
			return nil, errs.Invalid("budget", "gtefield", "must be at least the maximum per application")
		}
		call.Budget = budget
		return []event.Event{newEvent(EventBudgetChanged, call.ID, s.clock.Now(), Change{CallID: call.ID, Amount: budget})}, nil
	})
}

// ExtensionInput gives some applications, or some applicants by their KBO
// or national register number, a later closing moment.
type ExtensionInput struct {
	ApplicationIDs []uuid.UUID `json:"application_ids"`
	Applicants     []string    `json:"applicants"`
	Until          time.Time   `json:"until"`
	Reason         string      `json:"reason"`
	GrantedBy      string      `json:"granted_by"`
}

// ExtendDeadline records a deadline extension for one applicant or a group.
func (s *Service) ExtendDeadline(ctx context.Context, callID uuid.UUID, in ExtensionInput) (Extension, error) {
	var c errs.Collector
	c.Merge("", validate.Input(in))
	if len(in.ApplicationIDs) == 0 && len(in.Applicants) == 0 {
		c.Add("application_ids", "required", "at least one application or applicant is required")
	}
	keys := make([]string, len(in.Applicants))
	for i, n := range in.Applicants {
		k, ok := applicantKeyOf(n)
		if !ok {
			c.Add(fmt.Sprintf("applicants[%d]", i), "kbo|insz", "is neither an enterprise number nor a national register number")
		}
		keys[i] = k
	}
	if strings.TrimSpace(in.Reason) == "" {
		c.Add("reason", "required", "is required")
	}
	if strings.TrimSpace(in.GrantedBy) == "" {
		c.Add("granted_by", "required", "is required")
	}
	if err := c.Err(); err != nil {
		return Extension{}, err
	}
	now := s.clock.Now()
	ext := Extension{ID: id.New(), ApplicationIDs: in.ApplicationIDs, Until: in.Until, Reason: in.Reason, GrantedBy: in.GrantedBy, GrantedAt: now}
	err := s.change(ctx, callID, in.ApplicationIDs, func(call *Call, _ []*Application) ([]event.Event, error) {
		if !in.Until.After(call.Closes) {
			return nil, errs.Invalid("until", "gtfield", "must be after the call's closing moment")
		}
		ext.Applicants = nil
		for _, k := range keys {
			ref, err := s.applicantRef(call, k)
			if err != nil {
				return nil, err
			}
			ext.Applicants = append(ext.Applicants, ref)
		}
		call.Extensions = append(call.Extensions, ext)
		return []event.Event{newEvent(EventDeadlineExtended, call.ID, now, Change{CallID: call.ID, Detail: in.Reason})}, nil
	})
	return ext, err
}

// CreateDraft starts an application while the call is open. With an
// idempotency key it is safe to retry (see
// ApplicationInput.IdempotencyKey): a repeat returns the first draft and
// emits nothing. The key is looked up after the checks, so a repeat after
// the call has closed gets ErrCallClosed like any draft then: its first
// draft has expired with the call.
func (s *Service) CreateDraft(ctx context.Context, in ApplicationInput) (Application, error) {
	call, err := s.store.Call(ctx, in.CallID)
	if err != nil {
		return Application{}, err
	}
	if err := in.Validate(&call); err != nil {
		return Application{}, err
	}
	ref, err := s.applicantRef(&call, in.Applicant.Key())
	if err != nil {
		return Application{}, err
	}
	now := s.clock.Now()
	a := Application{ID: id.New(), ApplicationInput: in, ApplicantRef: ref, Status: Draft, CreatedAt: now, Version: 1}
	if in.IdempotencyKey != "" {
		unkeyed := in
		unkeyed.IdempotencyKey = ""
		a.RequestDigest = idem.Digest(unkeyed)
	}
	if !call.OpenFor(&a, now) {
		return Application{}, ErrCallClosed
	}
	ev := newEvent(EventDrafted, a.ID, now, Change{CallID: call.ID, ApplicationID: a.ID, Status: Draft, Amount: in.Requested})
	err = s.store.CreateApplication(ctx, a, []event.Event{ev})
	if held, dup := idem.Existing(err); dup {
		first, err := s.store.Application(ctx, held)
		if err != nil {
			return Application{}, err
		}
		if err := idem.Same(in.IdempotencyKey, first.RequestDigest, a.RequestDigest); err != nil {
			return Application{}, err
		}
		return first, nil
	}
	if err != nil {
		return Application{}, err
	}
	return a, nil
}

// change is the service's one door to the store's Update: it runs fn and
// then holds the ledger's invariant (see Ledger.Check), so every rule that
// moves money is checked in one place and no store has to know it.
func (s *Service) change(ctx context.Context, callID uuid.UUID, appIDs []uuid.UUID, fn ChangeFunc) error {
	return s.store.Update(ctx, callID, appIDs, func(call *Call, apps []*Application) ([]event.Event, error) {
		evs, err := fn(call, apps)
		if err != nil {
			return nil, err
		}
		if err := call.Ledger.Check(call.Budget); err != nil {
			return nil, err
		}
		return evs, nil
	})
}

// update runs fn on one application and its call.
func (s *Service) update(ctx context.Context, appID uuid.UUID, fn func(*Call, *Application, time.Time) ([]event.Event, error)) error {
	a, err := s.store.Application(ctx, appID)
	if err != nil {
		return err
	}
	return s.change(ctx, a.CallID, []uuid.UUID{appID}, func(call *Call, apps []*Application) ([]event.Event, error) {
		return fn(call, apps[0], s.clock.Now())
	})
}

func (s *Service) status(a *Application, typ string, to Status, at time.Time, detail string) ([]event.Event, error) {
	if err := a.moveTo(to, at); err != nil {
		return nil, err
	}
	return []event.Event{newEvent(typ, a.ID, at, Change{CallID: a.CallID, ApplicationID: a.ID, Status: to, Amount: a.Requested, Detail: detail})}, nil
}

// Submit submits a draft, only while the call is open for it.
func (s *Service) Submit(ctx context.Context, appID uuid.UUID) error {
	return s.update(ctx, appID, func(call *Call, a *Application, now time.Time) ([]event.Event, error) {
		if a.Status != Draft {
			return nil, fmt.Errorf("%w: %s cannot be submitted", ErrInvalidTransition, a.Status)
		}
		if !call.OpenFor(a, now) {
			return nil, ErrCallClosed
		}
		if err := call.CheckApplicantMax(a, a.Requested, "requested"); err != nil {
			return nil, err
		}
		a.SubmittedAt = now
		return s.status(a, EventSubmitted, Submitted, now, "")
	})
}

// ExpireDrafts expires the call's drafts whose closing moment (extensions
// included) has passed, and returns how many.
func (s *Service) ExpireDrafts(ctx context.Context, callID uuid.UUID) (int, error) {
	var due []uuid.UUID
	for a, err := range s.store.Applications(ctx, callID) {
		if err != nil {
			return 0, err
		}
		if a.Status == Draft {
			due = append(due, a.ID)
		}
	}
	n := 0
	for _, appID := range due {
		err := s.update(ctx, appID, func(call *Call, a *Application, now time.Time) ([]event.Event, error) {
			if a.Status != Draft || call.OpenFor(a, now) || now.Before(call.Opens) {
				return nil, errSkip
			}
			return s.status(a, EventExpired, Expired, now, "not submitted before the closing moment")
		})
		switch {
		case err == nil:
			n++
		case err != errSkip:
			return n, err
		}
	}
	return n, nil
}

var errSkip = fmt.Errorf("skip")

// CheckAdmissibility finds a submitted application admissible or not, with reasons.
func (s *Service) CheckAdmissibility(ctx context.Context, appID uuid.UUID) (reasons []string, err error) {
	err = s.update(ctx, appID, func(call *Call, a *Application, now time.Time) ([]event.Event, error) {
		reasons = Admissibility(call, a)
		a.Reasons = reasons
		if len(reasons) > 0 {
			return s.status(a, EventAdmissibilityChecked, Inadmissible, now, strings.Join(reasons, "; "))
		}
		return s.status(a, EventAdmissibilityChecked, Admissible, now, "")
	})
	return reasons, err
}

// StartAssessment hands an admissible application to the assessors.
func (s *Service) StartAssessment(ctx context.Context, appID uuid.UUID) error {
	return s.update(ctx, appID, func(_ *Call, a *Application, now time.Time) ([]event.Event, error) {
		return s.status(a, EventAssessmentStarted, UnderAssessment, now, "")
	})
}

// DeclareConflict records an assessor's conflict of interest; their scores
// on the application are removed and further scoring is blocked.
func (s *Service) DeclareConflict(ctx context.Context, appID uuid.UUID, assessor string) error {
	if strings.TrimSpace(assessor) == "" {
		return errs.Invalid("assessor", "required", "is required")
	}
	if rule, msg := validate.TextProblem(assessor); rule != "" {
		return errs.Invalid("assessor", rule, "%s", msg)
	}
	return s.update(ctx, appID, func(_ *Call, a *Application, now time.Time) ([]event.Event, error) {
		if !slices.Contains(a.Conflicts, assessor) {
			a.Conflicts = append(a.Conflicts, assessor)
		}
		a.Scores = slices.DeleteFunc(a.Scores, func(sc Score) bool { return sc.Assessor == assessor })
		return []event.Event{newEvent(EventConflictDeclared, a.ID, now, Change{CallID: a.CallID, ApplicationID: a.ID, Detail: assessor})}, nil
	})
}

// AddScore records an assessor's score on one criterion; a later score by
// the same assessor on the same criterion replaces the earlier one.
func (s *Service) AddScore(ctx context.Context, appID uuid.UUID, sc Score) error {
	sc.At = time.Time{} // the service stamps it
	if err := validate.Input(sc); err != nil {
		return err
	}
	return s.update(ctx, appID, func(call *Call, a *Application, now time.Time) ([]event.Event, error) {
		if err := call.CheckScore(sc, a.Conflicts); err != nil {
			return nil, err
		}
		if a.Status != UnderAssessment {
			return nil, fmt.Errorf("%w: %s is not under assessment", ErrInvalidTransition, a.Status)
		}
		sc.At = now
		a.Scores = slices.DeleteFunc(a.Scores, func(o Score) bool { return o.Assessor == sc.Assessor && o.Criterion == sc.Criterion })
		a.Scores = append(a.Scores, sc)
		return []event.Event{newEvent(EventScored, a.ID, now, Change{CallID: a.CallID, ApplicationID: a.ID, Detail: sc.Assessor + "/" + sc.Criterion})}, nil
	})
}

// Proposal ranks the call's applications under assessment and proposes an
// allocation of the budget not yet committed.
func (s *Service) Proposal(ctx context.Context, callID uuid.UUID) ([]Result, []Allocation, error) {
	call, err := s.store.Call(ctx, callID)
	if err != nil {
		return nil, nil, err
	}
	var cards []Scorecard
	for a, err := range s.store.Applications(ctx, callID) {
		if err != nil {
			return nil, nil, err
		}
		if a.Status == UnderAssessment {
			cards = append(cards, Scorecard{ApplicationID: a.ID, Requested: a.Requested, SubmittedAt: a.SubmittedAt, Scores: a.Scores})
		}
	}
	results := Rank(&call, cards)
	return results, Allocate(call.Available(), call.Partial, results), nil
}

// DecisionInput is the decision on an application: zero refuses, the
// requested amount grants, less grants partially.
type DecisionInput struct {
	Amount     decimal.Decimal `json:"amount"`
	Motivation string          `json:"motivation"`
	// Version, when not zero, is the version of the application the
	// decision was taken on (Application.Version as the clerk saw it): if
	// the application has changed since, the decision is refused with
	// ErrConflict and nothing changes.
	Version int `json:"version,omitempty"`
}

// Decide takes the decision and reserves the amount in the call's ledger.
// It fails with ErrInvalidTransition when the application is not under
// assessment (already decided, for one), and with ErrBudgetExceeded,
// nothing changed, when the budget is short.
func (s *Service) Decide(ctx context.Context, appID uuid.UUID, in DecisionInput) error {
	var c errs.Collector
	c.Merge("", validate.Input(in))
	euro(&c, "amount", in.Amount, false)
	if strings.TrimSpace(in.Motivation) == "" {
		c.Add("motivation", "required", "a decision must be motivated")
	}
	if err := c.Err(); err != nil {
		return err
	}
	return s.update(ctx, appID, func(call *Call, a *Application, now time.Time) ([]event.Event, error) {
		if err := a.CheckVersion(in.Version); err != nil {
			return nil, err
		}
		// the status first: a second decision is a wrong step, whatever
		// the budget or the applicant's maximum would say about its amount
		if a.Status != UnderAssessment {
			return nil, fmt.Errorf("%w: %s cannot be decided", ErrInvalidTransition, a.Status)
		}
		if in.Amount.GreaterThan(a.Requested) {
			return nil, errs.Invalid("amount", "ltefield", "is more than requested (%s)", a.Requested.StringFixed(2))
		}
		d := &Decision{Outcome: Granted, Amount: in.Amount, Motivation: in.Motivation, At: now}
		switch {
		case in.Amount.IsZero():
			d.Outcome = Refused
		case in.Amount.LessThan(a.Requested):
			d.Outcome = GrantedPartially
		}
		if d.Outcome != Refused {
			if in.Amount.GreaterThan(call.Available()) {
				return nil, fmt.Errorf("%w: %s available, %s asked", ErrBudgetExceeded, call.Available().StringFixed(2), in.Amount.StringFixed(2))
			}
			if err := call.CheckApplicantMax(a, in.Amount, "amount"); err != nil {
				return nil, err
			}
		}
		evs, err := s.status(a, EventDecided, Decided, now, string(d.Outcome))
		if err != nil {
			return nil, err
		}
		a.Decision = d
		if d.Outcome != Refused {
			a.Grant = NewGrant(call, in.Amount, now)
			call.Ledger.Reserved = call.Ledger.Reserved.Add(in.Amount)
			call.commit(a, in.Amount)
		}
		evs[0].Payload = Change{CallID: a.CallID, ApplicationID: a.ID, Status: Decided, Amount: in.Amount, Detail: string(d.Outcome)}
		return evs, nil
	})
}

// Withdraw withdraws an application ("verzaking"). After a grant, the
// unpaid part is released from the ledger, open payment orders are
// cancelled and what was paid becomes a recovery claim.
func (s *Service) Withdraw(ctx context.Context, appID uuid.UUID) error {
	return s.update(ctx, appID, func(call *Call, a *Application, now time.Time) ([]event.Event, error) {
		evs, err := s.status(a, EventWithdrawn, Withdrawn, now, "")
		if err != nil {
			return nil, err
		}
		if g := a.Grant; g != nil {
			for _, o := range g.Orders {
				if o.Status == OrderExported {
					return nil, fmt.Errorf("%w: payment order %s is with the bank; confirm it first", ErrInvalidTransition, o.ID)
				}
			}
			paid := g.Paid()
			g.Orders = slices.DeleteFunc(g.Orders, func(o PaymentOrder) bool { return o.Status == OrderOpen })
			release := g.Amount.Sub(paid)
			call.Ledger.Reserved = call.Ledger.Reserved.Sub(release)
			call.commit(a, release.Neg())
			g.Movements = append(g.Movements, Movement{Kind: "release", Amount: release, At: now, Reason: "withdrawn"})
			g.Amount = paid
			for i := range g.Tranches {
				g.Tranches[i].Due = false
			}
			if paid.Sub(g.settled()).IsPositive() {
				claim := RecoveryClaim{ID: id.New(), Amount: paid.Sub(g.settled()), CreatedAt: now}
				g.Claims = append(g.Claims, claim)
				evs = append(evs, newEvent(EventRecoveryClaimed, a.ID, now, Change{CallID: a.CallID, ApplicationID: a.ID, Amount: claim.Amount}))
			}
		}
		return evs, nil
	})
}

// settled is what was already paid back on earlier claims.
func (g *Grant) settled() decimal.Decimal {
	d := decimal.Zero
	for _, c := range g.Claims {
		d = d.Add(c.Amount)
	}
	return d
}
