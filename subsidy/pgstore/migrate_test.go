package pgstore_test

import (
	"context"
	"os"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/internal/migrate"
	"github.com/lokaalbestuur/bouwstenen/internal/pgtest"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
	"github.com/lokaalbestuur/bouwstenen/subsidy/pgstore"
	"github.com/lokaalbestuur/bouwstenen/subsidy/subsidytest"
)

// TestMigrationIndexesExistingApplications: applications stored before
// the index by applicant reference existed are found by ApplicationsOf
// after the migration, which fills the column from the documents.
func TestMigrationIndexesExistingApplications(t *testing.T) {
	pool := pgtest.Pool(t, 2)
	ctx := context.Background()
	first, err := os.ReadFile("migrations/0001_subsidy.sql")
	require.NoError(t, err)
	_, err = migrate.Run(ctx, pool, "subsidy", fstest.MapFS{"m/0001_subsidy.sql": {Data: first}}, "m")
	require.NoError(t, err)

	// an application as the first schema stored it, made by the memory store's service
	key := subsidy.WithApplicantKeys(subsidytest.Key("k2025"))
	mem := subsidy.NewService(subsidy.NewMemStore(nil), clock.NewSettable(subsidytest.Opens.Add(time.Hour)), key)
	sc, err := mem.CreateScheme(ctx, subsidy.SchemeInput{Name: "n", Regulation: "r", LegalBasis: "l", BudgetArticle: "b"})
	require.NoError(t, err)
	call, err := mem.CreateCall(ctx, sc.ID, subsidytest.Rules())
	require.NoError(t, err)
	app, err := mem.CreateDraft(ctx, subsidytest.Input(call.ID, "100"))
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO subsidy_scheme (id, doc) VALUES ($1, $2)`, sc.ID, sc)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO subsidy_call (id, scheme_id, version, budget, reserved, paid, doc) VALUES ($1, $2, $3, $4, 0, 0, $5)`,
		call.ID, sc.ID, call.Version, call.Budget, call)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `INSERT INTO subsidy_application (id, call_id, status, version, doc) VALUES ($1, $2, $3, $4, $5)`,
		app.ID, call.ID, app.Status, app.Version, app)
	require.NoError(t, err)

	st := pgstore.New(pool)
	require.NoError(t, st.Migrate(ctx))
	svc := subsidy.NewService(st, nil, key)
	var found []subsidy.Application
	for a, err := range svc.ApplicationsOf(ctx, subsidytest.ValidKBO) {
		require.NoError(t, err)
		found = append(found, a)
	}
	require.Len(t, found, 1)
	assert.Equal(t, app.ID, found[0].ID)
}
