package frontoffice

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/delivery"
	"github.com/lokaalbestuur/bouwstenen/entitlement"
	"github.com/lokaalbestuur/bouwstenen/permit"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

func TestFieldErrorsOfARealApplication(t *testing.T) {
	svc := permit.NewService(permit.Config{Store: permit.NewMemStore(nil)})
	_, err := svc.Draft(context.Background(), permit.ApplicationInput{
		Type: "container",
		Applicant: permit.Applicant{
			Name:  pii.Name{Given: "An", Family: "Peeters"},
			Email: "an.peeters@",
			INSZ:  "85073003329",
		},
		Address:       pii.Address{Street: "Korenmarkt", Number: "1", PostalCode: "900", Municipality: "Gent"},
		Description:   strings.Repeat("a", 2001),
		ParkingPlaces: 101,
	})
	require.Error(t, err)
	code, _ := Status(err)
	require.Equal(t, 422, code)

	labels := map[string]string{"description": "Omschrijving", "parking_places": "Aantal parkeerplaatsen", "applicant.email": "Uw e-mailadres"}
	got := map[string]string{}
	for _, f := range FieldErrors(err, labels) {
		got[f.Field] = f.Message
		assert.True(t, strings.HasPrefix(f.Message, f.Label+" "), "%q should start with its label %q", f.Message, f.Label)
		assertSentence(t, f.Message)
	}
	assert.Equal(t, "Omschrijving is te lang: u kunt ten hoogste 2000 tekens gebruiken.", got["description"])
	assert.Equal(t, "Aantal parkeerplaatsen moet 100 of minder zijn.", got["parking_places"])
	assert.Equal(t, "Uw e-mailadres is geen geldig e-mailadres. Kijk het na, bijvoorbeeld naam@voorbeeld.be.", got["applicant.email"])
	assert.Equal(t, "Rijksregisternummer is geen geldig rijksregisternummer. Het heeft 11 cijfers; u vindt het op de achterkant van uw identiteitskaart.", got["applicant.insz"])
	assert.Equal(t, "Plaats is verplicht.", got["location"])
	t.Log(got)
}

