package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/idem"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// Service holds the use cases: preferences, rules, submitting documents,
// status callbacks and evidence export.
type Service struct {
	store Store
	clock clock.Clock
	log   *slog.Logger
}

// NewService returns a service over store. A nil logger discards.
func NewService(store Store, c clock.Clock, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, clock: c, log: log}
}

// ChangePreference is the one door for preference changes: fn edits a copy
// of the latest version (or an empty one for a new party), which is
// validated and stored as a new version attributed to by.
func (s *Service) ChangePreference(ctx context.Context, party Party, by string, fn func(*Preference) error) (Preference, error) {
	if err := party.Validate(); err != nil {
		return Preference{}, err
	}
	if by == "" {
		return Preference{}, errs.Invalid("changed_by", "required", "say who makes the change")
	}
	if rule, msg := validate.TextProblem(by); rule != "" {
		return Preference{}, errs.Invalid("changed_by", rule, "%s", msg)
	}
	// Rules are read outside the store's update, which may hold a lock or a
	// transaction; a category first seen inside is loaded and the update
	// retried.
	rules := map[Category]*Rule{}
	for {
		var out Preference
		var missing []Category
		err := s.store.UpdatePreference(ctx, party, func(p *Preference, exists bool) ([]event.Event, error) {
			if !exists {
				p.Party = party
			}
			if err := fn(p); err != nil {
				return nil, err
			}
			p.Party = party
			if err := p.Validate(); err != nil {
				return nil, err
			}
			for cat, ch := range p.Overrides {
				r, seen := rules[cat]
				if !seen {
					missing = append(missing, cat)
					continue
				}
				if r != nil && !r.Allows(ch) {
					return nil, fmt.Errorf("%w: %w", ErrChannelNotAllowed,
						errs.Invalid("overrides."+string(cat), "allowed", "channel %q is not allowed for category %q", ch, cat))
				}
			}
			if len(missing) > 0 {
				return nil, errRetry
			}
			p.Version++
			p.ChangedAt = s.clock.Now()
			p.ChangedBy = by
			out = p.clone()
			return []event.Event{{ID: id.New(), Type: "delivery.preference_changed", Time: p.ChangedAt,
				Payload: map[string]any{"version": p.Version, "preferred": p.Preferred}}}, nil
		})
		if !errors.Is(err, errRetry) {
			return out, err
		}
		for _, cat := range missing {
			r, err := s.store.Rule(ctx, cat)
			switch {
			case err == nil:
				rules[cat] = &r
			case errors.Is(err, ErrNotFound):
				rules[cat] = nil
			default:
				return Preference{}, err
			}
		}
	}
}

var errRetry = errors.New("delivery: retry with rules loaded")

// PutRule stores a new version of a category's rule and returns it.
func (s *Service) PutRule(ctx context.Context, r Rule) (Rule, error) {
	if err := r.Validate(); err != nil {
		return Rule{}, err
	}
	prev, err := s.store.Rule(ctx, r.Category)
	switch {
	case err == nil:
		r.Version = prev.Version + 1
	case errors.Is(err, ErrNotFound):
		r.Version = 1
	default:
		return Rule{}, err
	}
	return r, s.store.PutRule(ctx, r)
}

// Submit routes a document and puts it in the queue. The document ID is
// the idempotency key: submitting the same document again (same ID, same
// fields) returns the stored delivery and stores and emits nothing; another
// document under that ID is ErrConflict. A document no channel fits is
// stored with outcome "no_channel" and returned without error: the decision
// is the record a clerk acts on.
func (s *Service) Submit(ctx context.Context, doc Document) (Delivery, error) {
	if err := doc.Party.Validate(); err != nil {
		return Delivery{}, err
	}
	rule, err := s.store.Rule(ctx, doc.Category)
	if errors.Is(err, ErrNotFound) {
		return Delivery{}, errs.Invalid("category", "rule", "no rule for category %q", doc.Category)
	} else if err != nil {
		return Delivery{}, err
	}
	if err := ValidateDocument(doc, rule); err != nil {
		return Delivery{}, err
	}
	pref, err := s.store.Preference(ctx, doc.Party)
	if errors.Is(err, ErrNotFound) {
		pref = Preference{Party: doc.Party}
	} else if err != nil {
		return Delivery{}, err
	}
	now := s.clock.Now()
	d, c := NewDelivery(doc, pref, rule, now)
	err = s.store.Enqueue(ctx, d, c)
	if held, dup := idem.Existing(err); dup {
		prev, err := s.store.Get(ctx, held)
		if err != nil {
			return Delivery{}, err
		}
		if err := idem.Same(doc.ID.String(), idem.Digest(prev.Document), idem.Digest(doc)); err != nil {
			return Delivery{}, err
		}
		s.log.InfoContext(ctx, "delivery: duplicate submit ignored", "document", doc.ID)
		return *prev, nil
	}
	if err != nil {
		return Delivery{}, err
	}
	d.Version = 1 // as ApplyCreate set it in the store
	return d, nil
}

