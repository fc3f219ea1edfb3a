package frontoffice

import (
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/internal/errs"
	"github.com/lokaalbestuur/bouwstenen/internal/nlfmt"
)

// fieldMessage writes one sentence: the label, then what is wrong with it.
func fieldMessage(f errs.FieldError, label string, labels map[string]string) string {
	if f.Rule == "more" { // entitlement's "… and 12 more" after its first errors
		return "En nog " + number(firstOr(f.Param, f.Message)) + " andere fouten."
	}
	if label == "" { // an error about the input as a whole
		label = "Een gegeven"
	}
	r := rule{param: f.Param, english: f.Message, labels: labels}
	pred, ok := rules[f.Rule]
	if !ok {
		return label + " is niet geldig."
	}
	return label + " " + pred(r)
}

// rule is what a rule's message may use.
type rule struct {
	param   string // the validator tag's parameter, "" for rules checked by hand
	english string // the SDK's English message, which holds the limit when param is ""
	labels  map[string]string
}

var (
	numberRE = regexp.MustCompile(`\d+(?:\.\d+)?`)
	// valueRE also finds times of day ("24:00"), which number leaves as they are.
	valueRE = regexp.MustCompile(`\d+(?::\d\d|\.\d+)?`)
)

// limit is the rule's parameter, or the first number in its English
// message, written the Dutch way; "" when there is none.
func (r rule) limit() string {
	if r.param != "" {
		return number(r.param)
	}
	if m := numberRE.FindString(r.english); m != "" {
		return number(m)
	}
	return ""
}

// numbers are all numbers and times of day in the English message,
// written the Dutch way.
func (r rule) numbers() []string {
	ms := valueRE.FindAllString(r.english, -1)
	for i, m := range ms {
		ms[i] = number(m)
	}
	return ms
}

// unit says what the rule counts, from the English message.
func (r rule) unit() string {
	e := r.english
	switch {
	case strings.Contains(e, "character"):
		return "text"
	case strings.Contains(e, "byte"):
		return "bytes"
	case strings.Contains(e, "euro"):
		return "euro"
	case strings.Contains(e, "items"), strings.Contains(e, "keys"), strings.Contains(e, "periods"),
		strings.Contains(e, "schedules"), strings.Contains(e, "vertices"), strings.Contains(e, "counters"),
		strings.Contains(e, "dates"), strings.Contains(e, "exceptions"), strings.Contains(e, "occurrences"):
		return "items"
	}
	return ""
}

// field is the label of the field the rule's parameter names (gtfield=Start).
func (r rule) field(fallback string) string {
	if r.param == "" {
		return fallback
	}
	if l, ok := r.labels[r.param]; ok {
		return l
	}
	if l, ok := commonLabels[strings.ToLower(r.param)]; ok {
		return strings.ToLower(l)
	}
	return r.param
}

func firstOr(a, b string) string {
	if a != "" {
		return a
	}
	return numberRE.FindString(b)
}

// number writes a number the Dutch way: "2000", "65.536", "0,01".
func number(s string) string {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return s
	}
	if d.IsInteger() && d.Abs().LessThan(decimal.New(1, 4)) {
		return d.String()
	}
	return nlfmt.Decimal(d, -1)
}

