package entitlementtest

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
)

// testReads: the reads a front office uses give one subject's grants,
// refusals and audit trail, and a benefit's holders, and nobody else's.
func testReads(t *testing.T, st entitlement.Store) {
	ctx := context.Background()
	var mine []uuid.UUID
	for _, x := range []struct{ subject, benefit string }{{"p1", "b1"}, {"p2", "b1"}, {"p1", "b2"}, {"p0", "b2"}} {
		g, ch := newGrant(x.subject, x.benefit)
		require.NoError(t, st.Create(ctx, g, ch))
		if x.subject == "p1" {
			mine = append(mine, g.ID)
		}
	}
	_, err := st.Update(ctx, mine[0], func(g *entitlement.Grant) (entitlement.GrantChange, error) {
		g.Status = entitlement.GrantRevoked
		return entitlement.GrantChange{Audit: entitlement.AuditEntry{ID: id.New(), At: t0, Actor: "clerk", Action: entitlement.EventRevoked,
			SubjectID: g.SubjectID, Benefit: g.Benefit, GrantID: g.ID}}, nil
	})
	require.NoError(t, err)
	g, ch := newGrant("p1", "b1")
	require.NoError(t, st.Create(ctx, g, ch))
	mine = append(mine, g.ID)

	var got []uuid.UUID
	for g, err := range st.Grants(ctx, "p1") {
		require.NoError(t, err)
		assert.Equal(t, "p1", g.SubjectID)
		got = append(got, g.ID)
	}
	assert.Equal(t, mine, got, "every grant of the subject, oldest first")
	for range st.Grants(ctx, "nobody") {
		t.Fatal("a subject without grants has none")
	}
	// The summaries are those grants, each without its reason.
	var whole, sums []entitlement.Grant
	for g, err := range st.Grants(ctx, "p1") {
		require.NoError(t, err)
		require.NotNil(t, g.Reason, "the test's grants have a reason")
		g.Reason = nil
		whole = append(whole, g)
	}
	for g, err := range st.GrantSummaries(ctx, "p1") {
		require.NoError(t, err)
		assert.Nil(t, g.Reason, "a summary has no reason")
		sums = append(sums, g)
	}
	assert.Equal(t, whole, sums, "the summaries are the grants, without reasons")
	for range st.GrantSummaries(ctx, "nobody") {
		t.Fatal("a subject without grants has no summaries")
	}

	var actions []string
	for a, err := range st.Audit(ctx, "p1") {
		require.NoError(t, err)
		actions = append(actions, a.Action)
	}
	assert.Equal(t, []string{entitlement.EventGranted, entitlement.EventGranted, entitlement.EventRevoked, entitlement.EventGranted}, actions)

	var holders []string
	for g, err := range st.Held(ctx, "b2") {
		require.NoError(t, err)
		holders = append(holders, g.SubjectID)
	}
	assert.Equal(t, []string{"p0", "p1"}, holders, "by subject ID")
}