// NewDelivery routes a document and builds its delivery and first evidence.
// It is pure; Submit stores the result.
func NewDelivery(doc Document, pref Preference, rule Rule, now time.Time) (Delivery, Change) {
	dec := Route(pref, rule, now)
	d := Delivery{ID: doc.ID, Document: doc, ContentSHA256: doc.ContentSHA256(), Rule: rule, Decision: dec,
		Recipient: Recipient{Party: doc.Party, Name: doc.Name, Email: pref.Email, Address: pref.Address},
		State:     StateActive, CreatedAt: now}
	c := Change{Evidence: make([]Evidence, 0, 1), Events: make([]event.Event, 0, 1)}
	detail := "rule v" + strconv.Itoa(rule.Version) + ", preference v" + strconv.Itoa(pref.Version)
	if dec.Consent != nil {
		detail += ", consent " + dec.Consent.Source + " " + dec.Consent.At.UTC().Format(time.RFC3339)
	}
	if dec.Outcome == OutcomeNoChannel {
		d.State = StateNoChannel
		for _, r := range dec.Rejected {
			detail += "; " + string(r.Channel) + ": " + r.Reason
		}
		d.record(&c, Evidence{At: now, Kind: EvidenceNoChannel, ContentSHA256: d.ContentSHA256, Recipient: doc.Party.String(), Detail: detail})
		d.emit(&c, EventNoChannel, now, "", "")
		return d, c
	}
	d.startAttempt(&c, EvidenceRouted, dec.Channel, now, detail)
	return d, c
}

// StatusUpdate is a status reported by a channel (a callback).
type StatusUpdate struct {
	Key    string    `json:"key"`
	Status Status    `json:"status"`
	At     time.Time `json:"at"`
}

// HandleStatus applies a status callback. An unknown message gives
// ErrUnknownMessage, a status that would go backwards ErrOutOfOrder; a
// repeat of the current status is ignored. Logs name the document and
// channel only, never the recipient.
func (s *Service) HandleStatus(ctx context.Context, u StatusUpdate) error {
	doc, ch, ok := ParseIdempotencyKey(u.Key)
	if !ok {
		s.log.WarnContext(ctx, "delivery: status for unknown message key")
		return ErrUnknownMessage
	}
	if !u.Status.Valid() || u.Status == StatusQueued {
		return errs.Invalid("status", "oneof", "unknown status %q", u.Status)
	}
	if u.At.IsZero() {
		u.At = s.clock.Now()
	}
	if err := validate.Input(u); err != nil {
		return err
	}
	ignored := false
	_, err := s.store.Update(ctx, doc, func(d *Delivery) (Change, error) {
		var c Change
		var err error
		ignored, err = d.applyStatus(&c, u.Key, u.Status, u.At, s.clock.Now())
		return c, err
	})
	switch {
	case errors.Is(err, ErrNotFound) && !errors.Is(err, ErrUnknownMessage):
		err = fmt.Errorf("%w: %w", ErrUnknownMessage, err)
		fallthrough
	case err != nil:
		s.log.WarnContext(ctx, "delivery: status callback refused", "document", doc, "channel", ch, "status", u.Status, "error", err)
	case ignored:
		s.log.InfoContext(ctx, "delivery: duplicate status ignored", "document", doc, "channel", ch, "status", u.Status)
	}
	return err
}

// Delivery returns a delivery by document ID.
func (s *Service) Delivery(ctx context.Context, id uuid.UUID) (Delivery, error) {
	d, err := s.store.Get(ctx, id)
	if err != nil {
		return Delivery{}, err
	}
	return *d, nil
}

// Documents lists the deliveries of the query's parties ("mijn post"), or
// of everyone for a clerk, newest first, one page at a time.
func (s *Service) Documents(ctx context.Context, q Query) (Page, error) {
	if err := q.Validate(); err != nil {
		return Page{}, err
	}
	return s.store.List(ctx, q)
}

// Summaries is Documents for a list ("mijn post", a clerk's queue): the
// same page, each delivery as its Delivery.Summary (the document without
// its body and attachments, the state and attempts, not the rule, routing
// decision or contact), which a store can read and decode at a fraction
// of the cost. Delivery opens one document whole.
func (s *Service) Summaries(ctx context.Context, q Query) (Page, error) {
	if err := q.Validate(); err != nil {
		return Page{}, err
	}
	return s.store.Summaries(ctx, q)
}

// Preference returns the party's current preference ("voorkeur"), or
// ErrNotFound when they never chose.
func (s *Service) Preference(ctx context.Context, party Party) (Preference, error) {
	if err := party.Validate(); err != nil {
		return Preference{}, err
	}
	return s.store.Preference(ctx, party)
}

// PreferenceHistory returns every version of the party's preference,
// oldest first.
func (s *Service) PreferenceHistory(ctx context.Context, party Party) ([]Preference, error) {
	if err := party.Validate(); err != nil {
		return nil, err
	}
	return s.store.PreferenceHistory(ctx, party)
}

// Rule returns the current rule ("verzendregel") of a category, or
// ErrNotFound.
func (s *Service) Rule(ctx context.Context, c Category) (Rule, error) {
	return s.store.Rule(ctx, c)
}

// ExportEvidence returns the verified evidence dossier of a document as JSON.
func (s *Service) ExportEvidence(ctx context.Context, id uuid.UUID) ([]byte, error) {
	ev, err := s.store.Evidence(ctx, id)
	if err != nil {
		return nil, err
	}
	return ExportEvidence(id, ev, s.clock.Now())
}
