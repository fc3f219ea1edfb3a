package assistant

import (
	"regexp"
	"strings"
	"unicode"
)

// offTopicWords name subjects that are not a municipality's: the weather,
// sport results, cooking, banking and shares, programming, medical care,
// shops and transport companies, general knowledge, and national or
// Flemish matters a citizen may think the municipality handles (income
// tax, child benefit, study grants, unemployment, health insurance, the
// driving test, number plates, visas). A catalogue may mention such a word
// in passing (the family certificate "for your study grant"), so a
// question's off-topic word counts as a word the catalogue does not know:
// it weighs on the question's coverage, and the question stays in scope
// only when the rest of it names a service clearly. Words that are also a
// municipal service's subject ("restaurant": a licence; "medicijnen":
// hazardous waste) are left out on purpose. They are matched on the
// folded word, not its stem, so "sneeuwen" (will it snow) is off topic
// and "sneeuw" (gritting) is not.
var offTopicWords = set(`
inkomstenbelasting belastingteruggave teruggave loonfiche loonfiches loonbrief brutoloon nettoloon btw btwnummer vennootschapsbelasting accijns accijnzen
kinderbijslag kindergeld groeipakket studietoelage studiebeurs schooltoelage werkloosheid werkloosheidsuitkering rva ziekenfonds mutualiteit mutualiteiten ziekteverzekering ouderschapsverlof zwangerschapsverlof moederschapsrust tijdskrediet loopbaanonderbreking nummerplaat div rijexamen examencentrum visum schengenvisum
koorts hoofdpijn buikpijn keelpijn rugpijn griep verkoudheid hoest diarree antibiotica apotheker huisarts tandarts dokter dierenarts spoedgevallen spoeddienst wachtdienst diagnose symptomen vlooien allergie
weerbericht weersvoorspelling weersverwachting regenen sneeuwen onweer temperatuur graden zonnig weather forecast rain raining sunny
uitslag uitslagen klassement gewonnen wint won kampioen kampioenschap champions league songfestival
recept recepten recipe recipes ingredienten cook cooking bake baking
aandeel aandelen koers bitcoin crypto rente spaarrekening beleggen belegging stock stocks shares
python javascript programmeren programming html iphone
hoofdstad capital koning king president premier mop grap joke gedicht poem
supermarkt aldi lidl delhaize colruyt carrefour ikea tankstation diesel benzine tanken
nmbs sncb vliegtuig luchthaven vlucht bagage
cinema bioscoop kinepolis netflix
advocaat notaris verzekering verzekeraar telecom telecomoperator internetprovider loodgieter elektricien fokker
kinesist kinesitherapeut kine kine oogarts specialist specialisten gynaecoloog dermatoloog cardioloog psychiater psycholoog pediater kinderarts uroloog neuroloog orthodontist logopedist osteopaat vroedvrouw verpleegkundige ziekenhuisopname operatie consultatie
vaccin vaccins vaccinatie vaccineren gevaccineerd inenting inentingen griepprik voorschrift medicatie opticien bril brillen lenzen hoorapparaat ziekteverlof ziektebriefje doktersbriefje
kredietkaart visa mastercard hypotheek hypotheeklening woonkrediet autolening krediet kredieten spaargeld sparen pensioensparen overschrijving
erfbelasting erfenis successierechten schenkbelasting schenkingsrechten registratierechten verkeersbelasting inverkeerstelling inverkeerstellingstaks autokeuring keuring keuringsstation groene kaart
rva onem vdab vakbond vakbonden werkloos werkloze ontslag ontslagen opzeg opzegtermijn vakantiedagen vakantiegeld eindejaarspremie interimkantoor uitzendkantoor sollicitatiegesprek
riziv fod federale invaliditeit ziekteuitkering pensioendienst schoolbonus schooltoeslag
trein treinen treinticket treinabonnement treinkaart tram metro stib mivb tec ryanair tui
energieleverancier leverancier engie luminus eneco totalenergies proximus telenet orange elektriciteitsfactuur gasfactuur
secundair middelbaar hogeschool universiteit unief examen examens leerkracht lerares schoolrapport rapport huiswerk
koken kookboek oven bakken braden stoofvlees friet frieten frietjes lasagne spaghetti soep taart
`)

// offTopicHeads are off-topic words that are also off topic as the head
// of a compound ("autoverzekering", "kippensoep", "buikpijn").
var offTopicHeads = set(`verzekering soep pijn recept koers rente provider operator arts leverancier krediet`)

// offTopicPhrases are phrasings of what a municipality does not answer:
// a recommendation ("de beste frituur"), the weather, the time, the tax
// on one's income (a municipality's taxes are on other things; "loon"
// alone is off topic in no way: a student job has one).
var offTopicPhrases = regexp.MustCompile(`\b(?:` + strings.Join([]string{
	`(?:de|het|een) (?:beste|goedkoopste|lekkerste|leukste|mooiste)`,
	`(?:the|a) (?:best|cheapest|nicest)`,
	`aanraden`, `aanrader`, `recommend`,
	`(?:mooi|slecht|goed|zonnig) weer`, `het weer`, `(?:welk|wat voor) weer`, `weer (?:morgen|vandaag|dit weekend|overmorgen)`,
	`hoe laat is het`, `what time is it`,
	`eerste minister`, `prime minister`, `de lijn`,
	`belasting\w*(?: \w+){0,3} (?:op|van) (?:mijn |m'n |mn |je |uw |het |een )?(?:loon|salaris|wedde|inkomen|pensioen|uitkering)`, `income tax`,
}, "|") + `)\b`)

