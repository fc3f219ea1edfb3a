package assistant

import "strings"

// glossary maps common English words of municipal services to their Dutch
// counterparts, so an English question finds the Dutch catalogue. It is a
// general bilingual word list of the domain (like the README's glossary),
// not a list of questions; a word is only looked up when the index does
// not know it.
var glossary = func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(glossaryText, "\n") {
		en, nl, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		for _, w := range strings.Split(en, ",") {
			m[strings.TrimSpace(w)] = strings.TrimSpace(nl)
		}
	}
	return m
}()

const glossaryText = `
identity,id,eid=identiteitskaart
card=kaart
passport,passports=reispas paspoort
driving,driver,drivers=rijbewijs
licence,license=rijbewijs vergunning
permit,permits,permission,authorisation,authorization=vergunning
parking,park=parkeren parkeerkaart
resident,residents=bewoner bewonerskaart
marriage,marry,married,wedding=huwelijk trouwen
cohabitation,cohabit,cohabiting,partnership=samenwonen
birth,born,baby=geboorte geboorteaangifte
death,died,deceased,funeral=overlijden begrafenis
burial,grave,cemetery=begraafplaats begraven
cremation=crematie
move,moving,moved,relocate,relocation=verhuizen adreswijziging
address=adres
criminal,record=strafregister uittreksel
extract,certificate=uittreksel attest
waste,garbage,rubbish,trash,refuse=afval
collection,collected,collect,collects,pickup,pick,picked=ophaling
bulky=grofvuil
recycling,recycle,container,dump=recyclagepark container
event,events,party,festival=evenement
terrace,terraces=terras
street,road,roads,pavement,sidewalk=straat weg voetpad
building,build,construction,renovation,renovate,renovating=bouwen verbouwen renovatie
environmental=omgevingsvergunning
planning=omgevingsvergunning
insulation,insulate=isolatie
rainwater,rain=regenwater
bicycle,bike,cycling=fiets
grant,grants,subsidy,subsidies,premium,allowance,bonus=premie subsidie
club,clubs,association,associations=vereniging
childcare,daycare,nursery=kinderopvang
playground,holiday,camp=speelplein vakantie
sport,sports,gym=sport
library,books=bibliotheek
nationality,citizenship=nationaliteit
name=naam naamswijziging
dog,dogs,pet,pets=hond huisdier
weapon,weapons,gun,guns=wapen
shop,store=winkel
night=nacht
market,markets,stall=markt standplaats
fireworks=vuurwerk
complaint,complain=klacht
report,reporting=melding melden
broken,damaged=defect kapot
streetlight,lamp,light=verlichting lamp
noise,noisy,loud=lawaai geluid overlast
meeting,meetings=vergadering vergaderlokaal
room,rooms,venue=zaal lokaal
free=gratis
tax,taxes=belasting
fee,fees,cost,costs,price,pay,payment=kosten prijs betalen
appointment,appointments,book,booking=afspraak
opening,hours=openingsuren
town,city,municipality,council,hall,townhall,cityhall=gemeente gemeentehuis
foreigner,foreigners,foreign=vreemdeling
residence=verblijf
legalise,legalize,legalisation,legalization,signature=legalisatie handtekening
elections,vote,voting=verkiezingen stemmen
tree,trees=boom bomen
house,housing,home=woning wonen
rent,rental,tenant=huur huren
energy=energie
school=school
youth=jeugd
senior,seniors,elderly=senior
disability,disabled=handicap
social=sociaal
help,assistance,support=hulp steun
sofa,couch=zetel
mattress=matras
furniture=meubels
rat,rats,mouse,mice,vermin=ratten
wasp,wasps=wespennest
garden=tuin
neighbour,neighbours,neighbor,neighbors=buren
stolen,theft,stole=gestolen diefstal
lost,lose=verloren kwijt verlies
register,registration,enrol,enroll,join,membership=inschrijven inschrijving lid
borrow=bibliotheek lenen
swimming,swim,pool=zwembad
lessons,lesson,course,courses,class,classes=les cursus
dutch=nederlands
conduct,behaviour,behavior=gedrag
employer,job,jobs,work=werk job
student,students=student
child,children,kid,kids=kind kinderen
travel,travelling,traveling,trip,abroad=reizen buitenland
vehicle,car,cars=auto wagen
fine,fines,penalty=boete
bin,bins=container afvalzak
neighbourhood,neighborhood=buurt
pension,retirement,retired=pensioen
meal,meals,food=maaltijd eten
care=zorg
paint=verf
asbestos=asbest
snow,ice,gritting=sneeuw strooien
sewer,sewage=riolering
`

// spoken maps Flemish spoken and dialect forms to the standard Dutch word
// the catalogue uses: verbs of the garden and the house ("nen boom
// omdoen" is felling it, "de deur opendoen" opening it), nouns of the
// home ("mijnen hof" is one's garden, "kinders" are children). Spoken
// function words ("da", "wa", "ge", "kunde", "moette") are stop words.
var spoken = map[string]string{
	"omdoen": "kappen", "omgedaan": "kappen", "omdoet": "kappen", "uitdoen": "kappen", "uitgedaan": "kappen", "uitdoet": "kappen",
	"omzagen": "kappen", "omgezaagd": "kappen", "omhakken": "kappen", "omgehakt": "kappen", "uittrekken": "kappen",
	"opendoen": "openen", "opengedaan": "openen", "toedoen": "sluiten", "toegedaan": "sluiten",
	"kinders": "kinderen", "kindjes": "kinderen", "manneke": "kind", "menneke": "kind", "gasten": "jongeren",
	"hof": "tuin", "hovingen": "tuinen", "living": "woonkamer", "frigo": "koelkast", "zetel": "zetel", "kot": "kamer", "koten": "kamers",
	"vuilbak": "vuilnisbak", "vuilbakken": "vuilnisbakken", "vuilzak": "afvalzak", "vuilzakken": "afvalzakken", "vuilkar": "vuilniswagen",
	"camion": "vrachtwagen", "velo": "fiets", "kuisen": "poetsen", "kuisvrouw": "poetshulp", "poetsvrouw": "poetshulp",
	"trouw": "huwelijk", "pree": "loon", "goesting": "zin", "rap": "snel", "seffens": "straks", "efkes": "even",
}

// abroad are countries and nationalities citizens most often name: they
// say the question is about coming from, going to or living abroad, or
// being not Belgian, whatever an entry's word their stem looks like
// ("polen", "pool"). Words that also name a language ("nederlands",
// "engels", "turks", "spanish") are left out: "ik spreek alleen Turks"
// asks for a language course.
var abroad = set(`
buitenland buitenlander buitenlanders buitenlandse
nederland nederlander nederlanders hollander hollanders holland frankrijk fransman fransen duitsland duitser duitsers luxemburg
spanje spanjaard spanjaarden spaanse italie italiaan italiaanse portugal portugese griekenland griekse
polen poolse roemenie roemeen roemeense bulgarije bulgaar bulgaarse slowakije tsjechie hongarije litouwen letland
oekraine oekraiense oekrainer rusland russische engeland brits britse brit ierland zweden denemarken noorwegen
marokko marokkaan marokkaans marokkaanse algerije tunesie turkije turk turkse syrie syrier syrisch syrische irak iran afghanistan
congo congolees congolese kameroen nigeria senegal eritrea ethiopie somalie brazilie braziliaan braziliaanse
amerika amerikaan amerikaans amerikaanse canada mexico india indiaas china chinese japan thailand filipijnen vietnam australie
spain poland france germany italy netherlands romania morocco moroccan turkey
ukraine brazil brazilian america american britain british england ireland
`)
