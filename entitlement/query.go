package entitlement

import (
	"context"
	"iter"

	"github.com/google/uuid"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// The reads a front office needs ("Mijn rechten", a clerk's screen); each
// goes through an index of the store, none through a scan.
//
// A subject ID or benefit that is not text (invalid UTF-8, a control
// character, longer than validate.MaxText) is refused at this door with a
// *ValidationError naming "subject_id" or "benefit", before any store sees
// it: no such key can exist, and every store then gives the same answer
// (PostgreSQL would otherwise refuse the bytes with an error of its own
// while the memory store reports not found).

// Get returns a grant, or ErrNotFound.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*Grant, error) {
	return s.store.Get(ctx, id)
}

// Current returns the subject's current grant for the benefit (active or
// ending), or ErrNotFound; a key that is not text is a *ValidationError.
func (s *Service) Current(ctx context.Context, subjectID, benefit string) (*Grant, error) {
	if err := checkKeys("subject_id", subjectID, "benefit", benefit); err != nil {
		return nil, err
	}
	return s.store.Current(ctx, subjectID, benefit)
}

// Grants streams every grant a subject was ever given, current or not,
// oldest first; a subject ID that is not text yields one *ValidationError.
func (s *Service) Grants(ctx context.Context, subjectID string) iter.Seq2[Grant, error] {
	if err := checkKeys("subject_id", subjectID); err != nil {
		return failed[Grant](err)
	}
	return s.store.Grants(ctx, subjectID)
}

// GrantSummaries is Grants for a list ("Mijn dossiers"): the same grants,
// each without its Reason (nil), the explanation of its decision, which is
// most of a grant's size and which a list does not show. Get reads a grant
// whole.
func (s *Service) GrantSummaries(ctx context.Context, subjectID string) iter.Seq2[Grant, error] {
	if err := checkKeys("subject_id", subjectID); err != nil {
		return failed[Grant](err)
	}
	return s.store.GrantSummaries(ctx, subjectID)
}

// Held streams the current grants for a benefit, by subject ID: who holds
// the right now. A benefit that is not text yields one *ValidationError.
func (s *Service) Held(ctx context.Context, benefit string) iter.Seq2[Grant, error] {
	if err := checkKeys("benefit", benefit); err != nil {
		return failed[Grant](err)
	}
	return s.store.Held(ctx, benefit)
}

// OptOutOf returns the subject's refusal of the benefit ("afstand"), or
// ErrNotFound when they did not refuse it; a key that is not text is a
// *ValidationError.
func (s *Service) OptOutOf(ctx context.Context, subjectID, benefit string) (*OptOut, error) {
	if err := checkKeys("subject_id", subjectID, "benefit", benefit); err != nil {
		return nil, err
	}
	return s.store.OptOutOf(ctx, subjectID, benefit)
}

// Audit streams who or what decided what about a subject ("audittrail"),
// oldest first; a subject ID that is not text yields one *ValidationError.
func (s *Service) Audit(ctx context.Context, subjectID string) iter.Seq2[AuditEntry, error] {
	if err := checkKeys("subject_id", subjectID); err != nil {
		return failed[AuditEntry](err)
	}
	return s.store.Audit(ctx, subjectID)
}

// checkKeys checks name/value pairs of look-up keys with validate.TextProblem.
func checkKeys(pairs ...string) error {
	var c errs.Collector
	for i := 0; i+1 < len(pairs); i += 2 {
		validate.CheckText(&c, pairs[i], pairs[i+1])
	}
	return c.Err()
}

// failed is a sequence that yields err once.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
