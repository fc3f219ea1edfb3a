package assistant_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/assistant"
	"github.com/lokaalbestuur/bouwstenen/calendar"
)

func readPages(t testing.TB, names ...string) [][]byte {
	var out [][]byte
	for _, n := range names {
		b, err := os.ReadFile("testdata/ipdc/" + n)
		require.NoError(t, err)
		out = append(out, b)
	}
	return out
}

func byID(es []assistant.Entry) map[string]assistant.Entry {
	m := map[string]assistant.Entry{}
	for _, e := range es {
		m[e.ID] = e
	}
	return m
}

const ps = "http://data.lblod.info/id/public-service/"

func TestLoadLDESInstanceSnapshots(t *testing.T) {
	// Pages in reverse order: the result must not depend on it.
	pages := readPages(t, "instancesnapshot-page-2.json", "instancesnapshot-page-1.json", "instancesnapshot-page-0.json")
	entries, err := assistant.LoadLDES("nl", pages...)
	require.NoError(t, err)
	got := byID(entries)

	// Eight snapshots of six products; one product archived by its latest.
	assert.Len(t, entries, 5)
	assert.NotContains(t, got, ps+"2e018424-7af6-4798-8026-0e627a8694d8", "archived by its latest snapshot")

	minimal := got[ps+"c0d6bf9a-fcc4-4d46-beb6-3f4d80f03bf3"]
	assert.Equal(t, "Minimalistische instantie updatet", minimal.Title, "the later of two snapshots")
	assert.Equal(t, "Beschrijving van de minimalistische instantie updatet", minimal.Description)
	assert.Equal(t, 2, minimal.Version)

	akte := got[ps+"c31c343e-836c-4674-8efa-991cc2078493"]
	assert.Equal(t, "Akte van Belgische nationaliteit", akte.Title)
	assert.Contains(t, akte.Description, "De akte van Belgische nationaliteit wordt toegekend aan burgers")
	assert.Contains(t, akte.Conditions, "Als de akte meer dan 100 jaar oud is, heeft iedereen recht op een afschrift of uittreksel. - nl - 1")
	assert.Contains(t, akte.Procedure, "U kunt een afschrift of een uittreksel van de akte van nationaliteit aanvragen in uw gemeente.")
	assert.Equal(t, "De aanvraag en het attest zijn gratis. - 1\nDe aanvraag en het attest zijn gratis. - 2", akte.Costs)
	assert.Equal(t, "uitzonderingen", akte.Exceptions)
	assert.Equal(t, []string{"Akte", "Nationaliteit"}, akte.Keywords)
	assert.Equal(t, []string{"BurgerOverheid", "CultuurSportVrijeTijd"}, akte.Themes)
	assert.Equal(t, []string{"Burger", "Onderneming"}, akte.Audiences)
	assert.Equal(t, "FinancieelVoordeel", akte.Type)
	assert.Equal(t, "https://justitie.belgium.be/nl/themas_en_dossiers/personen_en_gezinnen/nationaliteit1", akte.URL)
	assert.Equal(t, calendar.NewDate(2020, 8, 26), akte.ValidFrom)
	assert.Equal(t, calendar.NewDate(2025, 7, 12), akte.ValidUntil)
	assert.NotContains(t, akte.Description+akte.Conditions+akte.Procedure, "<", "HTML is stripped")

	// English texts where the snapshot has them.
	en, err := assistant.LoadLDES("en", pages...)
	require.NoError(t, err)
	assert.Equal(t, "Certificate of Belgian nationality", byID(en)[ps+"c31c343e-836c-4674-8efa-991cc2078493"].Title)

	// Entity-encoded HTML in the Ghent member.
	reg := got[ps+"645dcaec-7f27-44b7-85ba-b3ffe58c6328"]
	assert.Contains(t, reg.Description, `(Zie "Hoeveel kost het?")`)
}

func TestLoadLDESConceptSnapshots(t *testing.T) {
	entries, err := assistant.LoadLDES("nl", readPages(t, "conceptsnapshot-page-0.json")...)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	e := entries[0]
	assert.Equal(t, "https://ipdc.tni-vlaanderen.be/id/concept/705d401c-1a41-4802-a863-b22499f71b84", e.ID)
	assert.Equal(t, "Akte van Belgische nationaliteit - nl", e.Title, "the plain nl text before generated variants")
	assert.Equal(t, []string{"Akte - nl", "Nationaliteit - nl"}, e.Keywords)
}

func TestLoadLDESDeletes(t *testing.T) {
	page := func(members string) []byte {
		return []byte(`{"@type":"EventStream","member":[` + members + `]}`)
	}
	m := func(v, at, extra string) string {
		return `{"@id":"` + v + `/` + at + `","isVersionOf":"` + v + `","generatedAtTime":"` + at + `","naam":{"nl":"` + v + `"}` + extra + `}`
	}
	entries, err := assistant.LoadLDES("nl",
		page(m("https://x.be/a", "2024-01-02T00:00:00Z", `,"@type":"Tombstone"`)+","+m("https://x.be/a", "2024-01-01T00:00:00Z", "")),
		page(m("https://x.be/b", "2024-01-01T00:00:00Z", `,"snapshotType":"Delete"`)),
		page(m("https://x.be/c", "2024-01-01T00:00:00Z", `,"gearchiveerd":true`)+","+m("https://x.be/c", "2024-02-01T00:00:00Z", `,"gearchiveerd":false`)),
		page(m("https://x.be/d", "2024-01-01T00:00:00Z", `,"@type":["InstantieSnapshot","as:Tombstone"]`)),
	)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "https://x.be/c", entries[0].ID, "restored by a later snapshot")

	_, err = assistant.LoadLDES("nl", page(`{"@id":"x","generatedAtTime":"2024-01-01T00:00:00Z"}`))
	assert.ErrorContains(t, err, "isVersionOf")
	_, err = assistant.LoadLDES("nl", page(`{"@id":"x","isVersionOf":"https://x.be/a","generatedAtTime":"gisteren"}`))
	assert.ErrorContains(t, err, "generatedAtTime")
}

func FuzzLoadLDES(f *testing.F) {
	for _, p := range readPages(f, "instancesnapshot-page-1.json", "instancesnapshot-page-2.json", "conceptsnapshot-page-0.json") {
		f.Add(p)
	}
	f.Add([]byte(`{"member":[{"isVersionOf":"a b","generatedAtTime":"2024-01-01T00:00:00Z","naam":{"nl":"<p>x\u0000</p>"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := assistant.LoadLDES("nl", data)
		if err != nil {
			return
		}
		// Whatever loads is a valid catalogue that the plain loader reads back.
		require.NoError(t, assistant.ValidateCatalogue(entries))
		again, err := assistant.LoadCatalogue(mustJSON(t, entries))
		require.NoError(t, err)
		assert.Equal(t, len(entries), len(again))
	})
}
