package entitlement

import (
	"context"
	"iter"

	"github.com/google/uuid"
)

// The reads a front office needs ("Mijn rechten", a clerk's screen); each
// goes through an index of the store, none through a scan.

// Get returns a grant, or ErrNotFound.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (*Grant, error) {
	return s.store.Get(ctx, id)
}

// Current returns the subject's current grant for the benefit (active or
// ending), or ErrNotFound.
func (s *Service) Current(ctx context.Context, subjectID, benefit string) (*Grant, error) {
	return s.store.Current(ctx, subjectID, benefit)
}

// Grants streams every grant a subject was ever given, current or not,
// oldest first.
func (s *Service) Grants(ctx context.Context, subjectID string) iter.Seq2[Grant, error] {
	return s.store.Grants(ctx, subjectID)
}

// Held streams the current grants for a benefit, by subject ID: who holds
// the right now.
func (s *Service) Held(ctx context.Context, benefit string) iter.Seq2[Grant, error] {
	return s.store.Held(ctx, benefit)
}

// OptOutOf returns the subject's refusal of the benefit ("afstand"), or
// ErrNotFound when they did not refuse it.
func (s *Service) OptOutOf(ctx context.Context, subjectID, benefit string) (*OptOut, error) {
	return s.store.OptOutOf(ctx, subjectID, benefit)
}

// Audit streams who or what decided what about a subject ("audittrail"),
// oldest first.
func (s *Service) Audit(ctx context.Context, subjectID string) iter.Seq2[AuditEntry, error] {
	return s.store.Audit(ctx, subjectID)
}
