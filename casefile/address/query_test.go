package address

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want Query
	}{
		{"Kerkstraat 1, Demogem", Query{Street: "Kerkstraat", Number: "1", Municipality: "Demogem"}},
		{"Kerkstraat 12 bus 2, 9999 Demogem", Query{Street: "Kerkstraat", Number: "12", Box: "2", PostalCode: "9999", Municipality: "Demogem"}},
		{"Kerkstraat 12/2 9999 Demogem", Query{Street: "Kerkstraat", Number: "12", Box: "2", PostalCode: "9999", Municipality: "Demogem"}},
		{"Lange Ambachtstraat 7A", Query{Street: "Lange Ambachtstraat", Number: "7A"}},
		{"kerkstraat", Query{Street: "kerkstraat"}},
		{"  Kerkstraat\t 3 ,  Demogem ", Query{Street: "Kerkstraat", Number: "3", Municipality: "Demogem"}},
		{"Kerkstraat 3 b 1", Query{Street: "Kerkstraat", Number: "3", Box: "1"}},
		{"Kerkstraat, 9999", Query{Street: "Kerkstraat", PostalCode: "9999"}},
		{"Sint-Jozefstraat 4, Sint-Martens-Latem", Query{Street: "Sint-Jozefstraat", Number: "4", Municipality: "Sint-Martens-Latem"}},
		{"", Query{}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ParseQuery(tt.in), tt.in)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"Kerkstraat 1, Demogem", "Kerkstraat 12 bus 2, 9999 Demogem", "a 1/2/3 b 4 5, ,,", "\x00 1 bus"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		// No part is invented: each comes from the input, and none has
		// surrounding spaces.
		for _, part := range []string{q.Street, q.Number, q.Box, q.PostalCode, q.Municipality} {
			assert.Equal(t, strings.TrimSpace(part), part)
			if utf8.ValidString(s) {
				for _, w := range strings.Fields(part) {
					assert.Contains(t, s, w)
				}
			}
		}
		if q.PostalCode != "" {
			assert.True(t, isPostal(q.PostalCode))
		}
		if q.Number != "" {
			assert.True(t, startsWithDigit(q.Number))
		}
	})
}
