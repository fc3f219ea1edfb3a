package permit

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Event types, one for every step of the lifecycle.
const (
	EventDrafted        = "permit.drafted"
	EventModified       = "permit.modified"
	EventSubmitted      = "permit.submitted"
	EventIncomplete     = "permit.incomplete"
	EventResubmitted    = "permit.resubmitted"
	EventAdviceRequired = "permit.advice_requested"
	EventAdviceGiven    = "permit.advice_given"
	EventAdviceOverdue  = "permit.advice_overdue"
	EventGranted        = "permit.granted"
	EventRefused        = "permit.refused"
	EventWithdrawn      = "permit.withdrawn"
	EventActivated      = "permit.activated"
	EventEnded          = "permit.ended"
	EventConflictRated  = "permit.conflict_rated"
)

// ErrBlockingConflict is returned when a permit cannot be granted because
// a blocking conflict is not accepted by both parties. It wraps ErrConflict.
var ErrBlockingConflict = fmt.Errorf("%w: blocking conflict not accepted", ErrConflict)

// Config wires a Service.
type Config struct {
	Store     Store
	Clock     clock.Clock        // default clock.Real
	Calendar  *calendar.Calendar // working days; default calendar.Flanders()
	Catalogue Catalogue          // default DefaultCatalogue()
	// Buffer is the distance in metres within which occupations conflict
	// (default 10 m).
	Buffer float64
	Policy Policy // default DefaultPolicy
	// AdviceDays is the advice term in working days (default 10).
	AdviceDays int
	// Territory is the municipality's territory ("grondgebied"), loaded
	// once with ParseTerritory. When set, every location must lie wholly
	// on it; when nil, anywhere in Belgium is accepted.
	Territory *Territory
}

// Service runs the use cases of the permit process.
type Service struct {
	cfg Config
}

// NewService returns a service with the defaults filled in.
func NewService(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Calendar == nil {
		cfg.Calendar = calendar.Flanders()
	}
	if cfg.Catalogue == nil {
		cfg.Catalogue = DefaultCatalogue()
	}
	if cfg.Buffer == 0 {
		cfg.Buffer = 10
	}
	if cfg.Policy == nil {
		cfg.Policy = DefaultPolicy
	}
	if cfg.AdviceDays == 0 {
		cfg.AdviceDays = 10
	}
	return &Service{cfg: cfg}
}

// ApplicationInput is what an applicant fills in.
type ApplicationInput struct {
	Type      string    `json:"type" validate:"required"`
	Applicant Applicant `json:"applicant"`
	// Location is a GeoJSON geometry in the reference system CRS.
	Location      json.RawMessage `json:"location"`
	CRS           CRS             `json:"crs"`
	Address       pii.Address     `json:"address"`
	Periods       []Period        `json:"periods"`
	Schedules     []Schedule      `json:"schedules"`
	Description   string          `json:"description" validate:"required,max=2000"`
	Attachments   []Attachment    `json:"attachments" validate:"dive"`
	ParkingPlaces int             `json:"parking_places" validate:"gte=0,lte=100"`
	Exemption     Exemption       `json:"exemption"`
	// IdempotencyKey makes Draft safe to retry (after a timeout, a crash,
	// a double click): a second Draft with the key returns the first
	// application, with no second event, when the input is the same, and
	// ErrConflict when it differs. Empty means every Draft creates one.
	// Modify ignores it.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
}

