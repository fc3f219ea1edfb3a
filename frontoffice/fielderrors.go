package frontoffice

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
)

// FieldError is one Dutch message for one form field.
type FieldError struct {
	// Field is the field's path as the SDK names it (its JSON path, e.g.
	// "requester.email" or "attachments[2].name"); "" for the form as a whole.
	Field string
	// Label is the Dutch name shown for the field ("E-mailadres"), from the
	// caller's labels, else from the SDK's common field names, else the path.
	Label string
	// Message is one full Dutch sentence that names the field:
	// "Omschrijving is te lang: u kunt ten hoogste 2000 tekens gebruiken."
	Message string
}

// FieldErrors turns a validation error into Dutch messages, one per broken
// rule, in the order the SDK reported them. labels maps a field path to
// its Dutch label; a path with indices also finds the label of its
// pattern ("attachments[].name"), and the label then says which one
// ("Naam (bijlage 3)" needs the caller's "attachments[]" label; without it
// "Naam (nr. 3)"). Paths without a label fall back to the SDK's common
// field names ("postal_code" → "Postcode") and last to the path itself.
//
// An error that is a validation error but names no field (delivery's
// ErrNoEmail, a *NumberError, a payment *ParseError) gives one FieldError
// with an empty Field and Status's sentence. Any other error, and nil,
// gives nil.
func FieldErrors(err error, labels map[string]string) []FieldError {
	if err == nil {
		return nil
	}
	ve, ok := errors.AsType[*errs.ValidationError](err)
	if !ok {
		if errors.Is(err, errs.ErrValidation) {
			_, msg := Status(err)
			return []FieldError{{Message: msg}}
		}
		return nil
	}
	out := make([]FieldError, 0, len(ve.Fields))
	for _, f := range ve.Fields {
		label := Label(f.Field, labels)
		out = append(out, FieldError{Field: f.Field, Label: label, Message: fieldMessage(f, label, labels)})
	}
	return out
}

// indexRE finds the indices and map keys in a field path.
var indexRE = regexp.MustCompile(`\[[^\]]*\]`)

// Label returns the Dutch label of a field path. It looks, in order, for
// the caller's label of the path, of its pattern ("attachments[].name"
// for "attachments[2].name") and of its last part ("name"), then for the
// SDK's common name of that last part ("postal_code" → "Postcode"), and
// when none is found does the same for the path's parent
// ("location.coordinates[0]" → the label of "location"). A label found
// for a path with indices says which item: "Naam (nr. 3)". With no label
// at all, the path itself is returned, its first letter a capital.
func Label(path string, labels map[string]string) string {
	if l, ok := labels[path]; ok {
		return l
	}
	for p := path; p != ""; p = parent(p) {
		last := p
		if i := strings.LastIndexByte(p, '.'); i >= 0 {
			last = p[i+1:]
		}
		last = indexRE.ReplaceAllString(last, "")
		label, ok := labels[indexRE.ReplaceAllString(p, "[]")]
		if !ok {
			label, ok = labels[last]
		}
		if !ok {
			label, ok = commonLabels[last]
		}
		if ok {
			if n := which(path); n != "" {
				label += " (" + n + ")"
			}
			return label
		}
	}
	if path == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(path)
	return string(unicode.ToUpper(r)) + path[size:]
}

// parent drops the last part of a path: "a.b[2].c" → "a.b[2]" → "a".
func parent(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	if i := strings.IndexByte(p, '['); i > 0 {
		return p[:i]
	}
	return ""
}

// which names the item an index path points at: "nr. 3" for index 2.
func which(path string) string {
	var parts []string
	for _, m := range indexRE.FindAllString(path, -1) {
		inner := m[1 : len(m)-1]
		if i, err := strconv.Atoi(inner); err == nil {
			parts = append(parts, "nr. "+strconv.Itoa(i+1))
		} else if u, err := strconv.Unquote(inner); err == nil {
			parts = append(parts, u)
		}
	}
	return strings.Join(parts, ", ")
}

// commonLabels are Dutch labels for the field names the SDK's inputs use
// most; a caller's labels take precedence.
var commonLabels = map[string]string{
	"description":    "Omschrijving",
	"email":          "E-mailadres",
	"phone":          "Telefoonnummer",
	"name":           "Naam",
	"given":          "Voornaam",
	"family":         "Familienaam",
	"street":         "Straat",
	"number":         "Huisnummer",
	"box":            "Bus",
	"postal_code":    "Postcode",
	"municipality":   "Gemeente",
	"country":        "Land",
	"insz":           "Rijksregisternummer",
	"kbo":            "Ondernemingsnummer",
	"iban":           "Rekeningnummer (IBAN)",
	"bic":            "BIC-code",
	"amount":         "Bedrag",
	"text":           "Tekst",
	"title":          "Titel",
	"reason":         "Reden",
	"start":          "Begin",
	"end":            "Einde",
	"from":           "Van",
	"until":          "Tot",
	"to":             "Tot",
	"date":           "Datum",
	"location":       "Plaats",
	"attachments":    "Bijlagen",
	"reference":      "Referentie",
	"ogm":            "Gestructureerde mededeling",
	"lat":            "Breedtegraad",
	"long":           "Lengtegraad",
	"latitude":       "Breedtegraad",
	"longitude":      "Lengtegraad",
	"coordinates":    "Coördinaten",
	"metadata":       "Extra gegevens",
	"periods":        "Periodes",
	"schedules":      "Herhalingen",
	"type":           "Soort",
	"kind":           "Soort",
	"applicant":      "Aanvrager",
	"requester":      "Aanvrager",
	"address":        "Adres",
	"quantity":       "Aantal",
	"message":        "Bericht",
	"comment":        "Opmerking",
	"motivation":     "Motivering",
	"iban_holder":    "Rekeninghouder",
	"enterprise":     "Onderneming",
	"first_name":     "Voornaam",
	"last_name":      "Familienaam",
	"birth_date":     "Geboortedatum",
	"channel":        "Kanaal",
	"parking_places": "Aantal parkeerplaatsen",
}
