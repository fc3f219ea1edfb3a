package assistant

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"sort"
	"strings"
	"time"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/clock"
)

// IPDC publishes its catalogue as a Linked Data Event Stream (LDES): pages
// of JSON-LD whose members are immutable snapshots ("InstantieSnapshot",
// "ConceptualPublicService"), each naming the product it is a version of
// (isVersionOf) and when it was made (generatedAtTime). A product is
// withdrawn by a snapshot marked "gearchiveerd" (archived), by the LDES
// snapshotType "Delete", or by a Tombstone member.
//
// The shape follows the IPDC/LPDC stubs of lblod/app-lpdc-digitaal-loket
// (see testdata/ipdc/README.md) and the LDES specification.

type ldesPage struct {
	Member []json.RawMessage `json:"member"`
}

// langText is an RDF language map: {"nl": "...", "en": "..."}.
type langText map[string]string

type ldesPart struct {
	Naam         langText `json:"naam"`
	Beschrijving langText `json:"beschrijving"`
	Order        float64  `json:"order"`
}

type ldesMember struct {
	ID              string              `json:"@id"`
	Type            json.RawMessage     `json:"@type"`
	IsVersionOf     string              `json:"isVersionOf"`
	GeneratedAtTime string              `json:"generatedAtTime"`
	SnapshotType    string              `json:"snapshotType"`
	Archived        json.RawMessage     `json:"gearchiveerd"`
	Naam            langText            `json:"naam"`
	Beschrijving    langText            `json:"beschrijving"`
	Verder          langText            `json:"verdereBeschrijving"`
	Uitzonderingen  langText            `json:"uitzonderingen"`
	Voorwaarden     []ldesPart          `json:"voorwaarden"`
	Procedures      []ldesPart          `json:"procedures"`
	Kosten          []ldesPart          `json:"kosten"`
	Zoektermen      map[string][]string `json:"zoektermen"`
	Themas          []string            `json:"themas"`
	Doelgroepen     []string            `json:"doelgroepen"`
	ProductType     string              `json:"type"`
	Start           string              `json:"startDienstVerlening"`
	End             string              `json:"eindeDienstVerlening"`
	Websites        []struct {
		URL string `json:"url"`
	} `json:"websites"`
}

// LoadLDES reads IPDC LDES pages (JSON-LD, in any order) and returns the
// catalogue they describe: per product (isVersionOf) its latest snapshot
// by generatedAtTime, without products whose latest snapshot withdraws
// them. Texts are taken in lang ("nl" matches "nl-BE-x-informal" too) and
// stripped of HTML; the entry's ID is the product's IRI and its Version
// the number of snapshots seen.
func LoadLDES(lang string, pages ...[]byte) ([]Entry, error) {
	type version struct {
		at      time.Time
		member  ldesMember
		deleted bool
	}
	latest := map[string]*version{}
	count := map[string]int{}
	for p, data := range pages {
		if len(data) > MaxCatalogue {
			return nil, fmt.Errorf("assistant: LDES page %d is larger than %d bytes", p, MaxCatalogue)
		}
		var page ldesPage
		if err := json.Unmarshal(data, &page); err != nil {
			return nil, fmt.Errorf("assistant: LDES page %d: %w", p, err)
		}
		for i, raw := range page.Member {
			var m ldesMember
			if err := json.Unmarshal(raw, &m); err != nil {
				return nil, fmt.Errorf("assistant: LDES page %d member %d: %w", p, i, err)
			}
			if m.IsVersionOf == "" {
				return nil, fmt.Errorf("assistant: LDES page %d member %d (%s): no isVersionOf", p, i, m.ID)
			}
			at, err := time.Parse(time.RFC3339Nano, m.GeneratedAtTime)
			if err != nil {
				return nil, fmt.Errorf("assistant: LDES page %d member %d (%s): generatedAtTime: %w", p, i, m.ID, err)
			}
			count[m.IsVersionOf]++
			v := latest[m.IsVersionOf]
			// Of two snapshots made at the same instant the later one in
			// the stream wins, as a consumer reading in order would keep it.
			if v == nil || !at.Before(v.at) {
				latest[m.IsVersionOf] = &version{at: at, member: m, deleted: m.withdrawn()}
			}
		}
	}
	keys := make([]string, 0, len(latest))
	for k, v := range latest {
		if !v.deleted {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]Entry, 0, len(keys))
	for _, k := range keys {
		out = append(out, latest[k].member.entry(k, lang, count[k]))
	}
	if err := ValidateCatalogue(out); err != nil {
		return nil, err
	}
	return out, nil
}

