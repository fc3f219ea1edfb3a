package cases

import (
	"errors"
	"net/http"
	"strings"

	"github.com/lokaalbestuur/bouwstenen/calendar"
	"github.com/lokaalbestuur/bouwstenen/casefile"
	"github.com/lokaalbestuur/bouwstenen/frontoffice"
)

// QuestionsType is a second case type, declared here as data to show that a
// municipality adds its own: questions to the municipality ("vragen"), from
// citizens and, through the ondernemersloket, from enterprises. It reuses
// the transition names of "meldingen", so the clerk's list works for both.
func QuestionsType() (*casefile.CaseType, error) {
	staff := []casefile.Role{casefile.RoleClerk, casefile.RoleHandler, casefile.RoleSupervisor}
	l := func(nl, en string) casefile.Label { return casefile.Label{NL: nl, EN: en} }
	days := func(n int) calendar.Deadline { return calendar.Deadline{Days: n, WorkingDays: true} }
	return casefile.LoadCaseType(casefile.CaseType{
		Code:    "vragen",
		Label:   l("Vraag aan de gemeente", "Question to the municipality"),
		Initial: "received",
		Statuses: []casefile.Status{
			{Code: "received", Label: l("Ontvangen", "Received")},
			{Code: "in_progress", Label: l("In behandeling", "In progress")},
			{Code: "waiting", Label: l("Wacht op uw antwoord", "Waiting for your reply"), Waiting: true},
			{Code: "answered", Label: l("Beantwoord", "Answered"), Terminal: true},
			{Code: "rejected", Label: l("Niet in behandeling genomen", "Not taken up"), Terminal: true},
		},
		Transitions: []casefile.Transition{
			{Name: "accept", From: []string{"received"}, To: "in_progress", Roles: staff},
			{Name: "ask_citizen", From: []string{"in_progress"}, To: "waiting", Roles: staff},
			{Name: "citizen_replied", From: []string{"waiting"}, To: "in_progress", Roles: append([]casefile.Role{casefile.RoleCitizen}, staff...)},
			{Name: "resolve", From: []string{"received", "in_progress", "waiting"}, To: "answered", Roles: staff, Guard: casefile.GuardResultRecorded},
			{Name: "reject", From: []string{"received", "in_progress"}, To: "rejected", Roles: staff, Guard: casefile.GuardResultRecorded},
		},
		Categories: []casefile.Category{
			{Code: "enterprise", Label: l("Ondernemen (terras, markt, evenement, vestiging)", "Doing business"), Deadline: days(5)},
			{Code: "taxes", Label: l("Belastingen en retributies", "Taxes and fees"), Deadline: days(10)},
			{Code: "civil_affairs", Label: l("Burgerzaken (identiteitskaart, attesten, verhuizen)", "Civil affairs"), Deadline: days(5)},
			{Code: "other", Label: l("Andere vraag", "Other question"), Deadline: days(10)},
		},
		Results: []casefile.Result{
			{Code: "answered", Label: l("Beantwoord", "Answered")},
			{Code: "not_municipal", Label: l("Geen bevoegdheid van de gemeente", "Not the municipality's responsibility")},
		},
		SuspendWhileWaiting: true,
	})
}

// questionForm is what the person typed in "Vraag stellen".
type questionForm struct {
	Category, Question, For string
}

func (a *Block) questionNew(w http.ResponseWriter, r *http.Request, p *person) {
	f := questionForm{For: "self"}
	if p.Enterprise != nil {
		f.For, f.Category = "enterprise", "enterprise"
	}
	a.renderQuestion(w, r, http.StatusOK, f, nil)
}

// questionPage is the data of the question form ("Vraag stellen").
type questionPage struct {
	Form       questionForm
	Errors     map[string]string
	Categories []casefile.Category
}

// FormErrors gives the form's errors to the site's error summary.
func (p questionPage) FormErrors() frontoffice.FormErrors { return frontoffice.FormErrorsOf(p.Errors) }

func (a *Block) renderQuestion(w http.ResponseWriter, r *http.Request, status int, f questionForm, errsByField map[string]string) {
	ct, _ := a.cases.CaseType("vragen")
	a.show(w, r, status, "question.html", "Vraag stellen", questionPage{Form: f, Errors: errsByField, Categories: ct.Categories})
}

// questionCreate files a question as a case. An entrepreneur may file it
// for their enterprise: the requester is then the enterprise by its KBO
// number, and everyone who acts for it follows it in "Mijn dossiers".
func (a *Block) questionCreate(w http.ResponseWriter, r *http.Request, p *person) {
	f := questionForm{Category: r.PostFormValue("category"), Question: r.PostFormValue("question"), For: r.PostFormValue("for")}
	req := casefile.CreateRequest{
		Type: "vragen", Category: f.Category, Requester: requester(p), Channel: casefile.ChannelWeb,
		Description: strings.TrimSpace(f.Question),
		Actor:       casefile.Actor{ID: string(p.INSZ), Role: casefile.RoleCitizen},
	}
	switch {
	case f.For == "enterprise" && p.Enterprise != nil:
		req.Requester.Kind, req.Requester.ID = casefile.PartyEnterprise, kboDigits(p.Enterprise.KBO)
	case f.For != "self" || p.Enterprise != nil:
		// Only someone signed in for an enterprise asks for it, and only for
		// it: not for themself, whose dossiers they do not see here.
		a.renderQuestion(w, r, http.StatusUnprocessableEntity, f, map[string]string{"for": "Kies voor wie u de vraag stelt."})
		return
	}
	c, err := a.cases.Create(r.Context(), req)
	var verr *casefile.ValidationError
	if errors.As(err, &verr) {
		byField := map[string]string{}
		for _, fe := range verr.Fields {
			switch fe.Field {
			case "category":
				byField["category"] = "Kies een onderwerp."
			case "description":
				byField["question"] = "Stel uw vraag (maximaal 10.000 tekens)."
			default:
				byField[fe.Field] = "Deze waarde is niet geldig."
			}
		}
		a.renderQuestion(w, r, http.StatusUnprocessableEntity, f, byField)
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	a.site.Flash(w, r, "Bedankt, uw vraag "+c.Reference+" is ontvangen.")
	http.Redirect(w, r, "/mijn-dossiers/"+c.ID.String(), http.StatusSeeOther)
}

// requesterIDs are the requester IDs whose cases p follows: signed in for
// an enterprise, the enterprise's and not their own; as a citizen, their own.
func requesterIDs(p *person) []string {
	switch {
	case p.Enterprise != nil:
		return []string{kboDigits(p.Enterprise.KBO)}
	case p.INSZ != "":
		return []string{string(p.INSZ)}
	}
	return nil
}

func kboDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
