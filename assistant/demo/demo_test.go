package demo_test

import (
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/lokaalbestuur/bouwstenen/assistant/demo"
	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/internal/validate"
)

// entry mirrors the catalogue's YAML shape, independently of the assistant
// package's own types, so the data is checked against the contract itself.
type entry struct {
	ID          string   `yaml:"id"`
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Conditions  string   `yaml:"conditions"`
	Procedure   string   `yaml:"procedure"`
	Costs       string   `yaml:"costs"`
	Exceptions  string   `yaml:"exceptions"`
	Keywords    []string `yaml:"keywords"`
	Themes      []string `yaml:"themes"`
	Audiences   []string `yaml:"audiences"`
	Type        string   `yaml:"type"`
	URL         string   `yaml:"url"`
	ValidFrom   string   `yaml:"valid_from"`
	ValidUntil  string   `yaml:"valid_until"`
	Language    string   `yaml:"language"`
	Version     int      `yaml:"version"`
}

// The labels of IPDC's code lists (thema's, doelgroepen, producttypes).
var (
	themes = set("Bouwen en Wonen", "Burger en Overheid", "Cultuur, Sport en Vrije Tijd",
		"Economie en Werk", "Milieu en Energie", "Mobiliteit en Openbare Werken",
		"Onderwijs en Wetenschap", "Welzijn en Gezondheid")
	audiences = set("Burger", "Onderneming", "Organisatie", "Vereniging", "Lokaal bestuur",
		"Vlaamse overheid")
	types = set("Advies en begeleiding", "Bewijs", "Financieel voordeel", "Financiële verplichting",
		"Infrastructuur en materiaal", "Toelating", "Voorwerp")
)

func set(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}

func loadCatalogue(t *testing.T) []entry {
	t.Helper()
	var entries []entry
	dec := yaml.NewDecoder(strings.NewReader(string(demo.CatalogueYAML())))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(&entries))
	return entries
}

func TestCatalogue(t *testing.T) {
	entries := loadCatalogue(t)
	require.GreaterOrEqual(t, len(entries), 160, "the issue asks for at least 150 entries, the contract for 160")

	seenID, seenTitle, seenURL := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, e := range entries {
		assert.NotEmpty(t, e.ID)
		assert.False(t, seenID[e.ID], "duplicate id %q", e.ID)
		assert.False(t, seenTitle[e.Title], "duplicate title %q", e.Title)
		assert.False(t, seenURL[e.URL], "duplicate url %q", e.URL)
		seenID[e.ID], seenTitle[e.Title], seenURL[e.URL] = true, true, true
		assert.NoError(t, validate.Input(e), "%s: text every service accepts", e.ID)

		for name, s := range map[string]string{"title": e.Title, "description": e.Description, "procedure": e.Procedure, "costs": e.Costs} {
			assert.NotEmpty(t, strings.TrimSpace(s), "%s: empty %s", e.ID, name)
		}
		for name, s := range map[string]string{"title": e.Title, "description": e.Description, "conditions": e.Conditions,
			"procedure": e.Procedure, "costs": e.Costs, "exceptions": e.Exceptions} {
			assert.True(t, utf8.ValidString(s), "%s: %s is not UTF-8", e.ID, name)
		}
		assert.GreaterOrEqual(t, len(e.Keywords), 3, "%s: too few keywords (trefwoorden)", e.ID)
		for _, k := range e.Keywords {
			assert.Equal(t, strings.ToLower(k), k, "%s: keyword %q not lower case", e.ID, k)
		}
		assert.NotEmpty(t, e.Themes, e.ID)
		for _, th := range e.Themes {
			assert.True(t, themes[th], "%s: theme %q is not an IPDC theme", e.ID, th)
		}
		assert.NotEmpty(t, e.Audiences, e.ID)
		for _, a := range e.Audiences {
			assert.True(t, audiences[a], "%s: audience %q is not an IPDC audience", e.ID, a)
		}
		assert.True(t, types[e.Type], "%s: type %q is not an IPDC product type", e.ID, e.Type)

		u, err := url.Parse(e.URL)
		if assert.NoError(t, err, e.ID) {
			assert.Equal(t, "https", u.Scheme, e.ID)
			assert.Equal(t, "www.demogem.be", u.Host, e.ID)
		}
		assert.Equal(t, "nl", e.Language, e.ID)
		assert.GreaterOrEqual(t, e.Version, 1, e.ID)

		from := date(t, e.ID, e.ValidFrom)
		until := date(t, e.ID, e.ValidUntil)
		if !from.IsZero() && !until.IsZero() {
			assert.True(t, from.Before(until), "%s: valid_from after valid_until", e.ID)
		}
	}
}

func date(t *testing.T, id, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, s)
	assert.NoError(t, err, id)
	assert.True(t, d.Year() >= calendar.MinYear && d.Year() <= calendar.MaxYear, "%s: %s outside the years services accept", id, s)
	return d
}

func TestCatalogueYAMLIsACopy(t *testing.T) {
	a := demo.CatalogueYAML()
	require.NotEmpty(t, a)
	a[0] ^= 0xff
	assert.NotEqual(t, a[0], demo.CatalogueYAML()[0], "changing the returned bytes must not change the embedded catalogue")
}

// question is one item of the evaluation set, assistant/testdata/eval.yaml.
type question struct {
	Q      string `yaml:"q"`
	Expect string `yaml:"expect"`
	Lang   string `yaml:"lang"`
}

func TestEvaluationSet(t *testing.T) {
	entries := loadCatalogue(t)
	ids := map[string]bool{}
	titles := map[string]bool{}
	for _, e := range entries {
		ids[e.ID] = true
		titles[plain(e.Title)] = true
	}

	b, err := os.ReadFile("../testdata/eval.yaml")
	require.NoError(t, err)
	var qs []question
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(&qs))

	refuse, perEntry, seen := 0, map[string]int{}, map[string]bool{}
	for _, q := range qs {
		assert.NotEmpty(t, strings.TrimSpace(q.Q))
		assert.NoError(t, validate.Input(q), q.Q)
		assert.False(t, seen[plain(q.Q)], "duplicate question %q", q.Q)
		seen[plain(q.Q)] = true
		assert.False(t, titles[plain(q.Q)], "question %q copies an entry's title", q.Q)
		assert.Contains(t, []string{"", "en", "fr", "de", "es", "pl", "ru"}, q.Lang, q.Q)
		if q.Expect == "refuse" {
			refuse++
			continue
		}
		assert.True(t, ids[q.Expect], "question %q expects unknown entry %q", q.Q, q.Expect)
		perEntry[q.Expect]++
	}
	assert.GreaterOrEqual(t, len(qs), 220, "questions")
	assert.GreaterOrEqual(t, refuse, 50, "out-of-scope questions")
	assert.GreaterOrEqual(t, len(perEntry), 120, "distinct entries covered")
	for id, n := range perEntry {
		assert.LessOrEqual(t, n, 4, "%s: too many questions on one entry; spread them", id)
	}
}

// plain lower-cases s and drops everything but letters, digits and single
// spaces, so that "Trouwen?" and "trouwen" compare equal.
func plain(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}
