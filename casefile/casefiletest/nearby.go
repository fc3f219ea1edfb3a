package casefiletest

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
)

// Points around the Korenmarkt in Gent, with their distance from korenmarkt
// as an independent haversine calculation gives it (R = 6371008.8 m).
var (
	korenmarkt = casefile.Point{Lat: 51.0545, Lon: 3.7215}
	north40m   = casefile.Point{Lat: 51.0548597, Lon: 3.7215} // 0.0003597° of latitude: 40.0 m
	east100m   = casefile.Point{Lat: 51.0545, Lon: 3.7229307} // 100.0 m east
	south300m  = casefile.Point{Lat: 51.0518021, Lon: 3.7215} // 300.0 m south
)

func testNearby(t *testing.T, newHarness func(t *testing.T) Harness) {
	ctx := context.Background()
	st := newHarness(t).Store
	_, indexed := st.(casefile.NearbyFinder)
	t.Logf("store finds nearby cases itself: %v", indexed)
	f := newFixture(t, func(*testing.T) casefile.Store { return st })
	at := func(category, sub string, p casefile.Point) *casefile.Case {
		r := Report(category, sub)
		r.Location.Point = p
		c, err := f.svc.Create(ctx, r)
		require.NoError(t, err)
		return c
	}
	far := at("street_lighting", "lamp_out", south300m)
	east := at("street_lighting", "pole_damaged", east100m)
	north := at("street_lighting", "lamp_out", north40m)
	here := at("street_lighting", "lamp_out", korenmarkt)
	at("waste", "illegal_dump", korenmarkt) // another category
	closed := at("street_lighting", "lamp_out", korenmarkt)
	_, err := f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: closed.ID, Version: 1, Transition: "resolve", Result: "repaired", Actor: handler})
	require.NoError(t, err)
	merged := at("street_lighting", "lamp_out", north40m)
	_, err = f.svc.Merge(ctx, casefile.MergeRequest{CaseID: merged.ID, Version: 1, Into: here.ID, Actor: clerk})
	require.NoError(t, err)
	noPoint := Report("street_lighting", "lamp_out")
	noPoint.Location.Point = casefile.Point{}
	_, err = f.svc.Create(ctx, noPoint)
	require.NoError(t, err)

	ids := func(found []casefile.NearbyCase) []uuid.UUID {
		out := make([]uuid.UUID, len(found))
		for i, n := range found {
			out[i] = n.Case.ID
		}
		return out
	}
	found, err := f.svc.Nearby(ctx, "street_lighting", korenmarkt, 150)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{here.ID, north.ID, east.ID}, ids(found), "open, unmerged, same category, nearest first")
	require.Len(t, found, 3)
	assert.InDelta(t, 0, found[0].Distance, 0.01)
	assert.InDelta(t, 40.0, found[1].Distance, 0.05)
	assert.InDelta(t, 100.0, found[2].Distance, 0.05)
	assert.Equal(t, here.Reference, found[0].Case.Reference, "the whole case comes back")

	found, err = f.svc.Nearby(ctx, "street_lighting", korenmarkt, 299)
	require.NoError(t, err)
	assert.Len(t, found, 3, "300 m south is outside 299 m")
	found, err = f.svc.Nearby(ctx, "street_lighting", korenmarkt, 301)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{here.ID, north.ID, east.ID, far.ID}, ids(found))

	found, err = f.svc.NearbyCases(ctx, casefile.NearbyQuery{Category: "street_lighting", Point: korenmarkt, Radius: 500, Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{here.ID, north.ID}, ids(found), "limit keeps the nearest")

	// A case that closes leaves the index; one that moves is found at its new place.
	_, err = f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: here.ID, Version: here.Version + 1, Transition: "resolve", Result: "repaired", Actor: handler})
	require.NoError(t, err)
	found, err = f.svc.Nearby(ctx, "street_lighting", korenmarkt, 10)
	require.NoError(t, err)
	assert.Empty(t, found, "closed cases are not suggested")
	moved, err := st.Update(ctx, far.ID, func(c *casefile.Case) (casefile.Change, error) {
		c.Location.Point = korenmarkt
		return casefile.Change{}, nil
	})
	require.NoError(t, err)
	found, err = f.svc.Nearby(ctx, "street_lighting", korenmarkt, 10)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{moved.ID}, ids(found))
	found, err = f.svc.Nearby(ctx, "street_lighting", south300m, 10)
	require.NoError(t, err)
	assert.Empty(t, found, "the old place holds it no more")

	found, err = f.svc.Nearby(ctx, "roads", korenmarkt, 100)
	require.NoError(t, err)
	assert.Empty(t, found)

	for _, tt := range []struct {
		name     string
		category string
		p        casefile.Point
		radius   float64
		field    string
	}{
		{"unknown category", "aliens", korenmarkt, 100, "category"},
		{"no radius", "street_lighting", korenmarkt, 0, "radius"},
		{"radius too large", "street_lighting", korenmarkt, casefile.MaxNearbyRadius + 1, "radius"},
		{"no point", "street_lighting", casefile.Point{}, 100, "point"},
		{"not wgs84", "street_lighting", casefile.Point{Lat: 91, Lon: 3}, 100, "point"},
	} {
		_, err := f.svc.Nearby(ctx, tt.category, tt.p, tt.radius)
		var ve *casefile.ValidationError
		require.ErrorAs(t, err, &ve, tt.name)
		_, ok := ve.Field(tt.field)
		assert.True(t, ok, "%s: %v", tt.name, err)
	}
}

