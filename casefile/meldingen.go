package casefile

import "github.com/lokaalbestuur/bouwstenen/calendar"

func wd(n int) calendar.Deadline { return calendar.Deadline{Days: n, WorkingDays: true} }

// PublicSpaceReports returns the ready case type for reports about public
// space ("meldingen openbaar domein"): broken street lights, illegal dumps,
// potholes and the like. A municipality can use it as is or copy and adapt
// it; it is loaded anew on every call so callers cannot share mutations.
func PublicSpaceReports() *CaseType {
	staff := []Role{RoleClerk, RoleHandler, RoleSupervisor}
	ct, err := LoadCaseType(CaseType{
		Code:    "meldingen",
		Label:   Label{NL: "Melding openbaar domein", EN: "Public space report"},
		Initial: "reported",
		Statuses: []Status{
			{Code: "reported", Label: Label{NL: "Gemeld", EN: "Reported"}},
			{Code: "in_progress", Label: Label{NL: "In behandeling", EN: "In progress"}},
			{Code: "planned", Label: Label{NL: "Ingepland", EN: "Scheduled"}},
			{Code: "waiting", Label: Label{NL: "Wacht op uw antwoord", EN: "Waiting for your reply"}, Waiting: true},
			{Code: "resolved", Label: Label{NL: "Afgehandeld", EN: "Resolved"}, Terminal: true},
			{Code: "rejected", Label: Label{NL: "Niet in behandeling genomen", EN: "Not taken up"}, Terminal: true},
		},
		Transitions: []Transition{
			{Name: "accept", From: []string{"reported"}, To: "in_progress", Roles: staff},
			{Name: "plan", From: []string{"in_progress"}, To: "planned", Roles: []Role{RoleHandler, RoleSupervisor}},
			{Name: "ask_citizen", From: []string{"in_progress", "planned"}, To: "waiting", Roles: staff},
			{Name: "citizen_replied", From: []string{"waiting"}, To: "in_progress", Roles: []Role{RoleCitizen, RoleClerk, RoleHandler, RoleSupervisor}},
			{Name: "resolve", From: []string{"reported", "in_progress", "planned", "waiting"}, To: "resolved", Roles: []Role{RoleHandler, RoleSupervisor}, Guard: GuardResultRecorded},
			{Name: "reject", From: []string{"reported", "in_progress"}, To: "rejected", Roles: []Role{RoleClerk, RoleSupervisor}, Guard: GuardResultRecorded},
		},
		Categories: []Category{
			{Code: "street_lighting", Label: Label{NL: "Straatverlichting", EN: "Street lighting"}, Deadline: wd(10), Subcategories: []Subcategory{
				{Code: "lamp_out", Label: Label{NL: "Lamp defect", EN: "Lamp out"}, Deadline: wd(5)},
				{Code: "pole_damaged", Label: Label{NL: "Paal beschadigd", EN: "Damaged pole"}},
			}},
			{Code: "waste", Label: Label{NL: "Afval en netheid", EN: "Waste and cleanliness"}, Deadline: wd(5), Attributes: wasteQuestions(), Subcategories: []Subcategory{
				{Code: "illegal_dump", Label: Label{NL: "Sluikstort", EN: "Illegal dumping"}, Deadline: wd(3)},
				{Code: "overflowing_bin", Label: Label{NL: "Volle vuilnisbak", EN: "Overflowing bin"}, Deadline: wd(2)},
				{Code: "graffiti", Label: Label{NL: "Graffiti", EN: "Graffiti"}, Deadline: wd(10)},
			}},
			{Code: "roads", Label: Label{NL: "Wegen en voetpaden", EN: "Roads and pavements"}, Deadline: wd(15), Subcategories: []Subcategory{
				{Code: "pothole", Label: Label{NL: "Put in de weg", EN: "Pothole"}, Deadline: wd(10)},
				{Code: "pavement", Label: Label{NL: "Voetpad beschadigd", EN: "Damaged pavement"}},
			}},
			{Code: "greenery", Label: Label{NL: "Groen", EN: "Greenery"}, Deadline: wd(15), Subcategories: []Subcategory{
				{Code: "fallen_tree", Label: Label{NL: "Omgevallen boom", EN: "Fallen tree"}, Deadline: wd(1)},
				{Code: "mowing", Label: Label{NL: "Maaien en snoeien", EN: "Mowing and pruning"}},
			}},
			{Code: "traffic_signs", Label: Label{NL: "Verkeersborden en signalisatie", EN: "Traffic signs"}, Deadline: wd(5)},
			{Code: "nuisance", Label: Label{NL: "Overlast", EN: "Nuisance"}, Deadline: calendar.Deadline{Days: 30}},
			{Code: "other", Label: Label{NL: "Andere", EN: "Other"}, Deadline: wd(20)},
		},
		Results: []Result{
			{Code: "repaired", Label: Label{NL: "Hersteld", EN: "Repaired"}},
			{Code: "cleaned", Label: Label{NL: "Opgeruimd", EN: "Cleaned up"}},
			{Code: "forwarded", Label: Label{NL: "Doorgestuurd naar de bevoegde instantie", EN: "Forwarded to the competent authority"}},
			{Code: "not_municipal", Label: Label{NL: "Geen bevoegdheid van de gemeente", EN: "Not the municipality's responsibility"}},
			{Code: "no_action", Label: Label{NL: "Geen actie nodig", EN: "No action needed"}},
		},
		SuspendWhileWaiting: true,
		BelgianLocation:     true,
		// A resolved report may be reopened: by the reporter ("niet
		// opgelost") within 10 working days, by a clerk any time.
		Reopen:       ReopenPolicy{From: []string{"resolved"}, To: "in_progress", ReporterWithin: wd(10)},
		Satisfaction: SatisfactionPolicy{Ask: true, Within: calendar.Deadline{Days: 30}, ReopenAtOrBelow: 2},
		// Reports are kept two years after closing, then anonymised for
		// statistics.
		Retention: RetentionPolicy{Days: 730, Action: RetainAnonymise},
		Questions: ReporterQuestions{Ask: "ask_citizen", Answer: "citizen_replied"},
		Templates: []MessageTemplate{
			{Status: "resolved", Text: Label{NL: "Uw melding {reference} is afgehandeld.", EN: "Your report {reference} has been resolved."}},
			{Status: "resolved", Category: "street_lighting", Text: Label{NL: "De verlichting is hersteld. Bedankt voor uw melding {reference}.", EN: "The lighting has been repaired. Thank you for your report {reference}."}},
			{Status: "rejected", Text: Label{NL: "Wij nemen uw melding {reference} niet in behandeling omdat ...", EN: "We are not taking up your report {reference} because ..."}},
			{Status: "waiting", Text: Label{NL: "Om uw melding {reference} te behandelen, hebben wij nog het volgende nodig: ...", EN: "To handle your report {reference} we still need: ..."}},
		},
	})
	if err != nil {
		panic("casefile: the built-in meldingen case type is invalid: " + err.Error())
	}
	return ct
}

