package assistant

import (
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOtherLanguage(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"wat kost een identiteitskaart", false},
		{"how much does a passport cost", false},
		{"ik wil een crêpe-kraam op de markt, is er een enquête", false},
		{"de façade van mijn huis renoveren", false},
		{"kan ik met de bus naar het recyclagepark", false},
		{"identiteitskaart", false},
		{"", false},
		{"1234 !!", false},
		{"je voudrais une nouvelle carte d'identité", true},
		{"où se trouve la piscine", true},
		{"ich möchte meinen Wohnsitz anmelden", true},
		{"quiero casarme en el ayuntamiento", true},
		{"chcę zameldować się pod nowym adresem", true},
		{"kimlik kartımı kaybettim ne yapmalıyım", true},
		{"أين يمكنني تجديد بطاقة الإقامة", true},
		{"кто выиграл матч вчера", true},
	} {
		assert.Equal(t, c.want, otherLanguage(c.text), c.text)
	}
}

func TestOffTopic(t *testing.T) {
	for _, c := range []struct {
		word string
		want bool
	}{
		{"huisarts", true},
		{"autoverzekering", true}, // a compound with an off-topic head
		{"kippensoep", true},
		{"sneeuwen", true},
		{"sneeuw", false}, // gritting is the municipality's
		{"identiteitskaart", false},
		{"restaurant", false}, // a licence
		{"belasting", false},  // municipal taxes
		{"verzekeringen", false},
	} {
		assert.Equal(t, c.want, offTopic(c.word), c.word)
	}
}

func TestMunicipal(t *testing.T) {
	for _, c := range []struct {
		word string
		want bool
	}{
		{"vergunning", true},
		{"vergunningen", true},
		{"marktplein", true}, // its head is "plein"
		{"gemeentelijke", true},
		{"koffie", false},
		{"australie", false},
	} {
		assert.Equal(t, c.want, municipal(c.word), c.word)
	}
}

// TestOffTopicWeighs: the catalogue mentions an off-topic word in passing
// (a family certificate "for your study grant"), yet a question about it
// is refused; a question about the certificate that names the grant is
// answered.
func TestOffTopicWeighs(t *testing.T) {
	ix := NewIndex([]Entry{
		{ID: "gezinssamenstelling", Title: "Attest van gezinssamenstelling", Description: "Je hebt dit attest nodig voor een studietoelage, een sociale woning of het ziekenfonds.", Keywords: []string{"gezinssamenstelling", "samenstelling gezin"}},
		{ID: "rijbewijs", Title: "Rijbewijs", Description: "Je haalt je rijbewijs bij de gemeente na je rijexamen."},
		{ID: "afval", Title: "Afvalophaling", Description: "De ophaling van restafval en pmd."},
	}, Options{})
	for _, q := range []string{"hoeveel belastingen betaal ik op mijn loon", "belasting op mijn pensioen"} {
		assert.True(t, offTopicPhrases.MatchString(fold(q)), q)
	}
	r, err := ix.Retrieve(context.Background(), "hoeveel studietoelage krijg ik", 3)
	require.NoError(t, err)
	assert.True(t, r.OutOfScope)
	r, err = ix.Retrieve(context.Background(), "attest van gezinssamenstelling voor de studietoelage", 3)
	require.NoError(t, err)
	require.NotEmpty(t, r.Hits)
	assert.Equal(t, "gezinssamenstelling", r.Hits[0].EntryID)
	assert.False(t, r.OutOfScope)
}

func FuzzOtherLanguage(f *testing.F) {
	for _, s := range []string{"wat kost een identiteitskaart", "où est la mairie", "кто", "ß¿¡", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := otherLanguage(s)
		// Dutch function words added in front never make a question
		// more foreign.
		if !got {
			assert.False(t, otherLanguage("ik wil graag "+s), s)
		}
	})
}

// TestOffTopicAsContext: an off-topic word the best entry mentions too is
// context ("when it snows" for gritting), one it never mentions makes the
// question off topic.
func TestOffTopicAsContext(t *testing.T) {
	raw, err := os.ReadFile("demo/catalogue.yaml")
	require.NoError(t, err)
	entries, err := LoadCatalogue(raw)
	require.NoError(t, err)
	ix := NewIndex(entries, Options{})
	for _, c := range []struct {
		q   string
		oos bool
	}{
		{"wordt er gestrooid als het gaat sneeuwen", false},
		{"gaat het morgen sneeuwen", true},
		{"mijn hond heeft vlooien", true},
	} {
		r, err := ix.Retrieve(context.Background(), c.q, 3)
		require.NoError(t, err)
		assert.Equal(t, c.oos, r.OutOfScope, c.q)
	}
}

// TestGeneralSignals checks the out-of-scope decision's general rules on
// the demo catalogue, each with a question it must answer and one it
// must refuse.
func TestGeneralSignals(t *testing.T) {
	raw, err := os.ReadFile("demo/catalogue.yaml")
	require.NoError(t, err)
	entries, err := LoadCatalogue(raw)
	require.NoError(t, err)
	ix := NewIndex(entries, Options{})
	for _, c := range []struct {
		name, q string
		want    string // the first entry, or "" for a refusal
	}{
		// Flemish spoken forms are stop words or their standard word.
		{"spoken", "mag ik nen boom omdoen in mijnen hof", "boom-kappen"},
		{"spoken", "wa moette doen as ge uwe rijbewijs kwijt zijt", "rijbewijs"},
		// A diminutive inside a compound is its noun.
		{"diminutive", "waar vraag ik een bewonerskaartje aan", "bewonerskaart"},
		// A country says "abroad", not what its stem looks like.
		{"abroad", "ik kom uit polen en wil mij hier inschrijven", "inschrijving-nieuwkomer"},
		// Intent hints: a charge, a grant.
		{"hint", "waarom moet ik elk jaar die milieuheffing betalen", "milieuheffing"},
		// A compound whose modifier the catalogue does not know is not
		// answered by its head alone, and is not civic.
		{"modifier", "hoeveel motorrijtuigenbelasting betaal ik", ""},
		{"modifier", "hoe kom ik aan een vaccinatiebewijs", ""},
		// An off-topic word of a whole domain.
		{"domain", "ik zoek een kinesist in de buurt", ""},
		{"domain", "hoeveel registratierechten betaal ik voor mijn huis", ""},
		{"domain", "hoe verander ik van energieleverancier", ""},
		// An entry that has the parts of an off-topic compound
		// ("verkeer", "belasting") does not name the compound.
		{"domain", "wat is de verkeersbelasting voor een bestelwagen", ""},
	} {
		r, err := ix.Retrieve(context.Background(), c.q, 3)
		require.NoError(t, err)
		if c.want == "" {
			assert.True(t, r.OutOfScope, "%s: %s", c.name, c.q)
			continue
		}
		require.NotEmpty(t, r.Hits, c.q)
		assert.Equal(t, c.want, r.Hits[0].EntryID, "%s: %s", c.name, c.q)
		assert.False(t, r.OutOfScope, "%s: %s", c.name, c.q)
	}
}

func TestFrenchIsRefusedConsistently(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"horaires de la maison communale", true},
		{"je dois déclarer mon déménagement", true},
		{"comment obtenir une carte d'identité", true},
		{"mijn ma is ziek", false},                 // "ma" is a mother
		{"les nederlands voor volwassenen", false}, // "les" is a lesson
		{"merci voor de info", false},
	} {
		assert.Equal(t, c.want, otherLanguage(c.text), c.text)
	}
}
