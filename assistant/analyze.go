package assistant

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
	"golang.org/x/text/unicode/norm"
)

// fold lowercases s and removes accents ("Identiteitsbewijs", "é" → "e"),
// so citizens who type without them find the same words.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
			continue
		case 'ø', 'Ø':
			r = 'o'
		case 'æ', 'Æ':
			b.WriteString("ae")
			continue
		case '€':
			b.WriteString(" euro ")
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// words splits folded text into words: runs of letters and digits.
// A word joined by hyphens or apostrophes ("kids-id", "m'n") also yields
// its joined form ("kidsid", "mn"), as citizens write it both ways.
func words(s string, emit func(w string)) {
	start, joined := -1, false
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := s[start:end]
		if joined {
			parts := strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == '\'' })
			for _, p := range parts {
				emit(p)
			}
			if len(parts) > 1 {
				emit(strings.Join(parts, ""))
			}
		} else {
			emit(w)
		}
		start, joined = -1, false
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		case (r == '-' || r == '\'') && start >= 0 && i+1 < len(s):
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if unicode.IsLetter(next) || unicode.IsDigit(next) {
				joined = true
				continue
			}
			flush(i)
		default:
			flush(i)
		}
	}
	flush(len(s))
}

// stem returns the Snowball Dutch stem of a folded word.
func stem(w string) string {
	if len(w) < 4 {
		return w
	}
	env := snowballstem.NewEnv(w)
	dutch.Stem(env)
	return env.Current()
}

// stopWords are Dutch and English function words and the filler of
// citizens' questions ("ik wil", "hoe kan ik", "graag", "aub"): they say
// nothing about which product is meant. The Dutch list starts from the
// Snowball Dutch stop list.
var stopWords = set(`
aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want waren was wat we wel werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou
welk welke waar wanneer waarom hoeveel hoelang hoe lang graag aub svp pls plz ajb dank dankje dankuwel bedankt merci hallo hoi hey hi dag goeiedag goedendag goedemorgen beste
ik wij jij jullie gij u mij me mn m'n mijne onze jouw jou je uw hun ons zijn haar dees da dat die deze wa wat ge kunt kun kunnen kan mag mogen moet moeten wil wilt willen zou zouden ga gaat gaan doe doet doen kom komt krijg krijgt krijgen heb hebt heeft hebben ben bent is zijn was waren word wordt worden even eens ff effe mee nu al nog er hier daar dan toch eigenlijk gewoon nodig iets ergens alstublieft alsjeblieft vraag vraagje vragen vraagt terecht weet weten zeggen zegt kan je kunt u
kheb kzou kga kben kwil kmoet kan kunde kunt zijde zijt hedde hebde wilde moete ne nen nie ni da dak dat wadde wa gij ge efkes eens allez amai
moette uwe uwen mijnen zijnen onzen ulle gulle zulle wulle kik gie zedde hadde wette weette kende moest aj dade tis twas kweet wiste den mé rap ier zoiets enzo allee
mail mailen mailtje bel stuur laat weten terug nieuw nieuwe nieuwer oud oude ander andere zelfde heel erg echt best ongeveer precies juist zeker misschien
very really just also too the a an of to in on at up out off for someone somebody anyone anybody something anything old from by with and or is are was be been i me my we our you your it this that these those how what where when which who why do does did can could should would will shall may might must have has had get got please thanks thank hello hi there want need about some any
`)

// generalWords are everyday Dutch words (days, months, numbers, common
// verbs, family, sizes) that a question may contain without them being
// its subject. When the catalogue does not know one, it is ignored rather
// than counted as a sign that the question is out of scope; when it does,
// it counts as any word.
var generalWords = set(`
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag weekend week weken maand maanden jaar jaren dag dagen uur uren minuut minuten vandaag morgen gisteren overmorgen straks binnenkort vanavond vannacht vanmorgen nu later vroeger vorige volgende elke elk iedere altijd nooit soms vaak weer opnieuw
januari februari maart april mei juni juli augustus september oktober november december
een twee drie vier vijf zes zeven acht negen tien paar beetje veel weinig meer minder genoeg alle allemaal iedereen niemand niks niets iets dingen ding zaken
gaan gaat ging gegaan komen komt kwam gekomen zetten zet gezet doen doet deed gedaan maken maakt gemaakt nemen neemt genomen geven geeft gegeven zien ziet gezien horen hoort staan staat liggen ligt zitten zit blijven blijft lukken lukt helpen helpt regelen regel geregeld zoeken zoek vinden vind gevonden denken denk vind moeten kunnen willen mogen zullen hebben zijn worden
jullie zij hij ze hen hem haar mezelf zelf onze ons wij we men iemand ergens overal daar hier toen dus want omdat als of maar toch wel niet geen nee ja oke ok
mama papa moeder vader ma pa zoon dochter kind kinderen kindje broer zus oma opa man vrouw vriend vriendin buurman buurvrouw buren familie gezin ouders
groot grote klein kleine lang lange kort korte goed goede slecht slechte snel vlug dringend graag liefst eerst eerste laatste zelfs ook nog al
`)

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[fold(w)] = true
	}
	return m
}

// tokens folds text, splits it into words and drops stop words and
// one-letter words.
func tokens(text string, emit func(w string)) {
	words(fold(text), func(w string) {
		if len(w) < 2 || stopWords[w] {
			return
		}
		emit(w)
	})
}
