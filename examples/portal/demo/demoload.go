package demo

import (
	"context"
	"fmt"
	"strconv"

	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Extra demo reports for load tests (the flag -demo-dossiers and
// BenchmarkDossierOverview): a generated population of Demogem files them,
// and a few are An's, so her "Mijn dossiers" has real work among many
// other people's cases.

// LoadOfAn is how many of the extra reports are An's.
const LoadOfAn = 20

// loadPeoplePerReport sets the size of the generated population: one person
// for every four reports, so most people have a few.
const loadPeoplePerReport = 4

// LoadPerson returns the i-th generated inhabitant of Demogem: a valid,
// unique national register number (born 1950–1999, so none is a real demo
// person's), a name and an address.
func LoadPerson(i int) *Person {
	yy, mm, dd, serial := 50+i%50, 1+(i/50)%12, 1+(i/600)%28, 1+(i/16800)%997
	base := ((yy*100+mm)*100+dd)*1000 + serial
	insz := fmt.Sprintf("%09d%02d", base, 97-base%97)
	given := []string{"Emma", "Noah", "Louise", "Arthur", "Olivia", "Jules", "Mila", "Lucas", "Elena", "Finn", "Nora", "Victor"}
	family := []string{"Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet", "Dubois", "Lambert", "Dupont"}
	streets := []string{"Kerkstraat", "Stationsstraat", "Dorpsstraat", "Molenstraat", "Schoolstraat", "Nieuwstraat", "Beekstraat", "Kapelstraat"}
	return &Person{
		ID:      "inwoner-" + strconv.Itoa(i),
		Name:    pii.Name{Given: given[i%len(given)], Family: family[(i/len(given))%len(family)]},
		INSZ:    pii.INSZ(insz),
		Email:   pii.Email("inwoner" + strconv.Itoa(i) + "@example.be"),
		Address: pii.Address{Street: streets[i%len(streets)], Number: strconv.Itoa(1 + i%180), PostalCode: "9999", Municipality: "Demogem"},
	}
}

// loadReport is one kind of report the load seeds.
type loadReport struct {
	category, sub, text string
}

var loadReports = []loadReport{
	{"street_lighting", "lamp_out", "De straatlamp brandt niet meer."},
	{"street_lighting", "pole_damaged", "Een lichtpaal is aangereden en staat scheef."},
	{"waste", "illegal_dump", "Vuilniszakken gedumpt naast de glasbol."},
	{"waste", "overflowing_bin", "De vuilnisbak aan de bushalte puilt uit."},
	{"waste", "graffiti", "Graffiti op de muur van de sporthal."},
	{"roads", "pothole", "Diepe put in het wegdek."},
	{"roads", "pavement", "Losliggende tegels op het voetpad."},
	{"greenery", "fallen_tree", "Een omgevallen boom blokkeert het fietspad."},
	{"greenery", "mowing", "Het gras langs de weg is niet gemaaid."},
	{"traffic_signs", "", "Het verkeersbord is weggedraaid."},
	{"nuisance", "", "Geluidsoverlast 's nachts."},
	{"other", "", "Een bank in het park is kapot."},
}

// SeedLoad files n extra demo reports through svc, the same way as real
// ones: LoadOfAn of them (or n, if fewer) are An's, spread evenly, the
// others belong to a generated population of n/4 people. A fifth of the
// reports is resolved and about a quarter taken in, An's too, so worklists
// and overviews mix new, open and closed cases.
//
// It does nothing when the generated population's first person already has
// a case: a PostgreSQL database that was seeded before is not seeded again.
func SeedLoad(ctx context.Context, svc *casefile.Service, town *Municipality, n int) error {
	if n <= 0 {
		return nil
	}
	an, ok := town.Person("an")
	if !ok {
		return fmt.Errorf("seed load: the demo municipality has no An")
	}
	page, err := svc.List(ctx, casefile.Query{RequesterID: string(LoadPerson(0).INSZ), Limit: 1})
	if err != nil || len(page.Cases) > 0 {
		return err
	}
	mine := min(n, LoadOfAn)
	every := n / mine
	people := max(1, n/loadPeoplePerReport)
	handler := casefile.Actor{ID: "demo-behandelaar", Role: casefile.RoleHandler}
	others := 0
	for i := range n {
		// mix decides how far the report got: by its number among An's
		// for hers (every 500th report alone would all fall in one group).
		p, mix := an, i/every
		if i%every != 0 || i/every >= mine {
			p, mix = LoadPerson(others%people), i
			others++
		}
		r := loadReports[i%len(loadReports)]
		c, err := svc.Create(ctx, casefile.CreateRequest{
			Type: "meldingen", Category: r.category, Subcategory: r.sub,
			Requester: casefile.Requester{Kind: casefile.PartyPerson, ID: string(p.INSZ), Name: p.Name, Email: p.Email, Phone: p.Phone}, Channel: casefile.ChannelWeb,
			Location:    casefile.Location{Address: p.Address},
			Description: r.text,
			Actor:       casefile.Actor{ID: string(p.INSZ), Role: casefile.RoleCitizen},
		})
		if err != nil {
			return fmt.Errorf("seed load: report %d: %w", i, err)
		}
		var steps []casefile.TransitionRequest
		switch {
		case mix%5 == 0:
			steps = []casefile.TransitionRequest{{Transition: "accept"}, {Transition: "resolve", Result: "repaired", Text: "Hersteld."}}
		case mix%3 == 0:
			steps = []casefile.TransitionRequest{{Transition: "accept"}}
		}
		for _, req := range steps {
			req.CaseID, req.Version, req.Actor = c.ID, c.Version, handler
			if c, err = svc.Transition(ctx, req); err != nil {
				return fmt.Errorf("seed load: report %d: %w", i, err)
			}
		}
	}
	return nil
}