// offTopic reports whether a folded question word names a subject that is
// not the municipality's.
func offTopic(w string) bool {
	if offTopicWords[w] {
		return true
	}
	for i := 3; i <= len(w)-4; i++ {
		if offTopicHeads[w[i:]] {
			return true
		}
	}
	return false
}

// foreignWords are common function words of the languages citizens most
// often write in besides Dutch and English (French, German, Spanish,
// Polish, Turkish, Portuguese, Italian). A word French shares with Dutch
// or English ("je", "de", "en", "a") counts for neither language (see
// otherLanguage); others these languages share with Dutch or Flemish
// ("die", "wie", "na", "nie", "ben", "ne") are left out.
var foreignWords = set(`
je de en a tu il elle nous vous ils le la les des une du au aux est sont suis puis peut veux voudrais ou où comment quel quelle quels combien pourquoi quand qui que pour avec dans sur mon ma mes votre vos notre merci bonjour
ich du er sie wir ihr ist sind bin und oder nicht ein eine einen einem kein mein meine meinen dein wo wann warum was welche möchte mochte kann können konnen bitte danke für fur mit auf bei ohne auch
el los las una unos quiero puedo dónde donde cómo como qué cuál cual cuándo cuando por para mi mis su sus es está esta hola gracias tengo necesito
jak gdzie czy jest się sie mój moj moja mnie chcę chce dlaczego kiedy dziękuję dziekuje proszę prosze
nasıl nasil nerede neden ve bir için icin benim ben mı mi mu mü yapmalıyım istiyorum merhaba
não nao onde obrigado você voce
dove perché perche sono grazie buongiorno vorrei
`)

// foreignLetters are letters Dutch and English do not use.
const foreignLetters = "çñ¿¡ßąęłśźżńćğşıõãœ"

// homographs are foreign function words that are also Dutch words ("les"
// is a lesson, "ma" a mother, "mes" a knife): they count half.
var homographs = set(`les ma mes`)

// otherLanguage reports whether text is written in a language other than
// Dutch or English: in a script other than Latin, or with more function
// words or letters of another language than Dutch and English function
// words, where a word both languages use ("je", "was") counts for
// neither. A single French function word with nothing Dutch or English
// ("horaires de la maison communale") is enough: the assistant answers in
// Dutch first and in English, and refuses every other language the same
// way, saying so in both and offering a member of staff (see doc.go).
// The catalogue is in Dutch; matching such a question's words against it
// finds false friends ("la", "mi", "pain").
func otherLanguage(text string) bool {
	letters, nonLatin := 0, 0
	foreign := 0.0
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		if !unicode.Is(unicode.Latin, r) {
			nonLatin++
		}
		if strings.ContainsRune(foreignLetters, unicode.ToLower(r)) {
			foreign++
		}
	}
	if letters == 0 {
		return false
	}
	if nonLatin*2 > letters {
		return true
	}
	own := 0.0
	words(fold(text), func(w string) {
		ours := dutchWords[w] || englishWords[w] || stopWords[w]
		switch {
		case foreignWords[w] && ours:
		case homographs[w]:
			foreign += 0.5
		case foreignWords[w]:
			foreign++
		case ours:
			own++
		}
	})
	return foreign >= 1 && foreign > own
}

// municipalWords are the generic words of a municipality's services:
// its offices and documents, permits, grants and taxes, streets and
// public space, waste, housing and building, civil status, care and
// leisure. A question that uses one is about the municipality even when
// the catalogue words it otherwise ("een notelaar uitdoen in de tuin")
// are not the entry's, so it is refused only when its best entry covers
// little of it. They are matched on the stem, and as a compound's head
// ("marktplein" is a "plein", "gemeentediensten" has "diensten").
var municipalWords, municipalHeads = stemSet(`
gemeente gemeentelijk gemeentehuis stadhuis loket dienst burgerzaken ocmw sociaal schepen burgemeester gemeenteraad
attest bewijs uittreksel akte afschrift document formulier aanvraag vergunning toestemming toelating melding aangifte
premie subsidie tegemoetkoming belasting heffing retributie boete bezwaar klacht
inschrijving inschrijven adres domicilie verhuis verhuizen identiteitskaart rijbewijs reispas paspoort
straat stoep voetpad fietspad weg plein park parking parkeren verkeer wegenwerken openbaar domein
afval vuilnis vuilniszak ophaling container containerpark recyclagepark sluikstort
tuin boom haag woning huis huur huurder verhuurder bouwen verbouwen renovatie isolatie dak gevel riolering
evenement feest fuif markt kermis vereniging sport sporthal zwembad bibliotheek bib academie cultuur speeltuin jeugd
kinderopvang opvang school senior ouderen zorg mantelzorg handicap huisdier hond kat dier
politie wijkagent begraafplaats kerkhof begrafenis huwelijk trouwen samenwonen geboorte overlijden nationaliteit verkiezingen stemmen
municipality council permit licence license certificate grant subsidy tax fine complaint street road parking waste garbage recycling housing
`)

// stemSet returns the stems of the words of s, and the words with their
// plural and inflected endings, which a compound's head is matched
// against without stemming every suffix of a question's word.
func stemSet(s string) (stems, forms map[string]bool) {
	stems, forms = map[string]bool{}, map[string]bool{}
	for _, w := range strings.Fields(s) {
		w = fold(w)
		stems[stem(w)] = true
		for _, end := range []string{"", "s", "en", "n", "e"} {
			forms[w+end] = true
		}
	}
	return stems, forms
}

// municipal reports whether a folded question word is one of
// municipalWords, or a compound whose head is.
func municipal(w string) bool {
	if municipalWords[stem(w)] {
		return true
	}
	for i := 3; i <= len(w)-4; i++ {
		if municipalHeads[w[i:]] {
			return true
		}
	}
	return false
}
