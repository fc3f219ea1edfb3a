package casefile

import "github.com/lokaalbestuur/bouwstenen/calendar"

// CitizenQuestions returns the ready case type for questions a citizen asks
// the municipality ("vraag stellen"): the clerk answers in free text with
// Service.Answer and the "answer" transition, or first asks the citizen
// for more with Service.AskReporter. The citizen may reopen an answered
// question within 10 working days ("niet beantwoord"); questions are
// deleted a year after closing. Loaded anew on every call.
func CitizenQuestions() *CaseType {
	staff := []Role{RoleClerk, RoleHandler, RoleSupervisor}
	ct, err := LoadCaseType(CaseType{
		Code:    "vragen",
		Label:   Label{NL: "Vraag aan de gemeente", EN: "Question to the municipality"},
		Initial: "asked",
		Statuses: []Status{
			{Code: "asked", Label: Label{NL: "Gesteld", EN: "Asked"}},
			{Code: "in_progress", Label: Label{NL: "In behandeling", EN: "In progress"}},
			{Code: "waiting", Label: Label{NL: "Wacht op uw antwoord", EN: "Waiting for your reply"}, Waiting: true},
			{Code: "answered", Label: Label{NL: "Beantwoord", EN: "Answered"}, Terminal: true},
			{Code: "forwarded", Label: Label{NL: "Doorgestuurd", EN: "Forwarded"}, Terminal: true},
		},
		Transitions: []Transition{
			{Name: "accept", From: []string{"asked"}, To: "in_progress", Roles: staff},
			{Name: "ask_citizen", From: []string{"asked", "in_progress"}, To: "waiting", Roles: staff, RequireMessage: true},
			{Name: "citizen_replied", From: []string{"waiting"}, To: "in_progress", Roles: []Role{RoleCitizen, RoleClerk, RoleHandler, RoleSupervisor}},
			{Name: "answer", From: []string{"asked", "in_progress", "waiting"}, To: "answered", Roles: staff, RequireMessage: true},
			{Name: "forward", From: []string{"asked", "in_progress"}, To: "forwarded", Roles: staff, Guard: GuardResultRecorded, RequireMessage: true},
		},
		Categories: []Category{
			{Code: "general", Label: Label{NL: "Algemene vraag", EN: "General question"}, Deadline: wd(10)},
			{Code: "taxes", Label: Label{NL: "Belastingen en retributies", EN: "Taxes and charges"}, Deadline: wd(15)},
			{Code: "waste_collection", Label: Label{NL: "Afvalophaling", EN: "Waste collection"}, Deadline: wd(5)},
			{Code: "civil_affairs", Label: Label{NL: "Burgerzaken", EN: "Civil affairs"}, Deadline: wd(10)},
		},
		Results: []Result{
			{Code: "other_authority", Label: Label{NL: "Doorgestuurd naar de bevoegde instantie", EN: "Forwarded to the competent authority"}},
		},
		SuspendWhileWaiting: true,
		Reopen:              ReopenPolicy{From: []string{"answered"}, To: "in_progress", ReporterWithin: wd(10)},
		Satisfaction:        SatisfactionPolicy{Ask: true, Within: calendar.Deadline{Days: 30}},
		Retention:           RetentionPolicy{Days: 365, Action: RetainDelete},
		Questions:           ReporterQuestions{Ask: "ask_citizen", Answer: "citizen_replied"},
		Templates: []MessageTemplate{
			{Status: "answered", Text: Label{NL: "Beste, bedankt voor uw vraag {reference}. ", EN: "Thank you for your question {reference}. "}},
			{Status: "forwarded", Text: Label{NL: "Uw vraag {reference} hoort bij een andere instantie; wij hebben ze doorgestuurd naar ...", EN: "Your question {reference} belongs with another authority; we forwarded it to ..."}},
			{Status: "waiting", Text: Label{NL: "Om uw vraag {reference} te beantwoorden, hebben wij nog het volgende nodig: ...", EN: "To answer your question {reference} we still need: ..."}},
		},
	})
	if err != nil {
		panic("casefile: the built-in vragen case type is invalid: " + err.Error())
	}
	return ct
}
