package subsidies

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/lokaalbestuur/bouwstenen/frontoffice"
	"github.com/lokaalbestuur/bouwstenen/subsidy"
)

// clerkAssessor is the demo clerk as assessor of subsidy applications.
const clerkAssessor = "balie"

// clerkCall is a call in the clerk's overview.
type clerkCall struct {
	ID, Title, Audience                string
	Opens, Closes                      time.Time
	Budget, Committed, Paid, Available decimal.Decimal
	Open                               int // applications still to be handled
}

// subsidyClerkCallsPage is the data of the clerk's list of calls.
type subsidyClerkCallsPage struct{ Calls []clerkCall }

// clerkSubsidyCalls lists every call with its budget and how much of it is
// committed.
func (a *Block) clerkSubsidyCalls(w http.ResponseWriter, r *http.Request, _ *person) {
	var calls []clerkCall
	for c, err := range a.subsidies.Calls(r.Context()) {
		if err != nil {
			a.site.Fail(w, r, err)
			return
		}
		cc := clerkCall{ID: c.ID.String(), Title: c.Title, Audience: audienceLabel(audience(&c)), Opens: c.Opens, Closes: c.Closes,
			Budget: c.Budget, Committed: c.Ledger.Committed(), Paid: c.Ledger.Paid, Available: c.Available()}
		for app, err := range a.subsidies.Applications(r.Context(), c.ID) {
			if err != nil {
				a.site.Fail(w, r, err)
				return
			}
			switch app.Status {
			case subsidy.Submitted, subsidy.Admissible, subsidy.UnderAssessment:
				cc.Open++
			}
		}
		calls = append(calls, cc)
	}
	a.show(w, r, http.StatusOK, "subsidy_clerk_calls.html", "Subsidies (balie)", subsidyClerkCallsPage{Calls: calls})
}

// subsidyClerkCallPage is the data of a call's worklist: its
// applications, and the ranking the criteria propose.
type subsidyClerkCallPage struct {
	Call    clerkCall
	Rows    []worklistRow
	Ranking []rankingRow
}

// worklistRow is one application on a call's worklist.
type worklistRow struct {
	ID, Reference, Applicant, Status string
	Requested                        decimal.Decimal
	Submitted                        time.Time
}

// rankingRow is one application in the ranking with the proposed amount.
type rankingRow struct {
	ID, Reference, Applicant, Dropped, Outcome string
	Rank                                       int
	Total                                      string // the weighted score, one decimal, Dutch comma
	Requested, Proposed                        decimal.Decimal
}

// score1 writes a score with one decimal and a decimal comma.
func score1(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', 1, 64), ".", ",", 1)
}

// amountText writes an amount for a form field, with a decimal comma.
func amountText(d decimal.Decimal) string { return strings.Replace(d.StringFixed(2), ".", ",", 1) }

