package subsidytest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/pii"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// testIdempotentCreate: a draft created again with its key is the first
// draft (no second application, no second event); the key with another
// input, in the same call or another, is ErrConflict and stores nothing;
// one hundred retries at once make one draft.
func testIdempotentCreate(t *testing.T, newHarness func(*testing.T) Harness) {
	h := newHarness(t)
	e := newEnv(t, func(*testing.T) subsidy.Store { return h.Store }, Rules())
	in := Input(e.Call.ID, "100")
	in.IdempotencyKey = "portal:apply:7f3a"
	first, err := e.Service.CreateDraft(e.Ctx, in)
	require.NoError(t, err)
	e.Clock.Advance(time.Minute)
	again, err := e.Service.CreateDraft(e.Ctx, in)
	require.NoError(t, err, "a retry with the same key and input")
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, first.ApplicantRef, again.ApplicantRef)
	assert.True(t, first.CreatedAt.Equal(again.CreatedAt), "the first draft, not a new one")
	assert.Equal(t, "portal:apply:7f3a", e.app(first.ID).IdempotencyKey)

	other := in
	other.Requested = eur("150")
	_, err = e.Service.CreateDraft(e.Ctx, other)
	assert.ErrorIs(t, err, subsidy.ErrConflict, "the same key for another amount")
	second, err := e.Service.CreateCall(e.Ctx, e.Call.SchemeID, Rules())
	require.NoError(t, err)
	elsewhere := in
	elsewhere.CallID = second.ID
	_, err = e.Service.CreateDraft(e.Ctx, elsewhere)
	assert.ErrorIs(t, err, subsidy.ErrConflict, "keys are unique across calls")
	for _, err := range e.Store.Applications(e.Ctx, second.ID) {
		require.NoError(t, err)
		t.Error("a refused repeat stored an application")
	}

	in.IdempotencyKey = "portal:double-click"
	ids := make([]uuid.UUID, 100)
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			a, err := e.Service.CreateDraft(e.Ctx, in)
			ids[i], errs[i] = a.ID, err
		})
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	for _, id := range ids {
		require.Equal(t, ids[0], id, "one draft for one key")
	}

	in.IdempotencyKey = ""
	for range 2 {
		_, err := e.Service.CreateDraft(e.Ctx, in)
		require.NoError(t, err, "without a key every create makes a draft")
	}
	n := 0
	for _, err := range e.Store.Applications(e.Ctx, e.Call.ID) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 4, n, "two keys, two drafts, and two without a key")
	drafted := map[uuid.UUID]int{}
	for _, ev := range h.Committed(t) {
		if ev.Type == subsidy.EventDrafted {
			drafted[ev.AggregateID]++
		}
	}
	assert.Equal(t, 1, drafted[first.ID], "one drafted event for the retried draft")
	assert.Equal(t, 1, drafted[ids[0]], "one drafted event for a hundred creates")

	in.IdempotencyKey = strings.Repeat("k", 256)
	_, err = e.Service.CreateDraft(e.Ctx, in)
	var verr *subsidy.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "idempotency_key", verr.Fields[0].Field)
}

// Person returns a valid person applicant.
func Person() subsidy.Applicant {
	return subsidy.Applicant{Kind: subsidy.Person, INSZ: ValidINSZ, Name: pii.Name{Given: "Jan", Family: "Janssens"},
		IBAN: ValidIBAN, Email: "jan@example.be", Address: pii.Address{Street: "Dorp", Number: "2", PostalCode: "9000", Municipality: "Gent"}}
}

