package assistant_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/calendar"
)

func mustJSON(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

const sampleYAML = `
- id: identiteitskaart
  title: Elektronische identiteitskaart (eID)
  description: Elke Belg vanaf 12 jaar heeft een eID.
  costs: "€ 25,00"
  keywords: [eid, id-kaart]
  themes: [Burger en Overheid]
  audiences: [Burger]
  type: Bewijs
  url: https://www.demogem.be/identiteitskaart
  valid_from: 2024-01-01
  valid_until:
  language: nl
  version: 3
`

func TestLoadCatalogue(t *testing.T) {
	entries, err := assistant.LoadCatalogue([]byte(sampleYAML))
	require.NoError(t, err)
	require.Len(t, entries, 1)
	e := entries[0]
	assert.Equal(t, "identiteitskaart", e.ID)
	assert.Equal(t, "€ 25,00", e.Costs)
	assert.Equal(t, []string{"eid", "id-kaart"}, e.Keywords)
	assert.Equal(t, calendar.NewDate(2024, 1, 1), e.ValidFrom)
	assert.True(t, e.ValidUntil.IsZero())
	assert.Equal(t, 3, e.Version)

	// The same catalogue as JSON.
	again, err := assistant.LoadCatalogue(mustJSON(t, entries))
	require.NoError(t, err)
	assert.Equal(t, entries, again)

	empty, err := assistant.LoadCatalogue([]byte("# nothing yet\n"))
	require.NoError(t, err)
	assert.Empty(t, empty)
}

func TestLoadCatalogueRefuses(t *testing.T) {
	for name, c := range map[string]struct{ data, field string }{
		"duplicate id":   {"- {id: a, title: A}\n- {id: a, title: B}", "entries[1].id"},
		"missing title":  {"- {id: a}", "entries[0].title"},
		"space in id":    {"- {id: a b, title: A}", "entries[0].id"},
		"bad url":        {"- {id: a, title: A, url: 'javascript:alert(1)'}", "entries[0].url"},
		"period order":   {"- {id: a, title: A, valid_from: 2025-01-01, valid_until: 2024-01-01}", "entries[0].valid_until"},
		"year 9999":      {"- {id: a, title: A, valid_from: 9999-01-01}", "entries[0].valid_from"},
		"control char":   {"- {id: a, title: \"A\\u0001\"}", "entries[0].title"},
		"json duplicate": {`[{"id":"a","title":"A"},{"id":"a","title":"A"}]`, "entries[1].id"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := assistant.LoadCatalogue([]byte(c.data))
			var ve *assistant.ValidationError
			require.ErrorAs(t, err, &ve)
			_, ok := ve.Field(c.field)
			assert.True(t, ok, "%v", ve)
		})
	}
	_, err := assistant.LoadCatalogue([]byte("- {id: a, title: A, colour: red}"))
	assert.ErrorContains(t, err, "colour", "unknown fields are refused")
}

func FuzzLoadCatalogue(f *testing.F) {
	f.Add([]byte(sampleYAML))
	f.Add([]byte(`[{"id":"a","title":"A","valid_from":"2024-01-01"}]`))
	f.Add([]byte("- {id: a, title: A}\n- &x {id: b, title: *x}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := assistant.LoadCatalogue(data)
		if err != nil {
			return
		}
		// What loads round-trips through JSON unchanged, and indexes.
		again, err := assistant.LoadCatalogue(mustJSON(t, entries))
		require.NoError(t, err)
		assert.Equal(t, len(entries), len(again))
		assistant.NewIndex(entries, assistant.Options{})
	})
}