// checked validates the input against the type's rules and returns the
// occupation facts derived from it.
func (s *Service) checked(in ApplicationInput) (Application, OccupationType, error) {
	var c errs.Collector
	c.Merge("", validate.Struct(in))
	idem.CheckKey(&c, "idempotency_key", in.IdempotencyKey)
	typ, err := s.cfg.Catalogue.Lookup(in.Type)
	c.Merge("", err)
	var a Application
	if len(in.Location) == 0 {
		c.Add("location", "required", "is required")
	} else if g, err := parseGeometry(in.Location, in.CRS, "location"); err != nil {
		c.Merge("", err)
	} else if err := s.onTerritory(g); err != nil {
		c.Merge("", err)
	} else {
		a.Location, a.Area, a.Length = g, g.Area(), g.Length()
	}
	if len(in.Periods)+len(in.Schedules) == 0 {
		c.Add("periods", "required", "give at least one period or schedule")
	}
	for i, p := range in.Periods {
		c.Merge(fmt.Sprintf("periods[%d]", i), p.Validate())
	}
	for i, sc := range in.Schedules {
		c.Merge(fmt.Sprintf("schedules[%d]", i), sc.Validate())
	}
	if err := c.Err(); err != nil {
		return Application{}, typ, err
	}
	if err := occurrenceLimits(in.Periods, in.Schedules); err != nil {
		return Application{}, typ, err
	}
	a.Type, a.Applicant, a.Address, a.Description = in.Type, in.Applicant, in.Address, in.Description
	a.Periods, a.Schedules, a.Attachments = in.Periods, in.Schedules, in.Attachments
	a.ParkingPlaces, a.Exemption, a.Signage = in.ParkingPlaces, in.Exemption, typ.Signage
	occ := a.Occurrences()
	if len(occ) == 0 {
		c.Add("schedules", "empty", "the schedules yield no occurrence")
		return Application{}, typ, c.Err()
	}
	if span := Span(occ); typ.MaxDuration > 0 && span.Duration() > typ.MaxDuration {
		c.Add("periods", "max", "a %s may last at most %d days; this one spans %.1f", typ.Name, typ.MaxDuration/day, span.Duration().Hours()/24)
	}
	if len(typ.Tariffs) > 0 {
		fee, err := ComputeFee(typ.Tariffs, FeeInput{Area: a.Area, Length: a.Length, Dates: OccupiedDates(occ), Exemption: a.Exemption})
		c.Merge("", err)
		a.Fee = fee
	}
	return a, typ, c.Err()
}

// leadTime checks that the occupation starts late enough after today for
// the municipality to handle it.
func (s *Service) leadTime(a *Application, typ OccupationType) error {
	now := s.cfg.Clock.Now()
	earliest := s.cfg.Calendar.AddWorkingDays(calendar.DateIn(now), typ.LeadTime)
	if start := calendar.DateIn(a.Span().Start); start.Before(earliest) {
		return &ValidationError{Fields: []errs.FieldError{{Field: "periods", Rule: "lead_time", Param: fmt.Sprint(typ.LeadTime),
			Message: fmt.Sprintf("a %s must be applied for %d working days ahead: start on %s or later", typ.Name, typ.LeadTime, earliest)}}}
	}
	return nil
}

// onTerritory refuses a location outside the municipality's territory:
// its permit would not be valid there. The Belgium box in ParseGeometry has
// already turned away the gross mistakes.
func (s *Service) onTerritory(g Geometry) error {
	if s.cfg.Territory == nil || s.cfg.Territory.Contains(g) {
		return nil
	}
	return errs.Invalid("location", "territory", "lies (partly) outside the municipality's territory; a permit is only valid on the territory of the municipality that grants it")
}

func (s *Service) event(typ string, a *Application, payload any) event.Event {
	return event.Event{ID: id.New(), Type: typ, AggregateID: a.ID, Time: s.cfg.Clock.Now(), Payload: payload}
}

// textList refuses free text that no store should keep (see
// validate.TextProblem), naming each item by its place in the list.
func textList(field string, texts []string) error {
	var c errs.Collector
	for i, t := range texts {
		validate.CheckText(&c, fmt.Sprintf("%s[%d]", field, i), t)
	}
	return c.Err()
}

// StatusChange is the payload of lifecycle events.
type StatusChange struct {
	From   Status   `json:"from"`
	To     Status   `json:"to"`
	Reason []string `json:"reason,omitempty"`
}