// clerkSubsidyCall is the worklist of a call: its applications, and the
// ranking with the proposed allocation of what is left of the budget.
func (a *Block) clerkSubsidyCall(w http.ResponseWriter, r *http.Request, _ *person) {
	id, err := uuid.Parse(r.PathValue("call"))
	if err != nil {
		a.notFound(w, r)
		return
	}
	call, err := a.subsidies.Call(r.Context(), id)
	if errors.Is(err, subsidy.ErrNotFound) {
		a.notFound(w, r)
		return
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	var rows []worklistRow
	names := map[uuid.UUID]string{}
	for app, err := range a.subsidies.Applications(r.Context(), id) {
		if err != nil {
			a.site.Fail(w, r, err)
			return
		}
		names[app.ID] = applicantLabel(app.Applicant)
		if app.SubmittedAt.IsZero() {
			continue // not the municipality's business until submitted
		}
		rows = append(rows, worklistRow{ID: app.ID.String(), Reference: subsidyRef(app.ID), Applicant: names[app.ID],
			Status: statusLabel(&app), Requested: app.Requested, Submitted: app.SubmittedAt})
	}
	results, alloc, err := a.subsidies.Proposal(r.Context(), id)
	if err != nil {
		a.site.Fail(w, r, err)
		return
	}
	ranking := make([]rankingRow, len(results))
	for i, res := range results {
		ranking[i] = rankingRow{ID: res.ApplicationID.String(), Reference: subsidyRef(res.ApplicationID), Applicant: names[res.ApplicationID],
			Dropped: droppedLabel(res.Dropped), Rank: res.Rank, Total: score1(res.Total), Requested: res.Requested,
			Proposed: alloc[i].Proposed, Outcome: strings.ToLower(decisionLabels[alloc[i].Outcome])}
	}
	a.show(w, r, http.StatusOK, "subsidy_clerk_call.html", "Werklijst "+call.Title, subsidyClerkCallPage{
		Call: clerkCall{ID: call.ID.String(), Title: call.Title, Audience: audienceLabel(audience(&call)), Opens: call.Opens, Closes: call.Closes,
			Budget: call.Budget, Committed: call.Ledger.Committed(), Paid: call.Ledger.Paid, Available: call.Available()},
		Rows: rows, Ranking: ranking})
}

// assessPage is what the clerk's page of one application shows.
type assessPage struct {
	App       applicationView
	Criteria  []scoreField
	Scores    []scoreLine
	Proposal  *rankingRow
	Amount    string // the decision form's amount
	Motiv     string // the decision form's motivation
	Errors    map[string]string
	Available decimal.Decimal
}

// scoreField is the clerk's score on one criterion, as typed.
type scoreField struct {
	ID, Name, Points, Motivation string
	Max                          float64
}

// scoreLine is one score already given.
type scoreLine struct {
	Assessor, Criterion, Motivation string
	Points                          float64
}

// clerkSubsidyApplication is the clerk's page of one application: the
// steps its status allows (admissibility, assessment, scores, decision,
// payment).
func (a *Block) clerkSubsidyApplication(w http.ResponseWriter, r *http.Request, _ *person) {
	app, call, ok := a.clerkApplication(w, r)
	if !ok {
		return
	}
	a.renderAssess(w, r, http.StatusOK, &app, &call, nil, nil)
}

func (a *Block) clerkApplication(w http.ResponseWriter, r *http.Request) (subsidy.Application, subsidy.Call, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		a.notFound(w, r)
		return subsidy.Application{}, subsidy.Call{}, false
	}
	app, err := a.subsidies.Application(r.Context(), id)
	var call subsidy.Call
	if err == nil {
		call, err = a.subsidies.Call(r.Context(), app.CallID)
	}
	if errors.Is(err, subsidy.ErrNotFound) {
		a.notFound(w, r)
		return app, call, false
	}
	if err != nil {
		a.site.Fail(w, r, err)
		return app, call, false
	}
	return app, call, true
}

// renderAssess renders the clerk's page; typed holds what the clerk typed
// when a form comes back with errors.
func (a *Block) renderAssess(w http.ResponseWriter, r *http.Request, status int, app *subsidy.Application, call *subsidy.Call, typed map[string]string, errsByField map[string]string) {
	pg := assessPage{App: newApplicationView(app, call), Errors: errsByField, Available: call.Available()}
	for _, cr := range call.Criteria {
		f := scoreField{ID: cr.ID, Name: cr.Name, Max: cr.MaxPoints}
		for _, s := range app.Scores {
			if s.Assessor == clerkAssessor && s.Criterion == cr.ID {
				f.Points, f.Motivation = strconv.FormatFloat(s.Points, 'f', -1, 64), s.Motivation
			}
		}
		if typed != nil {
			f.Points, f.Motivation = typed["points_"+cr.ID], typed["motivation_"+cr.ID]
		}
		pg.Criteria = append(pg.Criteria, f)
	}
	for _, s := range app.Scores {
		name := s.Criterion
		if cr, ok := call.Criterion(s.Criterion); ok {
			name = cr.Name
		}
		pg.Scores = append(pg.Scores, scoreLine{Assessor: s.Assessor, Criterion: name, Motivation: s.Motivation, Points: s.Points})
	}
	if app.Status == subsidy.UnderAssessment {
		results, alloc, err := a.subsidies.Proposal(r.Context(), call.ID)
		if err != nil {
			a.site.Fail(w, r, err)
			return
		}
		for i, res := range results {
			if res.ApplicationID == app.ID {
				pg.Proposal = &rankingRow{Rank: res.Rank, Total: score1(res.Total), Dropped: droppedLabel(res.Dropped),
					Requested: res.Requested, Proposed: alloc[i].Proposed, Outcome: strings.ToLower(decisionLabels[alloc[i].Outcome])}
			}
		}
		pg.Amount = amountText(app.Requested)
		if pg.Proposal != nil && pg.Proposal.Rank > 0 {
			pg.Amount = amountText(pg.Proposal.Proposed)
		}
	}
	if typed != nil {
		pg.Amount, pg.Motiv = typed["amount"], typed["motivation"]
	}
	a.show(w, r, status, "subsidy_application.html", "Beoordeling "+subsidyRef(app.ID), subsidyApplicationPage{App: pg.App, Clerk: &pg})
}

