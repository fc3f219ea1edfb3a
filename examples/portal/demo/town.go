// Package demo is the demo municipality of the reference portal: its
// people, and the seed data every building block starts with, filed through
// the services as in real use.
package demo

import (
	"github.com/lokaalbestuur/bouwstenen/pii"
)

// Municipality is the demo municipality the portal serves.
type Municipality struct {
	Name    string
	Address pii.Address
	People  []*Person
}

// Person is a demo citizen or entrepreneur the sign-in can pick.
type Person struct {
	ID      string // the key in URLs and the session; not personal data
	Name    pii.Name
	INSZ    pii.INSZ
	Email   pii.Email
	Phone   pii.Phone
	Address pii.Address
	// Enterprise is set for an entrepreneur who acts for an enterprise: the
	// one the demo data files under.
	Enterprise *Enterprise
	// OtherEnterprises are further enterprises the person may sign in for
	// (the demo provider offers each).
	OtherEnterprises []Enterprise
	// Clerk marks the demo counter clerk ("baliemedewerker"), who works the
	// cases of others instead of having their own.
	Clerk bool
}

// Enterprise is a demo enterprise by its KBO number.
type Enterprise struct {
	Name string
	KBO  string
}

// Town returns the demo municipality Demogem and its five demo people:
// An, Mohamed, Lotte (who acts for her café and her party hall), Sam, the
// clerk, and Tom, who runs the café with Lotte.
func Town() *Municipality {
	return &Municipality{
		Name:    "Demogem",
		Address: pii.Address{Street: "Marktplein", Number: "1", PostalCode: "9999", Municipality: "Demogem"},
		People: []*Person{
			{
				ID:      "an",
				Name:    pii.Name{Given: "An", Family: "Peeters"},
				INSZ:    "85073003328",
				Email:   "an.peeters@example.be",
				Phone:   "+32 470 12 34 56",
				Address: pii.Address{Street: "Kerkstraat", Number: "12", PostalCode: "9999", Municipality: "Demogem"},
			},
			{
				ID:      "mohamed",
				Name:    pii.Name{Given: "Mohamed", Family: "El Amrani"},
				INSZ:    "17073003384",
				Email:   "mohamed@example.be",
				Address: pii.Address{Street: "Stationsstraat", Number: "4", Box: "2", PostalCode: "9999", Municipality: "Demogem"},
			},
			{
				ID:               "lotte",
				Name:             pii.Name{Given: "Lotte", Family: "Janssens"},
				INSZ:             "90020199704",
				Email:            "lotte@cafe-de-hoek.example.be",
				Address:          pii.Address{Street: "Dorpsplein", Number: "3", PostalCode: "9999", Municipality: "Demogem"},
				Enterprise:       &Enterprise{Name: "Café De Hoek", KBO: "0202.239.951"},
				OtherEnterprises: []Enterprise{{Name: "Feestzaal De Hoek", KBO: "0456.789.034"}},
			},
			{
				ID:    "balie",
				Name:  pii.Name{Given: "Sam", Family: "Baliemedewerker"},
				Clerk: true,
			},
			{
				ID:         "tom",
				Name:       pii.Name{Given: "Tom", Family: "Claes"},
				INSZ:       "88051212342",
				Email:      "tom@cafe-de-hoek.example.be",
				Address:    pii.Address{Street: "Molenstraat", Number: "8", PostalCode: "9999", Municipality: "Demogem"},
				Enterprise: &Enterprise{Name: "Café De Hoek", KBO: "0202.239.951"},
			},
		},
	}
}

// Enterprises returns every enterprise the person may act for, Enterprise
// first.
func (p *Person) Enterprises() []Enterprise {
	if p.Enterprise == nil {
		return p.OtherEnterprises
	}
	return append([]Enterprise{*p.Enterprise}, p.OtherEnterprises...)
}

// Person returns the demo person with the ID.
func (m *Municipality) Person(id string) (*Person, bool) {
	for _, p := range m.People {
		if p.ID == id {
			return p, true
		}
	}
	return nil, false
}