func TestFieldErrorsByRule(t *testing.T) {
	labels := map[string]string{"description": "Omschrijving", "start": "Begin", "period.end": "Einde"}
	for _, c := range []struct {
		name string
		f    casefile.FieldError
		want string
	}{
		{"required", casefile.FieldError{Field: "description", Rule: "required", Message: "is required"}, "Omschrijving is verplicht."},
		{"max text, from the tag", casefile.FieldError{Field: "description", Rule: "max", Param: "2000", Message: "must be at most 2000 characters"}, "Omschrijving is te lang: u kunt ten hoogste 2000 tekens gebruiken."},
		{"max text, from the message", casefile.FieldError{Field: "description", Rule: "max", Message: "is longer than 10000 characters"}, "Omschrijving is te lang: u kunt ten hoogste 10.000 tekens gebruiken."},
		{"max bytes", casefile.FieldError{Field: "description", Rule: "max", Message: "must be at most 65536 bytes long"}, "Omschrijving is te lang: ten hoogste 65.536 bytes (een letter met een accent telt voor twee)."},
		{"max items", casefile.FieldError{Field: "attachments", Rule: "max", Param: "10", Message: "must have at most 10 items"}, "Bijlagen bevat te veel: ten hoogste 10."},
		{"max number", casefile.FieldError{Field: "parking_places", Rule: "max", Param: "100", Message: "must be at most 100"}, "Aantal parkeerplaatsen is te groot: ten hoogste 100."},
		{"max euro", casefile.FieldError{Field: "amount", Rule: "max", Message: "the amount must be at most 999999999.99 euro"}, "Bedrag is te hoog: ten hoogste € 999.999.999,99."},
		{"max without a limit", casefile.FieldError{Field: "amount", Rule: "max", Message: "cannot refund more than was paid"}, "Bedrag is te groot."},
		{"min text", casefile.FieldError{Field: "description", Rule: "min", Param: "10", Message: "must be at least 10 characters"}, "Omschrijving is te kort: gebruik minstens 10 tekens."},
		{"min euro", casefile.FieldError{Field: "amount", Rule: "min", Message: "the amount must be at least 0.01 euro"}, "Bedrag is te laag: minstens € 0,01."},
		{"len", casefile.FieldError{Field: "country", Rule: "len", Param: "2", Message: "must be exactly 2 long"}, "Land moet precies 2 tekens lang zijn."},
		{"gte param", casefile.FieldError{Field: "amount", Rule: "gte", Param: "0", Message: "must be 0 or more"}, "Bedrag moet 0 of meer zijn."},
		{"gte by hand", casefile.FieldError{Field: "amount", Rule: "gte", Message: "must not be negative"}, "Bedrag mag niet negatief zijn."},
		{"gtfield", casefile.FieldError{Field: "period.end", Rule: "gtfield", Message: "must be after the start (x)"}, "Einde moet na het begin komen."},
		{"gtfield with a param", casefile.FieldError{Field: "period.end", Rule: "gtfield", Param: "start", Message: "must be greater than start"}, "Einde moet na Begin komen."},
		{"email", casefile.FieldError{Field: "email", Rule: "email"}, "E-mailadres is geen geldig e-mailadres. Kijk het na, bijvoorbeeld naam@voorbeeld.be."},
		{"iban", casefile.FieldError{Field: "iban", Rule: "iban"}, "Rekeningnummer (IBAN) is geen geldig rekeningnummer (IBAN). Kijk de cijfers na, bijvoorbeeld BE68 5390 0754 7034."},
		{"kbo", casefile.FieldError{Field: "requester.kbo", Rule: "kbo"}, "Ondernemingsnummer is geen geldig ondernemingsnummer: 10 cijfers, zoals 0203.201.340."},
		{"postal code", casefile.FieldError{Field: "address.postal_code", Rule: "be_postcode"}, "Postcode is geen Belgische postcode: 4 cijfers, zoals 9000."},
		{"ogm", casefile.FieldError{Field: "ogm", Rule: "ogm"}, "Gestructureerde mededeling is geen geldige gestructureerde mededeling, zoals +++090/9337/55493+++. Kijk de cijfers na."},
		{"euro", casefile.FieldError{Field: "amount", Rule: "euro"}, "Bedrag is geen geldig bedrag: een bedrag in euro, niet negatief, met ten hoogste twee cijfers na de komma."},
		{"horizon", casefile.FieldError{Field: "start", Rule: "horizon", Message: "must lie between the years 1900 and 2200"}, "Begin moet tussen de jaren 1900 en 2200 liggen."},
		{"oneof", casefile.FieldError{Field: "channel", Rule: "oneof", Param: "email paper"}, "Kanaal heeft een waarde die hier niet kan. Kies een van de mogelijkheden."},
		{"utf8", casefile.FieldError{Field: "description", Rule: "utf8"}, "Omschrijving bevat tekens die we niet kunnen lezen. Typ de tekst opnieuw in plaats van hem te plakken."},
		{"control characters", casefile.FieldError{Field: "description", Rule: "text"}, "Omschrijving bevat onzichtbare stuurtekens. Typ de tekst opnieuw in plaats van hem te plakken."},
		{"ring not closed", casefile.FieldError{Field: "location.coordinates[0]", Rule: "closed", Message: "a ring must end where it starts"}, "Coördinaten (nr. 1) is niet gesloten: het laatste punt moet het eerste zijn."},
		{"counter closed", casefile.FieldError{Field: "start", Rule: "closed", Message: "2026-01-01 is a closing day (Nieuwjaar)"}, "Begin valt op een moment dat we gesloten zijn. Kies een ander moment."},
		{"len by hand", casefile.FieldError{Field: "name", Rule: "len", Message: "must be 1 to 70 characters, not only spaces"}, "Naam moet 1 tot 70 tekens lang zijn, en niet alleen spaties."},
		{"range of hours", casefile.FieldError{Field: "from", Rule: "range", Message: "hours must lie between 00:00 and 24:00"}, "Van moet tussen 00:00 en 24:00 liggen."},
		{"range", casefile.FieldError{Field: "amount", Rule: "range", Message: "must be between 0.01 and 999999999.99 with at most two decimals"}, "Bedrag moet tussen 0,01 en 999.999.999,99 liggen."},
		{"unknown rule", casefile.FieldError{Field: "description", Rule: "mystery"}, "Omschrijving is niet geldig."},
		{"no field", casefile.FieldError{Rule: "required"}, "Een gegeven is verplicht."},
		{"more", casefile.FieldError{Rule: "more", Param: "12", Message: "… and 12 more"}, "En nog 12 andere fouten."},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := FieldErrors(&casefile.ValidationError{Fields: []casefile.FieldError{c.f}}, labels)
			require.Len(t, got, 1)
			assert.Equal(t, c.f.Field, got[0].Field)
			assert.Equal(t, c.want, got[0].Message)
		})
	}
}

func TestEveryRuleHasDutch(t *testing.T) {
	for _, u := range sdkRules(t) {
		if _, ok := rules[u.rule]; !ok {
			t.Errorf("rule %q (%s) has no Dutch message in rules.go", u.rule, u.where)
		}
	}
	// And the rules the validator's own message table knows.
	for _, r := range []string{"required_without", "required_if", "required_unless", "gt", "lt", "url", "uri", "http_url", "latitude", "longitude", "uuid", "uuid4", "uuid7"} {
		_, ok := rules[r]
		assert.True(t, ok, r)
	}
}

