package pgstore

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/internal/id"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
)

// TestMigrationKeepsCurrentGrants: grants stored before the current
// column existed keep what they were, active or ending grants current and
// the others not.
func TestMigrationKeepsCurrentGrants(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t, 2)
	first, err := migrations.ReadFile("migrations/0001_entitlement.sql")
	require.NoError(t, err)
	_, err = migrate.Run(ctx, pool, "entitlement", fstest.MapFS{"m/0001_entitlement.sql": {Data: first}}, "m")
	require.NoError(t, err)
	for _, g := range []struct{ subject, status string }{{"p1", "active"}, {"p2", "ending"}, {"p3", "revoked"}} {
		_, err := pool.Exec(ctx, `INSERT INTO entitlement_grant (id, subject_id, benefit, valid_from, status, decision_ref, decided_by,
			version, created_at, updated_at) VALUES ($1, $2, 'b1', '2026-03-01', $3, 'CBS', 'batch', 1, now(), now())`, id.New(), g.subject, g.status)
		require.NoError(t, err)
	}
	st := New(pool)
	require.NoError(t, st.Migrate(ctx))
	var held []string
	for g, err := range st.Held(ctx, "b1") {
		require.NoError(t, err)
		held = append(held, g.SubjectID)
	}
	assert.Equal(t, []string{"p1", "p2"}, held)
	_, err = st.Current(ctx, "p3", "b1")
	assert.ErrorIs(t, err, entitlement.ErrNotFound)
	g := &entitlement.Grant{ID: id.New(), SubjectID: "p1", Benefit: "b1", Status: entitlement.GrantActive, DecisionRef: "CBS", DecidedBy: "batch"}
	assert.ErrorIs(t, st.Create(ctx, g, entitlement.GrantChange{Audit: entitlement.AuditEntry{ID: id.New(), SubjectID: "p1", Benefit: "b1"}}),
		entitlement.ErrAlreadyGranted, "the migrated grant is still current")
}
