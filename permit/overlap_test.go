package permit_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/lokaalbestuur/bouwstenen/clock"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/permit/permittest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lambertLine is a GeoJSON line in Lambert 72 metres.
func lambertLine(x0, y0, x1, y1 float64) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"type":"LineString","coordinates":[[%.3f,%.3f],[%.3f,%.3f]]}`, x0, y0, x1, y1))
}

func parkingBan(loc json.RawMessage) permit.ApplicationInput {
	in := permittest.Input(loc, start, 3)
	in.Type, in.CRS, in.ParkingPlaces = "parking_ban", permit.Lambert72, 2
	return in
}

// conflictsOfSecond grants a parking ban at first, drafts one at second
// and returns the second's conflicts, with a 20 m buffer.
func conflictsOfSecond(t *testing.T, first, second json.RawMessage) []permit.Conflict {
	t.Helper()
	ctx := context.Background()
	svc := permit.NewService(permit.Config{Store: permit.NewMemStore(nil), Clock: clock.NewSettable(permittest.Now), Buffer: 20})
	a, err := svc.Draft(ctx, parkingBan(first))
	require.NoError(t, err)
	_, err = svc.Submit(ctx, a.ID)
	require.NoError(t, err)
	_, err = svc.Grant(ctx, a.ID, nil)
	require.NoError(t, err)
	b, err := svc.Draft(ctx, parkingBan(second))
	require.NoError(t, err)
	cs, err := svc.Conflicts(ctx, b.ID)
	require.NoError(t, err)
	return cs
}

// Two parking bans on one kerb, the second lying on the first, touch
// wherever they are: before, the float distance after two reprojections
// came out as 2.4e-09 m at (104000, 194000), which the policy read as
// "apart, within the buffer" and only warned about.
func TestTouchingParkingBansBlockEverywhere(t *testing.T) {
	offsets := [][2]float64{{0, 0}, {0.001, 0}, {1234.567, -89.125}, {-37000, 12000.25}, {48000, 20000}, {150000.5, 0.5}, {-11111.111, 22222.222}}
	for _, off := range offsets {
		x, y := 104000+off[0], 194000+off[1]
		t.Run(fmt.Sprintf("%.3f,%.3f", x, y), func(t *testing.T) {
			cs := conflictsOfSecond(t, lambertLine(x, y, x+50, y), lambertLine(x+5, y, x+40, y))
			require.Len(t, cs, 1)
			assert.True(t, cs[0].Overlap)
			assert.Equal(t, permit.Block, cs[0].Severity)
			assert.Zero(t, cs[0].Distance)
		})
	}
}

// End to end is touching too: a ban that starts where the other ends.
func TestParkingBansMeetingEndToEndBlock(t *testing.T) {
	for _, x := range []float64{104000, 104000.001, 131313.131, 250000.25} {
		cs := conflictsOfSecond(t, lambertLine(x, 194000, x+50, 194000), lambertLine(x+50, 194000, x+80, 194000))
		require.Len(t, cs, 1, "x=%v", x)
		assert.True(t, cs[0].Overlap, "x=%v", x)
		assert.Equal(t, permit.Block, cs[0].Severity, "x=%v", x)
	}
}

// Bans on the two kerbs of a street are apart: the distance is the gap,
// rounded to the centimetre, and the policy only warns.
func TestParallelParkingBansAreApart(t *testing.T) {
	for _, x := range []float64{104000, 131313.131, 250000.25} {
		cs := conflictsOfSecond(t, lambertLine(x, 194000, x+50, 194000), lambertLine(x+5, 194007.456, x+40, 194007.456))
		require.Len(t, cs, 1, "x=%v", x)
		assert.False(t, cs[0].Overlap, "x=%v", x)
		assert.Equal(t, 7.46, cs[0].Distance, "x=%v: 7.456 m to the centimetre", x)
		assert.Equal(t, permit.Warn, cs[0].Severity, "x=%v", x)
	}
}