func testAttributes(t *testing.T, newStore func(t *testing.T) casefile.Store) {
	ctx := context.Background()
	f := newFixture(t, newStore)
	r := Report("waste", "illegal_dump")
	r.Attributes = map[string][]string{"amount": {"car"}, "weight_kg": {"12,5"}, "hazardous": {"nee"},
		"kinds": {"green,bulky"}, "seen_on": {"01/03/2026"}, "remarks": {"Dozen van Brico"}}
	r.Location.AddressID = "https://data.vlaanderen.be/id/adres/3706808"
	r.MediaURL = "https://img.example/dump.jpg"
	c, err := f.svc.Create(ctx, r)
	require.NoError(t, err)
	want := []casefile.AttributeValue{
		{Code: "amount", Values: []string{"car"}}, {Code: "hazardous", Values: []string{"false"}},
		{Code: "kinds", Values: []string{"bulky", "green"}}, {Code: "weight_kg", Values: []string{"12.5"}},
		{Code: "seen_on", Values: []string{"2026-03-01"}}, {Code: "remarks", Values: []string{"Dozen van Brico"}},
	}
	assert.Equal(t, want, c.Attributes)
	got, err := f.store.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, want, got.Attributes, "stored with the case")
	assert.Equal(t, r.Location.AddressID, got.Location.AddressID)
	assert.Equal(t, r.MediaURL, got.MediaURL)
	got.Attributes[0].Values[0] = "truck"
	again, err := f.store.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "car", again.Attributes[0].Values[0], "a read is a copy")
	updated, err := f.svc.Transition(ctx, casefile.TransitionRequest{CaseID: c.ID, Version: 1, Transition: "accept", Actor: clerk})
	require.NoError(t, err)
	assert.Equal(t, want, updated.Attributes, "kept through an update")
	got, err = f.store.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, want, got.Attributes)
	assert.Equal(t, r.MediaURL, got.MediaURL)

	plain := f.create(t, "street_lighting", "lamp_out")
	got, err = f.store.Get(ctx, plain.ID)
	require.NoError(t, err)
	assert.Empty(t, got.Attributes)

	bad := Report("waste", "")
	bad.Attributes = map[string][]string{"weight_kg": {"veel"}, "colour": {"blue"}}
	bad.MediaURL = "javascript:alert(1)"
	_, err = f.svc.Create(ctx, bad)
	var ve *casefile.ValidationError
	require.ErrorAs(t, err, &ve)
	fe, ok := ve.Field("attributes.weight_kg")
	require.True(t, ok, "%v", err)
	assert.Equal(t, "number", fe.Rule)
	fe, ok = ve.Field("attributes.colour")
	require.True(t, ok, "%v", err)
	assert.Equal(t, "unknown", fe.Rule)
	_, ok = ve.Field("media_url")
	assert.True(t, ok, "%v", err)
}
