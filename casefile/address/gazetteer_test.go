package address

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGazetteerSearch(t *testing.T) {
	g := DemogemGazetteer()
	ctx := context.Background()

	got, err := g.Search(ctx, "Kerkstraat 1, Demogem")
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, Address{ID: "demo:demogem/kerkstraat/1", Street: "Kerkstraat", Number: "1", PostalCode: "9999", Municipality: "Demogem", Lat: 50.86950, Lon: 3.81050}, got[0])

	got, err = g.Search(ctx, "kerkstraat 80 bus 2, 9999 demogem")
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "Kerkstraat 80 bus 2, 9999 Demogem", got[0].String())
	assert.InDelta(t, 50.87350, got[0].Lat, 1e-9, "the last number is at the street's end")

	got, err = g.Search(ctx, "Kerkstraat 81")
	require.NoError(t, err)
	assert.Empty(t, got, "no such number")

	got, err = g.Search(ctx, "straat")
	require.NoError(t, err)
	assert.Len(t, got, 10, "at most ten")

	got, err = g.Search(ctx, "sint jozef")
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "Sint-Jozefstraat", got[0].Street)
	assert.Empty(t, got[0].Number)

	got, err = g.Search(ctx, "Kerkstraat 1, Gent")
	require.NoError(t, err)
	assert.Empty(t, got, "another municipality")

	got, err = g.Search(ctx, "")
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Empty(t, got)

	got, err = g.Search(ctx, "Ka")
	require.NoError(t, err)
	require.NotEmpty(t, got)
	assert.Equal(t, "Kapelstraat", got[0].Street, "prefix matches first")
}

func TestGazetteerReverse(t *testing.T) {
	g := DemogemGazetteer()
	ctx := context.Background()
	a, err := g.Reverse(ctx, 50.87350, 3.81400)
	require.NoError(t, err)
	assert.Equal(t, "Kerkstraat", a.Street)
	assert.Equal(t, "80", a.Number)

	// Search then Reverse finds the same address back.
	for _, q := range []string{"Molenstraat 60", "Heirweg 100", "Oude Heerweg 2"} {
		found, err := g.Search(ctx, q)
		require.NoError(t, err)
		require.Len(t, found, 1, q)
		back, err := g.Reverse(ctx, found[0].Lat, found[0].Lon)
		require.NoError(t, err)
		assert.Equal(t, found[0].Street+" "+found[0].Number, back.Street+" "+back.Number)
	}

	_, err = g.Reverse(ctx, 50.8466, 4.3528)
	assert.ErrorIs(t, err, ErrNotFound, "Brussels is far from every street")
	_, err = g.Reverse(ctx, 95, 4)
	assert.ErrorIs(t, err, ErrValidation)
}

func TestAddressLogValueMasksNumber(t *testing.T) {
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("look-up", "address", Address{Street: "Kerkstraat", Number: "4711", Box: "3", PostalCode: "9999", Municipality: "Demogem"})
	assert.Contains(t, b.String(), "Kerkstraat")
	assert.NotContains(t, b.String(), "4711")
	assert.NotContains(t, b.String(), "bus")
}
