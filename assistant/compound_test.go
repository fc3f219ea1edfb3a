package assistant

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSplitCompound(t *testing.T) {
	vocab := map[string]bool{}
	for _, w := range []string{"parkeren", "vergunning", "bewoner", "kaart", "piano", "les", "zak", "vuilnis", "id"} {
		vocab[stem(w)] = true
	}
	known := func(s string) bool { return vocab[s] }
	for _, c := range []struct {
		word string
		want []string
	}{
		{"parkeervergunning", []string{stem("parkeer"), stem("vergunning")}},
		{"bewonerskaart", []string{stem("bewoner"), "kaart"}},
		{"pianoles", []string{"piano", "les"}},           // a short head after a long modifier
		{"vuilniszak", []string{stem("vuilnis"), "zak"}}, // with the linking -s-
		{"kidsles", nil}, // the modifier is too short
		{"kaart", nil},
	} {
		assert.Equal(t, c.want, splitCompound(c.word, known), c.word)
	}
}