// limitRE finds a limit in an English message, as the user must read it.
var limitRE = regexp.MustCompile(`\d+`)

func TestEveryRuleUseReadsAsDutch(t *testing.T) {
	for _, u := range sdkRules(t) {
		f := casefile.FieldError{Field: "omschrijving", Rule: u.rule, Param: u.param, Message: u.english}
		got := FieldErrors(&casefile.ValidationError{Fields: []casefile.FieldError{f}}, map[string]string{"omschrijving": "Omschrijving"})
		require.Len(t, got, 1)
		msg := got[0].Message
		assert.True(t, strings.HasPrefix(msg, "Omschrijving "), "%s: %q names the field", u.where, msg)
		assertSentence(t, msg)
		if u.english != "" {
			assert.NotContains(t, msg, u.english, u.where)
		}
		if u.rule == "max" && (strings.Contains(u.english, "characters") || strings.Contains(u.english, "bytes")) {
			// A field too long says what limit.
			limit := limitRE.FindString(u.english)
			require.NotEmpty(t, limit, u.where)
			assert.Contains(t, strings.ReplaceAll(msg, ".", ""), limit, "%s: %q should say the limit", u.where, msg)
		}
		if u.rule == "max" && u.param != "" {
			assert.Contains(t, msg, u.param, "%s: %q should say the limit", u.where, msg)
		}
	}
}

func TestLabels(t *testing.T) {
	labels := map[string]string{
		"requester.email":    "Uw e-mailadres",
		"attachments[].name": "Naam van de bijlage",
		"kind":               "Soort",
	}
	for path, want := range map[string]string{
		"requester.email":             "Uw e-mailadres",
		"attachments[2].name":         "Naam van de bijlage (nr. 3)",
		"attachments[0].kind":         "Soort (nr. 1)",
		"address.postal_code":         "Postcode",
		"periods[1].from":             "Van (nr. 2)",
		`metadata["dossier"]`:         "Extra gegevens (dossier)",
		`overrides["tax"].channel`:    "Kanaal (tax)",
		`unheard_of[1]`:               "Unheard_of[1]",
		"location.coordinates[0]":     "Coördinaten (nr. 1)",
		"location.geometry[0]":        "Plaats (nr. 1)",
		`extra["iban"].iban`:          "Rekeningnummer (IBAN) (iban)",
		"location.coordinates[0][12]": "Coördinaten (nr. 1, nr. 13)",
		"":                            "",
	} {
		assert.Equal(t, want, Label(path, labels), path)
	}
}

func TestFieldErrorsOfOtherErrors(t *testing.T) {
	assert.Nil(t, FieldErrors(nil, nil))
	assert.Nil(t, FieldErrors(errors.New("disk on fire"), nil))
	assert.Nil(t, FieldErrors(casefile.ErrNotFound, nil))
	// A validation error that names no field: one message for the whole form.
	got := FieldErrors(fmt.Errorf("submit: %w", delivery.ErrNoEmail), nil)
	require.Len(t, got, 1)
	assert.Equal(t, FieldError{Message: "We kennen geen e-mailadres van u. Vul eerst uw e-mailadres in."}, got[0])
	_, err := ParseDecimal("twaalf")
	got = FieldErrors(err, nil)
	require.Len(t, got, 1)
	assert.Empty(t, got[0].Field)
	// entitlement's unknown fact is a kind, not a field list.
	got = FieldErrors(entitlement.ErrUnknownFact, nil)
	require.Len(t, got, 1)
	assert.Contains(t, got[0].Message, "niet gekend")
}

// FuzzFieldErrors feeds field paths, rules, parameters and messages as a
// store or an older SDK might report them: every message names its label
// and ends a sentence, and nothing panics.
func FuzzFieldErrors(f *testing.F) {
	f.Add("attachments[2].name", "max", "200", "must be at most 200 characters")
	f.Add(`metadata["a.b"]`, "horizon", "", "must lie between the years 1900 and 2200")
	f.Add("a..b[", "len", "", "must be 1 to 70 characters")
	f.Add("", "more", "", "… and 3 more")
	f.Add("[]", "range", "", "hours must lie between 00:00 and 24:00")
	f.Fuzz(func(t *testing.T, field, rule, param, english string) {
		err := &casefile.ValidationError{Fields: []casefile.FieldError{{Field: field, Rule: rule, Param: param, Message: english}}}
		got := FieldErrors(err, map[string]string{"name": "Naam"})
		require.Len(t, got, 1)
		if rule != "more" && field != "" {
			require.True(t, strings.HasPrefix(got[0].Message, got[0].Label+" "), "%q", got[0].Message)
		}
		require.False(t, strings.HasPrefix(got[0].Message, " "), "%q", got[0].Message)
		require.True(t, strings.HasSuffix(got[0].Message, "."), "%q", got[0].Message)
	})
}