// Draft creates a new application in draft. With an idempotency key it is
// safe to retry (see ApplicationInput.IdempotencyKey).
func (s *Service) Draft(ctx context.Context, in ApplicationInput) (*Application, error) {
	a, _, err := s.checked(in)
	if err != nil {
		return nil, err
	}
	if in.IdempotencyKey != "" {
		a.IdempotencyKey = in.IdempotencyKey
		in.IdempotencyKey = ""
		a.RequestDigest = idem.Digest(in)
	}
	now := s.cfg.Clock.Now()
	a.ID, a.Status, a.Revision, a.CreatedAt, a.UpdatedAt = id.New(), StatusDraft, 1, now, now
	err = s.cfg.Store.Create(ctx, &a, []event.Event{s.event(EventDrafted, &a, StatusChange{To: StatusDraft})})
	if held, dup := idem.Existing(err); dup {
		prev, err := s.cfg.Store.Get(ctx, held)
		if err != nil {
			return nil, err
		}
		if err := idem.Same(a.IdempotencyKey, prev.RequestDigest, a.RequestDigest); err != nil {
			return nil, err
		}
		return prev, nil
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// transition loads, checks the action, applies change and saves.
func (s *Service) transition(ctx context.Context, appID uuid.UUID, act Action, change func(a *Application, now time.Time) ([]event.Event, error)) (*Application, error) {
	return s.cfg.Store.Update(ctx, appID, func(a *Application) (Change, error) {
		if err := CanDo(a, act); err != nil {
			return Change{}, err
		}
		now := s.cfg.Clock.Now()
		evs, err := change(a, now)
		if err != nil {
			return Change{}, err
		}
		a.UpdatedAt = now
		return Change{Events: evs}, nil
	})
}

// Modify changes an application. A change after submission sends it back
// to "submitted" for a new assessment (advice and decision start over), and
// any change to where or when makes earlier conflict ratings "to re-rate".
func (s *Service) Modify(ctx context.Context, appID uuid.UUID, in ApplicationInput) (*Application, error) {
	n, typ, err := s.checked(in)
	if err != nil {
		return nil, err
	}
	return s.transition(ctx, appID, ActModify, func(a *Application, now time.Time) ([]event.Event, error) {
		if err := beforeStart(a, ActModify, now); err != nil {
			return nil, err
		}
		if a.Type != n.Type {
			return nil, errs.Invalid("type", "immutable", "the occupation type cannot change; withdraw and apply again")
		}
		from := a.Status
		if from != StatusDraft && from != StatusIncomplete {
			if err := s.leadTime(&n, typ); err != nil {
				return nil, err
			}
		}
		moved := !slices.EqualFunc(a.Occurrences(), n.Occurrences(), samePeriod) || !geometryEqual(a.Location, n.Location)
		n.ID, n.Version, n.Revision, n.CreatedAt, n.SubmittedAt = a.ID, a.Version, a.Revision, a.CreatedAt, a.SubmittedAt
		n.IdempotencyKey, n.RequestDigest = a.IdempotencyKey, a.RequestDigest // they belong to the create
		n.Status = from
		if from == StatusInAdvice || from == StatusGranted {
			n.Status = StatusSubmitted
		}
		if moved {
			n.Revision++
		}
		*a = n
		return []event.Event{s.event(EventModified, a, StatusChange{From: from, To: a.Status})}, nil
	})
}

// samePeriod compares instants, not representations: a stored period
// comes back in another *time.Location.
func samePeriod(p, q Period) bool { return p.Start.Equal(q.Start) && p.End.Equal(q.End) }

func geometryEqual(a, b Geometry) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// Submit hands a draft in, checking the lead time and the required attachments.
func (s *Service) Submit(ctx context.Context, appID uuid.UUID) (*Application, error) {
	return s.transition(ctx, appID, ActSubmit, func(a *Application, now time.Time) ([]event.Event, error) {
		typ, err := s.cfg.Catalogue.Lookup(a.Type)
		if err != nil {
			return nil, err
		}
		var c errs.Collector
		// A draft may predate the territory's configuration.
		c.Merge("", s.onTerritory(a.Location))
		c.Merge("", s.leadTime(a, typ))
		for _, kind := range typ.Attachments {
			if !slices.ContainsFunc(a.Attachments, func(at Attachment) bool { return at.Kind == kind }) {
				c.Add("attachments", "required", "a %s needs an attachment of kind %q", typ.Name, kind)
			}
		}
		if err := c.Err(); err != nil {
			return nil, err
		}
		a.Status, a.SubmittedAt = StatusSubmitted, now
		return []event.Event{s.event(EventSubmitted, a, StatusChange{From: StatusDraft, To: StatusSubmitted})}, nil
	})
}

// RequestCompletion sends the application back to the applicant with
// what is missing ("onvolledig").
func (s *Service) RequestCompletion(ctx context.Context, appID uuid.UUID, missing []string) (*Application, error) {
	if len(missing) == 0 {
		return nil, errs.Invalid("missing", "required", "say what is missing")
	}
	if err := textList("missing", missing); err != nil {
		return nil, err
	}
	return s.transition(ctx, appID, ActRequestInfo, func(a *Application, _ time.Time) ([]event.Event, error) {
		from := a.Status
		a.Status, a.Missing, a.Advice = StatusIncomplete, missing, nil
		return []event.Event{s.event(EventIncomplete, a, StatusChange{From: from, To: StatusIncomplete, Reason: missing})}, nil
	})
}

// Resubmit hands a completed application in again.
func (s *Service) Resubmit(ctx context.Context, appID uuid.UUID) (*Application, error) {
	return s.transition(ctx, appID, ActResubmit, func(a *Application, now time.Time) ([]event.Event, error) {
		typ, err := s.cfg.Catalogue.Lookup(a.Type)
		if err != nil {
			return nil, err
		}
		var c errs.Collector
		c.Merge("", s.onTerritory(a.Location))
		c.Merge("", s.leadTime(a, typ))
		if err := c.Err(); err != nil {
			return nil, err
		}
		a.Status, a.Missing, a.SubmittedAt = StatusSubmitted, nil, now
		return []event.Event{s.event(EventResubmitted, a, StatusChange{From: StatusIncomplete, To: StatusSubmitted})}, nil
	})
}

// StartAdvice asks the type's departments for advice, each due within
// the advice term in working days.
func (s *Service) StartAdvice(ctx context.Context, appID uuid.UUID) (*Application, error) {
	return s.transition(ctx, appID, ActStartAdvice, func(a *Application, now time.Time) ([]event.Event, error) {
		typ, err := s.cfg.Catalogue.Lookup(a.Type)
		if err != nil {
			return nil, err
		}
		if len(typ.Advisors) == 0 {
			return nil, fmt.Errorf("%w: a %s needs no advice", ErrInvalidTransition, typ.Name)
		}
		due := s.cfg.Calendar.AddWorkingDaysAt(now, s.cfg.AdviceDays)
		a.Advice = nil
		for _, d := range typ.Advisors {
			a.Advice = append(a.Advice, Advice{Department: d, Requested: now, Due: due})
		}
		a.Status = StatusInAdvice
		return []event.Event{s.event(EventAdviceRequired, a, a.Advice)}, nil
	})
}

// AdviceInput is a department's answer.
type AdviceInput struct {
	Department Department `json:"department" validate:"required"`
	Opinion    Opinion    `json:"opinion" validate:"required,oneof=favourable favourable_with_conditions unfavourable"`
	Conditions []string   `json:"conditions"`
	Remarks    string     `json:"remarks" validate:"max=2000"`
}

// GiveAdvice records a department's advice.
func (s *Service) GiveAdvice(ctx context.Context, appID uuid.UUID, in AdviceInput) (*Application, error) {
	if err := validate.Struct(in); err != nil {
		return nil, err
	}
	if in.Opinion == FavourableWithConditions && len(in.Conditions) == 0 {
		return nil, errs.Invalid("conditions", "required", "favourable with conditions needs the conditions")
	}
	return s.transition(ctx, appID, ActGiveAdvice, func(a *Application, now time.Time) ([]event.Event, error) {
		i := slices.IndexFunc(a.Advice, func(ad Advice) bool { return ad.Department == in.Department })
		if i < 0 {
			return nil, errs.Invalid("department", "requested", "%s was not asked for advice", in.Department)
		}
		if a.Advice[i].Opinion != "" {
			return nil, fmt.Errorf("%w: %s already gave advice", ErrInvalidTransition, in.Department)
		}
		a.Advice[i].Opinion, a.Advice[i].Conditions, a.Advice[i].Remarks, a.Advice[i].GivenAt = in.Opinion, in.Conditions, in.Remarks, now
		return []event.Event{s.event(EventAdviceGiven, a, a.Advice[i])}, nil
	})
}

// RemindOverdue emits a reminder for every advice past its due time that
// was not reminded yet, and returns how many it sent.
func (s *Service) RemindOverdue(ctx context.Context) (int, error) {
	sent := 0
	for a, err := range s.cfg.Store.List(ctx, StatusInAdvice) {
		if err != nil {
			return sent, err
		}
		if !slices.ContainsFunc(a.Advice, func(ad Advice) bool { return ad.Overdue(s.cfg.Clock.Now()) && ad.RemindedAt.IsZero() }) {
			continue
		}
		n := 0
		_, err := s.transition(ctx, a.ID, ActRemindOverdue, func(a *Application, now time.Time) ([]event.Event, error) {
			var evs []event.Event
			n = 0
			for i := range a.Advice {
				if ad := &a.Advice[i]; ad.Overdue(now) && ad.RemindedAt.IsZero() {
					ad.RemindedAt = now
					evs = append(evs, s.event(EventAdviceOverdue, a, *ad))
					n++
				}
			}
			return evs, nil
		})
		if err != nil && !isAny(err, ErrConflict, ErrInvalidTransition) {
			return sent, err
		}
		if err == nil {
			sent += n
		}
	}
	return sent, nil
}

// Grant decides favourably, with conditions. All advice must be in (or
// overdue), and no blocking conflict may stand unaccepted.
func (s *Service) Grant(ctx context.Context, appID uuid.UUID, conditions []string) (*Application, error) {
	if err := textList("conditions", conditions); err != nil {
		return nil, err
	}
	return s.transition(ctx, appID, ActGrant, func(a *Application, now time.Time) ([]event.Event, error) {
		if !adviceComplete(a, now) {
			return nil, fmt.Errorf("%w: advice is still pending", ErrInvalidTransition)
		}
		conflicts, err := s.conflicts(ctx, a)
		if err != nil {
			return nil, err
		}
		for _, c := range conflicts {
			if c.Severity == Block && !(c.Ratings[a.ID] == Accepted && c.Ratings[c.With] == Accepted) {
				return nil, fmt.Errorf("%w: with %s %q (%.0f m)", ErrBlockingConflict, c.WithKind, c.WithLabel, c.Distance)
			}
		}
		for _, ad := range a.Advice {
			conditions = append(conditions, ad.Conditions...)
		}
		a.Status, a.Conditions, a.DecidedAt = StatusGranted, conditions, now
		return []event.Event{s.event(EventGranted, a, StatusChange{To: StatusGranted, Reason: conditions})}, nil
	})
}

// Refuse decides unfavourably; the reasons are required.
func (s *Service) Refuse(ctx context.Context, appID uuid.UUID, reasons []string) (*Application, error) {
	if len(reasons) == 0 {
		return nil, errs.Invalid("reasons", "required", "a refusal must give its reasons")
	}
	if err := textList("reasons", reasons); err != nil {
		return nil, err
	}
	return s.transition(ctx, appID, ActRefuse, func(a *Application, now time.Time) ([]event.Event, error) {
		from := a.Status
		a.Status, a.Reasons, a.DecidedAt = StatusRefused, reasons, now
		return []event.Event{s.event(EventRefused, a, StatusChange{From: from, To: StatusRefused, Reason: reasons})}, nil
	})
}

// Withdraw lets the applicant withdraw, until the occupation starts.
func (s *Service) Withdraw(ctx context.Context, appID uuid.UUID) (*Application, error) {
	return s.transition(ctx, appID, ActWithdraw, func(a *Application, now time.Time) ([]event.Event, error) {
		if err := beforeStart(a, ActWithdraw, now); err != nil {
			return nil, err
		}
		from := a.Status
		a.Status = StatusWithdrawn
		return []event.Event{s.event(EventWithdrawn, a, StatusChange{From: from, To: StatusWithdrawn})}, nil
	})
}

// Tick activates granted permits whose occupation started and ends active
// ones whose occupation is over. Run it from a scheduler.
func (s *Service) Tick(ctx context.Context) (int, error) {
	changed := 0
	for a, err := range s.cfg.Store.List(ctx, StatusGranted, StatusActive) {
		if err != nil {
			return changed, err
		}
		now := s.cfg.Clock.Now()
		span := a.Span()
		var act Action
		switch {
		case a.Status == StatusGranted && !now.Before(span.Start):
			act = ActActivate // and on to ended below if it is already over
		case a.Status == StatusActive && !now.Before(span.End):
			act = ActEnd
		default:
			continue
		}
		_, err := s.transition(ctx, a.ID, act, func(a *Application, now time.Time) ([]event.Event, error) {
			from := a.Status
			var evs []event.Event
			if a.Status == StatusGranted {
				a.Status = StatusActive
				evs = append(evs, s.event(EventActivated, a, StatusChange{From: from, To: StatusActive}))
			}
			if !now.Before(a.Span().End) {
				evs = append(evs, s.event(EventEnded, a, StatusChange{From: StatusActive, To: StatusEnded}))
				a.Status = StatusEnded
			}
			return evs, nil
		})
		if err != nil && !isAny(err, ErrConflict, ErrInvalidTransition) {
			return changed, err
		}
		if err == nil {
			changed++
		}
	}
	return changed, nil
}

// Get returns an application.
func (s *Service) Get(ctx context.Context, appID uuid.UUID) (*Application, error) {
	return s.cfg.Store.Get(ctx, appID)
}

// List yields the applications in the given statuses (all when none are
// given), ordered by ID: a clerk's worklist ("werklijst").
func (s *Service) List(ctx context.Context, statuses ...Status) iter.Seq2[*Application, error] {
	return s.cfg.Store.List(ctx, statuses...)
}

// ByApplicant yields the applications of the applicants, newest first
// ("mijn aanvragen"): give the ID of the person who logged in
// (PersonApplicant) and that of each enterprise they act for
// (EnterpriseApplicant). Empty IDs are ignored; with none, it yields
// nothing.
func (s *Service) ByApplicant(ctx context.Context, ids ...ApplicantID) iter.Seq2[*Application, error] {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id ApplicantID) bool { return id == "" })
	if len(ids) == 0 {
		return func(func(*Application, error) bool) {}
	}
	return s.cfg.Store.ByApplicant(ctx, ids)
}

// SummariesByApplicant is ByApplicant for a list ("Mijn dossiers"): the
// same applications, each as its Application.Summary (no geometry,
// description, attachments or advice), which a store reads and decodes at
// a fraction of the cost. Get reads an application whole.
func (s *Service) SummariesByApplicant(ctx context.Context, ids ...ApplicantID) iter.Seq2[*Application, error] {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id ApplicantID) bool { return id == "" })
	if len(ids) == 0 {
		return func(func(*Application, error) bool) {}
	}
	return s.cfg.Store.SummariesByApplicant(ctx, ids)
}

// Signage returns the sign placing and removal schedule of an application.
func (s *Service) Signage(ctx context.Context, appID uuid.UUID) ([]SignageTask, error) {
	a, err := s.cfg.Store.Get(ctx, appID)
	if err != nil {
		return nil, err
	}
	typ, err := s.cfg.Catalogue.Lookup(a.Type)
	if err != nil {
		return nil, err
	}
	return SignageSchedule(a, typ.SignageDaysBefore), nil
}
