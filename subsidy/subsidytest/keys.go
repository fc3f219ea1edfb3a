package subsidytest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// Key returns a test applicant key: id with a 32-byte secret made of it.
func Key(id string) subsidy.ApplicantKey {
	return subsidy.ApplicantKey{ID: id, Secret: []byte(strings.Repeat(id, 32)[:32])}
}

// testKeyRotation: a call keeps the key it was created under. After a
// rotation (new key current, old one still given) the old call's
// references still compare — the maximum per applicant counts what was
// granted before — and new calls use the new key; a service without the
// old key refuses new drafts on the old call instead of guessing.
func testKeyRotation(t *testing.T, ns func(*testing.T) subsidy.Store) {
	ctx := context.Background()
	st := ns(t)
	clk := clock.NewSettable(Opens.Add(time.Hour))
	before := subsidy.NewService(st, clk, subsidy.WithApplicantKeys(Key("k2025")))
	sc, err := before.CreateScheme(ctx, subsidy.SchemeInput{Name: "n", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
	require.NoError(t, err)
	old, err := before.CreateCall(ctx, sc.ID, Rules())
	require.NoError(t, err)
	assert.Equal(t, "k2025", old.ApplicantKeyID)
	e := &Env{T: t, Ctx: ctx, Store: st, Clock: clk, Service: before, Call: old}
	a := e.assessed("4000")
	require.NoError(t, before.Decide(ctx, a.ID, subsidy.DecisionInput{Amount: eur("4000"), Motivation: "ok"}))

	after := subsidy.NewService(st, clk, subsidy.WithApplicantKeys(Key("k2026"), Key("k2025")))
	e.Service = after
	b := e.assessed("1000")
	require.Equal(t, e.app(a.ID).ApplicantRef, e.app(b.ID).ApplicantRef, "one applicant, one reference in the call")
	require.NoError(t, after.Decide(ctx, b.ID, subsidy.DecisionInput{Amount: eur("1000"), Motivation: "ok"}))
	c, bApp := e.call(), e.app(b.ID)
	assert.True(t, c.CommittedFor(&bApp).Equal(eur("5000")), "4000 under the old key's service + 1000 after the rotation")
	third, err := after.CreateDraft(ctx, Input(old.ID, "100"))
	require.NoError(t, err)
	err = after.Submit(ctx, third.ID)
	require.ErrorIs(t, err, subsidy.ErrValidation, "5000 granted + 100 > 5000 per applicant")

	fresh, err := after.CreateCall(ctx, sc.ID, Rules())
	require.NoError(t, err)
	assert.Equal(t, "k2026", fresh.ApplicantKeyID)
	d, err := after.CreateDraft(ctx, Input(fresh.ID, "100"))
	require.NoError(t, err)
	assert.NotEqual(t, e.app(a.ID).ApplicantRef, d.ApplicantRef, "another key, another reference")

	dropped := subsidy.NewService(st, clk, subsidy.WithApplicantKeys(Key("k2026")))
	_, err = dropped.CreateDraft(ctx, Input(old.ID, "100"))
	assert.ErrorIs(t, err, subsidy.ErrUnknownApplicantKey)
	_, err = dropped.ExtendDeadline(ctx, old.ID, subsidy.ExtensionInput{Applicants: []string{ValidKBO}, Until: old.Closes.Add(time.Hour), Reason: "r", GrantedBy: "clerk"})
	assert.ErrorIs(t, err, subsidy.ErrUnknownApplicantKey)
	_, err = dropped.CreateDraft(ctx, Input(fresh.ID, "100"))
	assert.NoError(t, err)
}