// Every rule the SDK reports, as the predicate that follows the field's
// label. TestEveryRuleHasDutch scans the module for the rules it uses, so a
// new rule without Dutch fails a test.
var rules = map[string]func(rule) string{
	// presence
	"required":         func(rule) string { return "is verplicht." },
	"required_with":    func(rule) string { return "is verplicht." },
	"required_without": func(rule) string { return "is verplicht." },
	"required_if":      func(rule) string { return "is verplicht." },
	"required_unless":  func(rule) string { return "is verplicht." },
	"excluded_with":    func(rule) string { return "mag niet samen met een ander veld ingevuld zijn: kies er één." },
	"not_empty":        func(rule) string { return "is leeg, en dat kan hier niet." },

	// size and limits
	"max": func(r rule) string {
		l := r.limit()
		switch {
		case l == "":
			return "is te groot."
		case r.unit() == "text":
			return "is te lang: u kunt ten hoogste " + l + " tekens gebruiken."
		case r.unit() == "bytes":
			return "is te lang: ten hoogste " + l + " bytes (een letter met een accent telt voor twee)."
		case r.unit() == "items":
			return "bevat te veel: ten hoogste " + l + "."
		case r.unit() == "euro":
			return "is te hoog: ten hoogste € " + l + "."
		}
		return "is te groot: ten hoogste " + l + "."
	},
	"min": func(r rule) string {
		l := r.limit()
		switch {
		case l == "":
			return "is te klein."
		case r.unit() == "text":
			return "is te kort: gebruik minstens " + l + " tekens."
		case r.unit() == "items":
			return "bevat te weinig: minstens " + l + "."
		case r.unit() == "euro":
			return "is te laag: minstens € " + l + "."
		}
		return "is te klein: minstens " + l + "."
	},
	"len": func(r rule) string {
		if r.param != "" {
			return "moet precies " + number(r.param) + " tekens lang zijn."
		}
		if n := r.numbers(); len(n) >= 2 && strings.Contains(r.english, "character") {
			return "moet " + n[0] + " tot " + n[len(n)-1] + " tekens lang zijn, en niet alleen spaties."
		}
		return "heeft niet de juiste lengte."
	},
	"gt": func(r rule) string {
		if r.param != "" {
			return "moet groter zijn dan " + number(r.param) + "."
		}
		return "moet groter zijn dan nul."
	},
	"gte": func(r rule) string {
		if r.param != "" {
			return "moet " + number(r.param) + " of meer zijn."
		}
		return "mag niet negatief zijn."
	},
	"lt": func(r rule) string {
		if r.param != "" {
			return "moet kleiner zijn dan " + number(r.param) + "."
		}
		return "is te hoog."
	},
	"lte": func(r rule) string {
		if r.param != "" {
			return "moet " + number(r.param) + " of minder zijn."
		}
		return "is te hoog."
	},
	"range": func(r rule) string {
		if n := r.numbers(); len(n) >= 2 {
			return "moet tussen " + n[0] + " en " + n[1] + " liggen."
		}
		return "ligt buiten wat kan."
	},
	"total": func(rule) string { return "moet tussen € 0,01 en € 999.999.999,99 liggen." },
	"cents": func(rule) string {
		return "bevat een deel van een cent. Een bedrag heeft ten hoogste twee cijfers na de komma."
	},
	"decimals": func(rule) string { return "heeft te veel cijfers na de komma: ten hoogste twee." },
	"decimal":  func(rule) string { return "is geen getal. Gebruik een komma voor de decimalen, bijvoorbeeld 12,50." },
	"numeric":  func(rule) string { return "is geen getal." },
	"number":   func(rule) string { return "moet een getal in decimale graden zijn, bijvoorbeeld 51,05." },
	"euro": func(rule) string {
		return "is geen geldig bedrag: een bedrag in euro, niet negatief, met ten hoogste twee cijfers na de komma."
	},
	"currency": func(rule) string { return "moet in euro zijn." },
	"size":     func(rule) string { return "is te groot." },
	"depth":    func(r rule) string { return "is te diep genest." },

	// comparisons with another field
	"gtfield":  func(r rule) string { return "moet na " + r.field("het begin") + " komen." },
	"gtefield": func(r rule) string { return "mag niet voor " + r.field("het begin") + " komen." },
	"ltfield":  func(r rule) string { return "moet voor " + r.field("het einde") + " komen." },
	"ltefield": func(r rule) string { return "is hoger dan " + r.field("toegelaten") + "." },
	"nefield":  func(r rule) string { return "moet verschillen van " + r.field("het andere veld") + "." },
	"eqfield":  func(r rule) string { return "moet gelijk zijn aan " + r.field("het andere veld") + "." },

	// choices and references
	"oneof":     func(rule) string { return "heeft een waarde die hier niet kan. Kies een van de mogelijkheden." },
	"exists":    func(rule) string { return "verwijst naar iets dat niet bestaat." },
	"unique":    func(rule) string { return "komt twee keer voor. Elke waarde mag maar één keer voorkomen." },
	"allowed":   func(rule) string { return "is hiervoor niet toegelaten. Kies een andere manier." },
	"immutable": func(rule) string { return "kan niet meer veranderen. Trek de aanvraag in en dien een nieuwe in." },
	"cursor": func(rule) string {
		return "is geen geldige verwijzing naar een volgende pagina. Begin opnieuw bij de eerste pagina."
	},
	"reference":      func(rule) string { return "is geen geldige referentie." },
	"rule":           func(rule) string { return "heeft geen verzendregel." },
	"registered":     func(rule) string { return "kan niet aangetekend: dat kan alleen op papier of via eBox." },
	"requested":      func(rule) string { return "werd niet om advies gevraagd." },
	"same_applicant": func(rule) string { return "hoort niet bij dezelfde aanvrager." },
	"same_type":      func(rule) string { return "is een dossier van een ander type of van een andere gemeente." },
	"not_merged":     func(rule) string { return "is zelf al samengevoegd met een ander dossier." },
	"loaded":         func(rule) string { return "werd niet correct geladen." },
	"key":            func(rule) string { return "heeft geen geldige sleutel." },
	"id":             func(rule) string { return "mag alleen letters, cijfers en de tekens - _ . ~ bevatten, zonder spaties." },
	"scope":          func(rule) string { return "staat op de verkeerde plaats." },
	"kind":           func(rule) string { return "vergelijkt waarden van een verschillende soort." },
	"nesting":        func(rule) string { return "mag niet in zichzelf genest worden." },
	"cycle":          func(rule) string { return "verwijst in een kring naar zichzelf." },
	"uuid":           func(rule) string { return "is geen geldige code." },
	"uuid4":          func(rule) string { return "is geen geldige code." },
	"uuid7":          func(rule) string { return "is geen geldige code." },
	"dive":           func(rule) string { return "is niet geldig." },
	"hexadecimal":    func(rule) string { return "mag alleen cijfers en de letters a tot f bevatten." },
	"sha256":         func(rule) string { return "is geen geldige SHA-256-vingerafdruk." },
	"media_type":     func(rule) string { return "is geen bestandstype zoals image/jpeg." },

	// text
	"utf8": func(rule) string {
		return "bevat tekens die we niet kunnen lezen. Typ de tekst opnieuw in plaats van hem te plakken."
	},
	"text": func(rule) string {
		return "bevat onzichtbare stuurtekens. Typ de tekst opnieuw in plaats van hem te plakken."
	},
	"single_line": func(rule) string { return "moet op één regel staan." },
	"single":      func(rule) string { return "heeft maar één antwoord. Kies er één." },
	"yes_no":      func(rule) string { return "moet ja of nee zijn." },
	"excluded":    func(rule) string { return "mag hier niet ingevuld zijn." },
	"sepa_charset": func(rule) string {
		return "bevat tekens die een overschrijving niet kan meedragen. Gebruik letters, cijfers en / - ? : ( ) . , ' +."
	},
	"sepa_blank": func(rule) string { return "mag niet met een spatie beginnen of eindigen." },
	"sepa_slash": func(rule) string { return "mag niet met / beginnen of eindigen en geen // bevatten." },

	// Belgian identifiers and contact details
	"email":     func(rule) string { return "is geen geldig e-mailadres. Kijk het na, bijvoorbeeld naam@voorbeeld.be." },
	"url":       func(rule) string { return "is geen geldig webadres, zoals https://www.gent.be." },
	"uri":       func(rule) string { return "is geen volledig webadres, zoals https://www.gent.be/document.pdf." },
	"http_url":  func(rule) string { return "is geen geldig webadres, zoals https://www.gent.be." },
	"latitude":  func(rule) string { return "is geen geldige breedtegraad: een getal tussen -90 en 90, zoals 51,05." },
	"longitude": func(rule) string { return "is geen geldige lengtegraad: een getal tussen -180 en 180, zoals 3,72." },
	"hostname":  func(rule) string { return "is geen geldige servernaam, zoals afspraken.gent.be." },
	"iban": func(rule) string {
		return "is geen geldig rekeningnummer (IBAN). Kijk de cijfers na, bijvoorbeeld BE68 5390 0754 7034."
	},
	"bic": func(rule) string { return "is geen geldige BIC-code: 8 of 11 letters en cijfers, zoals GKCCBEBB." },
	"ogm": func(rule) string {
		return "is geen geldige gestructureerde mededeling, zoals +++090/9337/55493+++. Kijk de cijfers na."
	},
	"purpose_code": func(rule) string { return "moet een code van 4 letters zijn (ISO 20022)." },
	"insz": func(rule) string {
		return "is geen geldig rijksregisternummer. Het heeft 11 cijfers; u vindt het op de achterkant van uw identiteitskaart."
	},
	"kbo":         func(rule) string { return "is geen geldig ondernemingsnummer: 10 cijfers, zoals 0203.201.340." },
	"kbo|insz":    func(rule) string { return "is geen geldig ondernemingsnummer of rijksregisternummer." },
	"be_postcode": func(rule) string { return "is geen Belgische postcode: 4 cijfers, zoals 9000." },

	// dates and times
	"date": func(rule) string { return "is geen bestaande dag op de kalender." },
	"horizon": func(r rule) string {
		if n := r.numbers(); len(n) >= 2 {
			return "moet tussen de jaren " + n[0] + " en " + n[1] + " liggen."
		}
		return "ligt te ver in de toekomst: u kunt zo ver vooruit niet boeken."
	},
	"future":        func(rule) string { return "ligt in het verleden. Kies een moment in de toekomst." },
	"notice":        func(rule) string { return "is te kort op voorhand. Kies een later moment." },
	"closed":        closed,
	"opening_hours": func(rule) string { return "valt buiten de openingsuren. Kies een ander moment." },
	"interval": func(rule) string {
		return "is geen tijdstip waarop een afspraak kan beginnen. Kies een tijdstip uit de lijst."
	},
	"duration":       func(rule) string { return "heeft niet de duur die dit bezoek nodig heeft." },
	"offered":        func(rule) string { return "wordt op die plaats niet aangeboden." },
	"offers_service": func(rule) string { return "biedt deze dienst niet aan." },
	"time_of_day":    func(rule) string { return "moet tussen 00:00 en 24:00 liggen." },
	"weekday":        func(rule) string { return "is geen dag van de week." },
	"w3c_datetime":   func(rule) string { return "is geen datum en tijd zoals 2026-03-02T09:00:00+01:00." },
	"overlap":        func(rule) string { return "overlapt met een andere periode of plaats." },
	"gap":            func(rule) string { return "laat een periode open waarin geen waarde geldt." },
	"empty":          func(rule) string { return "levert geen enkele dag of periode op." },
	"tariff":         func(rule) string { return "valt op een dag waarvoor geen tarief geldt." },

	// places and shapes (permit, casefile)
	"belgium": func(rule) string { return "ligt (deels) buiten België. Duid de plaats opnieuw aan op de kaart." },
	"territory": func(rule) string {
		return "ligt (deels) buiten het grondgebied van de gemeente. Een vergunning geldt alleen op het grondgebied van de gemeente die ze geeft."
	},
	"wgs84":   func(rule) string { return "is geen geldige coördinaat (lengte- en breedtegraad)." },
	"geojson": func(rule) string { return "is geen geldige vorm op de kaart. Teken ze opnieuw." },
	"area":    func(rule) string { return "moet een oppervlakte hebben: teken een vlak, geen lijn of punt." },
	"length":  func(rule) string { return "moet een lengte hebben: teken een lijn of een vlak." },
	"hole": func(rule) string {
		return "heeft een uitsparing die buiten de vorm ligt of een andere uitsparing raakt."
	},
	"simple": func(rule) string { return "kruist of raakt zichzelf. Teken de vorm opnieuw." },

	// documents an official loads (case types, rules for rights, statements)
	"yaml":               func(rule) string { return "is geen geldig YAML-document." },
	"json":               func(rule) string { return "is geen geldig document." },
	"syntax":             func(rule) string { return "heeft een fout in de opbouw van het document." },
	"decode":             func(rule) string { return "kan niet gelezen worden." },
	"format":             func(rule) string { return "heeft niet de juiste vorm." },
	"type":               func(rule) string { return "heeft een waarde van de verkeerde soort." },
	"unknown":            func(rule) string { return "is een onbekend veld." },
	"alias":              func(rule) string { return "verwijst naar zichzelf." },
	"form":               func(rule) string { return "is geen geldig formulier." },
	"header":             func(rule) string { return "heeft niet de juiste kop." },
	"elements":           func(rule) string { return "heeft niet het juiste aantal regels." },
	"results":            func(rule) string { return "vraagt een resultaat, maar het dossiertype heeft er geen." },
	"terminal":           func(rule) string { return "vertrekt uit een eindtoestand, of er is geen eindtoestand." },
	"unknown_status":     func(rule) string { return "verwijst naar een toestand die niet bestaat." },
	"unreachable":        func(rule) string { return "is een toestand die nooit bereikt kan worden." },
	"open_status":        func(rule) string { return "moet een open toestand van het dossiertype zijn." },
	"unknown_transition": func(rule) string { return "verwijst naar een stap die niet bestaat." },
	"waiting":            func(rule) string { return "moet naar een toestand gaan waarin we op de melder wachten." },
	"citizen":            func(rule) string { return "moet een stap zijn die de burger zelf kan zetten." },
	"changed": func(rule) string {
		return "is niet gewijzigd: de categorie en de plaats zijn dezelfde als in het dossier."
	},
}

// closed is a ring that does not close in a shape, and a closed counter
// or closing day in an appointment.
func closed(r rule) string {
	if strings.Contains(r.english, "ring") {
		return "is niet gesloten: het laatste punt moet het eerste zijn."
	}
	return "valt op een moment dat we gesloten zijn. Kies een ander moment."
}