// wasteQuestions are the extra questions of a waste report: what a crew
// needs to know before it drives out. None is required, so a form or
// client that does not ask them can still file a waste report.
func wasteQuestions() []Attribute {
	return []Attribute{
		{Code: "amount", Type: AttributeChoice, Order: 1,
			Label: Label{NL: "Hoeveel afval ligt er?", EN: "How much waste is there?"},
			Choices: []Choice{
				{Code: "bag", Label: Label{NL: "Eén zak of minder", EN: "One bag or less"}},
				{Code: "car", Label: Label{NL: "Een autolading", EN: "A car load"}},
				{Code: "truck", Label: Label{NL: "Meer dan een autolading", EN: "More than a car load"}},
			}},
		{Code: "hazardous", Type: AttributeYesNo, Order: 2,
			Label:       Label{NL: "Zit er gevaarlijk afval bij?", EN: "Is there hazardous waste?"},
			Description: Label{NL: "Asbest, chemicaliën, naalden, gasflessen", EN: "Asbestos, chemicals, needles, gas bottles"}},
		{Code: "kinds", Type: AttributeMultiChoice, Order: 3,
			Label: Label{NL: "Wat voor afval?", EN: "What kind of waste?"},
			Choices: []Choice{
				{Code: "household", Label: Label{NL: "Huishoudelijk afval", EN: "Household waste"}},
				{Code: "bulky", Label: Label{NL: "Grofvuil", EN: "Bulky waste"}},
				{Code: "construction", Label: Label{NL: "Bouwafval", EN: "Construction waste"}},
				{Code: "green", Label: Label{NL: "Groenafval", EN: "Garden waste"}},
			}},
		{Code: "weight_kg", Type: AttributeNumber, Order: 4,
			Label: Label{NL: "Geschat gewicht (kg)", EN: "Estimated weight (kg)"}},
		{Code: "seen_on", Type: AttributeDate, Order: 5,
			Label: Label{NL: "Wanneer zag u het voor het eerst?", EN: "When did you first see it?"}},
		{Code: "remarks", Type: AttributeText, Order: 6,
			Label: Label{NL: "Merk of naam op het afval", EN: "Brand or name on the waste"}},
	}
}
