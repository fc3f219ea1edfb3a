package subsidy

import (
	"context"
	"iter"
	"maps"
	"slices"

	"github.com/google/uuid"
)

// The reads a front office needs, so that no page reaches the store.

// Scheme returns the scheme, or ErrNotFound.
func (s *Service) Scheme(ctx context.Context, id uuid.UUID) (Scheme, error) {
	return s.store.Scheme(ctx, id)
}

// Call returns the call ("oproep"), or ErrNotFound.
func (s *Service) Call(ctx context.Context, id uuid.UUID) (Call, error) {
	return s.store.Call(ctx, id)
}

// Calls yields every call in creation order; a front office picks the
// open ones (a municipality has a handful of calls a year).
func (s *Service) Calls(ctx context.Context) iter.Seq2[Call, error] {
	return s.store.Calls(ctx)
}

// Application returns the application ("aanvraag"), or ErrNotFound.
func (s *Service) Application(ctx context.Context, id uuid.UUID) (Application, error) {
	return s.store.Application(ctx, id)
}

// Applications yields the call's applications in creation order: a clerk's
// worklist.
func (s *Service) Applications(ctx context.Context, callID uuid.UUID) iter.Seq2[Application, error] {
	return s.store.Applications(ctx, callID)
}

// ApplicationsOf yields the applications of the applicants ("aanvragers")
// given by their KBO or national register numbers, over every call, in
// creation order: "my applications" of a person and their enterprise.
//
// Calls keep no numbers, only references keyed by the applicant key of
// each call, so the service asks the store for the references under every
// key it was given (see WithApplicantKeys); applications in calls under a
// key it was not given are not found. A number that is neither an
// enterprise nor a national register number finds nothing, as CreateDraft
// refuses such numbers; the other numbers are still looked up, so one
// stale record does not hide a person's other applications.
func (s *Service) ApplicationsOf(ctx context.Context, numbers ...string) iter.Seq2[Application, error] {
	var refs []string
	ids := slices.Sorted(maps.Keys(s.keys))
	for _, n := range numbers {
		key, ok := applicantKeyOf(n)
		if !ok {
			continue
		}
		for _, id := range ids {
			refs = append(refs, reference(s.keys[id], key))
		}
	}
	if len(refs) == 0 {
		return func(func(Application, error) bool) {}
	}
	return s.store.ApplicationsOf(ctx, refs)
}
