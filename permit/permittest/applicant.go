package permittest

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// The applicants of testByApplicant: two persons and two enterprises.
const (
	inszAn   = pii.INSZ("85073003328")
	inszBart = pii.INSZ("90010100123")
	kboBouw  = "0403.170.701"
	kboVerf  = "0900.101.008"
)

// testByApplicant checks the listing a front office shows as "my
// applications": by person and by enterprise, newest first, following an
// application whose applicant changes.
func testByApplicant(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, _ := newService(store)
	draft := func(insz pii.INSZ, kbo string) uuid.UUID {
		in := Input(Square(4.40, 51.21, 5), start, 3)
		in.Applicant.INSZ, in.Applicant.KBO = insz, kbo
		if kbo == "" {
			in.Applicant.Enterprise = ""
		}
		a, err := svc.Draft(ctx, in)
		require.NoError(t, err)
		return a.ID
	}
	an1 := draft(inszAn, "")
	bouw := draft(inszAn, kboBouw) // An acting for Bouw NV: the enterprise's
	bart := draft(inszBart, "")
	an2 := draft(inszAn, "")
	verf := draft(inszBart, kboVerf)
	draft("", "") // known by name and e-mail only

	list := func(ids ...permit.ApplicantID) []uuid.UUID {
		var out []uuid.UUID
		for a, err := range svc.ByApplicant(ctx, ids...) {
			require.NoError(t, err)
			require.Contains(t, ids, a.Applicant.ID())
			out = append(out, a.ID)
		}
		return out
	}
	// summaries checks that SummariesByApplicant yields the summaries of
	// what ByApplicant yields, in its order.
	summaries := func(ids ...permit.ApplicantID) {
		t.Helper()
		var want, got []*permit.Application
		for a, err := range svc.ByApplicant(ctx, ids...) {
			require.NoError(t, err)
			require.NotEmpty(t, a.Location.Polygon, "the test's applications have a location")
			want = append(want, a.Summary())
		}
		for a, err := range svc.SummariesByApplicant(ctx, ids...) {
			require.NoError(t, err)
			assert.Equal(t, permit.Geometry{}, a.Location, "a summary has no location")
			got = append(got, a)
		}
		assert.Equal(t, want, got, "the summaries of %v", ids)
	}
	an := permit.PersonApplicant(inszAn)
	summaries(an)
	summaries(an, permit.EnterpriseApplicant(kboBouw))
	summaries()
	summaries(permit.PersonApplicant("11111111111"))
	assert.Equal(t, []uuid.UUID{an2, an1}, list(an), "a person's own, newest first")
	assert.Equal(t, []uuid.UUID{an2, bouw, an1}, list(an, permit.EnterpriseApplicant(kboBouw)), "with the enterprise they act for")
	assert.Equal(t, []uuid.UUID{bouw}, list(permit.EnterpriseApplicant("BE 0403170701")), "the KBO number in another form")
	assert.Equal(t, []uuid.UUID{bouw}, list(permit.EnterpriseApplicant("403.170.701")), "the old nine-digit form")
	assert.Equal(t, []uuid.UUID{bart}, list(permit.PersonApplicant(inszBart)))
	assert.Equal(t, []uuid.UUID{verf}, list(permit.EnterpriseApplicant(kboVerf)))
	assert.Empty(t, list(), "no applicant, no applications")
	assert.Empty(t, list(""), "an unknown applicant finds none of the anonymous ones")
	assert.Empty(t, list(permit.PersonApplicant("11111111111")))

	// An applicant who changes moves the application to its new owner.
	_, err := store.Update(ctx, bart, func(a *permit.Application) (permit.Change, error) {
		a.Applicant.KBO, a.Applicant.Enterprise = kboVerf, "Verf BV"
		return permit.Change{Events: []event.Event{{ID: id.New(), Type: permit.EventModified, AggregateID: a.ID, Time: Now}}}, nil
	})
	require.NoError(t, err)
	assert.Empty(t, list(permit.PersonApplicant(inszBart)))
	assert.Equal(t, []uuid.UUID{verf, bart}, list(permit.EnterpriseApplicant(kboVerf)))

	n := 0
	for range svc.ByApplicant(ctx, an) {
		n++
		break
	}
	assert.Equal(t, 1, n, "iteration stops when asked")
}

// testRatingNeedsTheParty checks that a rating's party must be an
// application of the store: the store locks it before it writes.
func testRatingNeedsTheParty(t *testing.T, store permit.Store) {
	ctx := context.Background()
	svc, _ := newService(store)
	a, err := svc.Draft(ctx, Input(Square(4.40, 51.21, 5), start, 3))
	require.NoError(t, err)
	ghost := id.New()
	r := permit.Rating{A: a.ID, B: ghost, Party: ghost, Value: permit.Accepted, ARevision: 1, BRevision: 1, At: Now}
	assert.ErrorIs(t, store.SaveRating(ctx, r, nil), permit.ErrNotFound)
	rs, err := store.Ratings(ctx, a.ID, ghost)
	require.NoError(t, err)
	assert.Empty(t, rs)

	r.Party = a.ID
	require.NoError(t, store.SaveRating(ctx, r, nil))
	rs, err = store.Ratings(ctx, ghost, a.ID)
	require.NoError(t, err)
	require.Len(t, rs, 1)
	x, y := permit.Pair(a.ID, ghost)
	assert.Equal(t, x, rs[0].A, "kept in pair order")
	assert.Equal(t, y, rs[0].B)
}
