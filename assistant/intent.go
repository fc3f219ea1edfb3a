package assistant

import (
	"regexp"
	"strings"
)

// cue is a phrase that signals an intent, matched on folded text at word
// boundaries.
type cue struct {
	intent Intent
	re     *regexp.Regexp
}

func cues(intent Intent, phrases ...string) cue {
	return cue{intent, regexp.MustCompile(`\b(?:` + strings.Join(phrases, "|") + `)\b`)}
}

// intentCues are checked in order; the first that matches wins. Asking
// for a person comes first: it is never to be missed.
var intentCues = []cue{
	cues(IntentHandover,
		`(?:met )?(?:een )?(?:echte )?(?:mens|medewerker|persoon|iemand|ambtenaar|bediende)(?: spreken| praten| aan de lijn)`,
		`(?:spreken|praten|chatten|bellen) met (?:een )?(?:echte )?(?:mens|medewerker|persoon|iemand)`,
		`medewerker`, `echte mens`,
		`(?:talk|speak|chat) (?:to|with) (?:a |an |someone|somebody|a real )?(?:human|person|agent|employee|someone|somebody|staff)?`,
		`real person`, `human agent`),
	cues(IntentDossier,
		`waar staat (?:mijn|m'n|mn|ons|onze)`, `stand van zaken`, `status van (?:mijn|m'n|mn|ons|onze)`,
		`(?:mijn|m'n|mn|ons|onze) (?:dossier|dossiers|aanvraag|aanvragen|melding|meldingen)`,
		`hoe ver (?:is|staat)`, `al (?:iets )?beslist`,
		`(?:status|progress) of my`, `my (?:case|cases|application|applications|file|report)`, `where is my`),
	cues(IntentAppointment,
		`afspraak (?:maken|boeken|vastleggen|plannen|inplannen|nemen)`, `(?:maken|boeken|plannen|nemen|vastleggen) (?:van )?(?:een )?afspraak`,
		`(?:vrij|vrije) (?:moment|momenten|uur|uren|slot|slots)`, `langskomen`, `op afspraak`,
		`(?:make|book|schedule) an? appointment`, `appointment`),
	cues(IntentReport,
		`(?:wil|wou|kan|moet) (?:ik )?(?:iets |een probleem |een defect )?melden`, `melding (?:maken|doen|indienen)`,
		`is kapot`, `zijn kapot`, `kapotte`, `defect`, `werkt niet meer`, `brandt niet`, `branden niet`,
		`sluikstort`, `zwerfvuil`, `put in de (?:weg|straat|stoep)`, `gat in de (?:weg|straat|stoep)`, `losliggende`,
		`(?:report|reporting) (?:a |an )?(?:problem|issue|broken|pothole|streetlight|street light|dumping)`, `is broken`, `pothole`, `fly.?tipping`),
}

// detectIntent returns the intent the phrasing signals, or
// IntentInformation when none does.
func detectIntent(text string) Intent {
	f := fold(text)
	for _, c := range intentCues {
		if c.re.MatchString(f) {
			return c.intent
		}
	}
	return IntentInformation
}

// reportCategories guess a report's category from its words.
var reportCategories = []struct {
	category string
	re       *regexp.Regexp
}{
	{"street_lighting", regexp.MustCompile(`\b(?:straatlamp\w*|lantaarn\w*|verlichting|lamp\w*|licht\w*|streetlights?|street lights?|lamps?)\b`)},
	{"waste", regexp.MustCompile(`\b(?:sluikstort\w*|zwerfvuil|afval\w*|vuilniszak\w*|vuilbak\w*|glasbol\w*|dumping|litter|rubbish|garbage|waste|fly.?tipping)\b`)},
	{"road", regexp.MustCompile(`\b(?:put|putten|gat|gaten|wegdek|voetpad\w*|stoep\w*|fietspad\w*|straat|weg|tegel\w*|verkeersbord\w*|pothole\w*|pavement|sidewalk|road)\b`)},
	{"greenery", regexp.MustCompile(`\b(?:boom|bomen|tak|takken|gras|onkruid|haag|hagen|plantsoen\w*|tree|trees|branch\w*|grass)\b`)},
	{"noise", regexp.MustCompile(`\b(?:lawaai\w*|geluid\w*|overlast|noise|noisy)\b`)},
}

func reportCategory(text string) string {
	f := fold(text)
	for _, c := range reportCategories {
		if c.re.MatchString(f) {
			return c.category
		}
	}
	return "other"
}

// locationRe finds a Flemish street address or a place description in a
// report: "Kerkstraat 12", "aan de Dorpsplein", "hoek Molenweg".
var locationRe = regexp.MustCompile(`(?i)\b[\p{L}-]*(?:straat|laan|weg|plein|dreef|steenweg|kaai|lei|markt|hof|pad|dijk|baan|park|singel|wal|street|road|avenue|square)\b(?:\s+\d+[a-z]?)?`)

func reportLocation(text string) string {
	return strings.TrimSpace(locationRe.FindString(text))
}

// englishWords are common English function words; a question with more of
// them than Dutch ones is answered in English.
var englishWords = set("the a an of to in on at for how what where when which who why do does can could is are my i you your please get want need with from is it this that there hello hi")
var dutchWords = set("de het een van te in op aan voor hoe wat waar wanneer welke wie waarom kan kun mag moet is zijn mijn ik je u uw graag wil met en er dat die dit om bij naar hallo dag ook nog")

// detectLanguage returns "en" when the text reads as English, else "nl".
func detectLanguage(text string) string {
	en, nl := 0, 0
	words(fold(text), func(w string) {
		if englishWords[w] {
			en++
		}
		if dutchWords[w] {
			nl++
		}
	})
	if en > nl {
		return "en"
	}
	return "nl"
}

// intentHints are phrasings that say what kind of service a question asks
// for without naming it: "waarom moet ik ... betalen" asks about a tax or
// a charge, "krijg ik daar iets voor" about a grant or a premium. Their
// words rank the entries of that kind higher (Index.query).
var intentHints = []struct {
	re    *regexp.Regexp
	words string
}{
	{regexp.MustCompile(`\b(?:waarom|waarvoor) (?:moet|moeten|moete|moette|betaal|betalen)\b.*\bbetal\w*\b|\bwhy (?:do|must|should) (?:i|we) pay\b`), "belasting heffing"},
	{regexp.MustCompile(`\b(?:krijg|krijgen|krijgt|kreeg)(?: ik| we| wij| je| ge| gij| men)? (?:daar|daarvoor|er|hier|ervoor|iets|geld|een premie|een subsidie)\b.*\b(?:iets|geld|voor|terug)\b|\b(?:is|zijn|bestaat|bestaan) (?:er|daar) (?:een )?(?:premie|premies|subsidie|subsidies|tegemoetkoming)\b|\bget (?:anything|money|something) (?:for|back)\b`), "premie subsidie"},
}