// clerkSubsidyAction takes one step on an application: the button pressed
// names it in the field "action".
func (a *Block) clerkSubsidyAction(w http.ResponseWriter, r *http.Request, _ *person) {
	app, call, ok := a.clerkApplication(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	var err error
	var flash string
	switch r.PostFormValue("action") {
	case "ontvankelijkheid":
		var reasons []string
		reasons, err = a.subsidies.CheckAdmissibility(ctx, app.ID)
		flash = "De aanvraag is ontvankelijk."
		if len(reasons) > 0 {
			flash = "De aanvraag is niet ontvankelijk."
		}
	case "beoordelen":
		err, flash = a.subsidies.StartAssessment(ctx, app.ID), "De beoordeling is gestart."
	case "scoren":
		if a.score(w, r, &app, &call) {
			a.site.Flash(w, r, "Uw scores zijn bewaard.")
			http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
		}
		return
	case "toekennen", "weigeren":
		if a.decide(w, r, &app, &call) {
			a.site.Flash(w, r, "De beslissing is genomen.")
			http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
		}
		return
	case "betaalopdracht":
		var orders []subsidy.PaymentOrder
		orders, err = a.subsidies.OrderPayments(ctx, app.ID)
		flash = fmt.Sprintf("%d betaalopdracht(en) aangemaakt.", len(orders))
	case "betaald":
		order, perr := uuid.Parse(r.PostFormValue("order"))
		if perr != nil {
			a.notFound(w, r)
			return
		}
		err, flash = a.subsidies.ConfirmPayment(ctx, app.ID, order), "De betaling is bevestigd."
	default:
		a.site.Message(w, r, http.StatusUnprocessableEntity, "Onbekende stap", "Deze stap bestaat niet.")
		return
	}
	switch {
	case errors.Is(err, subsidy.ErrNotFound):
		a.notFound(w, r)
	case errors.Is(err, subsidy.ErrInvalidTransition), errors.Is(err, subsidy.ErrValidation):
		a.site.Message(w, r, http.StatusConflict, "Niet mogelijk", "Deze stap kan niet (meer) vanuit de huidige status van de aanvraag. Bekijk de aanvraag opnieuw.")
	case err != nil:
		a.site.Fail(w, r, err)
	default:
		a.log.Info("subsidy step", "application", app.ID, "action", r.PostFormValue("action"))
		a.site.Flash(w, r, flash)
		http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
	}
}

// score records the clerk's points and motivation on every criterion. All
// are checked first, so a form with one bad field stores nothing.
func (a *Block) score(w http.ResponseWriter, r *http.Request, app *subsidy.Application, call *subsidy.Call) bool {
	typed := map[string]string{}
	byField := map[string]string{}
	var scores []subsidy.Score
	for _, cr := range call.Criteria {
		pf, mf := "points_"+cr.ID, "motivation_"+cr.ID
		typed[pf], typed[mf] = strings.TrimSpace(r.PostFormValue(pf)), strings.TrimSpace(r.PostFormValue(mf))
		d, err := frontoffice.ParseDecimal(typed[pf])
		points, _ := d.Float64()
		if err != nil {
			byField[pf] = fmt.Sprintf("Geef een score van 0 tot %g.", cr.MaxPoints)
			continue
		}
		s := subsidy.Score{Assessor: clerkAssessor, Criterion: cr.ID, Points: points, Motivation: typed[mf]}
		var verr *subsidy.ValidationError
		if err := call.CheckScore(s, app.Conflicts); errors.As(err, &verr) {
			for _, fe := range verr.Fields {
				switch fe.Field {
				case "points":
					byField[pf] = fmt.Sprintf("Geef een score van 0 tot %g.", cr.MaxPoints)
				case "motivation":
					byField[mf] = "Motiveer uw score."
				}
			}
			continue
		} else if err != nil {
			byField["form"] = "U hebt een belangenconflict gemeld voor deze aanvraag en kunt ze niet beoordelen."
			continue
		}
		scores = append(scores, s)
	}
	if len(byField) > 0 {
		a.renderAssess(w, r, http.StatusUnprocessableEntity, app, call, typed, byField)
		return false
	}
	for _, s := range scores {
		if err := a.subsidies.AddScore(r.Context(), app.ID, s); err != nil {
			if errors.Is(err, subsidy.ErrInvalidTransition) {
				a.site.Message(w, r, http.StatusConflict, "Niet mogelijk", "Deze aanvraag is niet (meer) in beoordeling.")
				return false
			}
			a.site.Fail(w, r, err)
			return false
		}
	}
	return true
}

// decide grants or refuses. The budget guard of the package has the last
// word: a grant beyond what is left of the call's budget is refused with a
// message that says how much is left.
func (a *Block) decide(w http.ResponseWriter, r *http.Request, app *subsidy.Application, call *subsidy.Call) bool {
	typed := map[string]string{"amount": strings.TrimSpace(r.PostFormValue("amount")), "motivation": strings.TrimSpace(r.PostFormValue("motivation"))}
	byField := map[string]string{}
	in := subsidy.DecisionInput{Amount: decimal.Zero, Motivation: typed["motivation"]}
	// the decision is taken on the application as the page showed it
	in.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	if r.PostFormValue("action") == "toekennen" {
		amount, ok := parseEuro(typed["amount"])
		switch {
		case !ok:
			byField["amount"] = "Vul het toegekende bedrag in, bijvoorbeeld 2000,00."
		case !amount.IsPositive():
			byField["amount"] = "Een toekenning is meer dan nul euro; kies anders Weigeren."
		}
		in.Amount = amount
	}
	if in.Motivation == "" {
		byField["motivation"] = "Motiveer de beslissing."
	}
	if len(byField) > 0 {
		a.renderAssess(w, r, http.StatusUnprocessableEntity, app, call, typed, byField)
		return false
	}
	if !frontoffice.Confirmed(r) {
		c := frontoffice.Confirmation{Title: "Subsidie weigeren?", Yes: "Ja, subsidie weigeren", Back: r.URL.Path,
			Question: "U weigert de aanvraag " + subsidyRef(app.ID) + ". De aanvrager krijgt de beslissing met uw motivering; dat kunt u niet ongedaan maken."}
		if in.Amount.IsPositive() {
			c.Title, c.Yes = "Subsidie toekennen?", "Ja, "+euro(in.Amount)+" toekennen"
			c.Question = "U kent " + euro(in.Amount) + " toe aan de aanvraag " + subsidyRef(app.ID) + ". De aanvrager krijgt de beslissing; dat kunt u niet ongedaan maken."
		}
		a.site.Confirm(w, r, c)
		return false
	}
	err := a.subsidies.Decide(r.Context(), app.ID, in)
	var verr *subsidy.ValidationError
	switch {
	case err == nil:
		return true
	case errors.Is(err, subsidy.ErrConflict) && !errors.Is(err, subsidy.ErrBudgetExceeded):
		a.site.Message(w, r, http.StatusConflict, "Intussen gewijzigd", "Deze aanvraag is gewijzigd sinds u ze opende (een score, een melding van belangenconflict). Bekijk de aanvraag opnieuw en beslis dan.")
	case errors.Is(err, subsidy.ErrBudgetExceeded):
		// Reload: the budget left is what the guard saw, not what the page showed.
		fresh, ferr := a.subsidies.Call(r.Context(), call.ID)
		if ferr != nil {
			a.site.Fail(w, r, ferr)
			return false
		}
		byField["amount"] = "Het budget van deze oproep is niet toereikend: er is nog " + euro(fresh.Available()) +
			" beschikbaar en u wilde " + euro(in.Amount) + " toekennen. Ken een lager bedrag toe of weiger de aanvraag."
		a.renderAssess(w, r, http.StatusConflict, app, &fresh, typed, byField)
	case errors.As(err, &verr):
		for _, fe := range verr.Fields {
			switch {
			case fe.Field == "amount" && fe.Rule == "ltefield":
				byField["amount"] = "U kunt niet meer toekennen dan gevraagd (" + euro(app.Requested) + ")."
			case fe.Field == "amount" && fe.Rule == "max":
				byField["amount"] = "Dan krijgt de aanvrager meer dan het maximum per aanvrager (" + euro(call.MaxPerApplicant) + ")."
			case fe.Field == "amount":
				byField["amount"] = "Vul een bedrag in euro in, met hoogstens twee cijfers na de komma."
			default:
				byField["motivation"] = "Motiveer de beslissing."
			}
		}
		a.renderAssess(w, r, http.StatusUnprocessableEntity, app, call, typed, byField)
	case errors.Is(err, subsidy.ErrInvalidTransition):
		a.site.Message(w, r, http.StatusConflict, "Niet mogelijk", "Over deze aanvraag kan nu niet (meer) beslist worden. Bekijk de aanvraag opnieuw.")
	default:
		a.site.Fail(w, r, err)
	}
	return false
}
