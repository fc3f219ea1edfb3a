package assistant

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// placeCatalogue is a small catalogue whose words lie one typo from place
// names ("leven" from "leuven", "gevel" from "geel") and one entry that
// names a place of its own.
func placeCatalogue() []Entry {
	return []Entry{
		{ID: "openingsuren", Title: "Openingsuren van het gemeentehuis", Keywords: []string{"stadhuis", "loket"}},
		{ID: "attest-leven", Title: "Attest van leven", Keywords: []string{"levensbewijs"}},
		{ID: "gevelpremie", Title: "Gevelrenovatiepremie", Keywords: []string{"gevel"}},
		{ID: "parkeren", Title: "Bewonerskaart parkeren", Keywords: []string{"parkeerkaart", "bewonerskaart"}},
		{ID: "legalisatie", Title: "Legalisatie van documenten", Description: "Voor een document voor het buitenland gaat u naar de FOD Buitenlandse Zaken in Brussel."},
	}
}

func TestOtherPlaces(t *testing.T) {
	ix := NewIndex(placeCatalogue(), Options{})
	for _, c := range []struct {
		q   string
		oos bool
	}{
		{"wat kost een parkeerkaart", false},
		{"wat kost een parkeerkaart in gent", true},
		{"openingsuren stadhuis van leuven", true},       // not corrected into "leven"
		{"bewonerskaart in sint niklaas", true},          // written apart
		{"bewonerskaart in Sint-Niklaas", true},          // with a hyphen
		{"bewonerskaart heist op den berg", true},        // four words
		{"openingsuren van het stadhuis in Liège", true}, // French, accented
		{"opening hours of the town hall in ghent", true},
		{"moet ik naar brussel voor een legalisatie", false}, // the entry names it
	} {
		r, err := ix.Retrieve(context.Background(), c.q, 3)
		require.NoError(t, err)
		assert.Equal(t, c.oos, r.OutOfScope, c.q)
	}
}

func TestHome(t *testing.T) {
	ix := NewIndex(placeCatalogue(), Options{Home: []string{"Sint-Niklaas", "Sinaai"}})
	for _, q := range []string{"bewonerskaart in sint niklaas", "bewonerskaart in Sint-Niklaas", "parkeerkaart sinaai"} {
		r, err := ix.Retrieve(context.Background(), q, 3)
		require.NoError(t, err)
		assert.False(t, r.OutOfScope, q)
		assert.Equal(t, "parkeren", r.Hits[0].EntryID, q)
	}
	r, err := ix.Retrieve(context.Background(), "bewonerskaart in gent", 3)
	require.NoError(t, err)
	assert.True(t, r.OutOfScope)
}

// TestPlaceNamesAreNotWords: names that are everyday words are not in the
// list, so a question using the word is not about a place.
func TestPlaceNamesAreNotWords(t *testing.T) {
	for _, w := range []string{"werken", "melden", "zolder", "recht", "boom", "forest", "lens", "halen", "komen", "voeren", "naast", "as", "meer", "lot"} {
		assert.False(t, otherPlaces[w], w)
	}
	for _, w := range []string{"gent", "antwerpen", "anvers", "luik", "liege", "sintniklaas", "lalouviere", "mol", "sinaaiwaas", "elsene", "ixelles"} {
		assert.True(t, otherPlaces[w], w)
	}
}

func FuzzPlaces(f *testing.F) {
	ix := NewIndex(placeCatalogue(), Options{Home: []string{"Sinaai"}})
	for _, s := range []string{"parkeerkaart in gent", "sint niklaas", "heist-op-den-berg", "Liège", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := fold(s)
		ws := map[string]bool{}
		words(folded, func(w string) { ws[w] = true })
		for w := range ix.places(folded) {
			// Every word it returns is a word of the question.
			assert.True(t, ws[w], w)
		}
		// Naming one's own municipality never makes a question about
		// another one.
		others := func(m map[string]bool) (n int) {
			for _, other := range m {
				if other {
					n++
				}
			}
			return n
		}
		assert.Equal(t, others(ix.places(folded)), others(ix.places(folded+" sinaai")), s)
		_, err := ix.Retrieve(context.Background(), s, 3)
		require.NoError(t, err)
		if !strings.ContainsAny(s, "\x00") {
			_, err = ix.Retrieve(context.Background(), s+" in gent", 3)
			require.NoError(t, err)
		}
	})
}