func (m *ldesMember) withdrawn() bool {
	if strings.EqualFold(m.SnapshotType, "Delete") {
		return true
	}
	if a := bytes.Trim(bytes.TrimSpace(m.Archived), `"`); string(a) == "true" {
		return true
	}
	var types []string
	if json.Unmarshal(m.Type, &types) != nil {
		var one string
		if json.Unmarshal(m.Type, &one) == nil {
			types = []string{one}
		}
	}
	for _, t := range types {
		if t == "Tombstone" || strings.HasSuffix(t, ":Tombstone") || strings.HasSuffix(t, "#Tombstone") {
			return true
		}
	}
	return false
}

func (m *ldesMember) entry(id, lang string, versions int) Entry {
	e := Entry{
		ID:          id,
		Title:       plain(m.Naam.in(lang)),
		Description: plain(joinText(m.Beschrijving.in(lang), m.Verder.in(lang))),
		Conditions:  parts(m.Voorwaarden, lang),
		Procedure:   parts(m.Procedures, lang),
		Costs:       parts(m.Kosten, lang),
		Exceptions:  plain(m.Uitzonderingen.in(lang)),
		Keywords:    m.Zoektermen[lang],
		Themes:      m.Themas,
		Audiences:   m.Doelgroepen,
		Type:        m.ProductType,
		Language:    lang,
		Version:     versions,
		ValidFrom:   ldesDate(m.Start),
		ValidUntil:  ldesDate(m.End),
	}
	for _, w := range m.Websites {
		if strings.HasPrefix(w.URL, "https://") || strings.HasPrefix(w.URL, "http://") {
			e.URL = w.URL
			break
		}
	}
	if e.Title == "" {
		e.Title = id
	}
	return e
}

// in returns the text in lang, else in a regional or formal variant of it
// ("nl-BE-x-informal"), else "".
func (t langText) in(lang string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		if strings.HasPrefix(k, lang+"-") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) > 0 {
		return t[keys[0]]
	}
	return ""
}

func parts(ps []ldesPart, lang string) string {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Order < ps[j].Order })
	var b []string
	for _, p := range ps {
		if s := plain(p.Beschrijving.in(lang)); s != "" {
			b = append(b, s)
		} else if s := plain(p.Naam.in(lang)); s != "" {
			b = append(b, s)
		}
	}
	return strings.Join(b, "\n")
}

func joinText(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "\n" + b
}

func ldesDate(s string) calendar.Date {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return calendar.Date{}
	}
	d := calendar.DateIn(t.In(clock.Brussels))
	if !d.InHorizon() {
		return calendar.Date{}
	}
	return d
}

// plain turns IPDC's HTML fragments into text: tags become spaces (block
// tags a line break), entities are decoded and control characters dropped.
func plain(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		tag := strings.ToLower(s[i+1 : i+j])
		if strings.HasPrefix(tag, "/p") || strings.HasPrefix(tag, "br") || strings.HasPrefix(tag, "li") || strings.HasPrefix(tag, "/h") {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
		s = s[i+j+1:]
	}
	t := html.UnescapeString(b.String())
	t = strings.Map(func(r rune) rune {
		if r == '\u00a0' {
			return ' '
		}
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\uFFFD' {
			return -1
		}
		return r
	}, t)
	lines := strings.Split(t, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