// testApplicationsOf: an applicant's applications over every call, by
// their number (formatted or not), in creation order, under every key
// the service holds, and nobody else's.
func testApplicationsOf(t *testing.T, ns func(*testing.T) subsidy.Store) {
	ctx := context.Background()
	st := ns(t)
	clk := clock.NewSettable(Opens.Add(time.Hour))
	old := subsidy.NewService(st, clk, subsidy.WithApplicantKeys(Key("k2025")))
	sc, err := old.CreateScheme(ctx, subsidy.SchemeInput{Name: "n", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
	require.NoError(t, err)
	call1, err := old.CreateCall(ctx, sc.ID, Rules())
	require.NoError(t, err)
	svc := subsidy.NewService(st, clk, subsidy.WithApplicantKeys(Key("k2026"), Key("k2025")))
	call2, err := svc.CreateCall(ctx, sc.ID, Rules())
	require.NoError(t, err)

	draft := func(s *subsidy.Service, call uuid.UUID, ap subsidy.Applicant) uuid.UUID {
		in := Input(call, "100")
		in.Applicant = ap
		a, err := s.CreateDraft(ctx, in)
		require.NoError(t, err)
		return a.ID
	}
	stranger := Person()
	stranger.INSZ = pii.INSZ(insz(1))
	org1 := draft(old, call1.ID, Organisation())
	person1 := draft(svc, call1.ID, Person())
	draft(svc, call2.ID, stranger)
	org2 := draft(svc, call2.ID, Organisation())
	person2 := draft(svc, call2.ID, Person())

	of := func(s *subsidy.Service, numbers ...string) []uuid.UUID {
		var got []uuid.UUID
		for a, err := range s.ApplicationsOf(ctx, numbers...) {
			require.NoError(t, err)
			got = append(got, a.ID)
		}
		return got
	}
	assert.Equal(t, []uuid.UUID{org1, org2}, of(svc, ValidKBO), "the enterprise's, under both keys")
	assert.Equal(t, []uuid.UUID{org1, org2}, of(svc, "0207.446.772"), "a formatted number is the same number")
	assert.Equal(t, []uuid.UUID{person1, person2}, of(svc, "85.07.31-003.28"))
	assert.Equal(t, []uuid.UUID{org1, person1, org2, person2}, of(svc, ValidINSZ, ValidKBO), "a person and their enterprise, in creation order")
	assert.Equal(t, []uuid.UUID{org2, person2}, of(subsidy.NewService(st, clk, subsidy.WithApplicantKeys(Key("k2026"))), ValidINSZ, ValidKBO),
		"a service without the old key finds only the calls under its own")
	assert.Empty(t, of(svc, insz(2)), "someone who never applied")
	assert.Empty(t, of(svc), "no numbers, no applications")

	assert.Equal(t, []uuid.UUID{org1, org2}, of(svc, "0202.239.950", ValidKBO), "a number that is neither finds nothing, the others still do")
	assert.Empty(t, of(svc, "12345", ""))

	n := 0
	for range svc.ApplicationsOf(ctx, ValidINSZ, ValidKBO) {
		if n++; n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n, "the caller may stop early")
}

// testStaleDecision: a decision taken on a version the application has
// left (a score came in meanwhile) is ErrConflict and changes nothing; on
// the current version it is taken.
func testStaleDecision(t *testing.T, ns func(*testing.T) subsidy.Store) {
	e := newEnv(t, ns, Rules())
	a := e.assessed("1000")
	seen := e.app(a.ID).Version
	require.NoError(t, e.Service.AddScore(e.Ctx, a.ID, subsidy.Score{Assessor: "ann", Criterion: "impact", Points: 2, Motivation: "weak"}))
	err := e.Service.Decide(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("1000"), Motivation: "ok", Version: seen})
	require.ErrorIs(t, err, subsidy.ErrConflict)
	got := e.app(a.ID)
	assert.Equal(t, subsidy.UnderAssessment, got.Status)
	assert.True(t, e.call().Ledger.Reserved.IsZero())

	require.NoError(t, e.Service.Decide(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("1000"), Motivation: "ok", Version: got.Version}))
	err = e.Service.ReduceGrant(e.Ctx, a.ID, subsidy.DecisionInput{Amount: eur("500"), Motivation: "smaller", Version: got.Version})
	assert.ErrorIs(t, err, subsidy.ErrConflict, "the grant changed since that version")
	assert.True(t, e.call().Ledger.Reserved.Equal(eur("1000")))
}
