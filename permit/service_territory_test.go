package permit_test

import (
	"context"
	"testing"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/event"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/permit/permittest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// antwerpCentre is a stand-in territory of about 2 km by 3 km around the
// permittest squares at 4.40 E, 51.21 N.
const antwerpCentre = `{"type":"Polygon","coordinates":[[[4.39,51.20],[4.42,51.20],[4.42,51.23],[4.39,51.23],[4.39,51.20]]]}`

func territoryService(t *testing.T, store permit.Store) *permit.Service {
	t.Helper()
	terr, err := permit.ParseTerritory([]byte(antwerpCentre), permit.WGS84)
	require.NoError(t, err)
	return permit.NewService(permit.Config{Store: store, Clock: clock.NewSettable(permittest.Now), Territory: terr})
}

func requireTerritoryError(t *testing.T, err error) {
	t.Helper()
	var ve *permit.ValidationError
	require.ErrorAs(t, err, &ve)
	f, ok := ve.Field("location")
	require.True(t, ok, "fields: %v", ve.Fields)
	assert.Equal(t, "territory", f.Rule)
	assert.Contains(t, f.Message, "outside the municipality's territory")
}

func TestServiceRefusesLocationOutsideTerritory(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		lon  float64
		ok   bool
	}{
		{"inside", 4.40, true},
		{"in the next municipality", 4.45, false},
		{"straddling the border", 4.41995, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &event.Recorder{}
			store := permit.NewMemStore(rec)
			svc := territoryService(t, store)
			a, err := svc.Draft(ctx, permittest.Input(permittest.Square(tt.lon, 51.21, 5), start, 3))
			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, permit.StatusDraft, a.Status)
				return
			}
			requireTerritoryError(t, err)
			assert.Empty(t, rec.Events())
			for range store.List(ctx) {
				t.Fatal("nothing may be stored")
			}
		})
	}
}

func TestServiceTerritoryModifyAndSubmit(t *testing.T) {
	ctx := context.Background()
	rec := &event.Recorder{}
	store := permit.NewMemStore(rec)

	// A draft made before the territory was configured ...
	before := permit.NewService(permit.Config{Store: store, Clock: clock.NewSettable(permittest.Now)})
	outside, err := before.Draft(ctx, permittest.Input(permittest.Square(4.45, 51.21, 5), start, 3))
	require.NoError(t, err)
	svc := territoryService(t, store)
	rec.Reset()

	// ... cannot be submitted once it is.
	_, err = svc.Submit(ctx, outside.ID)
	requireTerritoryError(t, err)
	got, err := store.Get(ctx, outside.ID)
	require.NoError(t, err)
	assert.Equal(t, permit.StatusDraft, got.Status)
	assert.Equal(t, outside.Version, got.Version)

	// Moving an inside draft out is refused and leaves it where it was.
	inside, err := svc.Draft(ctx, permittest.Input(permittest.Square(4.40, 51.21, 5), start, 3))
	require.NoError(t, err)
	rec.Reset()
	_, err = svc.Modify(ctx, inside.ID, permittest.Input(permittest.Square(4.45, 51.21, 5), start, 3))
	requireTerritoryError(t, err)
	got, err = store.Get(ctx, inside.ID)
	require.NoError(t, err)
	assert.Equal(t, inside.Location, got.Location)
	assert.Empty(t, rec.Events())

	_, err = svc.Submit(ctx, inside.ID)
	require.NoError(t, err)
}
