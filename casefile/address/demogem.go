package address

// Demogem is the fictional demo municipality of the SDK ("gemeente
// Demogem", postal code 9999). It is drawn in the East Flemish countryside
// south-east of Ghent, around 50.87° N 3.81° E, where the portal's demo
// already puts its streets; it lies some 30 km from Brussels and overlaps
// no real municipality's name.

// DemogemTerritory returns the territory of Demogem: one polygon of about
// 6 by 5 km that holds every street of DemogemGazetteer.
func DemogemTerritory() Territory {
	return Territory{Name: "Demogem", Polygons: []Polygon{{Ring{
		{50.8930, 3.7830}, {50.8955, 3.8050}, {50.8920, 3.8280}, {50.8850, 3.8420},
		{50.8730, 3.8510}, {50.8590, 3.8480}, {50.8470, 3.8360}, {50.8440, 3.8150},
		{50.8480, 3.7920}, {50.8560, 3.7760}, {50.8700, 3.7700}, {50.8840, 3.7730},
	}}}}
}

// DemogemGazetteer returns an offline Lookup over 32 streets of Demogem.
// The first six are at the points the portal's demo uses.
func DemogemGazetteer() *Gazetteer {
	return &Gazetteer{PostalCode: "9999", Municipality: "Demogem", Streets: []Street{
		{"Kerkstraat", Point{50.86950, 3.81050}, Point{50.87350, 3.81400}, 80},
		{"Dorpsplein", Point{50.86900, 3.81200}, Point{50.86930, 3.81320}, 24},
		{"Stationsstraat", Point{50.87200, 3.80500}, Point{50.87900, 3.79600}, 140},
		{"Marktplein", Point{50.86880, 3.81150}, Point{50.86820, 3.81280}, 30},
		{"Molenstraat", Point{50.86700, 3.81500}, Point{50.86100, 3.82300}, 120},
		{"Schoolstraat", Point{50.87050, 3.80800}, Point{50.87500, 3.80300}, 60},
		{"Kapelstraat", Point{50.87400, 3.81450}, Point{50.88200, 3.82000}, 110},
		{"Nieuwstraat", Point{50.86850, 3.81000}, Point{50.86500, 3.80400}, 70},
		{"Veldstraat", Point{50.86300, 3.80300}, Point{50.85600, 3.79500}, 150},
		{"Bosstraat", Point{50.87800, 3.82300}, Point{50.88500, 3.83300}, 90},
		{"Beekstraat", Point{50.86600, 3.82500}, Point{50.86000, 3.83500}, 85},
		{"Hoogstraat", Point{50.87000, 3.81300}, Point{50.87200, 3.82200}, 100},
		{"Meersstraat", Point{50.85900, 3.81200}, Point{50.85200, 3.81000}, 65},
		{"Lindenlaan", Point{50.87600, 3.80700}, Point{50.87900, 3.81200}, 40},
		{"Eikenlaan", Point{50.87700, 3.80500}, Point{50.88100, 3.80900}, 44},
		{"Kouterstraat", Point{50.88000, 3.79000}, Point{50.88600, 3.78500}, 75},
		{"Processiestraat", Point{50.86750, 3.80900}, Point{50.86450, 3.81300}, 38},
		{"Smisstraat", Point{50.87100, 3.81600}, Point{50.87500, 3.82700}, 58},
		{"Brugstraat", Point{50.86400, 3.81700}, Point{50.85800, 3.82000}, 66},
		{"Groenstraat", Point{50.88300, 3.80000}, Point{50.88900, 3.80600}, 95},
		{"Heirweg", Point{50.85500, 3.78500}, Point{50.86500, 3.77800}, 210},
		{"Kasteeldreef", Point{50.86200, 3.82800}, Point{50.85800, 3.83900}, 20},
		{"Pastorijstraat", Point{50.87000, 3.81150}, Point{50.87150, 3.81050}, 16},
		{"Sportlaan", Point{50.87300, 3.79800}, Point{50.87000, 3.79200}, 35},
		{"Vijverstraat", Point{50.85300, 3.80500}, Point{50.85000, 3.81800}, 48},
		{"Wolvenstraat", Point{50.88700, 3.81500}, Point{50.88400, 3.82800}, 52},
		{"Zandstraat", Point{50.85700, 3.79000}, Point{50.85100, 3.79800}, 88},
		{"Lange Ambachtstraat", Point{50.87600, 3.83000}, Point{50.86800, 3.84300}, 160},
		{"Koestraat", Point{50.86500, 3.79000}, Point{50.86900, 3.78300}, 45},
		{"Gemeentehuisstraat", Point{50.86870, 3.81100}, Point{50.86780, 3.81000}, 12},
		{"Oude Heerweg", Point{50.88800, 3.79200}, Point{50.87500, 3.78000}, 230},
		{"Sint-Jozefstraat", Point{50.86600, 3.81100}, Point{50.86250, 3.81250}, 42},
	}}
}
