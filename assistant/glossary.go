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
collection,pickup,pick=ophaling
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
noise=lawaai geluid
tax,taxes=belasting
fee,fees,cost,costs,price,pay,payment=kosten prijs betalen
appointment,appointments,book,booking=afspraak
opening,hours=openingsuren
town,city,municipality,council,hall=gemeente gemeentehuis
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
